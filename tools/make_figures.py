"""Write every diagram of the series to imgs/ as SVG and PNG, byte for byte reproducibly.

    python tools/make_figures.py            # (re)write imgs/
    python tools/make_figures.py --check    # exit 1, listing the files, if imgs/ is stale
    python tools/make_figures.py --out DIR  # another folder (tests use a temporary copy)

The figures are drawn by helpers/diagrams.py; the file names (``NN_name``) say which notebook shows them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from helpers.diagrams import FIGURES  # noqa: E402
from helpers.style import apply_style  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMGS = ROOT / "imgs"
DPI = 150  # PNG resolution: 7 inches give 1050 pixels, sharp on a notebook page
FORMATS = {
    "svg": {"metadata": {"Date": None, "Creator": None}},
    "png": {"metadata": {"Software": None}, "dpi": DPI},
}


def render(out: Path) -> list[Path]:
    """Draw every figure into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context():
        apply_style()
        matplotlib.rcParams["svg.hashsalt"] = "lstm-tutorial"  # SVG ids from a fixed salt, not at random
        for name, draw in FIGURES.items():
            fig = draw()
            for ext, kwargs in FORMATS.items():
                path = out / f"{name}.{ext}"
                fig.savefig(path, format=ext, **kwargs)
                written.append(path)
            plt.close(fig)
    return written


def stale(out: Path) -> list[str]:
    """The files in ``out`` that rendering again would create or change."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = render(Path(tmp))
        return sorted(
            p.name for p in fresh if not (out / p.name).is_file() or (out / p.name).read_bytes() != p.read_bytes()
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if any file is stale")
    parser.add_argument("--out", type=Path, default=IMGS, help=f"folder of the figures (default: {IMGS})")
    args = parser.parse_args(argv)
    if args.check:
        names = stale(args.out)
        if names:
            print(f"{len(names)} figure file(s) in {args.out} are stale; run python tools/make_figures.py:")
            for name in names:
                print(f"  {name}")
            return 1
        print(f"all {2 * len(FIGURES)} figure files in {args.out} are up to date")
        return 0
    written = render(args.out)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
