"""Reading a student's answer, whatever its numeric type, and comparing it at a stated tolerance.

Accepted as numbers: Python ``int`` and ``float`` (and fractions), NumPy scalars and arrays, torch
tensors of any real dtype on any device (with or without ``requires_grad``), and lists or tuples of
these. Refused, with the reason in words: text (even text that holds a number), ``True``/``False``,
complex numbers, NaN and infinity, a tensor on the meta device, and anything else that is not numbers.
Every reader returns plain Python numbers or a float64 tensor on the CPU, so the comparisons that follow
never depend on the dtype or device the student used.
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import Any

import numpy as np
import torch

from helpers.exercises.grading import ExerciseError, NotAttempted, describe, is_placeholder, placeholder_text


def _refuse_text(value: str | bytes, what: str) -> None:
    text = value.decode(errors="replace") if isinstance(value, bytes) else value
    shown = text if len(text) <= 24 else text[:23] + "…"
    try:
        float(text.strip())
    except ValueError:
        raise ExerciseError(f"{what} must be a number, not the text {shown!r}") from None
    raise ExerciseError(f"write the number itself, not the text {shown!r}: {what} is a number, without quotes")


def _from_numpy(value: np.ndarray | np.generic, what: str) -> torch.Tensor:
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind == "b":
        raise ExerciseError(f"{what} must be numbers, not True/False values")
    if kind == "c":
        raise ExerciseError(f"{what} must be real numbers, not complex ones")
    if kind in "fiu":
        return torch.from_numpy(np.array(array, dtype=np.float64))
    if kind == "O":
        return _to_tensor(array.tolist(), what)
    if kind in "US":
        raise ExerciseError(f"{what} must be numbers, not text")
    raise ExerciseError(f"{what} must be numbers; this is {describe(value)}")


def _from_torch(value: torch.Tensor, what: str) -> torch.Tensor:
    if value.is_complex():
        raise ExerciseError(f"{what} must be real numbers, not complex ones")
    if value.dtype == torch.bool:
        raise ExerciseError(f"{what} must be numbers, not True/False values (a comparison gives those)")
    if value.device.type == "meta":
        raise ExerciseError(f"{what} is a tensor on the meta device, which holds no values")
    try:
        tensor = value.detach()
        if tensor.layout != torch.strided:
            tensor = tensor.to_dense()
        return tensor.to(device="cpu", dtype=torch.float64)
    except Exception:  # noqa: BLE001 - a tensor kind whose values cannot be read as floats
        raise ExerciseError(f"the values of {what} could not be read ({describe(value)})") from None


def _to_tensor(value: Any, what: str) -> torch.Tensor:
    """Any answer that is numbers, as a float64 CPU tensor; :class:`ExerciseError` otherwise."""
    if is_placeholder(value):
        raise NotAttempted(f"{what} is still {placeholder_text(value)}")
    if isinstance(value, bool | np.bool_):
        raise ExerciseError(f"{what} must be a number; {value} is a truth value, not a number")
    if isinstance(value, str | bytes):
        _refuse_text(value, what)
    if isinstance(value, torch.Tensor):
        return _from_torch(value, what)
    if isinstance(value, np.ndarray | np.generic):
        return _from_numpy(value, what)
    if isinstance(value, numbers.Real):
        try:
            return torch.tensor(float(value), dtype=torch.float64)
        except (OverflowError, ValueError, TypeError):
            raise ExerciseError(f"{what} is too large to be read as a number") from None
    if isinstance(value, numbers.Complex):
        raise ExerciseError(f"{what} must be a real number, not a complex one")
    if isinstance(value, numbers.Number):  # a decimal.Decimal, say: a number that is not a Real
        try:
            return torch.tensor(float(value), dtype=torch.float64)  # type: ignore[arg-type]
        except (OverflowError, ValueError, TypeError):
            raise ExerciseError(f"{what} could not be read as a number ({describe(value)})") from None
    if isinstance(value, list | tuple):
        try:  # fast for long lists of plain numbers; anything else is read item by item below
            array = np.asarray(value)
        except Exception:  # noqa: BLE001 - ragged rows, tensors on a GPU, objects that refuse
            array = None
        if array is not None and array.dtype.kind in "fiu":
            return torch.from_numpy(np.array(array, dtype=np.float64))
        parts = [_to_tensor(v, what) for v in value]
        if len({p.shape for p in parts}) > 1:
            raise ExerciseError(f"{what}: its rows have different lengths, so they do not form a table of numbers")
        return torch.stack(parts) if parts else torch.zeros(0, dtype=torch.float64)
    if hasattr(value, "__array__"):
        try:
            return _from_numpy(np.asarray(value), what)
        except ExerciseError:
            raise
        except Exception:  # noqa: BLE001 - an object that only claims to be an array
            pass
    raise ExerciseError(f"{what} must be numbers (a tensor, an array or a number); this is {describe(value)}")


def _require_finite(values: torch.Tensor, what: str) -> None:
    nan, inf = int(torch.isnan(values).sum()), int(torch.isinf(values).sum())
    if not nan and not inf:
        return
    n, bad = values.numel(), nan or inf
    kind = "NaN (not a number)" if nan else "infinite"
    head = f"{what} is {kind}" if n == 1 else f"{what} has {bad} {kind} value{'s' if bad > 1 else ''} of {n}"
    cause = "0/0, the log of a negative number or torch.empty" if nan else "a division by 0 or an overflow"
    raise ExerciseError(f"{head}; such values come from {cause}")


def as_number(value: Any, what: str) -> float:
    """One real, finite number, from any accepted numeric type (a one-element tensor or array too).

    Raises :class:`NotAttempted` for a placeholder and :class:`ExerciseError` saying why otherwise.
    """
    if is_placeholder(value):
        raise NotAttempted(f"{what} is still {placeholder_text(value)}")
    if isinstance(value, list | tuple | set | dict):
        raise ExerciseError(f"{what} must be one number; this is {describe(value)}")
    if not isinstance(value, numbers.Number | torch.Tensor | np.ndarray | np.generic | str | bytes):
        raise ExerciseError(f"{what} must be a number; this is {describe(value)}")
    values = _to_tensor(value, what)
    if values.numel() != 1:
        raise ExerciseError(f"{what} must be one number; this is {describe(value)}")
    _require_finite(values, what)
    return float(values.reshape(()))


def as_count(value: Any, what: str) -> int:
    """A whole number (a count, a number of steps, an index) from any accepted numeric type.

    ``4``, ``4.0``, ``numpy.int64(4)`` and ``torch.tensor(4)`` are all 4; ``4.5`` is refused.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = as_number(value, what)
    if not number.is_integer():
        raise ExerciseError(f"{what} is a whole number; this is {number:.6g}")
    return int(number)


def shape_text(shape: tuple[int, ...]) -> str:
    """``(3, 4)``, ``(3,)``, ``()``: a shape as Python writes a tuple."""
    return str(tuple(shape))


def shape_of(answer: Any, values: torch.Tensor) -> str:
    """What the student returned, with its shape: "a tensor of shape (5, 3)", "a list of 3 items, shape (3, 5)"."""
    if isinstance(answer, torch.Tensor | np.ndarray):
        return describe(answer)
    if values.dim() == 0:
        return "one number"
    return f"{describe(answer)}, shape {shape_text(tuple(values.shape))}"


def require_shape(
    answer: Any, values: torch.Tensor, shape: tuple[int, ...], what: str, dims: str = "", hint: str = ""
) -> None:
    """Raise :class:`ExerciseError` unless ``values`` (read from ``answer``) has ``shape``.

    The message: "h_t should have shape (batch, n_h) = (3, 5); this is a tensor of shape (5, 3)",
    followed by ``hint`` (give its leading punctuation: ". Hint: ..." or " (...)").
    """
    if tuple(values.shape) != tuple(shape):
        named = f"{dims} = {shape_text(shape)}" if dims else shape_text(shape)
        raise ExerciseError(f"{what} should have shape {named}; this is {shape_of(answer, values)}{hint}")


def as_values(
    value: Any, what: str, shape: tuple[int, ...] | None = None, dims: str = "", hint: str = ""
) -> torch.Tensor:
    """The answer as a float64 CPU tensor of ``shape`` (if given) with finite values.

    ``dims`` names the dimensions for the message, e.g. ``"(batch, n_h)"``: a wrong shape is refused
    by :func:`require_shape` with ``hint`` appended.
    """
    values = _to_tensor(value, what)
    if shape is not None:
        require_shape(value, values, shape, what, dims, hint)
    _require_finite(values, what)
    return values


def as_indices(value: Any, what: str, shape: tuple[int, ...], dims: str = "") -> torch.Tensor:
    """Whole numbers (positions, classes) of ``shape`` as a long tensor; floats like 3.0 are accepted."""
    values = as_values(value, what, shape, dims)
    if not torch.equal(values, values.round()):
        raise ExerciseError(f"{what} should be whole numbers (positions or classes), not fractions")
    return values.long()


def as_pair(value: Any, what: str) -> tuple[Any, Any]:
    """The two parts of a pair: a tuple or list of two, or a tensor or array of two entries."""
    if is_placeholder(value):
        raise NotAttempted(f"{what} is still {placeholder_text(value)}")
    if isinstance(value, tuple | list) and len(value) == 2:
        return value[0], value[1]
    if isinstance(value, torch.Tensor | np.ndarray) and value.ndim >= 1 and value.shape[0] == 2:
        return value[0], value[1]
    raise ExerciseError(f"return a pair {what}, two values separated by a comma; this is {describe(value)}")


def precision(answer: Any) -> tuple[float, float]:
    """(machine epsilon, smallest normal number) of the coarsest float type in ``answer``; (0, 0) if exact."""
    if isinstance(answer, torch.Tensor):
        if not answer.is_floating_point():
            return 0.0, 0.0
        info = torch.finfo(answer.dtype)
        return info.eps, info.tiny
    if isinstance(answer, np.ndarray | np.generic):
        if answer.dtype.kind != "f":
            return 0.0, 0.0
        info = np.finfo(answer.dtype)
        return float(info.eps), float(info.tiny)
    if isinstance(answer, float):
        return sys.float_info.epsilon, sys.float_info.min
    if isinstance(answer, list | tuple):
        found = [precision(a) for a in answer[:64]]
        return max((f[0] for f in found), default=0.0), max((f[1] for f in found), default=0.0)
    return 0.0, 0.0


def tolerance_for(answer: Any, rtol: float, atol: float) -> tuple[float, float]:
    """A checker's (rtol, atol), widened to what the answer's own float type can hold, if that is coarser.

    rtol is at least 4 epsilons of the type and atol at least its smallest normal number: float32 and
    float64 answers keep the stated tolerance; a float16 answer is compared at rtol about 4e-3 (and
    atol 6e-5), a bfloat16 one at rtol about 3e-2.
    """
    eps, tiny = precision(answer)
    return max(rtol, 4 * eps), max(atol, tiny)


def close(got: torch.Tensor | float, want: torch.Tensor | float, *, rtol: float, atol: float) -> bool:
    """True when every |got - want| <= atol + rtol * |want| (shapes must match; NaN is never close)."""
    if isinstance(got, torch.Tensor) or isinstance(want, torch.Tensor):
        got_t = torch.as_tensor(got, dtype=torch.float64)
        want_t = torch.as_tensor(want, dtype=torch.float64)
        return got_t.shape == want_t.shape and bool(torch.allclose(got_t, want_t, rtol=rtol, atol=atol))
    return math.isfinite(got) and abs(got - want) <= atol + rtol * abs(want)
