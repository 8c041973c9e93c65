#!/bin/sh
# `make browser`: install Debian's Chromium for the real-browser test (tests/test_browser.py), when it is missing.
# The one step of the series that changes the system; `make lab` and `make test` never run it (.ci/run does).
# The test drives /usr/bin/chromium through the Python package playwright; it never downloads a browser
# of its own (no `playwright install`). Only root can install system packages: as any other user, or when
# Chromium is there already, or on a system without apt-get, this does nothing and the test skips, saying why.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install_browser: $CHROMIUM is missing and only root can install it; the browser test will skip" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: $CHROMIUM is missing and there is no apt-get here; the browser test will skip" >&2
    exit 0
fi
echo "install_browser: installing Debian's chromium for the browser test (about a minute)"
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null && [ -x "$CHROMIUM" ]; then
    exit 0
fi
echo "install_browser: could not install chromium with apt-get; the browser test will skip, saying why" >&2
exit 0
