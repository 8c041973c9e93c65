"""The marked-value task: where the mark is, how long the delay, that the answer is the marked value."""

import pytest
import torch

from helpers.memory_task import (
    MemoryClassifier,
    accuracy_at_delay,
    describe_step,
    make_memory_batch,
    train_memory,
)


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


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_classifier_reads_the_last_hidden_state(kind):
    torch.manual_seed(0)
    model = MemoryClassifier(kind, 5, 6, 4)
    x, _, _ = make_memory_batch(3, 8, generator=gen(5))
    h_all, _ = model.recurrent(x)
    assert torch.allclose(model(x), model.head(h_all[:, -1]))
    assert isinstance(model.recurrent, torch.nn.LSTM if kind == "lstm" else torch.nn.RNN)


def test_forget_bias_is_set_for_an_lstm_and_refused_for_an_rnn():
    model = MemoryClassifier("lstm", 5, 6, 4, forget_bias=1.0)
    b_f = (model.recurrent.bias_ih_l0 + model.recurrent.bias_hh_l0)[6:12]
    assert torch.equal(b_f, torch.ones(6))
    with pytest.raises(ValueError, match="a vanilla RNN has no forget gate"):
        MemoryClassifier("rnn", 5, 6, 4, forget_bias=1.0)
    with pytest.raises(ValueError, match="kind must be 'lstm' or 'rnn'"):
        MemoryClassifier("gru", 5, 6, 4)
    with pytest.raises(ValueError, match="features"):
        model(torch.zeros(2, 3, 4))


def test_training_lowers_the_loss_and_accuracy_is_measured_at_the_given_delay():
    torch.manual_seed(0)
    model = MemoryClassifier("lstm", 4, 8, 3, forget_bias=1.0)
    losses = train_memory(model, seq_len=6, n_values=3, steps=150, batch=32, lr=2e-2, seed=0)
    assert len(losses) == 150
    assert sum(losses[-10:]) / 10 < 0.5 * sum(losses[:10]) / 10
    assert accuracy_at_delay(model, 3, n_values=3, n=300) > 0.9
    with pytest.raises(ValueError, match="delay must be a non-negative integer"):
        accuracy_at_delay(model, -1, n_values=3)


def test_accuracy_counts_right_answers():
    class Oracle(torch.nn.Module):
        """Answers from the input itself: the value at the marked step."""

        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x):
            marked = x[..., -1:]  # (batch, time, 1)
            return (x[..., :-1] * marked).sum(dim=1)

    assert accuracy_at_delay(Oracle(), 50, n=200) == 1.0


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_training_and_testing_run_on_cuda():
    torch.manual_seed(0)
    model = MemoryClassifier("lstm", 4, 8, 3, forget_bias=1.0).to("cuda")
    losses = train_memory(model, seq_len=6, n_values=3, steps=5, batch=8, seed=0)
    assert len(losses) == 5 and 0.0 <= accuracy_at_delay(model, 3, n_values=3, n=50) <= 1.0
