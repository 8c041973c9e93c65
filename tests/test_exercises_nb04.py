"""Every checker of notebook 04 passes the right answer, reports a placeholder, and fails wrong answers
with a hint."""

from __future__ import annotations

import pytest
import torch

from helpers.corpus import encode_texts, make_corpus
from helpers.exercises import ExerciseError
from helpers.exercises.nb04 import check_flip_value, check_split_update, check_strongest_unit
from helpers.gates import trace
from helpers.language_model import WordLM
from helpers.probes import unit_correlations


@pytest.fixture(scope="module")
def states():
    corpus = make_corpus(n_train=2, n_test=3, seed=0)
    torch.manual_seed(0)
    model = WordLM(len(corpus.vocab), 4, 5, forget_bias=1.0)
    with torch.no_grad():
        return trace(model.rnn, model.inputs(encode_texts(corpus.test[:1], corpus.vocab)))


@pytest.fixture(scope="module")
def she_model():
    """A hand-built LSTM that says "she" when cell unit 0 is positive and "he" when it is negative."""
    corpus = make_corpus(n_train=2, n_test=30, seed=0)
    torch.manual_seed(0)
    model = WordLM(len(corpus.vocab), 4, 3)
    with torch.no_grad():
        model.rnn.weight_hh_l0.zero_()
        model.rnn.bias_ih_l0[9:12] = 20.0  # output gate open
        model.head.weight.zero_()
        model.head.bias.zero_()
        model.head.weight[corpus.vocab.index["she"], 0] = 5.0
        model.head.weight[corpus.vocab.index["he"], 0] = -5.0
    means = torch.tensor([[-0.5], [0.5]])
    return model, corpus.test, corpus.vocab, means


def right_split(states, t, unit):
    kept = states.f_t[0, t, unit] * states.C_t[0, t - 1, unit]
    written = states.i_t[0, t, unit] * states.C_tilde_t[0, t, unit]
    return float(kept), float(written)


def right_unit(X, y):
    return int(unit_correlations(X, y).abs().argmax())


def test_right_answers_pass(states, she_model, capsys):
    check_split_update(right_split, states)
    check_strongest_unit(right_unit)
    check_strongest_unit(lambda X, y: unit_correlations(X, y).abs().argmax())  # a 0-d tensor is fine
    model, texts, vocab, means = she_model
    check_flip_value(2.0, model, texts, vocab, 0, means)
    assert capsys.readouterr().out.count("✓") == 4


def test_placeholders_are_reported_not_failed(states, she_model, capsys):
    check_split_update(lambda *args: None, states)
    check_strongest_unit(lambda *args: None)
    check_flip_value(None, *she_model[:3], 0, she_model[3])
    assert capsys.readouterr().out.count("not attempted yet") == 3


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda s, t, u: (s.f_t[0, t, u] * s.C_t[0, t, u], s.i_t[0, t, u] * s.C_tilde_t[0, t, u]), "kept uses C_t"),
        (lambda s, t, u: (s.C_t[0, t - 1, u], s.i_t[0, t, u] * s.C_tilde_t[0, t, u]), r"expected f_t \* C_\(t-1\)"),
        (lambda s, t, u: (s.f_t[0, t, u] * s.C_t[0, t - 1, u], s.C_tilde_t[0, t, u]), "the input gate i_t scales it"),
        (lambda s, t, u: (s.f_t[0, t, u] * s.C_t[0, t - 1, u], s.i_t[0, t, u]), r"expected i_t \* C~_t"),
        (lambda s, t, u: 1.0, "return a pair"),
    ],
)
def test_wrong_splits_fail_with_a_hint(states, answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_split_update(answer, states)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda X, y: int(unit_correlations(X, y).argmax()), "strongest \\*positive\\* correlation"),
        (lambda X, y: 7, "Hint: unit_correlations"),
        (lambda X, y: "three", "return one unit number"),
    ],
)
def test_wrong_units_fail_with_a_hint(answer, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_strongest_unit(answer)


@pytest.mark.parametrize(("value", "hint"), [(-2.0, "further that way"), (0.0, "further that way"), ("x", "a number")])
def test_wrong_flip_values_fail_with_a_hint(she_model, value, hint):
    with pytest.raises(ExerciseError, match=hint):
        check_flip_value(value, *she_model[:3], 0, she_model[3])
