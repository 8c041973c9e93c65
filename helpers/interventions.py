"""Testing what a unit does: hold it at a value inside the running LSTM and watch the predictions change.

The strongest evidence of :mod:`helpers.probes`' three: zero a cell-state unit, or set it to another
value, while the language model reads (``intervene``), against the same number of random units
(``random_units``); :func:`prove` runs every intervention of notebook 04 on the gender and number units.
The units are held by :func:`helpers.gates.trace`, which steps the model's LSTM by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from helpers.corpus import Text, Vocab, encode_texts
from helpers.gates import trace
from helpers.language_model import WordLM, agreement_accuracy, check_word_lm
from helpers.probes import label_grid, positions
from helpers.validate import (
    check_choice,
    check_index,
    check_indices,
    check_instance,
    check_int,
    check_items,
    check_positive_int,
    check_seed,
    check_tensor,
)


def held_logits(
    model: WordLM,
    texts: Sequence[Text],
    vocab: Vocab,
    units: Sequence[int] = (),
    values: torch.Tensor | float | None = None,
    when: torch.Tensor | None = None,
) -> torch.Tensor:
    """The model's next-word logits (batch, time, vocab) on ``texts``, its LSTM stepped by
    :func:`helpers.gates.trace` with the cell-state ``units`` held at ``values`` at the steps ``when``
    (see there; no units: the model as it is). model: a :class:`WordLM` with an LSTM; texts: a sequence of
    :class:`~helpers.corpus.Text`; vocab: a :class:`~helpers.corpus.Vocab`."""
    check_word_lm(model, lstm=True), check_items(texts, "texts", Text), check_instance(vocab, "vocab", Vocab, "a Vocab")
    with torch.no_grad():
        states = trace(model.rnn, model.inputs(encode_texts(texts, vocab)), units=units, values=values, when=when)
        return model.head(states.h_t.to(model.head.weight.device))


def random_units(n_units: int, k: int, exclude: Sequence[int] = (), seed: int = 0) -> list[int]:
    """``k`` different units drawn at random from range(n_units), none of ``exclude``; seeded.

    n_units, k: positive ints; exclude: ints; seed: an int >= 0.
    """
    check_positive_int(n_units, "n_units")
    check_positive_int(k, "k")
    check_items(exclude, "exclude", check_int, allow_empty=True), check_seed(seed)
    pool = [u for u in range(n_units) if u not in set(exclude)]
    if k > len(pool):
        raise ValueError(f"cannot draw {k} units from the {len(pool)} left after excluding {list(exclude)}")
    order = torch.randperm(len(pool), generator=torch.Generator().manual_seed(seed))
    return [pool[int(j)] for j in order[:k]]


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
    return agreement_accuracy(model, texts, vocab, scores=held_logits(model, texts, vocab, units, values, when))


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
    logits = held_logits(model, texts, vocab, units, values, when)
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
    subject. Returns values (batch, steps, units) and when (batch, steps) for :func:`intervene`. texts: a
    sequence of :class:`~helpers.corpus.Text`; steps: an int, at least the longest text's length.
    """
    check_tensor(unit_means, "unit_means", ("gender", "units"), {"gender": 2})
    texts = check_items(texts, "texts", Text, allow_empty=True)
    check_int(steps, "steps", max((len(t) for t in texts), default=1), expected="an integer >= the longest text")
    values = unit_means.new_zeros(len(texts), steps, unit_means.shape[1])
    when = torch.zeros(len(texts), steps, dtype=torch.bool)
    for row, text in enumerate(texts):
        for pos, (gender, number) in enumerate(zip(text.gender, text.number, strict=True)):
            if gender >= 0 and number == 0:
                values[row, pos] = unit_means[1 - gender]
                when[row, pos] = True
    return values, when


def gender_means(model: WordLM, texts: Sequence[Text], vocab: Vocab, units: Sequence[int]) -> torch.Tensor:
    """Mean cell-state value of ``units`` under a masculine (row 0) and a feminine (row 1) singular
    subject, over every word from the subject to the end of its sentence: (2, units). units: unit indices."""
    check_word_lm(model, lstm=True), check_items(texts, "texts", Text), check_instance(vocab, "vocab", Vocab, "a Vocab")
    units = check_indices(units, "units", model.hidden_size)
    with torch.no_grad():
        states = trace(model.rnn, model.inputs(encode_texts(texts, vocab)))
    labels = label_grid(texts, "gender")
    X, y = positions(states.C_t[:, :, list(units)], labels)
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
        check_choice(which, "which", ("zero_gender", "zero_both", "zero_random_1", "zero_random_2"))
        check_choice(key, "key", tuple(self.base))
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
    gender nor the number unit; so are the two units of each random pair. gender_unit, number_unit: unit
    indices; n_random: a positive int; seed: an int >= 0.
    """
    check_word_lm(model, lstm=True), check_items(train, "train", Text), check_items(test, "test", Text)
    check_instance(vocab, "vocab", Vocab, "a Vocab"), check_positive_int(n_random, "n_random"), check_seed(seed)
    check_index(gender_unit, "gender_unit", model.hidden_size)
    check_index(number_unit, "number_unit", model.hidden_size)
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

    base = agreement_accuracy(model, test, vocab, scores=held_logits(model, test, vocab))
    return Proof(
        base=base,
        zero_gender=intervene(model, test, vocab, [gender_unit]),
        zero_both=intervene(model, test, vocab, top),
        zero_random_1=[intervene(model, test, vocab, u) for u in singles],
        zero_random_2=[intervene(model, test, vocab, u) for u in pairs],
        flip=flip_rate(gender_unit),
        flip_random=[flip_rate(u[0]) for u in singles],
    )
