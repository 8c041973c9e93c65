"""Input checks shared by every helper: each error names the argument, what was expected and what arrived.

The rules every public function of ``helpers`` follows, so that bad input gives a clear error and never a
silent wrong answer:

* A public function checks its own arguments when it starts, under the names its caller used; the
  functions it calls on already checked values trust it.
* A wrong type raises :class:`InputTypeError` (a ``TypeError`` that is also a ``ValueError``): a bool, a
  str or None where a number is expected, a plain function where a model is expected, a list where a
  tensor is expected, an integer tensor where a floating-point one is needed (refused, never converted:
  ``x.float()`` says what is meant). A value of the right type that is not allowed raises ``ValueError``:
  a wrong shape, sizes that disagree, NaN or infinity (in tensors and numbers alike), an empty series, an
  impossible size or value. An index out of range raises :class:`InputIndexError` (also a ``ValueError``).
* Dtypes: a module's ``forward``, and every function that hands a model the tensor you give it
  (``forecast``, ``run_free``, the losses), needs it in the model's dtype and refuses another one with a
  ``TypeError`` naming both. Functions that build the model's input themselves from data at rest (a whole
  series, texts) or measure a model from outside (``trace``) convert it to the model's device and dtype.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Collection, Mapping, Sequence

import torch
from torch import nn

FLOAT_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


class InputTypeError(TypeError, ValueError):
    """An argument of the wrong type. A ``TypeError``, and a ``ValueError`` for code that catches that."""


class InputIndexError(IndexError, ValueError):
    """An index out of range. An ``IndexError``, and a ``ValueError`` for code that catches that."""


def describe(x: object) -> str:
    """What arrived, in a few words: ``a torch.int64 tensor of shape (2, 3)``, ``nan``, ``None``, ``a list``."""
    if isinstance(x, torch.Tensor):
        return f"a {x.dtype} tensor of shape {tuple(x.shape)}"
    if x is None or isinstance(x, bool | int | float | torch.dtype):
        return repr(x)
    if isinstance(x, numbers.Number):
        return f"{x} (a {type(x).__name__})"
    if isinstance(x, str):
        return f"a str {x[:40]!r}"
    if isinstance(x, list | tuple | dict | set):
        return f"a {type(x).__name__} of length {len(x)}"
    if callable(x) and not isinstance(x, nn.Module | type) and hasattr(x, "__name__"):
        return f"a {type(x).__name__} {x.__name__}"
    module = type(x).__module__
    where = "" if module == "builtins" else f" (from {module.split('.')[0]}.{module.split('.')[-1]})"
    return f"a {type(x).__name__}{where}"


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
    them, for example ``{"features": 3}``. Raises :class:`InputTypeError` for a wrong type or dtype and
    ``ValueError`` for a wrong shape, an empty tensor or NaN/inf values.
    """
    sizes = dict(sizes or {})
    layout = "(" + ", ".join(f"{d}={sizes[d]}" if d in sizes else d for d in dims) + ")"
    if not isinstance(x, torch.Tensor):
        raise InputTypeError(f"{name} must be a torch.Tensor of shape {layout}; got {describe(x)}")
    if dtype is not None and x.dtype != dtype:
        raise InputTypeError(f"{name} must have dtype {dtype}; got {describe(x)}")
    if floating and x.dtype not in FLOAT_DTYPES:
        raise InputTypeError(
            f"{name} must be a floating-point tensor (for example torch.float32); got {describe(x)}. "
            "Convert it with .float()"
        )
    if x.dim() != len(dims):
        raise ValueError(f"{name} must have {len(dims)} dimensions {layout}; got {describe(x)}")
    for axis, dim in enumerate(dims):
        if dim in sizes and x.shape[axis] != sizes[dim]:
            raise ValueError(
                f"{name} must have shape {layout}: its {dim} axis (dim {axis}) should be {sizes[dim]}; "
                f"got {describe(x)}"
            )
    if not allow_empty and x.numel() == 0:
        raise ValueError(f"{name} must not be empty: expected shape {layout}; got {describe(x)}")
    if not allow_nan and x.is_floating_point() and not bool(torch.isfinite(x).all()):
        bad = int((~torch.isfinite(x)).sum())
        raise ValueError(f"{name} must contain only finite values; got {bad} NaN or infinite entries")
    return x


def check_int(
    value: object, name: str, low: int | None = None, high: int | None = None, *, expected: str | None = None
) -> int:
    """Return ``value`` as an int if it is an integer (bools refused) in [low, high] (None: unbounded).

    ``expected`` replaces the default description ("an integer in [low, high]") in the message.
    """
    bounds = {(True, True): "", (False, True): f" >= {low}", (True, False): f" <= {high}"}
    expected = expected or "an integer" + bounds.get((low is None, high is None), f" in [{low}, {high}]")
    if isinstance(value, bool | torch.Tensor) or not isinstance(value, numbers.Integral):
        raise InputTypeError(f"{name} must be {expected}; got {describe(value)}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {expected}; got {value!r}")
    return int(value)


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` if it is a positive int (bools refused), else raise with what arrived."""
    return check_int(value, name, 1, expected="a positive integer")


def check_seed(value: object, name: str = "seed") -> int:
    """A seed: a whole number, 0 or more."""
    return check_int(value, name, low=0)


def check_number(
    value: object,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    strict: bool = False,
    finite: bool = True,
) -> float:
    """Return ``value`` as a float if it is a real number (a bool, a str or None is not) within bounds.

    low, high: bounds, included unless ``strict``; NaN is always refused, infinity unless ``finite`` is
    False. Python and numpy numbers and one-element tensors are accepted.
    """
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype != torch.bool:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name} must be a real number; got {describe(value)}")
    number = float(value)
    if math.isnan(number) or (finite and math.isinf(number)):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    too_low = low is not None and (number <= low if strict else number < low)
    too_high = high is not None and (number >= high if strict else number > high)
    if too_low or too_high:
        if low is not None and high is not None:
            where = f"{'strictly ' if strict else ''}between {low} and {high}"
        elif low is not None:
            where = "positive" if strict and low == 0 else f"{'greater than' if strict else 'at least'} {low}"
        else:
            where = f"{'less than' if strict else 'at most'} {high}"
        raise ValueError(f"{name} must be {where}; got {value!r}")
    return number


def check_positive(value: object, name: str) -> float:
    """A finite number greater than 0 (a length of time, a scale, a learning rate)."""
    return check_number(value, name, low=0, strict=True)


def check_fraction(value: object, name: str) -> float:
    """A number strictly between 0 and 1."""
    return check_number(value, name, low=0, high=1, strict=True)


def check_flag(value: object, name: str) -> bool:
    """True or False (numpy's bool too); 0, 1 or "yes" are refused."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        raise InputTypeError(f"{name} must be True or False; got {describe(value)}")
    return bool(value)


def check_text(value: object, name: str, *, optional: bool = False) -> str | None:
    """A str (or None when ``optional``)."""
    if (value is None and optional) or isinstance(value, str):
        return value
    raise InputTypeError(f"{name} must be a str{' or None' if optional else ''}; got {describe(value)}")


def check_choice(value: object, name: str, choices: Collection[object]) -> object:
    """One of ``choices``."""
    if not any(type(value) is type(c) and value == c for c in choices):
        raise ValueError(f"{name} must be one of {list(choices)}; got {describe(value)}")
    return value


def check_generator(value: object, name: str = "generator") -> torch.Generator:
    """A ``torch.Generator``; None is refused, so no draw falls back on the global random state."""
    if not isinstance(value, torch.Generator):
        raise InputTypeError(
            f"{name} must be a torch.Generator, for example torch.Generator().manual_seed(0); got {describe(value)}"
        )
    return value


def check_dtype(value: object, name: str = "dtype") -> torch.dtype:
    """A floating-point ``torch.dtype`` such as torch.float32."""
    if not isinstance(value, torch.dtype) or value not in FLOAT_DTYPES:
        raise InputTypeError(f"{name} must be a floating-point torch.dtype (torch.float32); got {describe(value)}")
    return value


def check_module(value: object, name: str, what: str = "a model") -> nn.Module:
    """A ``torch.nn.Module``: a plain function or another object is refused."""
    if not isinstance(value, nn.Module):
        raise InputTypeError(f"{name} must be {what} (a torch.nn.Module); got {describe(value)}")
    return value


def check_callable(value: object, name: str, what: str) -> Callable:
    """Something to call, described by ``what`` (for example "a function loss_fn(model, *batch)")."""
    if not callable(value):
        raise InputTypeError(f"{name} must be {what}; got {describe(value)}")
    return value


def check_instance(value: object, name: str, kind: type | tuple[type, ...], what: str) -> object:
    """An instance of ``kind``, described by ``what`` (for example "a Span, such as Span(0, 100)")."""
    if not isinstance(value, kind):
        raise InputTypeError(f"{name} must be {what}; got {describe(value)}")
    return value


def check_items(
    values: object,
    name: str,
    check: Callable[[object, str], object] | type,
    *,
    allow_empty: bool = False,
    unique: bool = False,
    empty: str | None = None,
) -> list:
    """A list, tuple or other sequence (not a str) whose items each pass ``check(item, f"{name}[k]")``.

    ``check`` may also be a class: each item must then be an instance of it. A 1-d tensor or numpy array
    counts as a sequence of its numbers. ``unique``: no item may repeat. ``empty``: the message for an empty sequence
    (default: "{name} must not be empty"). Returns the checked items as a list.
    """
    if isinstance(check, type):
        kind = check
        check = lambda value, item: check_instance(value, item, kind, f"a {kind.__name__}")  # noqa: E731
    if type(values).__name__ == "ndarray" and getattr(values, "ndim", 0) == 1:  # a numpy vector
        values = values.tolist()
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence | range | torch.Tensor):
        raise InputTypeError(f"{name} must be a sequence (a list or tuple); got {describe(values)}")
    if isinstance(values, torch.Tensor):
        values = values.tolist() if values.dim() == 1 else [values]
    if not allow_empty and len(values) == 0:
        raise ValueError(empty or f"{name} must not be empty")
    items = [check(v, f"{name}[{k}]") for k, v in enumerate(values)]
    if unique and len(set(items)) != len(items):
        repeated = sorted({i for i in items if items.count(i) > 1})
        raise ValueError(f"{name} must not repeat; got {repeated} more than once")
    return items


def check_index(value: object, name: str, size: int) -> int:
    """An integer index into ``size`` items, 0 to size - 1 (negative indices are refused)."""
    if isinstance(value, bool | torch.Tensor) or not isinstance(value, numbers.Integral):
        raise InputTypeError(f"{name} must be an integer index in [0, {size - 1}]; got {describe(value)}")
    if not 0 <= value < size:
        raise InputIndexError(f"{name} must be an integer index in [0, {size - 1}]; got {value!r}")
    return int(value)


def check_indices(values: object, name: str, size: int, *, unique: bool = False) -> list[int]:
    """A sequence (or 1-d tensor) of integer indices, each in [0, size - 1]; may be empty."""
    return check_items(values, name, lambda i, item: check_index(i, item, size), allow_empty=True, unique=unique)


def check_same(a: torch.Tensor, b: torch.Tensor, names: tuple[str, str]) -> None:
    """Check that two tensors share dtype and device, naming both when they do not."""
    if a.dtype != b.dtype:
        raise InputTypeError(f"{names[0]} and {names[1]} must share a dtype; got {a.dtype} and {b.dtype}")
    if a.device != b.device:
        raise ValueError(f"{names[0]} and {names[1]} must be on one device; got {a.device} and {b.device}")


def check_model_input(x: torch.Tensor, name: str, model: nn.Module) -> None:
    """``x``, already a checked tensor, as ``model`` reads it: the dtype and device of its first parameter or
    buffer, and on the last axis its ``n_features`` when it has that attribute."""
    ref = next(itertools.chain(model.parameters(), model.buffers()), None)
    if ref is not None:
        check_same(x, ref, (name, "the model's weights"))
    n = getattr(model, "n_features", None)
    if isinstance(n, int) and x.shape[-1] != n:
        raise ValueError(f"{name} must have the model's {n} features on its last axis; got {describe(x)}")


def check_shapes(*specs: tuple[str, object, Sequence[str]]) -> None:
    """Fast check for a step that runs in a loop: shapes, one dtype and one device, no scan for NaN.

    Each spec is (name, tensor, axis names); an axis name used twice must have one size everywhere
    (``("x_t", x_t, ("batch", "n_in")), ("W_xh", W_xh, ("n_h", "n_in"))``). Tensors must be floating-point
    and share the dtype and device of the first.
    """
    bound: dict[str, int] = {}
    first: tuple[str, torch.Tensor] | None = None
    for name, x, dims in specs:
        ok = isinstance(x, torch.Tensor) and x.dim() == len(dims) and x.dtype in FLOAT_DTYPES
        ok = ok and (first is None or (x.dtype == first[1].dtype and x.device == first[1].device))
        if ok:
            ok = all(bound.setdefault(d, n) == n for d, n in zip(dims, x.shape, strict=True))
        if not ok:
            check_tensor(x, name, dims, {d: bound[d] for d in dims if d in bound}, allow_nan=True, allow_empty=True)
            if first is not None:
                check_same(x, first[1], (name, first[0]))
            raise ValueError(f"{name} has sizes that disagree with the other arguments; got {describe(x)}")
        first = first or (name, x)


def check_labels(y: object, name: str, n: int | None = None, n_classes: int | None = None) -> torch.Tensor:
    """Class labels: a 1-d integer tensor (n,) with values in [0, n_classes) (a float tensor is refused)."""
    check_tensor(y, name, ("n",), None if n is None else {"n": n}, floating=False)
    if y.dtype == torch.bool or y.is_floating_point() or y.is_complex():
        raise InputTypeError(f"{name} must hold integer class labels (torch.int64); got {describe(y)}")
    if n_classes is not None and (int(y.min()) < 0 or int(y.max()) >= n_classes):
        raise ValueError(
            f"{name} must hold class labels in [0, {n_classes - 1}]; got values from {int(y.min())} to {int(y.max())}"
        )
    return y
