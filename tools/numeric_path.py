"""The numeric paths the series runs on, written down once.

PyTorch (ATen), oneDNN and oneMKL choose vector kernels by CPU, and the small trainings of the
notebooks amplify their last-bit differences into other minima. The committed outputs are produced
and compared on one *reference* path; every other path a student may meet is checked by the story
check (``make story``), which compares what the notebooks *say*, not their digits.

Nothing here imports torch: the variables must be in a process's environment before torch starts.
Used by ``tests/conftest.py`` (``make test``), ``tools/execute.py`` (``make outputs``) and
``tools/story.py`` (``make story``).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import MutableMapping

# Every variable that selects a kernel family. A path sets some of them; the others are removed, so a
# value left in the caller's shell cannot leak into a run.
VARIABLES = ("ATEN_CPU_CAPABILITY", "DNNL_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR")

PATHS: dict[str, dict[str, str]] = {
    # The reference: AVX2 kernels. Measured on an AVX-512 CPU: outputs stored on an AVX2 CPU reproduce
    # only with both variables set (either alone failed, and the MKL variables changed nothing).
    "reference": {"ATEN_CPU_CAPABILITY": "avx2", "DNNL_MAX_CPU_ISA": "AVX2"},
    # Scalar kernels everywhere: the furthest from the reference that an x86-64 CPU can take.
    "scalar": {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2", "DNNL_MAX_CPU_ISA": "SSE41"},
    # ATen's scalar kernels with oneDNN's AVX2 ones: a mixed path.
    "mixed": {"ATEN_CPU_CAPABILITY": "default", "DNNL_MAX_CPU_ISA": "AVX2"},
    # Whatever this machine picks by itself (on an AVX-512 CPU, AVX-512; on arm64, NEON or SVE).
    "native": {},
}
REFERENCE = "reference"
# What torch.backends.cpu.get_cpu_capability() names when a process is on the reference path.
REFERENCE_CAPABILITY = "AVX2"


def environment(name: str, base: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (default ``os.environ``) set to the path ``name``."""
    if name not in PATHS:
        raise ValueError(f"name must be one of {sorted(PATHS)}; got {name!r}")
    env = dict(os.environ if base is None else base)
    for key in VARIABLES:
        env.pop(key, None)
    env.update(PATHS[name])
    return env


def pin(name: str = REFERENCE, environ: MutableMapping[str, str] | None = None) -> None:
    """Set ``environ`` (default ``os.environ``) to the path ``name``, in place. Call before torch starts."""
    environ = os.environ if environ is None else environ
    for key in VARIABLES:
        environ.pop(key, None)
    environ.update(PATHS[name])


def probe(name: str) -> dict[str, str]:
    """Start a fresh Python on path ``name`` and report what it computes on: machine and capability."""
    code = (
        "import json, platform, torch; "
        "print(json.dumps({'machine': platform.machine(), 'capability': torch.backends.cpu.get_cpu_capability()}))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=environment(name), capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def on_reference(machine: str, capability: str) -> bool:
    """True when a process that asked for the reference path really computes on it."""
    return machine in ("x86_64", "AMD64") and capability == REFERENCE_CAPABILITY


def describe(machine: str, capability: str) -> str:
    """One line for a test report: what is compared on this machine, and why."""
    if on_reference(machine, capability):
        return (f"numeric path: reference ({capability} kernels pinned by tools/numeric_path.py on {machine}); "
                "notebook outputs are compared exactly")
    return (f"numeric path: this {machine} CPU cannot take the reference path (it computes on {capability}); "
            "notebooks are executed and must not fail, but their outputs are NOT compared digit by digit "
            "(they were stored on the reference path). The story check on this machine's own path "
            "(tests/test_story.py, and all of it with `make story`) checks what the notebooks say instead.")


def main() -> int:
    """Print this machine's paths: what each one computes on."""
    print(f"machine: {platform.machine()}")
    for name in PATHS:
        found = probe(name)
        print(f"{name:>10}: {found['capability']:<8} {PATHS[name] or '(no variable set)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
