"""The one way to look inside an LSTM: trace() equals the equations and PyTorch, for every LSTM it accepts,
and holds units when asked; saturation and memory scores on hand-made cases."""

import pytest
import torch
from lstm_equations import lstm_step_plain, plain_weights
from torch import nn

from helpers.gates import (
    GATES,
    QUANTITIES,
    LSTMTrace,
    saturation,
    saturation_table,
    trace,
    units_by_memory,
)
from helpers.lstm import LSTM, Gates, LSTMCell, copy_from_torch, lstm_step
from helpers.measure import max_error


def trained_like_lstm(dtype=torch.float64, n_in=5, n_h=6, seed=0):
    torch.manual_seed(seed)
    theirs = nn.LSTM(n_in, n_h, batch_first=True).to(dtype)
    return theirs, copy_from_torch(LSTM(n_in, n_h).to(dtype), theirs)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_recording_equals_pytorch_and_the_sequence_module(dtype):
    theirs, ours = trained_like_lstm(dtype)
    x = torch.randn(3, 9, 5, dtype=dtype, generator=torch.Generator().manual_seed(1))
    rec = trace(ours, x)
    h_torch, (_, c_torch) = theirs(x)
    tol = 1e-6 if dtype == torch.float32 else 1e-12
    assert rec.h_t.dtype == dtype and rec.h_t.shape == (3, 9, 6)
    assert torch.allclose(rec.h_t, h_torch.detach(), atol=tol, rtol=0)
    assert torch.allclose(rec.C_t[:, -1], c_torch[0].detach(), atol=tol, rtol=0)
    h_all, (_, C_T) = ours(x)
    assert torch.allclose(rec.h_t, h_all.detach(), atol=tol, rtol=0)
    assert torch.allclose(rec.C_t[:, -1], C_T.detach(), atol=tol, rtol=0)
    # the same trace from PyTorch's own modules: the nn.LSTM, and its weights in an nn.LSTMCell
    cell = nn.LSTMCell(5, 6).to(dtype)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(getattr(theirs, f"{name}_l0"))
    for other in (trace(theirs, x), trace(cell, x), trace(ours.cell, x)):
        for name in QUANTITIES:
            assert torch.equal(other[name], rec[name]), name


def test_recording_equals_the_equations_line_by_line():
    _, ours = trained_like_lstm()
    cell = ours.cell
    x = torch.randn(2, 7, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    rec = trace(cell, x)  # a bare cell works too
    weights = plain_weights(cell.W_x, cell.W_h, cell.b_x, cell.b_h)
    h = C = torch.zeros(2, 6, dtype=torch.float64)
    for t in range(7):
        h, C, g = lstm_step_plain(x[:, t], h, C, **weights)
        for name, value in (("f_t", g.f_t), ("i_t", g.i_t), ("C_tilde_t", g.C_tilde_t), ("o_t", g.o_t),
                            ("C_t", C), ("h_t", h)):
            assert torch.allclose(rec[name][:, t], value.detach(), atol=1e-12, rtol=0), (name, t)
        # the recorded C_t obeys C_t = f_t * C_{t-1} + i_t * C~_t, and h_t = o_t * tanh(C_t)
        C_prev = rec.C_t[:, t - 1] if t else torch.zeros(2, 6, dtype=torch.float64)
        assert torch.allclose(rec.C_t[:, t], rec.f_t[:, t] * C_prev + rec.i_t[:, t] * rec.C_tilde_t[:, t])
        assert torch.allclose(rec.h_t[:, t], rec.o_t[:, t] * torch.tanh(rec.C_t[:, t]))


def test_values_at_gives_one_unit_and_the_state_the_step_started_from():
    _, ours = trained_like_lstm()
    rec = trace(ours, torch.randn(2, 4, 5, dtype=torch.float64))
    first = rec.values_at(1, 0, 3)
    assert first["h_prev"] == 0.0 and first["C_prev"] == 0.0
    later = rec.values_at(1, 2, 3)
    assert later["h_prev"] == rec.h_t[1, 1, 3].item() and later["C_prev"] == rec.C_t[1, 1, 3].item()
    assert later["f_t"] == rec.f_t[1, 2, 3].item() and later["h_t"] == rec.h_t[1, 2, 3].item()
    assert set(later) == {"h_prev", "C_prev", "f_t", "i_t", "C_tilde_t", "o_t", "C_t", "h_t"}
    assert (rec.n_seq, rec.time, rec.hidden_size) == (2, 4, 6)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((2, 0, 0), IndexError, r"seq must lie in \[0, 1\] for this recording; got 2"),
        ((0, 4, 0), IndexError, r"step must lie in \[0, 3\]"),
        ((0, -1, 0), IndexError, r"step must lie in \[0, 3\]"),
        ((0, 0, 6), IndexError, r"unit must lie in \[0, 5\]"),
        ((0, 1.0, 0), TypeError, "step must be an integer"),
    ],
)
def test_bad_indices_say_the_valid_range(args, error, match):
    _, ours = trained_like_lstm()
    rec = trace(ours, torch.randn(2, 4, 5, dtype=torch.float64))
    with pytest.raises(error, match=match):
        rec.values_at(*args)


def test_trace_refuses_what_it_cannot_trace():
    _, ours = trained_like_lstm()
    with pytest.raises(TypeError, match="expected an LSTM: helpers.lstm.LSTM or LSTMCell"):
        trace(nn.RNN(5, 6), torch.zeros(1, 2, 5))
    with pytest.raises(TypeError, match="got GRU"):
        trace(nn.GRU(5, 6), torch.zeros(1, 2, 5))
    with pytest.raises(ValueError, match=r"proj_size\) = \(1, True, False, 0\); got \(2"):
        trace(nn.LSTM(5, 6, num_layers=2), torch.zeros(1, 2, 5))
    with pytest.raises(ValueError, match="n_seq=1"):
        trace(ours, torch.zeros(1, 2, 5, dtype=torch.float64), (torch.zeros(2, 6), torch.zeros(2, 6)))
    with pytest.raises(TypeError, match=r"pair \(h0, C0\)"):
        trace(ours, torch.zeros(1, 2, 5, dtype=torch.float64), torch.zeros(1, 6))
    with pytest.raises(ValueError, match=r"units must be in \[0, 6\)"):
        trace(ours, torch.zeros(1, 2, 5, dtype=torch.float64), units=[6])
    with pytest.raises(ValueError, match="features=5"):
        trace(ours, torch.zeros(1, 2, 4, dtype=torch.float64))
    with pytest.raises(ValueError, match="3 dimensions"):
        trace(LSTMCell(5, 6), torch.zeros(2, 5))
    with pytest.raises(KeyError, match="no quantity 'g_t'"):
        trace(ours, torch.zeros(1, 2, 5, dtype=torch.float64))["g_t"]


def test_trace_holds_units_like_an_intervention():
    _, ours = trained_like_lstm()
    x = torch.randn(3, 9, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    plain = trace(ours, x)
    zeroed = trace(ours, x, units=[2, 4])
    assert (zeroed.C_t[:, :, [2, 4]] == 0).all()
    # h_t is computed from the held C_t = 0: o_t * tanh(0) = 0, and later steps feel the change
    assert (zeroed.h_t[:, :, 2] == 0).all()
    assert not torch.allclose(zeroed.C_t[:, 1:, 0], plain.C_t[:, 1:, 0])
    assert torch.equal(zeroed.C_t[:, 0, 0], plain.C_t[:, 0, 0])  # the first step is untouched


def torch_cell(n_in, n_h, dtype, seed):
    torch.manual_seed(seed)
    theirs = nn.LSTMCell(n_in, n_h).to(dtype)
    return copy_from_torch(LSTMCell(n_in, n_h).to(dtype), theirs), theirs


def test_gates_are_the_named_gates():
    """Each returned gate is computed here straight from nn.LSTMCell's own rows, in its documented order."""
    ours, theirs = torch_cell(2, 3, torch.float64, 7)
    x_t, h_prev, C_prev = (torch.randn(5, n, dtype=torch.float64) for n in (2, 3, 3))
    h_t, C_t = ours(x_t, (h_prev, C_prev))
    traced = trace(ours, x_t[:, None], (h_prev, C_prev))  # one step from the given state
    gates = Gates(*(traced[name][:, 0] for name in ("f_t", "i_t", "C_tilde_t", "o_t")))
    assert max_error(traced.C_t[:, 0], C_t.detach()) <= 1e-12 and max_error(traced.h_t[:, 0], h_t.detach()) <= 1e-12
    assert traced.values_at(4, 0, 2)["C_prev"] == C_prev[4, 2].item()  # the step starts from the given state
    rows = dict(zip("ifgo", range(4), strict=True))  # PyTorch's docs: W_ii|W_if|W_ig|W_io

    def pre(gate):
        k = slice(3 * rows[gate], 3 * rows[gate] + 3)
        return (
            x_t @ theirs.weight_ih[k].T
            + theirs.bias_ih[k]
            + h_prev @ theirs.weight_hh[k].T
            + theirs.bias_hh[k]
        )

    assert max_error(gates.f_t, torch.sigmoid(pre("f"))) <= 1e-12
    assert max_error(gates.i_t, torch.sigmoid(pre("i"))) <= 1e-12
    assert max_error(gates.C_tilde_t, torch.tanh(pre("g"))) <= 1e-12
    assert max_error(gates.o_t, torch.sigmoid(pre("o"))) <= 1e-12
    assert max_error(C_t, gates.f_t * C_prev + gates.i_t * gates.C_tilde_t) <= 1e-12
    assert max_error(h_t, gates.o_t * torch.tanh(C_t)) <= 1e-12


def test_trace_keeps_the_gates_of_every_step():
    torch.manual_seed(8)
    lstm = LSTM(2, 4).double()
    x = torch.randn(3, 6, 2, dtype=torch.float64)
    h_all, (h_T, C_T) = lstm(x)
    traced = trace(lstm, x)
    gates = [traced[name] for name in ("f_t", "i_t", "C_tilde_t", "o_t")]
    assert all(g.shape == (3, 6, 4) for g in gates)
    h, C = torch.zeros(3, 4, dtype=torch.float64), torch.zeros(3, 4, dtype=torch.float64)
    for t in range(6):
        h, C, step_gates = lstm_step(x[:, t], h, C, lstm.cell.W_x, lstm.cell.W_h, lstm.cell.b_x, lstm.cell.b_h,
                                     return_gates=True)
        assert max_error(h_all[:, t].detach(), h.detach()) <= 1e-12
        for stacked, one in zip(gates, step_gates, strict=True):
            assert max_error(stacked[:, t], one.detach()) <= 1e-12
    assert max_error(h_T.detach(), h.detach()) <= 1e-12 and max_error(C_T.detach(), C.detach()) <= 1e-12
    assert max_error(traced.h_t, h_all.detach()) <= 1e-12  # the trace equals the LSTM's own forward


def test_saturation_on_a_hand_made_gate():
    gate = torch.tensor([[0.0, 0.05, 0.1, 0.5], [0.9, 0.95, 1.0, 0.099]])
    near_0, near_1 = saturation(gate)  # strictly below 0.1, strictly above 0.9
    assert (near_0, near_1) == (3 / 8, 2 / 8)
    assert saturation(gate, low=0.5, high=0.6) == (4 / 8, 3 / 8)  # 0.5 itself is neither
    assert saturation(torch.full((3,), 0.5)) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("gate", "kwargs", "error", "match"),
    [
        (torch.tensor([0.5, 1.2]), {}, ValueError, r"values lie in \[0, 1\]; got values from 0.5 to 1.2"),
        (torch.tensor([0.5]), {"low": 0.9, "high": 0.1}, ValueError, "need 0 <= low < high <= 1"),
        (torch.tensor([float("nan")]), {}, ValueError, "finite"),
        ([0.5], {}, TypeError, "gate must be a torch.Tensor"),
        (torch.tensor([], dtype=torch.float32), {}, ValueError, "must not be empty"),
    ],
)
def test_saturation_refuses_bad_input(gate, kwargs, error, match):
    with pytest.raises(error, match=match):
        saturation(gate, **kwargs)


def hand_made_recording(C_last):
    n_seq, n_h = C_last.shape
    C = torch.zeros(n_seq, 2, n_h)
    C[:, -1] = C_last
    half = torch.full((n_seq, 2, n_h), 0.5)
    return LSTMTrace(torch.zeros(n_seq, 2, 1), half, half, half * 0, C, half, torch.tanh(C) * 0.5)


def test_saturation_table_covers_the_three_gates():
    rec = hand_made_recording(torch.zeros(4, 3))
    assert set(saturation_table(rec)) == set(GATES) and GATES == ("f_t", "i_t", "o_t")
    assert saturation_table(rec)["f_t"] == (0.0, 0.0)
    assert QUANTITIES == ("f_t", "i_t", "C_tilde_t", "C_t", "o_t", "h_t")


def test_units_by_memory_finds_the_unit_set_by_the_answer():
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    noise = torch.tensor([0.3, -0.2, 0.1, 0.4, -0.1, 0.0, -0.3, 0.2])
    C_last = torch.stack([noise, 2.0 * y - 1.0, 2.0 * y - 1.0 + 0.5 * noise, torch.zeros(8)], dim=1)
    order, score = units_by_memory(hand_made_recording(C_last), y)
    assert order[:3] == [1, 2, 0]
    assert score[1] == pytest.approx(1.0) and 0.5 < score[2] < 1.0 and score[0] < 0.5 and score[3] == 0.0
    with pytest.raises(ValueError, match="n_seq=8"):
        units_by_memory(hand_made_recording(C_last), y[:5])
    with pytest.raises(ValueError, match="at least two sequences"):
        units_by_memory(hand_made_recording(C_last[:1]), y[:1])


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_recording_on_cuda_equals_the_cpu_and_comes_back_on_the_cpu():
    _, ours = trained_like_lstm()
    x = torch.randn(2, 6, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    on_cpu, on_gpu = trace(ours, x), trace(ours.to("cuda"), x.to("cuda"))
    for name in QUANTITIES:
        assert on_gpu[name].device.type == "cpu"
        assert torch.allclose(on_gpu[name], on_cpu[name], atol=1e-12, rtol=0)
