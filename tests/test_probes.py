"""Unit finding, linear probes and interventions, on small cases whose answer is known."""

from __future__ import annotations

import random

import pytest
import torch

from helpers.corpus import NOUNS, Vocab, make_corpus, make_text, noun_features
from helpers.interventions import flip_values, gender_means, he_she_predictions, intervene, prove, random_units
from helpers.language_model import WordLM
from helpers.probes import (
    find_units,
    fit_linear_probe,
    fit_unit_thresholds,
    label_grid,
    positions,
    single_unit_accuracy,
    unit_correlations,
)


@pytest.fixture(scope="module")
def synthetic():
    """Unit 2 follows the label, unit 3 follows it upside down, unit 4 never moves, the rest is noise."""
    g = torch.Generator().manual_seed(0)
    y = torch.randint(2, (400,), generator=g)
    X = torch.randn(400, 6, generator=g)
    X[:, 2] = 2.0 * y + 0.3 * torch.randn(400, generator=g)
    X[:, 3] = -3.0 * y + 0.3 * torch.randn(400, generator=g)
    X[:, 4] = 1.5
    return X, y


def test_positions_drops_unlabelled_and_unkept_rows():
    states = torch.arange(24.0).view(2, 3, 4)
    labels = torch.tensor([[-1, 0, 1], [1, -1, 0]])
    X, y = positions(states, labels)
    assert torch.equal(y, torch.tensor([0, 1, 1, 0]))
    assert torch.equal(X, states.view(6, 4)[[1, 2, 3, 5]])
    keep = torch.tensor([[True, True, False], [True, True, True]])
    X, y = positions(states, labels, keep)
    assert torch.equal(y, torch.tensor([0, 1, 0]))


def test_correlations_find_the_informative_units(synthetic):
    X, y = synthetic
    r = unit_correlations(X, y)
    assert r[2] > 0.95 and r[3] < -0.95 and r[4] == 0
    assert r[[0, 1, 5]].abs().max() < 0.2
    # agrees with numpy's Pearson correlation
    import numpy as np

    expected = np.corrcoef(X[:, 0].numpy(), y.numpy())[0, 1]
    assert abs(float(r[0]) - expected) < 1e-5


def test_single_unit_accuracy_handles_both_signs(synthetic):
    X, y = synthetic
    accuracy = single_unit_accuracy(X[:300], y[:300], X[300:], y[300:])
    assert accuracy[2] == 1.0 and accuracy[3] == 1.0
    assert accuracy[[0, 1, 5]].max() < 0.7
    thresholds = fit_unit_thresholds(X, y)
    assert thresholds.sign[2] == 1 and thresholds.sign[3] == -1
    assert abs(float(thresholds.threshold[2]) - 1.0) < 0.1


def test_linear_probe_reads_a_feature_no_single_unit_holds():
    g = torch.Generator().manual_seed(1)
    X = torch.randn(600, 5, generator=g)
    y = (X[:, 0] + X[:, 1] > 0).long()
    probe = fit_linear_probe(X[:400], y[:400])
    assert probe.accuracy(X[400:], y[400:]) > 0.95
    assert single_unit_accuracy(X[:400], y[:400], X[400:], y[400:]).max() < 0.85
    w = probe.linear.weight[0]
    assert w[0] > 0 and w[1] > 0 and w[2:].abs().max() < 0.3 * w[:2].min()


def test_linear_probe_reaches_the_minimum_of_its_loss():
    """At the fitted weights autograd's gradient of the regularised loss is zero."""
    g = torch.Generator().manual_seed(2)
    X = torch.randn(300, 4, generator=g, dtype=torch.float64)
    y = (X[:, 0] + 0.8 * torch.randn(300, generator=g, dtype=torch.float64) > 0).long()
    probe = fit_linear_probe(X, y, weight_decay=1e-2)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(probe(X), y.double())
    loss = loss + 1e-2 * probe.linear.weight.pow(2).sum()
    loss.backward()
    assert probe.linear.weight.grad.abs().max() < 1e-6 and probe.linear.bias.grad.abs().max() < 1e-6


def test_random_units_are_seeded_distinct_and_exclude():
    a = random_units(10, 4, exclude=[3, 7], seed=5)
    assert a == random_units(10, 4, exclude=[3, 7], seed=5)
    assert len(set(a)) == 4 and not {3, 7} & set(a)
    assert sorted(random_units(3, 2, exclude=[1])) == [0, 2]
    draws = {tuple(random_units(10, 2, seed=s)) for s in range(20)}
    assert len(draws) > 10


@pytest.fixture(scope="module")
def she_model():
    """A hand-built LSTM whose only opinion is "she" when cell unit 0 is positive, "he" when negative."""
    corpus = make_corpus(n_train=2, n_test=30, seed=0)
    torch.manual_seed(0)
    model = WordLM(len(corpus.vocab), 4, 3).double()
    vocab = corpus.vocab
    with torch.no_grad():
        model.rnn.weight_hh_l0.zero_()
        model.rnn.bias_ih_l0[9:12] = 20.0  # output gate open: h = tanh(C)
        model.head.weight.zero_()
        model.head.bias.zero_()
        model.head.weight[vocab.index["she"], 0] = 5.0
        model.head.weight[vocab.index["he"], 0] = -5.0
    return model, corpus


def test_clamping_the_unit_decides_he_or_she(she_model):
    model, corpus = she_model
    texts, vocab = corpus.test, corpus.vocab
    n_singular = sum(t.kind == "pronoun" and t.word != "they" for x in texts for t in x.targets)
    assert n_singular > 10
    assert he_she_predictions(model, texts, vocab, [0], 2.0).tolist() == [1] * n_singular
    assert he_she_predictions(model, texts, vocab, [0], -2.0).tolist() == [0] * n_singular
    # clamping another unit changes nothing
    plain = he_she_predictions(model, texts, vocab)
    assert torch.equal(he_she_predictions(model, texts, vocab, [1], 2.0), plain)
    # accuracy when the unit says "she" everywhere: the share of she among he/she pronouns
    she_share = sum(t.word == "she" for x in texts for t in x.targets if t.kind == "pronoun") / n_singular
    assert intervene(model, texts, vocab, [0], 2.0)["he/she"] == pytest.approx(she_share)
    assert intervene(model, texts, vocab, [0], -2.0)["he/she"] == pytest.approx(1 - she_share)


def test_flip_values_give_the_other_genders_mean_where_the_subject_is_singular(she_model):
    model, corpus = she_model
    texts = corpus.test
    steps = max(len(t) for t in texts)
    means = torch.tensor([[-2.0], [2.0]], dtype=torch.float64)  # masculine -2, feminine +2
    values, when = flip_values(texts, means, steps)
    assert values.shape == (len(texts), steps, 1) and when.shape == (len(texts), steps)
    for row, text in enumerate(texts):
        for pos in range(steps):
            singular = pos < len(text) and text.number[pos] == 0
            assert bool(when[row, pos]) == singular
            if singular:
                assert values[row, pos, 0] == (2.0 if text.gender[pos] == 0 else -2.0)
    # every he becomes she and every she becomes he
    truth = [int(t.word == "she") for x in texts for t in x.targets if t.kind == "pronoun" and t.word != "they"]
    flipped = he_she_predictions(model, texts, corpus.vocab, [0], values.double(), when)
    assert flipped.tolist() == [1 - v for v in truth]


def test_bad_inputs(synthetic):
    X, y = synthetic
    with pytest.raises(ValueError, match="labels 0 and 1"):
        unit_correlations(X, y + 1)
    with pytest.raises(ValueError, match="its positions axis"):
        unit_correlations(X, y[:-1])
    with pytest.raises(ValueError, match="both labels"):
        fit_unit_thresholds(X, torch.zeros_like(y))
    with pytest.raises(ValueError, match="weight_decay must be positive"):
        fit_linear_probe(X, y, weight_decay=0.0)
    with pytest.raises(ValueError, match="cannot draw 3 units"):
        random_units(4, 3, exclude=[0, 1])
    with pytest.raises(ValueError, match="positive integer"):
        random_units(4, 0)
    with pytest.raises(ValueError, match="its time axis"):
        positions(torch.zeros(2, 3, 4), torch.zeros(2, 4, dtype=torch.long))
    with pytest.raises(ValueError, match="its gender axis"):
        flip_values([], torch.zeros(3, 1), 5)


# ---------------------------------------------------------------------------------------------
# The whole study, on a hand-built LSTM whose unit 0 holds the gender of the first noun it reads.


def first_noun_model(vocab):
    """Unit 1 switches on at the first noun and stays on; unit 0 writes that noun's gender (+1 feminine,
    -1 masculine) only while unit 1 is still off, and keeps it; units 2 and 3 do nothing. The output says
    "she" when unit 0 is positive, "he" when it is negative."""
    model = WordLM(len(vocab), 2, 4)
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
        for word, index in vocab.index.items():
            try:
                gender, _ = noun_features(word)
            except ValueError:
                continue
            model.embed.weight[index] = torch.tensor([2.0 * gender - 1.0, 1.0])
        W_x, W_h, b = model.rnn.weight_ih_l0, model.rnn.weight_hh_l0, model.rnn.bias_ih_l0
        W_x[0, 1], W_h[0, 1], b[0] = 10.0, -20.0, -5.0  # i, unit 0: open at a noun, unless unit 1 is on
        W_x[1, 1], b[1], b[2:4] = 10.0, -5.0, -20.0  # i, unit 1: open at a noun; units 2, 3: shut
        b[4:8] = 20.0  # f: keep everything
        W_x[8, 0], b[9] = 5.0, 5.0  # C~: unit 0 = the noun's gender, unit 1 = +1
        b[12:16] = 20.0  # o: open
        model.head.weight[vocab.index["she"], 0] = 5.0
        model.head.weight[vocab.index["he"], 0] = -5.0
    return model.eval()


@pytest.fixture(scope="module")
def one_story_texts():
    """Texts of one story each, so the first noun is the subject: every noun twice, 0 to 3 clauses."""
    rng = random.Random(0)
    nouns = [n for gender in NOUNS for by_number in gender for n in by_number]
    return [make_text(rng, [nouns[k % len(nouns)]], [k % 4]) for k in range(48)]


def test_label_grid(one_story_texts):
    texts = one_story_texts[:3]
    grid = label_grid(texts, "gender")
    assert grid.shape == (3, max(len(t) for t in texts))
    for row, text in enumerate(texts):
        assert grid[row, : text.subjects[0]].eq(-1).all()
        assert grid[row, text.subjects[0] : len(text)].eq(text.gender[text.subjects[0]]).all()
        assert grid[row, len(text) :].eq(-1).all()
    with pytest.raises(ValueError, match="feature must be one of"):
        label_grid(texts, "tense")


def test_find_units_finds_the_hand_built_gender_unit(one_story_texts):
    vocab = Vocab()
    model = first_noun_model(vocab)
    reports = find_units(model, one_story_texts[:24], one_story_texts[24:], vocab)
    report = reports["gender"]
    assert report.unit == 0 and report.single_accuracy[0] == 1.0
    assert report.r[0] > 0.99 and report.probe_C == 1.0 and report.probe_h == 1.0
    assert report.single_accuracy[2:].max() < 0.8
    assert reports["number"].unit != 0  # a second feature never gets the first one's unit
    assert list(find_units(model, one_story_texts[::2], one_story_texts[1::2], vocab, ["number"])) == ["number"]
    means = gender_means(model, one_story_texts, vocab, [0, 2])
    assert means[0, 0] < -0.9 and means[1, 0] > 0.9 and means[:, 1].abs().max() < 1e-3


def test_prove_on_the_hand_built_model(one_story_texts):
    vocab = Vocab()
    model = first_noun_model(vocab)
    proof = prove(model, one_story_texts, one_story_texts, vocab, gender_unit=0, number_unit=1, n_random=2)
    assert proof.base["he/she"] == 1.0
    # zeroed, unit 0 gives "he" and "she" equal scores; the first option, "he", wins every time
    assert proof.zero_gender["he/she"] == pytest.approx(0.5)
    assert proof.drop("zero_gender", "he/she") == pytest.approx(50.0)
    assert proof.drop("zero_random_1", "he/she") == [0.0, 0.0]  # units 2 and 3 change nothing
    assert proof.drop("zero_random_2", "pronoun") == [0.0, 0.0]
    assert proof.flip == 1.0 and proof.flip_random == [0.0, 0.0]
    with pytest.raises(ValueError, match="must differ"):
        prove(model, one_story_texts, one_story_texts, vocab, gender_unit=0, number_unit=0)
    with pytest.raises(ValueError, match="cannot draw 3 units"):
        prove(model, one_story_texts, one_story_texts, vocab, gender_unit=0, number_unit=1, n_random=3)
