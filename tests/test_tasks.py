"""The toy memory tasks: delayed recall (the answer is the symbol lag steps back) and the marked value
(where the mark is, how long the delay, that the answer is the marked value); the sequence classifier
that learns them, its training and its accuracy."""

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from helpers.lstm import LSTM, set_forget_bias
from helpers.rnn import RNN
from helpers.tasks import (
    SequenceClassifier,
    accuracy,
    classification_loss,
    delay_test_batch,
    describe_step,
    make_memory_batch,
    make_recall_batch,
    train_memory,
)
from helpers.train import fit

LAYERS = {"lstm": nn.LSTM, "rnn": nn.RNN}


def classifier(kind, n_in, hidden, n_classes, forget_bias=None):
    model = SequenceClassifier(LAYERS[kind](n_in, hidden, batch_first=True), n_classes)
    return model if forget_bias is None else set_forget_bias(model, forget_bias)


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize(("seq_len", "delay"), [(1, 0), (12, 0), (12, 11), (60, 10), (205, 200)])
def test_a_fixed_delay_puts_the_mark_that_many_steps_before_the_end(seq_len, delay):
    x, y, t_mark = make_memory_batch(7, seq_len, delay, n_values=4, generator=gen())
    assert x.shape == (7, seq_len, 5) and x.dtype == torch.float32
    assert y.shape == t_mark.shape == (7,) and y.dtype == t_mark.dtype == torch.int64
    assert (t_mark == seq_len - 1 - delay).all()
    marker = x[..., 4]
    assert (marker.sum(dim=1) == 1).all(), "exactly one marked step per sequence"
    assert (marker.argmax(dim=1) == t_mark).all()


def test_the_answer_is_the_value_at_the_marked_step_and_every_step_holds_one_value():
    x, y, t_mark = make_memory_batch(64, 30, n_values=3, generator=gen(1))
    values = x[..., :3]
    assert ((values == 0) | (values == 1)).all() and (values.sum(dim=2) == 1).all()
    rows = torch.arange(64)
    assert torch.equal(values[rows, t_mark].argmax(dim=1), y)


def test_random_delays_cover_the_whole_sequence_and_answers_every_value():
    x, y, t_mark = make_memory_batch(4000, 10, n_values=4, generator=gen(2))
    assert set(t_mark.tolist()) == set(range(10))
    assert set(y.tolist()) == {0, 1, 2, 3}
    # distractors: the other steps are random, so the marked value is not the most common one
    assert (x[..., :4].sum(dim=1).argmax(dim=1) == y).float().mean() < 0.6


def test_the_same_generator_seed_gives_the_same_batch():
    a, b = make_memory_batch(5, 20, generator=gen(3)), make_memory_batch(5, 20, generator=gen(3))
    assert all(torch.equal(p, q) for p, q in zip(a, b, strict=True))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"delay": 12}, ValueError, r"delay must be None or an integer in \[0, seq_len - 1\] = \[0, 11\]; got 12"),
        ({"delay": -1}, ValueError, "delay must be"),
        ({"delay": 2.0}, ValueError, "delay must be"),
        ({"delay": True}, ValueError, "delay must be"),
        ({"n_values": 1}, ValueError, "n_values must be an integer >= 2"),
        ({"batch": 0}, ValueError, "batch must be a positive integer"),
        ({"seq_len": 0}, ValueError, "seq_len must be a positive integer"),
        ({"generator": 0}, TypeError, "generator must be a torch.Generator"),
    ],
)
def test_bad_arguments_are_refused_with_what_was_expected(kwargs, error, match):
    args = {"batch": 2, "seq_len": 12, "delay": None, "n_values": 4, "generator": gen()} | kwargs
    with pytest.raises(error, match=match):
        make_memory_batch(args.pop("batch"), args.pop("seq_len"), args.pop("delay"), **args)


def test_describe_step():
    x, y, t_mark = make_memory_batch(1, 6, 2, n_values=4, generator=gen(4))
    assert describe_step(x[0, 3]) == f"value {'ABCD'[y[0]]}, marked"
    assert describe_step(x[0, 4]).startswith("value ") and "marked" not in describe_step(x[0, 4])
    with pytest.raises(ValueError, match="3 to 11 features"):
        describe_step(torch.zeros(2))
    with pytest.raises(ValueError, match="1 dimensions"):
        describe_step(x[0])


@pytest.mark.parametrize("kind", ["lstm", "rnn", "our rnn", "our lstm"])
def test_classifier_reads_the_last_hidden_state(kind):
    torch.manual_seed(0)
    layers = {"our rnn": RNN(5, 6), "our lstm": LSTM(5, 6)}
    model = SequenceClassifier(layers[kind], 4) if kind in layers else classifier(kind, 5, 6, 4)
    x, _, _ = make_memory_batch(3, 8, generator=gen(5))
    h_all, _ = model.recurrent(x)
    assert torch.allclose(model(x), model.head(h_all[:, -1]))
    if kind == "our rnn":  # h_T, the RNN's last state, is its last hidden state
        assert torch.allclose(model(x), model.head(model.recurrent(x)[1]), atol=1e-6, rtol=0)
    if kind in LAYERS:
        assert isinstance(model.recurrent, torch.nn.LSTM if kind == "lstm" else torch.nn.RNN)


def test_forget_bias_is_set_for_an_lstm_and_refused_for_an_rnn():
    model = classifier("lstm", 5, 6, 4, forget_bias=1.0)
    b_f = (model.recurrent.bias_ih_l0 + model.recurrent.bias_hh_l0)[6:12]
    assert torch.equal(b_f, torch.ones(6))
    with pytest.raises(ValueError, match="found no LSTM with biases"):
        classifier("rnn", 5, 6, 4, forget_bias=1.0)
    with pytest.raises(TypeError, match="recurrent must be a recurrent layer"):
        SequenceClassifier(nn.Linear(5, 6), 4)
    with pytest.raises(ValueError, match="batch_first=True"):
        SequenceClassifier(nn.LSTM(5, 6), 4)
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        SequenceClassifier(RNN(5, 6), 0)
    with pytest.raises(ValueError, match="features"):
        model(torch.zeros(2, 3, 4))


def test_training_lowers_the_loss_and_accuracy_is_measured_at_the_given_delay():
    torch.manual_seed(0)
    model = classifier("lstm", 4, 8, 3, forget_bias=1.0)
    losses = train_memory(model, seq_len=6, n_values=3, steps=150, batch=32, lr=2e-2, seed=0)
    assert len(losses) == 150
    assert sum(losses[-10:]) / 10 < 0.5 * sum(losses[:10]) / 10
    assert accuracy(model, *delay_test_batch(3, n_values=3, n=300)) > 0.9
    with pytest.raises(ValueError, match="delay must be a non-negative integer"):
        delay_test_batch(-1, n_values=3)


def test_the_delay_test_batch_marks_the_step_delay_before_the_end():
    x, y = delay_test_batch(7, n_values=3, lead=4, n=20, seed=1)
    assert x.shape == (20, 4 + 7, 4) and y.shape == (20,)
    assert (x[:, 3, 3] == 1).all() and x[..., 3].sum() == 20  # marked at step lead - 1 = 3 only
    assert torch.equal(x[:, 3, :3].argmax(dim=1), y)
    again = delay_test_batch(7, n_values=3, lead=4, n=20, seed=1)
    assert torch.equal(again[0], x) and torch.equal(again[1], y)


def test_accuracy_counts_right_answers():
    class Oracle(torch.nn.Module):
        """Answers from the input itself: the value at the marked step."""

        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x):
            marked = x[..., -1:]  # (batch, time, 1)
            return (x[..., :-1] * marked).sum(dim=1)

    assert accuracy(Oracle(), *delay_test_batch(50, n=200)) == 1.0


def test_training_equals_the_loop_written_out():
    """train_memory is helpers.train.fit with Adam, cross-entropy and clipping: the same losses and weights
    as the classic loop (zero_grad, forward, backward, clip, step) on the same batches."""
    torch.manual_seed(3)
    model = classifier("lstm", 4, 5, 3, forget_bias=1.0)
    by_hand = classifier("lstm", 4, 5, 3)
    by_hand.load_state_dict(model.state_dict())
    losses = train_memory(model, seq_len=7, n_values=3, steps=12, batch=8, lr=1e-2, seed=4)
    optimizer = torch.optim.Adam(by_hand.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(4)
    expected = []
    for _ in range(12):
        x, y, _ = make_memory_batch(8, 7, n_values=3, generator=generator)
        loss = F.cross_entropy(by_hand(x), y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(by_hand.parameters(), 1.0)
        optimizer.step()
        expected.append(loss.item())
    assert losses == expected
    for p, q in zip(model.parameters(), by_hand.parameters(), strict=True):
        assert torch.equal(p, q)


def test_a_curriculum_is_one_loop_over_its_stages():
    """seq_len=(7, 11), steps=(5, 3): 5 steps on 7-step batches, then 3 on 11-step ones, with one optimizer and
    one stream of batches, as notebook 03's loop written out does."""
    torch.manual_seed(5)
    model = classifier("lstm", 4, 5, 3, forget_bias=1.0)
    by_hand = classifier("lstm", 4, 5, 3)
    by_hand.load_state_dict(model.state_dict())
    losses = train_memory(model, seq_len=(7, 11), n_values=3, steps=(5, 3), batch=8, seed=2)
    optimizer = torch.optim.Adam(by_hand.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(2)
    expected = []
    for seq_len, steps in ((7, 5), (11, 3)):
        for _ in range(steps):
            x, y, _ = make_memory_batch(8, seq_len, n_values=3, generator=generator)
            loss = F.cross_entropy(by_hand(x), y)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(by_hand.parameters(), 1.0)
            optimizer.step()
            expected.append(loss.item())
    assert losses == expected and len(losses) == 8
    for p, q in zip(model.parameters(), by_hand.parameters(), strict=True):
        assert torch.equal(p, q)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_training_and_testing_run_on_cuda():
    torch.manual_seed(0)
    model = classifier("lstm", 4, 8, 3, forget_bias=1.0).to("cuda")
    losses = train_memory(model, seq_len=6, n_values=3, steps=5, batch=8, seed=0)
    assert len(losses) == 5 and 0.0 <= accuracy(model, *delay_test_batch(3, n_values=3, n=50)) <= 1.0


# --- delayed recall -----------------------------------------------------------------------------


def test_answer_is_the_symbol_lag_steps_before_the_last():
    x, y = make_recall_batch(50, 10, 3, 5, gen())
    assert x.shape == (50, 10, 5) and y.shape == (50,)
    assert torch.equal(x.argmax(dim=2)[:, 10 - 1 - 3], y)
    assert torch.equal(x.sum(dim=2), torch.ones(50, 10))  # one-hot


def test_batches_are_reproducible_from_the_generator():
    a = make_recall_batch(4, 6, 1, 3, gen(7))
    b = make_recall_batch(4, 6, 1, 3, gen(7))
    assert all(torch.equal(p, q) for p, q in zip(a, b, strict=True))


@pytest.mark.parametrize("lag", [-1, 10, 2.0, True])
def test_bad_lag_is_rejected(lag):
    with pytest.raises(ValueError, match=r"lag must be an integer in \[0, seq_len - 1\] = \[0, 9\]"):
        make_recall_batch(4, 10, lag, 3, gen())


def test_training_learns_a_short_lag():
    torch.manual_seed(0)
    model = SequenceClassifier(RNN(4, 16), 4)
    generator = gen(0)
    losses = fit(model, classification_loss, lambda: make_recall_batch(64, 8, 1, 4, generator),
                 steps=150, lr=1e-2, clip=1.0, progress=False)
    x, y = make_recall_batch(500, 8, 1, 4, gen(1))
    assert losses[-1] < losses[0] / 3
    assert accuracy(model, x, y) > 0.95


def test_accuracy_checks_its_labels():
    model = SequenceClassifier(RNN(4, 8), 4)
    with pytest.raises(ValueError, match=r"y must have shape \(batch=3\)"):
        accuracy(model, torch.randn(3, 5, 4), torch.zeros(4, dtype=torch.long))
