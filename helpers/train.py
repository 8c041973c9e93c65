"""One training loop for every notebook: minibatches, any optimizer, a progress bar, a loss history.

The loss is a function ``loss_fn(model, *batch) -> scalar tensor``, so the same loop trains with
teacher forcing, in closed loop, or on a classification loss: only the function changes. The batches
come from fixed data (minibatches drawn in a seeded shuffle) or from a function that makes a fresh
batch at every step (the toy tasks of :mod:`helpers.tasks`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from torch import nn
from tqdm.auto import tqdm

from helpers.validate import (
    InputTypeError,
    check_callable,
    check_choice,
    check_flag,
    check_instance,
    check_module,
    check_positive,
    check_positive_int,
    check_seed,
    check_tensor,
    check_text,
    describe,
)

LossFn = Callable[..., torch.Tensor]
Data = torch.Tensor | Sequence[torch.Tensor] | Callable[[], torch.Tensor | Sequence[torch.Tensor]]


def _as_tensors(data: torch.Tensor | Sequence[torch.Tensor], name: str = "data") -> tuple[torch.Tensor, ...]:
    if not isinstance(data, torch.Tensor | Sequence) or isinstance(data, str):
        or_function = ", or a function that returns them" if name == "data" else ""
        raise InputTypeError(f"{name} must be a tensor or a sequence of tensors{or_function}; got {describe(data)}")
    tensors = (data,) if isinstance(data, torch.Tensor) else tuple(data)
    if not tensors:
        raise ValueError(f"{name} must be a tensor or a non-empty sequence of tensors sharing their first axis")
    for k, t in enumerate(tensors):
        dims = (
            ("n",) + tuple(f"axis{i}" for i in range(1, t.dim())) if isinstance(t, torch.Tensor) else ("n",)
        )
        check_tensor(t, f"{name}[{k}]", dims, floating=False)
    n = tensors[0].shape[0]
    if any(t.shape[0] != n for t in tensors):
        raise ValueError(
            f"{name} tensors must share their first axis; got sizes {[t.shape[0] for t in tensors]}"
        )
    return tensors


def fit(
    model: nn.Module,
    loss_fn: LossFn,
    data: Data,
    *,
    steps: int,
    batch_size: int | None = None,
    lr: float = 1e-2,
    optimizer: torch.optim.Optimizer | None = None,
    schedule: str = "constant",
    clip: float | None = None,
    seed: int = 0,
    callback: Callable[[int, nn.Module, float], None] | None = None,
    progress: bool = True,
    desc: str = "training",
) -> list[float]:
    """Take ``steps`` optimizer steps on minibatches of ``data``; return the loss of each step.

    data: a tensor (n, ...) or tensors sharing their first axis n; each step draws ``batch_size``
    rows (all n when None), shuffled once per pass with a generator seeded by ``seed``, and calls
    ``loss_fn(model, *rows)``. Or a function ``data()`` that returns a fresh batch (a tensor or
    tensors) at every step; ``batch_size`` and ``seed`` then do not apply. Batches move to the device
    of the model's first parameter.
    optimizer: Adam(lr) when None; closure-based optimizers such as L-BFGS work too.
    schedule: "constant", or "cosine" to decay the learning rate to 0 over the steps.
    clip: when set, the gradient norm is clipped to it before each step.
    callback(step, model, loss) runs after each step (step counts from 1), e.g. to keep snapshots.
    The loop stops early at the first loss that is not finite (NaN or inf), which is the last
    entry of the returned history: check ``math.isfinite(history[-1])``.
    model: an ``nn.Module`` with trainable parameters; loss_fn must return a scalar tensor that depends on
    them; steps, batch_size: positive ints; lr, clip: positive finite numbers; seed: an int >= 0.
    """
    check_module(model, "model")
    check_callable(loss_fn, "loss_fn", "a function loss_fn(model, *batch) -> scalar tensor")
    check_positive_int(steps, "steps")
    check_positive(lr, "lr")
    if optimizer is not None:
        check_instance(optimizer, "optimizer", torch.optim.Optimizer, "a torch.optim.Optimizer or None")
    check_choice(schedule, "schedule", ("constant", "cosine"))
    if clip is not None:
        check_positive(clip, "clip")  # a negative clip would flip every gradient
    check_seed(seed)
    if callback is not None:
        check_callable(callback, "callback", "a function callback(step, model, loss) or None")
    check_flag(progress, "progress")
    check_text(desc, "desc")
    stream = data if callable(data) else None
    tensors = () if stream is not None else _as_tensors(data)
    n = tensors[0].shape[0] if tensors else 0
    if batch_size is not None:
        if stream is not None:
            raise ValueError("batch_size is for data given as tensors; a data() function makes its own batches")
        check_positive_int(batch_size, "batch_size")
    size = n if batch_size is None else min(batch_size, n)
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("model has no trainable parameters")
    device = params[0].device
    tensors = tuple(t.to(device) for t in tensors)
    if optimizer is None:
        optimizer = torch.optim.Adam(params, lr=lr)
    scheduler = None
    if schedule == "cosine":
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda k: 0.5 * (1 + math.cos(math.pi * min(k, steps) / steps))
        )
    gen = torch.Generator().manual_seed(seed)
    order, cursor = torch.randperm(n, generator=gen), 0
    history: list[float] = []
    model.train()
    bar = tqdm(range(1, steps + 1), desc=desc, disable=not progress, mininterval=0.5)
    for step in bar:
        if stream is not None:
            batch = tuple(t.to(device) for t in _as_tensors(stream(), "data()"))
        else:
            if cursor + size > n:
                order, cursor = torch.randperm(n, generator=gen), 0
            rows = order[cursor : cursor + size].to(device)
            cursor += size
            batch = tuple(t[rows] for t in tensors)

        def closure(batch: tuple[torch.Tensor, ...] = batch) -> torch.Tensor:
            optimizer.zero_grad()
            loss = loss_fn(model, *batch)
            if not isinstance(loss, torch.Tensor) or loss.numel() != 1 or not loss.requires_grad:
                error = ValueError if isinstance(loss, torch.Tensor) else InputTypeError
                why = "" if error is InputTypeError or loss.requires_grad else " that does not require grad"
                raise error(
                    "loss_fn must return a scalar tensor that depends on the model's parameters (e.g. a mean); "
                    f"got {describe(loss)}{why}"
                )
            loss.backward()
            if clip is not None:
                nn.utils.clip_grad_norm_(params, clip)
            return loss

        loss = optimizer.step(closure)
        loss = float(loss.detach() if isinstance(loss, torch.Tensor) else loss)
        history.append(loss)
        if scheduler is not None:
            scheduler.step()
        if step % 10 == 0 or step == steps:
            bar.set_postfix(loss=f"{loss:.3g}", refresh=False)
        if callback is not None:
            callback(step, model, loss)
        if not math.isfinite(loss):
            break
    bar.close()
    return history
