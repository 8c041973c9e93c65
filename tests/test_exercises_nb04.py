"""Notebook 04's checkers keep the exercise contract (tests/exercise_contract.py) and give each usual
mistake its hint."""

from __future__ import annotations

import re

import numpy as np
import torch
from exercise_contract import Spec, contract_tests

from helpers.corpus import encode_texts, make_corpus
from helpers.exercises import nb04
from helpers.exercises.nb04 import split_cases
from helpers.gates import trace
from helpers.interventions import intervene
from helpers.language_model import WordLM, agreement_accuracy


def make_states():
    corpus = make_corpus(n_train=2, n_test=3, seed=0)
    torch.manual_seed(0)
    model = WordLM(len(corpus.vocab), 4, 5, forget_bias=1.0)
    with torch.no_grad():
        return trace(model.rnn, model.inputs(encode_texts(corpus.test[:1], corpus.vocab)))


def make_she_model():
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


def make_reader_model():
    """The "she" model, with unit 1 a second, weaker reader: zeroing unit 0 then costs he/she points."""
    model, texts, vocab, _ = make_she_model()
    with torch.no_grad():
        model.head.weight[vocab.index["she"], 1] = 1.0
        model.head.weight[vocab.index["he"], 1] = -1.0
    return model, texts, vocab


STATES = make_states()
SHE = make_she_model()
READER = make_reader_model()


def zero_cost(unit=0):
    """What zeroing ``unit`` of the reader model costs, in points of he/she accuracy (the right answer)."""
    model, texts, vocab = READER
    return 100 * (agreement_accuracy(model, texts, vocab)["he/she"] - intervene(model, texts, vocab, [unit])["he/she"])


def zero_run_call(checker, answer):
    model, texts, vocab = READER
    return checker((0, 30), answer, model, texts, vocab, 0)


def right_split(states, t, unit):
    kept = states.f_t[0, t, unit] * states.C_t[0, t - 1, unit]
    written = states.i_t[0, t, unit] * states.C_tilde_t[0, t, unit]
    return kept, written


def reference_split():
    values = []
    for t, unit in split_cases(STATES):
        s = STATES
        values += [
            float(s.f_t[0, t, unit]) * float(s.C_t[0, t - 1, unit]),
            float(s.i_t[0, t, unit]) * float(s.C_tilde_t[0, t, unit]),
        ]
    return values


SPECS = {
    "check_split_update": Spec(
        nb04.check_split_update,
        call=lambda checker, answer: checker(answer, STATES),
        right={
            "tensors": right_split,
            "python": lambda s, t, u: tuple(float(v) for v in right_split(s, t, u)),
            "float64": lambda s, t, u: tuple(v.double() for v in right_split(s, t, u)),
            "numpy": lambda s, t, u: tuple(v.numpy() for v in right_split(s, t, u)),
            "list": lambda s, t, u: [float(v) for v in right_split(s, t, u)],
            "one_tensor": lambda s, t, u: torch.stack(right_split(s, t, u)),
        },
        wrong=[
            (lambda s, t, u: (s.f_t[0, t, u] * s.C_t[0, t, u], s.i_t[0, t, u] * s.C_tilde_t[0, t, u]), "kept uses C_t"),
            (lambda s, t, u: (s.C_t[0, t - 1, u], s.i_t[0, t, u] * s.C_tilde_t[0, t, u]), "kept is C_\\(t-1\\) alone"),
            (lambda s, t, u: (s.f_t[0, t, u] * s.C_t[0, t - 1, u], s.C_tilde_t[0, t, u]),
             "the input gate i_t scales it"),
            (lambda s, t, u: (s.f_t[0, t, u] * s.C_t[0, t - 1, u], s.i_t[0, t, u]), "written is i_t alone"),
            (lambda s, t, u: right_split(s, t, u)[::-1], r"the pair is \(kept, written\), in that order"),
            (
                lambda s, t, u: (s.f_t[0, t, u] * s.C_t[0, t - 1, u], s.i_t[1 % s.i_t.shape[0], t, u] * 0 + 5.5),
                r"written = 5.5 is not i_t \* C~_t",
            ),
            (lambda s, t, u: (s.f_t[u, t, 0] * 3.5, 0.0), r"indexed \[text, step, unit\]"),
            (lambda s, t, u: 1.0, r"return a pair \(kept, written\)"),
        ],
        secrets=reference_split,
    ),
    "check_zero_number_prediction": Spec(
        nb04.check_zero_number_prediction,
        kind="value",
        verdict=r"^prediction recorded: 10 to 30 points\. Now run the experiment\.$",
        junk_may_pass=("grad_tensor",),  # (0.77, 0.77) is a range, if a narrow one
        right={
            "pair": (10, 30),
            "reversed": (30, 10),
            "numpy": np.array([10.0, 30.0]),
            "tensors": torch.tensor([10, 30]),
        },
        wrong=[
            ((0, 100), "make it at most 30 points wide"),
            ((90, 120), "between -100 and 100 points"),
            (20, r"return a pair \(low, high\)"),
            (("10", 30), "write the number itself, not the text '10'"),
        ],
        secrets=lambda: [],
    ),
    "check_zero_number_run": Spec(
        nb04.check_zero_number_run,
        kind="value",
        call=zero_run_call,
        verdict=r"^your run measured [\d.]+ points\. Your prediction, 0 to 30 points, came true\.",
        right={
            "float": zero_cost(),
            "numpy": np.float32(zero_cost()),
            "tensor": torch.tensor(zero_cost(), dtype=torch.float64),
        },
        wrong=[
            (zero_cost() / 100, "lost is in points: multiply"),
            (-zero_cost(), "before minus the accuracy after"),
            (zero_cost() + 7, "is not what zeroing unit 0 costs"),
            ("high", "must be a number, not the text 'high'"),
        ],
        secrets=lambda: [],  # the measured cost is printed on a right run: it is the student's own result
    ),
    "check_why_early": Spec(
        nb04.check_why_early,
        kind="value",
        verdict=r"^right, \(b\)\. Yes: the training texts never need the old gender",
        right={"b": "b", "B": "B", "paren": "(b)", "text": nb04.WHY_EARLY.choices[1].text},
        wrong=[
            ("a", r"not \(a\)\. A bias of \+2 pushes"),
            ("c", r"not \(c\)\. It kept the gender across three clauses"),
            ("d", r"not \(d\)\. The full stop's embedding"),
            ("e", "there is no choice 'e'"),
            (2, "not the number 2"),
        ],
        secrets=lambda: [re.compile(r"\(b\)"), "Yes: the training texts"],
    ),
}

globals().update(contract_tests(nb04, SPECS))
