"""Finding the units of a trained LSTM language model that carry a feature of the text.

From weakest evidence to strongest (the strongest, changing a unit inside the running model, is
:mod:`helpers.interventions`):

* **correlation**: how well one unit's value follows a binary label (``unit_correlations``), and how
  accurately one unit alone, cut at one threshold, predicts it (``single_unit_accuracy``);
* **linear probe**: a logistic regression from all units to the label (``fit_linear_probe``); it says
  the information is *there*, not that the model *uses* it.

:func:`find_units` runs them on the cell states of notebook 04's language model for the subject's gender
and number. States are rows ``X`` (positions, n_h), labels ``y`` (positions,) of 0/1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from helpers.corpus import ROLES, Text, Vocab, encode_texts, word_roles
from helpers.gates import trace
from helpers.language_model import WordLM, check_word_lm
from helpers.validate import (
    InputTypeError,
    check_instance,
    check_items,
    check_number,
    check_positive_int,
    check_tensor,
    describe,
)


def positions(
    states: torch.Tensor, labels: torch.Tensor, keep: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Flatten word positions into probe rows.

    states: (batch, time, n_h); labels: (batch, time) of 0/1, or -1 where there is no label; keep:
    (batch, time) bool, to choose positions further. Returns X (positions, n_h) and y (positions,).
    """
    check_tensor(states, "states", ("batch", "time", "units"))
    batch, steps, _ = states.shape
    check_tensor(labels, "labels", ("batch", "time"), {"batch": batch, "time": steps}, floating=False)
    _integers(labels, "labels")
    mask = labels.to(states.device) >= 0
    if keep is not None:
        check_tensor(keep, "keep", ("batch", "time"), {"batch": batch, "time": steps}, floating=False,
                     dtype=torch.bool)
        mask = mask & keep.to(states.device)
    return states[mask], labels.to(states.device)[mask].long()


def _integers(t: torch.Tensor, name: str) -> torch.Tensor:
    if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
        raise InputTypeError(f"{name} must hold integer labels (torch.int64); got {describe(t)}")
    return t


def _check_rows(X: object, y: object, names: tuple[str, str] = ("X", "y"), units: int | None = None) -> None:
    check_tensor(X, names[0], ("positions", "units"), None if units is None else {"units": units})
    _integers(check_tensor(y, names[1], ("positions",), {"positions": X.shape[0]}, floating=False), names[1])
    values = set(torch.unique(y).tolist())
    if not values <= {0, 1}:
        raise ValueError(f"{names[1]} must hold labels 0 and 1; got values {sorted(values)}")


def unit_correlations(X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Pearson correlation of each unit with the 0/1 label: X (positions, n_h), y (positions,) -> (n_h,).

    A unit that never changes gets 0.
    """
    _check_rows(X, y)
    Xc = X - X.mean(0)
    yc = y.to(X.dtype) - y.to(X.dtype).mean()
    denominator = Xc.norm(dim=0) * yc.norm()
    return torch.where(denominator > 0, (Xc * yc[:, None]).sum(0) / denominator.clamp_min(1e-12), 0.0)


@dataclass
class UnitThresholds:
    """One threshold per unit, fitted on training rows: unit u predicts label 1 when
    sign[u] * (x[u] - threshold[u]) > 0."""

    threshold: torch.Tensor
    sign: torch.Tensor

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        """X (positions, n_h) -> each unit's prediction (positions, n_h) of 0/1."""
        check_tensor(X, "X", ("positions", "units"), {"units": self.threshold.shape[0]})
        return (self.sign * (X - self.threshold) > 0).long()


def fit_unit_thresholds(X: torch.Tensor, y: torch.Tensor) -> UnitThresholds:
    """Cut each unit halfway between its mean on label-0 rows and its mean on label-1 rows."""
    _check_rows(X, y)
    if len(set(y.tolist())) < 2:
        raise ValueError("y must hold both labels, 0 and 1, to fit thresholds")
    mean_0, mean_1 = X[y == 0].mean(0), X[y == 1].mean(0)
    return UnitThresholds((mean_0 + mean_1) / 2, torch.where(mean_1 >= mean_0, 1.0, -1.0).to(X))


def single_unit_accuracy(
    X_train: torch.Tensor, y_train: torch.Tensor, X_test: torch.Tensor, y_test: torch.Tensor
) -> torch.Tensor:
    """Accuracy of each unit alone on the test rows, its threshold fitted on the training rows: (n_h,).

    X_train, X_test: (positions, n_h) with one n_h; y_train, y_test: (positions,) integer labels 0/1.
    """
    _check_rows(X_train, y_train, ("X_train", "y_train"))
    _check_rows(X_test, y_test, ("X_test", "y_test"), X_train.shape[1])
    thresholds = fit_unit_thresholds(X_train, y_train)
    return (thresholds.predict(X_test) == y_test[:, None]).to(X_test.dtype).mean(0)


# ---------------------------------------------------------------------------------------------
# Linear probe.


class LinearProbe(nn.Module):
    """Logistic regression on standardised units: p(label = 1 | x) = σ(w · (x - μ) / σ + b).

    mean, std: (n_h,), finite, std > 0 (:func:`fit_linear_probe` computes them).
    """

    def __init__(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        super().__init__()
        check_tensor(mean, "mean", ("units",))
        check_tensor(std, "std", ("units",), {"units": mean.shape[0]})
        if not bool((std > 0).all()):
            raise ValueError(f"std must be positive; got a smallest value of {std.min().item():.3g}")
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.linear = nn.Linear(mean.numel(), 1, dtype=mean.dtype, device=mean.device)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """X (positions, n_h) -> logits (positions,)."""
        check_tensor(X, "X", ("positions", "units"), {"units": self.mean.shape[0]})
        return self.linear((X - self.mean) / self.std).squeeze(-1)

    def accuracy(self, X: torch.Tensor, y: torch.Tensor) -> float:
        """Share of rows X (positions, n_h) whose label y (positions,) of 0/1 the probe predicts."""
        _check_rows(X, y, units=self.mean.shape[0])
        with torch.no_grad():
            return float(((self(X) > 0).long() == y).to(X.dtype).mean())


def fit_linear_probe(
    X: torch.Tensor, y: torch.Tensor, weight_decay: float = 1e-3, steps: int = 30
) -> LinearProbe:
    """Fit a :class:`LinearProbe` to rows X (positions, n_h) and labels y (positions,).

    Minimises the mean logistic loss + ``weight_decay`` * |w|^2 by Newton's method (each step solves
    the loss's quadratic approximation exactly; halved while it does not lower the loss). No random
    start, no learning rate: the same rows give the same probe. weight_decay: a positive finite number;
    steps: a positive int.
    """
    _check_rows(X, y)
    check_positive_int(steps, "steps")
    if not check_number(weight_decay, "weight_decay") > 0:
        raise ValueError(f"weight_decay must be positive (it keeps separable data finite); got {weight_decay!r}")
    X = X.detach()
    probe = LinearProbe(X.mean(0), X.std(0).clamp_min(1e-6))
    Z = torch.cat([(X - probe.mean) / probe.std, X.new_ones(len(X), 1)], dim=1)  # bias as a last column
    target = y.to(X.dtype)
    penalty = torch.full((Z.shape[1],), 2 * weight_decay, dtype=X.dtype, device=X.device)
    penalty[-1] = 0.0  # the bias is not penalised

    def loss(w: torch.Tensor) -> torch.Tensor:
        logits = Z @ w
        data = nn.functional.binary_cross_entropy_with_logits(logits, target)
        return data + weight_decay * w[:-1].pow(2).sum()

    w = X.new_zeros(Z.shape[1])
    for _ in range(steps):
        p = torch.sigmoid(Z @ w)
        gradient = Z.T @ (p - target) / len(Z) + penalty * w
        hessian = (Z.T * (p * (1 - p))) @ Z / len(Z) + torch.diag(penalty + 1e-9)
        step = torch.linalg.solve(hessian, gradient)
        current, scale = loss(w), 1.0
        while scale > 1e-4 and loss(w - scale * step) > current:
            scale /= 2
        w = w - scale * step
        if float(gradient.abs().max()) < 1e-7:
            break
    with torch.no_grad():
        probe.linear.weight.copy_(w[:-1].unsqueeze(0))
        probe.linear.bias.copy_(w[-1:])
    return probe


# ---------------------------------------------------------------------------------------------
# The units of notebook 04's language model.

FEATURES = ("gender", "number")


def label_grid(texts: Sequence[Text], feature: str) -> torch.Tensor:
    """Per word, the current subject's ``feature`` (0/1), -1 where there is none or the text has ended:
    (batch, time). For "gender" only singular subjects count: a plural's gender decides no word."""
    check_items(texts, "texts", Text)
    if feature not in FEATURES:
        raise ValueError(f"feature must be one of {FEATURES}; got {feature!r}")
    steps = max(len(t) for t in texts)
    grid = torch.full((len(texts), steps), -1, dtype=torch.long)
    for row, text in enumerate(texts):
        for pos, (gender, number) in enumerate(zip(text.gender, text.number, strict=True)):
            if feature == "number":
                grid[row, pos] = number
            elif number == 0:
                grid[row, pos] = gender
    return grid


@dataclass
class UnitReport:
    """Where ``feature`` lives in the cell state: per-unit correlation r and single-unit accuracy
    (n_h,), the best unit, and linear-probe accuracies on all of C_t and all of h_t (held-out texts)."""

    feature: str
    r: torch.Tensor
    single_accuracy: torch.Tensor
    unit: int
    probe_C: float
    probe_h: float


def find_units(
    model: WordLM, train: Sequence[Text], test: Sequence[Text], vocab: Vocab, features: Sequence[str] = FEATURES
) -> dict[str, UnitReport]:
    """For each feature, correlate every cell-state unit with it on ``train`` texts and score it on
    ``test`` texts; return a :class:`UnitReport` per feature.

    A feature's best unit is the one whose threshold, fitted on ``train``, is most accurate on ``test``,
    among the units not already chosen for an earlier feature (so gender and number get two units).
    model: a :class:`WordLM` with an LSTM; train, test: sequences of :class:`~helpers.corpus.Text`; features:
    names from ("gender", "number").
    """
    check_word_lm(model, lstm=True)
    check_items(train, "train", Text), check_items(test, "test", Text)
    check_instance(vocab, "vocab", Vocab, "a Vocab")
    for k, feature in enumerate(check_items(features, "features", str, unique=True)):
        if feature not in FEATURES:
            raise ValueError(f"features[{k}] must be one of {FEATURES}; got {feature!r}")
    states = {}
    for name, texts in (("train", train), ("test", test)):
        with torch.no_grad():
            states[name] = trace(model.rnn, model.inputs(encode_texts(texts, vocab)))
    reports: dict[str, UnitReport] = {}
    for feature in features:
        rows = {}
        for name, texts in (("train", train), ("test", test)):
            labels = label_grid(texts, feature)
            rows[name] = (*positions(states[name].C_t, labels), positions(states[name].h_t, labels)[0])
        (C_train, y_train, h_train), (C_test, y_test, h_test) = rows["train"], rows["test"]
        r = unit_correlations(C_train, y_train)
        accuracy = single_unit_accuracy(C_train, y_train, C_test, y_test)
        probe_C = fit_linear_probe(C_train, y_train).accuracy(C_test, y_test)
        probe_h = fit_linear_probe(h_train, y_train).accuracy(h_test, y_test)
        taken = {report.unit for report in reports.values()}
        best = next(u for u in accuracy.argsort(descending=True).tolist() if u not in taken)
        reports[feature] = UnitReport(feature, r, accuracy, best, probe_C, probe_h)
    return reports


def mean_by_role(values: torch.Tensor, texts: Sequence[Text]) -> dict[str, float]:
    """Mean of ``values`` (batch, time) over the words of each role of :func:`helpers.corpus.word_roles`.

    texts: one :class:`~helpers.corpus.Text` per row of ``values``, none longer than its time axis.
    """
    check_tensor(values, "values", ("batch", "time"), {"batch": len(check_items(texts, "texts", Text))})
    if values.shape[1] < max(len(t) for t in texts):
        raise ValueError(f"values must cover every word: time >= {max(len(t) for t in texts)}; got {describe(values)}")
    sums = dict.fromkeys(ROLES, 0.0)
    counts = dict.fromkeys(ROLES, 0)
    for row, text in enumerate(texts):
        for pos, role in enumerate(word_roles(text)):
            sums[role] += float(values[row, pos])
            counts[role] += 1
    return {role: sums[role] / counts[role] for role in ROLES if counts[role]}
