"""The shared input checks name what was expected and what arrived."""

import pytest
import torch

from helpers.validate import check_positive_int, check_same, check_tensor


def test_a_good_tensor_is_returned_unchanged():
    x = torch.randn(2, 3, 4)
    assert check_tensor(x, "x", ("batch", "time", "features"), {"features": 4}) is x


@pytest.mark.parametrize(
    ("x", "kwargs", "error", "match"),
    [
        ("text", {}, TypeError, r"x must be a torch.Tensor of shape \(batch, time\); got a str"),
        (torch.zeros(2, 3, dtype=torch.int32), {}, TypeError, "floating-point .* got a torch.int32 tensor"),
        (torch.zeros(2, 3), {"dtype": torch.float64}, TypeError, "must have dtype torch.float64"),
        (torch.zeros(2, 3, 1), {}, ValueError, r"must have 2 dimensions \(batch, time\)"),
        (torch.zeros(2, 0), {}, ValueError, "must not be empty"),
        (torch.tensor([[1.0, float("inf")]]), {}, ValueError, "1 NaN or infinite entries"),
    ],
)
def test_bad_tensors_are_described(x, kwargs, error, match):
    with pytest.raises(error, match=match):
        check_tensor(x, "x", ("batch", "time"), **kwargs)


def test_optional_relaxations():
    check_tensor(torch.zeros(2, 0), "x", ("batch", "time"), allow_empty=True)
    check_tensor(torch.tensor([[float("nan")]]), "x", ("batch", "time"), allow_nan=True)
    check_tensor(torch.zeros(2, 3, dtype=torch.long), "y", ("batch", "time"), floating=False)


def test_positive_int_and_same():
    assert check_positive_int(3, "n") == 3
    with pytest.raises(ValueError, match="n must be a positive integer; got 0"):
        check_positive_int(0, "n")
    with pytest.raises(TypeError, match="a and b must share a dtype"):
        check_same(torch.zeros(1), torch.zeros(1, dtype=torch.float64), ("a", "b"))
