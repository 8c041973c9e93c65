"""Input checks shared by every helper: each error says what was expected and what arrived."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch

FLOAT_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def _describe(x: object) -> str:
    if isinstance(x, torch.Tensor):
        return f"a {x.dtype} tensor of shape {tuple(x.shape)}"
    return f"a {type(x).__name__}"


def check_tensor(
    x: object,
    name: str,
    dims: Sequence[str],
    sizes: Mapping[str, int] | None = None,
    *,
    floating: bool = True,
    dtype: torch.dtype | None = None,
    allow_empty: bool = False,
    allow_nan: bool = False,
) -> torch.Tensor:
    """Check that ``x`` is a tensor laid out as ``dims`` and return it.

    ``dims`` names the axes, for example ``("batch", "time", "features")``; ``sizes`` fixes some of
    them, for example ``{"features": 3}``. Raises ``TypeError`` for a wrong type or dtype and
    ``ValueError`` for a wrong shape, an empty tensor or NaN/inf values.
    """
    sizes = dict(sizes or {})
    layout = "(" + ", ".join(f"{d}={sizes[d]}" if d in sizes else d for d in dims) + ")"
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape {layout}; got {_describe(x)}")
    if dtype is not None and x.dtype != dtype:
        raise TypeError(f"{name} must have dtype {dtype}; got {_describe(x)}")
    if floating and x.dtype not in FLOAT_DTYPES:
        raise TypeError(
            f"{name} must be a floating-point tensor (for example torch.float32); got {_describe(x)}. "
            "Convert it with .float()"
        )
    if x.dim() != len(dims):
        raise ValueError(f"{name} must have {len(dims)} dimensions {layout}; got {_describe(x)}")
    for axis, dim in enumerate(dims):
        if dim in sizes and x.shape[axis] != sizes[dim]:
            raise ValueError(
                f"{name} must have shape {layout}: its {dim} axis (dim {axis}) should be {sizes[dim]}; "
                f"got {_describe(x)}"
            )
    if not allow_empty and x.numel() == 0:
        raise ValueError(f"{name} must not be empty: expected shape {layout}; got {_describe(x)}")
    if not allow_nan and x.is_floating_point() and not bool(torch.isfinite(x).all()):
        bad = int((~torch.isfinite(x)).sum())
        raise ValueError(f"{name} must contain only finite values; got {bad} NaN or infinite entries")
    return x


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` if it is a positive int (bools refused), else raise with what arrived."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return value


def check_same(a: torch.Tensor, b: torch.Tensor, names: tuple[str, str]) -> None:
    """Check that two tensors share dtype and device, naming both when they do not."""
    if a.dtype != b.dtype:
        raise TypeError(f"{names[0]} and {names[1]} must share a dtype; got {a.dtype} and {b.dtype}")
    if a.device != b.device:
        raise ValueError(f"{names[0]} and {names[1]} must be on one device; got {a.device} and {b.device}")
