"""How we decide that two implementations agree: the largest difference, on the reference's scale."""

from __future__ import annotations

import torch

from helpers.validate import check_same


def max_error(ours: torch.Tensor, reference: torch.Tensor) -> float:
    """max |ours - reference| / max(1, max |reference|), for tensors of one shape.

    Values of size at most 1 (hidden states) are compared absolutely; large ones (gradients summed
    over a batch and many steps) relative to their largest entry, since float32 keeps about seven
    significant digits of any number, however large.
    """
    if ours.shape != reference.shape:
        raise ValueError(f"shapes differ: ours {tuple(ours.shape)}, reference {tuple(reference.shape)}")
    check_same(ours, reference, ("ours", "reference"))
    scale = max(1.0, reference.abs().max().item()) if reference.numel() else 1.0
    return (ours - reference).abs().max().item() / scale if ours.numel() else 0.0
