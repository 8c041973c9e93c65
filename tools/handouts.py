"""Write offline HTML handouts of the series into handouts/ (git-ignored): maths and widgets with no network.

    python tools/handouts.py                                   # every notebook, both editions
    python tools/handouts.py notebooks/01_*.ipynb --out DIR    # some notebooks, elsewhere
    python tools/handouts.py --edition student                 # one edition

Layout: ``handouts/index.html`` and ``handouts/NN_topic.html`` (the full edition, solutions shown),
``handouts/student/`` (the student edition, written as tools/student_edition.py does), and
``handouts/assets/`` with the scripts the pages load: require.js, the Jupyter widgets' HTML manager
(``embed-amd.js``, which renders the widgets' stored state) and MathJax 2. nbconvert loads those from CDNs
by default; here they come from the npm registry once (``npm pack``, pinned below by version and sha512,
cached in build/npm/) and are referenced by relative URLs, so the folder works from a zip or a USB stick
over ``file://``. Markdown images are embedded in the pages; links between notebooks point to the pages.
Handouts show the stored outputs: nothing runs, so a slider moves but its plot does not change.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import student_edition
from tools.notebooks import NAME_RE, ROOT, Notebook, all_notebooks, generated_tag, project


@dataclass(frozen=True)
class Package:
    """An npm package whose files the handouts serve, pinned by version and by its tarball's sha512."""

    name: str
    version: str
    integrity: str
    keep: tuple[str, ...]  # regexes of the paths (inside the tarball's package/) copied to assets/<folder>/
    folder: str

    @property
    def tarball(self) -> str:
        return f"{self.name.removeprefix('@').replace('/', '-')}-{self.version}.tgz"


PACKAGES = (
    Package(
        "requirejs", "2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
        (r"require\.js", r"LICENSE"), "requirejs",
    ),
    Package(
        "@jupyter-widgets/html-manager", "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        (r"dist/embed-amd\.js", r"dist/[0-9a-f]+\.(?:eot|svg|ttf|woff2?)", r"LICENSE"), "html-manager",
    ),
    Package(
        "mathjax", "2.7.9",
        "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
        (
            r"MathJax\.js", r"LICENSE", r"config/TeX-AMS_CHTML-full\.js", r"extensions/.*",
            r"jax/input/TeX/.*", r"jax/output/CommonHTML/.*", r"jax/element/.*",
            r"fonts/HTML-CSS/TeX/(?:woff|otf)/.*", r"localization/en/.*",
        ),
        "mathjax",
    ),
)
NPM_CACHE = ROOT / "build" / "npm"
OUT = ROOT / "handouts"
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
WEB_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(https?://[^)\s]+\)")  # e.g. the Colab badge: blank offline


def sha512_integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(package: Package, cache: Path = NPM_CACHE) -> Path:
    """The package's npm tarball, from the cache or fetched with ``npm pack``; checked against its pin."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / package.tarball
    if not path.is_file() or sha512_integrity(path) != package.integrity:
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed once, to fetch the handouts' scripts (install Node.js and npm)")
        subprocess.run(
            [npm, "pack", f"{package.name}@{package.version}", "--pack-destination", str(cache), "--silent"],
            check=True, stdout=subprocess.DEVNULL,
        )
    found = sha512_integrity(path)
    if found != package.integrity:
        raise RuntimeError(f"{path.name}: sha512 {found} is not the pinned {package.integrity}")
    return path


def install_assets(out: Path, cache: Path = NPM_CACHE) -> Path:
    """Unpack the pinned packages' needed files into ``out``/assets; return that folder."""
    assets = out / "assets"
    for package in PACKAGES:
        keep = re.compile("|".join(f"(?:{k})" for k in package.keep))
        target = assets / package.folder
        stamp = target / ".version"
        if stamp.is_file() and stamp.read_text() == package.integrity:
            continue
        shutil.rmtree(target, ignore_errors=True)
        with tarfile.open(fetch(package, cache)) as tar:
            for member in tar.getmembers():
                inner = member.name.removeprefix("package/")
                if member.isfile() and keep.fullmatch(inner):
                    destination = target / inner
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as source:  # type: ignore[union-attr]
                        destination.write_bytes(source.read())
        stamp.write_text(package.integrity)
    return assets


def relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def exporter(page_dir: Path, assets: Path):
    """nbconvert's HTML exporter, loading its three scripts from ``assets`` by relative URLs."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    base = relative(assets, page_dir)
    config = Config()
    config.HTMLExporter.embed_images = True
    config.HTMLExporter.require_js_url = f"{base}/requirejs/require.js"
    config.HTMLExporter.widget_renderer_url = f"{base}/html-manager/dist/embed-amd.js"
    config.HTMLExporter.mathjax_url = f"{base}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    return HTMLExporter(config=config)


def page_links(node: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Point links to sibling notebooks at their pages and the contents link at index.html; web images become
    their alt text (a badge would show as a broken image offline; its link still works online)."""

    def replace(match: re.Match[str]) -> str:
        target = match["target"]
        name, _, anchor = target.partition("#")
        if NAME_RE.match(name):
            target = name.removesuffix(".ipynb") + ".html" + (f"#{anchor}" if anchor else "")
        elif name in ("README.md", "../README.md"):
            target = "index.html"
        return f"]({target})"

    for cell in node.cells:
        if cell.cell_type == "markdown":
            cell.source = LINK.sub(replace, WEB_IMAGE.sub(lambda m: m["alt"], cell.source))
    return node


def index_page(notebooks: list[Notebook], edition: str) -> str:
    other = (
        '<p>Without solutions: <a href="student/index.html">the student edition</a>.</p>'
        if edition == "full"
        else '<p>With solutions: <a href="../index.html">the full edition</a>.</p>'
    )
    rows = "\n".join(
        f'<li><a href="{nb.path.stem}.html">{nb.number:02d} · {html.escape(nb.title)}</a>'
        f" ({nb.minutes} min): {html.escape(nb.pitch)}</li>"
        for nb in notebooks
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LSTMs from first principles: handouts ({edition} edition)</title>
<style>body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; line-height: 1.5; }}</style></head>
<body><h1>LSTMs from first principles</h1>
<p>Handouts, {edition} edition: each notebook with its stored outputs. They work offline; nothing runs in them.</p>
{other}
<ol>
{rows}
</ol></body></html>
"""


def write_edition(notebooks: list[Notebook], edition: str, out: Path, assets: Path) -> list[Path]:
    page_dir = out if edition == "full" else out / "student"
    page_dir.mkdir(parents=True, exist_ok=True)
    html_exporter = exporter(page_dir, assets)
    proj = project()
    written = []
    for nb in notebooks:
        if edition == "full":
            node = nbformat.from_dict(nb.node)
        else:
            node = student_edition.student_node(nb, ROOT, proj)
        resources = {"metadata": {"path": str(nb.path.parent), "name": nb.title}}
        body, _ = html_exporter.from_notebook_node(page_links(node), resources=resources)
        path = page_dir / f"{nb.path.stem}.html"
        path.write_text(body)
        written.append(path)
    (page_dir / "index.html").write_text(index_page(notebooks, edition))
    return written


def has_widget(nb: Notebook, model: str) -> bool:
    """Whether the notebook's stored widget state holds a model named ``model`` (e.g. IntSliderModel)."""
    state = nb.node.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return any(m.get("model_name") == model for m in state.get("state", {}).values())


def build(notebooks: list[Notebook], out: Path = OUT, editions: tuple[str, ...] = ("full", "student")) -> list[Path]:
    assets = install_assets(out)
    return [path for edition in editions for path in write_edition(notebooks, edition, out, assets)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: handouts/)")
    parser.add_argument("--edition", choices=("full", "student", "both"), default="both")
    args = parser.parse_args(argv)
    notebooks = [Notebook(p.resolve()) for p in args.paths] or all_notebooks()
    for nb in notebooks:
        if not any(generated_tag(c) for c in nb.node.cells):
            print(f"warning: {nb.relpath} has no generated cells; run `make generate` first", file=sys.stderr)
    editions = ("full", "student") if args.edition == "both" else (args.edition,)
    written = build(notebooks, args.out.resolve(), editions)
    print(f"Wrote {len(written)} handouts; open {relative(args.out.resolve() / 'index.html', Path.cwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
