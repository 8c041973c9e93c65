"""The word-level language model: shapes, the hand-stepped LSTM against nn.LSTM, interventions,
training, the bigram baseline and agreement accuracy."""

from __future__ import annotations

import math

import pytest
import torch

from helpers.corpus import Vocab, encode_texts, make_corpus
from helpers.gates import trace
from helpers.language_model import (
    BigramLM,
    WordLM,
    agreement_accuracy,
    train_lm,
)


def trace_lm(model, tokens, units=(), values=None, when=None):
    """The language model's LSTM traced on its inputs, and the logits read from the traced h_t."""
    states = trace(model.rnn, model.inputs(tokens), units=units, values=values, when=when)
    return states, model.head(states.h_t)


@pytest.fixture(scope="module")
def corpus():
    return make_corpus(n_train=300, n_test=40, seed=1)


def _model(dtype=torch.float32, **kwargs) -> WordLM:
    torch.manual_seed(0)
    return WordLM(20, 5, 7, **kwargs).to(dtype)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_shapes(cell):
    model = _model(cell=cell)
    tokens = torch.randint(20, (3, 11))
    assert model(tokens).shape == (3, 11, 20)
    assert model.inputs(tokens).shape == (3, 11, 5)
    assert model.rnn(model.inputs(tokens))[0].shape == (3, 11, 7)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_hand_stepped_lstm_equals_nn_lstm(dtype):
    model = _model(dtype, forget_bias=1.5)
    with torch.no_grad():  # make the two biases differ, so adding them up is tested too
        model.rnn.bias_hh_l0.normal_()
    tokens = torch.randint(20, (4, 13))
    states, logits = trace_lm(model, tokens)
    h_all, (h_T, C_T) = model.rnn(model.embed(tokens))
    tol = {"atol": 1e-6, "rtol": 1e-5} if dtype == torch.float32 else {"atol": 1e-12, "rtol": 1e-10}
    torch.testing.assert_close(states.h_t, h_all, **tol)
    torch.testing.assert_close(states.C_t[:, -1], C_T[0], **tol)
    torch.testing.assert_close(logits, model(tokens), **tol)
    # and every cell state, by running nn.LSTM one prefix at a time
    for t in (0, 5, 12):
        _, (_, C_t) = model.rnn(model.embed(tokens[:, : t + 1]))
        torch.testing.assert_close(states.C_t[:, t], C_t[0], **tol)
    # the gates satisfy the cell's equations
    C_prev = torch.cat([torch.zeros_like(states.C_t[:, :1]), states.C_t[:, :-1]], dim=1)
    torch.testing.assert_close(states.C_t, states.f_t * C_prev + states.i_t * states.C_tilde_t, **tol)
    torch.testing.assert_close(states.h_t, states.o_t * torch.tanh(states.C_t), **tol)
    assert ((states.f_t > 0) & (states.f_t < 1)).all() and ((states.i_t > 0) & (states.i_t < 1)).all()


def test_gate_order_is_pytorchs():
    """Push only the forget gate's bias up: the f we read must rise, no other gate may move."""
    model = _model(torch.float64)
    tokens = torch.randint(20, (2, 6))
    before, _ = trace_lm(model, tokens[:, :1])
    with torch.no_grad():
        model.rnn.bias_ih_l0[7:14] += 3.0  # chunk 2 of (i, f, g, o)
    after, _ = trace_lm(model, tokens[:, :1])
    assert (after.f_t > before.f_t).all()
    for name in ("i_t", "C_tilde_t", "o_t"):
        torch.testing.assert_close(getattr(after, name), getattr(before, name))


def test_forget_bias_sets_b_f():
    model = _model(forget_bias=2.0)
    b = model.rnn.bias_ih_l0 + model.rnn.bias_hh_l0
    assert torch.equal(b[7:14], torch.full((7,), 2.0))
    assert not torch.equal(b[:7], torch.full((7,), 2.0))


def test_interventions_hold_the_units():
    model = _model(torch.float64)
    tokens = torch.randint(20, (3, 9))
    plain, _ = trace_lm(model, tokens)
    zeroed, _ = trace_lm(model, tokens, units=[2, 4])
    assert (zeroed.C_t[:, :, [2, 4]] == 0).all()
    # h_t is computed from the clamped C_t, and later steps feel the change
    torch.testing.assert_close(zeroed.h_t[:, :, 2], torch.zeros_like(zeroed.h_t[:, :, 2]))
    assert not torch.allclose(zeroed.C_t[:, 1:, 0], plain.C_t[:, 1:, 0])
    torch.testing.assert_close(zeroed.C_t[:, 0, 0], plain.C_t[:, 0, 0])  # the first step is untouched
    when = torch.zeros(3, 9, dtype=torch.bool)
    when[:, 4] = True
    once, _ = trace_lm(model, tokens, units=[1], values=0.7, when=when)
    torch.testing.assert_close(once.C_t[:, :4], plain.C_t[:, :4])
    assert (once.C_t[:, 4, 1] == 0.7).all() and (once.C_t[:, 5, 1] != 0.7).all()
    per_row = torch.tensor([[0.1], [0.2], [0.3]], dtype=torch.float64)
    held, _ = trace_lm(model, tokens, units=[1], values=per_row)
    torch.testing.assert_close(held.C_t[:, :, 1], per_row.expand(3, 9))
    per_step = torch.linspace(-1, 1, 27, dtype=torch.float64).view(3, 9, 1)
    held, _ = trace_lm(model, tokens, units=[1], values=per_step)
    torch.testing.assert_close(held.C_t[:, :, 1], per_step[:, :, 0])


def test_training_learns_the_local_agreement(corpus):
    """A short training run already learns is/are after a pronoun, and beats its own start."""
    torch.manual_seed(0)
    model = WordLM(len(corpus.vocab), 16, 16)
    tokens = encode_texts(corpus.test_by_clauses[0], corpus.vocab)  # short texts: a fast test
    log = train_lm(model, tokens, steps=100, batch_size=16, lr=3e-2, seed=0)
    assert len(log.losses) == 100 and log.seconds > 0
    # the perplexity exp(loss) of the last ten batches is less than half that of the first
    assert math.exp(sum(log.losses[-10:]) / 10) < 0.5 * math.exp(log.losses[0])
    assert agreement_accuracy(model, corpus.test_by_clauses[1], corpus.vocab)["local verb"] == 1.0
    assert not model.training


def test_training_is_reproducible(corpus):
    tokens = encode_texts(corpus.train[:100], corpus.vocab)
    runs = []
    for _ in range(2):
        torch.manual_seed(3)
        model = WordLM(len(corpus.vocab), 8, 8, cell="rnn")
        runs.append(train_lm(model, tokens, steps=10, batch_size=8, seed=4).losses)
    assert runs[0] == runs[1]


def test_bigram_baseline_counts(corpus):
    vocab = corpus.vocab
    tokens = encode_texts(corpus.train, vocab)
    bigram = BigramLM(tokens, len(vocab))
    probs = bigram(tokens).exp()
    torch.testing.assert_close(probs.sum(-1), torch.ones(tokens.shape))
    # after "who" comes a clause verb; after "that" a pronoun
    after_who = bigram.log_probs[vocab.index["who"]].exp()
    assert after_who[vocab.encode(["met", "saw", "helped"])].sum() > 0.45
    assert int(bigram.log_probs[vocab.index["that"]].argmax()) in vocab.encode(["he", "she", "they"])
    result = agreement_accuracy(bigram, corpus.test, vocab)
    assert result["local verb"] == 1.0  # "he" -> is/was, "they" -> are/were
    assert 0.3 < result["he/she"] < 0.7  # it cannot know the subject's gender


def test_agreement_accuracy_of_a_perfect_and_a_wrong_oracle(corpus):
    vocab, texts = corpus.vocab, corpus.test[:20]
    tokens = encode_texts(texts, vocab)
    perfect = torch.zeros(*tokens.shape, len(vocab))
    perfect[:, :-1].scatter_(2, tokens[:, 1:, None], 1.0)  # puts all weight on the true next word
    result = agreement_accuracy(None, texts, vocab, scores=perfect)
    assert all(v == 1.0 for v in result.values())
    wrong = perfect.clone()
    for row, text in enumerate(texts):
        for target in text.targets:
            rival = next(o for o in target.options if o != target.word)
            wrong[row, target.position - 1, vocab.index[rival]] = 2.0
    result = agreement_accuracy(None, texts, vocab, scores=wrong)
    assert result["pronoun"] == result["verb"] == result["local verb"] == 0.0


def test_bad_inputs():
    model = _model()
    with pytest.raises(ValueError, match="cell must be one of"):
        WordLM(10, cell="gru")
    with pytest.raises(ValueError, match="forget_bias needs cell='lstm'"):
        WordLM(10, cell="rnn", forget_bias=1.0)
    with pytest.raises(ValueError, match="positive integer"):
        WordLM(0)
    with pytest.raises(TypeError, match="dtype torch.int64"):
        model(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="2 dimensions"):
        model(torch.zeros(2, 3, 4, dtype=torch.long))
    with pytest.raises(ValueError, match=r"word indices in \[0, 20\)"):
        model(torch.full((2, 3), 20))
    with pytest.raises(TypeError, match="expected an LSTM"):
        trace_lm(_model(cell="rnn"), torch.zeros(1, 2, dtype=torch.long))
    with pytest.raises(ValueError, match=r"units must be in \[0, 7\)"):
        trace_lm(model, torch.zeros(1, 2, dtype=torch.long), units=[7])
    with pytest.raises(ValueError, match="must not repeat"):
        trace_lm(model, torch.zeros(1, 2, dtype=torch.long), units=[1, 1])
    with pytest.raises(ValueError, match="its units axis"):
        trace_lm(model, torch.zeros(1, 2, dtype=torch.long), units=[1], values=torch.zeros(1, 2))
    with pytest.raises(ValueError, match="its time axis"):
        trace_lm(model, torch.zeros(1, 2, dtype=torch.long), units=[1], when=torch.ones(1, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match="at least 2 words"):
        train_lm(model, torch.zeros(4, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="its vocab axis"):
        agreement_accuracy(None, make_corpus(n_train=2, n_test=2).test, Vocab(), scores=torch.zeros(2, 70, 5))


def test_agreement_accuracy_equals_a_plain_loop(corpus):
    """On random scores, the vectorised count equals a loop that compares the rival forms one by one."""
    vocab, texts = corpus.vocab, corpus.test[:25]
    scores = torch.randn(len(texts), max(len(t) for t in texts), len(vocab), generator=torch.Generator().manual_seed(0))
    right = {"pronoun": [], "verb": [], "local verb": [], "he/she": []}
    for row, text in enumerate(texts):
        for target in text.targets:
            s = {w: float(scores[row, target.position - 1, vocab.index[w]]) for w in target.options}
            right[target.kind].append(max(s, key=s.get) == target.word)
            if target.kind == "pronoun" and target.word != "they":
                right["he/she"].append((s["she"] > s["he"]) == (target.word == "she"))
    right["critical"] = right["pronoun"] + right["verb"]
    result = agreement_accuracy(None, texts, vocab, scores=scores)
    assert list(result) == ["critical", "pronoun", "he/she", "verb", "local verb"]
    for key, values in right.items():
        assert len(values) > 5
        assert result[key] == pytest.approx(sum(values) / len(values))
