"""Finding the units that carry a feature, and testing what they do.

Three tools, from weakest evidence to strongest:

* **correlation**: how well one unit's value follows a binary label (``unit_correlations``), and how
  accurately one unit alone, cut at one threshold, predicts it (``single_unit_accuracy``);
* **linear probe**: a logistic regression from all units to the label (``fit_linear_probe``); it says
  the information is *there*, not that the model *uses* it;
* **intervention**: zero a unit, or set it to another value, inside the running model and watch its
  predictions change (``intervene``), against the same number of random units (``random_units``).

States are rows ``X`` (positions, n_h), labels ``y`` (positions,) of 0/1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from matplotlib.axes import Axes
from torch import nn

from helpers.corpus import ROLES, Text, Vocab, encode_texts, word_roles
from helpers.language_model import WordLM, agreement_accuracy, lstm_states
from helpers.validate import check_positive_int, check_tensor


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
    mask = labels.to(states.device) >= 0
    if keep is not None:
        check_tensor(keep, "keep", ("batch", "time"), {"batch": batch, "time": steps}, floating=False,
                     dtype=torch.bool)
        mask = mask & keep.to(states.device)
    return states[mask], labels.to(states.device)[mask].long()


def _check_rows(X: object, y: object, names: tuple[str, str] = ("X", "y")) -> None:
    check_tensor(X, names[0], ("positions", "units"))
    check_tensor(y, names[1], ("positions",), {"positions": X.shape[0]}, floating=False)
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
    """Accuracy of each unit alone on the test rows, its threshold fitted on the training rows: (n_h,)."""
    _check_rows(X_test, y_test, ("X_test", "y_test"))
    thresholds = fit_unit_thresholds(X_train, y_train)
    return (thresholds.predict(X_test) == y_test[:, None]).to(X_test.dtype).mean(0)


def top_units(scores: torch.Tensor, k: int = 1) -> list[int]:
    """The ``k`` units with the largest |score|, best first."""
    check_tensor(scores, "scores", ("units",))
    check_positive_int(k, "k")
    if k > scores.numel():
        raise ValueError(f"k must be at most the number of units, {scores.numel()}; got {k}")
    return scores.abs().argsort(descending=True)[:k].tolist()


def random_units(n_units: int, k: int, exclude: Sequence[int] = (), seed: int = 0) -> list[int]:
    """``k`` different units drawn at random from range(n_units), none of ``exclude``; seeded."""
    check_positive_int(n_units, "n_units")
    check_positive_int(k, "k")
    pool = [u for u in range(n_units) if u not in set(exclude)]
    if k > len(pool):
        raise ValueError(f"cannot draw {k} units from the {len(pool)} left after excluding {list(exclude)}")
    order = torch.randperm(len(pool), generator=torch.Generator().manual_seed(seed))
    return [pool[int(j)] for j in order[:k]]


# ---------------------------------------------------------------------------------------------
# Linear probe.


class LinearProbe(nn.Module):
    """Logistic regression on standardised units: p(label = 1 | x) = σ(w · (x - μ) / σ + b)."""

    def __init__(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.linear = nn.Linear(mean.numel(), 1, dtype=mean.dtype, device=mean.device)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """X (positions, n_h) -> logits (positions,)."""
        return self.linear((X - self.mean) / self.std).squeeze(-1)

    def accuracy(self, X: torch.Tensor, y: torch.Tensor) -> float:
        _check_rows(X, y)
        with torch.no_grad():
            return float(((self(X) > 0).long() == y).to(X.dtype).mean())


def fit_linear_probe(
    X: torch.Tensor, y: torch.Tensor, weight_decay: float = 1e-3, steps: int = 30
) -> LinearProbe:
    """Fit a :class:`LinearProbe` to rows X (positions, n_h) and labels y (positions,).

    Minimises the mean logistic loss + ``weight_decay`` * |w|^2 by Newton's method (each step solves
    the loss's quadratic approximation exactly; halved while it does not lower the loss). No random
    start, no learning rate: the same rows give the same probe.
    """
    _check_rows(X, y)
    check_positive_int(steps, "steps")
    if not weight_decay > 0:
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
# Interventions inside the running LSTM.


def intervene(
    model: WordLM,
    texts: Sequence[Text],
    vocab: Vocab,
    units: Sequence[int],
    values: torch.Tensor | float | None = None,
    when: torch.Tensor | None = None,
) -> dict[str, float]:
    """Agreement accuracy (see :func:`helpers.language_model.agreement_accuracy`) while the cell-state
    ``units`` are held at ``values`` (None = zero) at the steps ``when`` (batch, time; default every step)."""
    tokens = encode_texts(texts, vocab)
    with torch.no_grad():
        _, logits = lstm_states(model, tokens, units, values, when)
    return agreement_accuracy(model, texts, vocab, scores=logits)


def he_she_predictions(
    model: WordLM,
    texts: Sequence[Text],
    vocab: Vocab,
    units: Sequence[int] = (),
    values: torch.Tensor | float | None = None,
    when: torch.Tensor | None = None,
) -> torch.Tensor:
    """At every pronoun of a singular subject: 1 if the model prefers "she" to "he", else 0: (pronouns,).

    Optional intervention as in :func:`intervene`.
    """
    tokens = encode_texts(texts, vocab)
    with torch.no_grad():
        _, logits = lstm_states(model, tokens, units, values, when)
    he, she = vocab.encode(("he", "she"))
    choices = []
    for row, text in enumerate(texts):
        for target in text.targets:
            if target.kind == "pronoun" and target.word != "they":
                scores = logits[row, target.position - 1]
                choices.append(int(scores[she] > scores[he]))
    return torch.tensor(choices, dtype=torch.long)


def flip_values(
    texts: Sequence[Text], unit_means: torch.Tensor, steps: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Values and mask that set each clamped unit to the *other* gender's mean, wherever the current
    subject is singular.

    unit_means: (2, units), the mean value of each unit under a masculine (row 0) and a feminine (row 1)
    subject. Returns values (batch, steps, units) and when (batch, steps) for :func:`intervene`.
    """
    check_tensor(unit_means, "unit_means", ("gender", "units"), {"gender": 2})
    values = unit_means.new_zeros(len(texts), steps, unit_means.shape[1])
    when = torch.zeros(len(texts), steps, dtype=torch.bool)
    for row, text in enumerate(texts):
        for pos, (gender, number) in enumerate(zip(text.gender, text.number, strict=True)):
            if gender >= 0 and number == 0:
                values[row, pos] = unit_means[1 - gender]
                when[row, pos] = True
    return values, when


# ---------------------------------------------------------------------------------------------
# The whole study on a trained language model: find the units, then test them.

FEATURES = ("gender", "number")


def label_grid(texts: Sequence[Text], feature: str) -> torch.Tensor:
    """Per word, the current subject's ``feature`` (0/1), -1 where there is none or the text has ended:
    (batch, time). For "gender" only singular subjects count: a plural's gender decides no word."""
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
    """
    states = {}
    for name, texts in (("train", train), ("test", test)):
        with torch.no_grad():
            states[name], _ = lstm_states(model, encode_texts(texts, vocab))
    reports: dict[str, UnitReport] = {}
    for feature in features:
        rows = {}
        for name, texts in (("train", train), ("test", test)):
            labels = label_grid(texts, feature)
            rows[name] = (*positions(states[name].C, labels), positions(states[name].h, labels)[0])
        (C_train, y_train, h_train), (C_test, y_test, h_test) = rows["train"], rows["test"]
        r = unit_correlations(C_train, y_train)
        accuracy = single_unit_accuracy(C_train, y_train, C_test, y_test)
        probe_C = fit_linear_probe(C_train, y_train).accuracy(C_test, y_test)
        probe_h = fit_linear_probe(h_train, y_train).accuracy(h_test, y_test)
        taken = {report.unit for report in reports.values()}
        best = next(u for u in accuracy.argsort(descending=True).tolist() if u not in taken)
        reports[feature] = UnitReport(feature, r, accuracy, best, probe_C, probe_h)
    return reports


def gender_means(model: WordLM, texts: Sequence[Text], vocab: Vocab, units: Sequence[int]) -> torch.Tensor:
    """Mean cell-state value of ``units`` under a masculine (row 0) and a feminine (row 1) singular
    subject, over every word from the subject to the end of its sentence: (2, units)."""
    with torch.no_grad():
        states, _ = lstm_states(model, encode_texts(texts, vocab))
    labels = label_grid(texts, "gender")
    X, y = positions(states.C[:, :, list(units)], labels)
    return torch.stack([X[y == 0].mean(0), X[y == 1].mean(0)])


@dataclass
class Proof:
    """Accuracy on held-out texts with units zeroed or set, against the same number of random units.

    base: accuracies of the untouched model (keys as :func:`helpers.language_model.agreement_accuracy`).
    zero_gender, zero_both: with the top gender unit, or the top gender and number units, zeroed.
    zero_random_1, zero_random_2: the same for each draw of 1 or 2 random units (a list, one per draw).
    flip: share of he/she choices that flip when the top gender unit is set to the other gender's mean;
    flip_random: the same for each random unit.
    """

    base: dict[str, float]
    zero_gender: dict[str, float]
    zero_both: dict[str, float]
    zero_random_1: list[dict[str, float]]
    zero_random_2: list[dict[str, float]]
    flip: float
    flip_random: list[float]

    def drop(self, which: str, key: str) -> float | list[float]:
        """Points of accuracy lost (0-100) in ``key`` ("he/she", "pronoun", ...) by ``which`` intervention."""
        after = getattr(self, which)
        if isinstance(after, list):
            return [100 * (self.base[key] - a[key]) for a in after]
        return 100 * (self.base[key] - after[key])


def prove(
    model: WordLM,
    train: Sequence[Text],
    test: Sequence[Text],
    vocab: Vocab,
    gender_unit: int,
    number_unit: int,
    n_random: int = 10,
    seed: int = 0,
) -> Proof:
    """Run every intervention of :class:`Proof` on ``test``; ``train`` gives the gender means.

    The ``n_random`` single random units are all different, drawn among the units that are neither the
    gender nor the number unit; so are the two units of each random pair.
    """
    check_positive_int(n_random, "n_random")
    if gender_unit == number_unit:
        raise ValueError(f"the gender and number units must differ; got {gender_unit} twice")
    top = [gender_unit, number_unit]
    n_h = model.hidden_size
    singles = [[u] for u in random_units(n_h, n_random, top, seed)]
    pairs = [random_units(n_h, 2, top, seed + 1000 + k) for k in range(n_random)]
    steps = max(len(t) for t in test)
    means = gender_means(model, train, vocab, range(n_h))  # (2, n_h): every unit's mean, once
    before = he_she_predictions(model, test, vocab)

    def flip_rate(unit: int) -> float:
        values, when = flip_values(test, means[:, [unit]], steps)
        after = he_she_predictions(model, test, vocab, [unit], values, when)
        return float((before != after).double().mean())

    with torch.no_grad():
        _, logits = lstm_states(model, encode_texts(test, vocab))
    base = agreement_accuracy(model, test, vocab, scores=logits)
    return Proof(
        base=base,
        zero_gender=intervene(model, test, vocab, [gender_unit]),
        zero_both=intervene(model, test, vocab, top),
        zero_random_1=[intervene(model, test, vocab, u) for u in singles],
        zero_random_2=[intervene(model, test, vocab, u) for u in pairs],
        flip=flip_rate(gender_unit),
        flip_random=[flip_rate(u[0]) for u in singles],
    )


# ---------------------------------------------------------------------------------------------
# Summaries and plots over the words of a text.


def mean_by_role(values: torch.Tensor, texts: Sequence[Text]) -> dict[str, float]:
    """Mean of ``values`` (batch, time) over the words of each role of :func:`helpers.corpus.word_roles`."""
    check_tensor(values, "values", ("batch", "time"), {"batch": len(texts)})
    sums = dict.fromkeys(ROLES, 0.0)
    counts = dict.fromkeys(ROLES, 0)
    for row, text in enumerate(texts):
        for pos, role in enumerate(word_roles(text)):
            sums[role] += float(values[row, pos])
            counts[role] += 1
    return {role: sums[role] / counts[role] for role in ROLES if counts[role]}


def draw_words(ax: Axes, text: Text) -> None:
    """Put the words of ``text`` under the x axis of ``ax`` (one tick per word, subjects in bold) and
    shade every other story, so a plot over word positions can be read word by word."""
    ax.set_xticks(range(len(text)))
    ax.set_xticklabels(text.words, rotation=90, fontsize=7)
    for pos, label in enumerate(ax.get_xticklabels()):
        if pos in text.subjects:
            label.set_fontweight("bold")
    ax.set_xlim(-0.5, len(text) - 0.5)
    starts = [p - 1 for p in text.subjects] + [len(text)]
    for k in range(0, len(text.subjects), 2):
        ax.axvspan(starts[k] - 0.5, starts[k + 1] - 0.5, color="#777777", alpha=0.08, lw=0)
    ax.grid(axis="x", alpha=0.0)
