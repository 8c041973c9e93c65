"""Bad input gets a clear error at the boundary, never a silent wrong answer (issue 14).

One table per class of bad input: wrong type, wrong dtype, wrong shape, sizes that disagree, NaN and infinity
(in tensors and in numbers), empty input, impossible sizes, indices and names out of range, the wrong kind
of object, a sign that flips the meaning, a missing random generator. Each row calls one public function
or class of ``helpers`` with one bad argument and says which exception must come out and which words its
message must hold: the name of the argument the caller passed and what arrived (and, where an earlier
version named an internal argument, words it must not hold). ``test_every_public_callable_is_covered``
fails for a public function or class that is in no table and not listed with the reason it takes no
checkable input. A last table holds valid input that used to crash.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import random
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn

import helpers
from helpers import (
    baselines,
    corpus,
    counting,
    diagrams,
    gate_timeline,
    gates,
    gru,
    interventions,
    language_model,
    lstm,
    measure,
    metrics,
    plots,
    probes,
    rnn,
    series,
    session,
    splits,
    style,
    tasks,
    train,
    validate,
    variants,
    widget_fallback,
    widgets_gate,
    windows,
)
from helpers import forecast as fc

matplotlib.use("Agg")
torch.manual_seed(0)


@dataclass(frozen=True)
class Case:
    """``call()`` must raise ``error`` whose message holds every one of ``words`` and none of ``absent``."""

    target: object
    bad: str
    call: object
    error: type
    words: tuple[str, ...]
    absent: tuple[str, ...] = field(default=())


def case(target, bad, call, error, *words, absent=()):
    return Case(target, bad, call, error, tuple(words), tuple(absent))


# ---------------------------------------------------------------------------------------------
# Small valid arguments that the bad calls vary one at a time.

NAN, INF = float("nan"), float("inf")
X3 = torch.randn(2, 5, 3)  # (batch, time, features=3)
H4 = torch.zeros(2, 4)  # (batch, hidden=4)
SERIES = torch.sin(torch.arange(60.0) / 5)  # (time,)
W = SERIES[:24].reshape(4, 6, 1)  # windows (batch=4, time=6, features=1)
PRED = torch.zeros(2, 3, 1)  # (batch, horizon=3, features=1)


def gen():
    return torch.Generator().manual_seed(0)


RNN_ = rnn.RNN(3, 4)
RNN_CELL = rnn.RNNCell(3, 4)
W_XH, W_HH, B = RNN_CELL.W_xh.detach(), RNN_CELL.W_hh.detach(), RNN_CELL.b.detach()
LSTM_ = lstm.LSTM(3, 4)
CELL = lstm.LSTMCell(3, 4)
W_X, W_H, B_X, B_H = (p.detach() for p in (CELL.W_x, CELL.W_h, CELL.b_x, CELL.b_h))
REC = gates.trace(LSTM_, X3)  # an LSTMTrace: 2 sequences, 5 steps, 4 units
CLS = tasks.SequenceClassifier(rnn.RNN(3, 4), 2)
Y2 = torch.tensor([0, 1])

VOCAB = corpus.Vocab()
TEXTS = corpus.generate(4, 0, corpus.subject_pairs()[0])
TOKENS = corpus.encode_texts(TEXTS, VOCAB)
LM = language_model.WordLM(len(VOCAB), 4, 6)
RNN_LM = language_model.WordLM(len(VOCAB), 4, 6, cell="rnn")
BIGRAM = language_model.BigramLM(TOKENS, len(VOCAB))
SCORES = language_model.next_word_scores(LM, TOKENS)
PROOF = interventions.Proof({"pronoun": 1.0}, {"pronoun": 0.5}, {"pronoun": 0.5}, [], [], 0.0, [])
X_UNITS, Y_UNITS = torch.randn(20, 4), torch.tensor([0, 1] * 10)
THRESHOLDS = probes.fit_unit_thresholds(X_UNITS, Y_UNITS)
PROBE = probes.fit_linear_probe(X_UNITS, Y_UNITS, steps=2)

SPLIT = splits.chronological_split(60, 30, 45)
SCALER2 = splits.fit_scaler(torch.randn(40, 2), splits.Span(0, 40))  # fitted on 2 features
DIFF = splits.fit_differencer(SERIES, splits.Span(0, 40))
FC = fc.Forecaster(1, 4)
DFC = fc.DirectForecaster(1, 4, horizon=3)
AR = baselines.fit_ar(SERIES, 2)
ON_DIFF = splits.OnDifferences(FC, DIFF)
MONTHLY = series.co2_monthly()
EXPLORER = gate_timeline.TimelineExplorer(REC, 1)
PNG = diagrams.render_png(widgets_gate.draw_gate_sliders(0, 0, 0, 0))
IMAGE = __import__("ipywidgets").Image(value=PNG, format="png")
CW = widgets_gate.cell_write(0.0, 0.0, 0.0, 0.0)


def mse(model, x):
    return ((model(x)[0] - x) ** 2).mean()


def _fit(**kwargs):
    args = {"model": fc.Forecaster(1, 2), "loss_fn": mse, "data": W, "steps": 1, "progress": False} | kwargs
    return train.fit(**args)


# ---------------------------------------------------------------------------------------------
# 1. Wrong type: a bool, a str or None where a number is expected, a plain function where a model is
#    expected, a list where a tensor is expected.

WRONG_TYPE = [
    case(rnn.rnn_step, "x_t list", lambda: rnn.rnn_step([1.0, 2.0, 3.0], H4, W_XH, W_HH, B), TypeError, "x_t", "list"),
    case(rnn.RNNCell, "hidden_size str", lambda: rnn.RNNCell(3, "4"), TypeError, "hidden_size", "str"),
    case(rnn.RNNCell, "forward x_t list", lambda: RNN_CELL([[1.0] * 3], H4), TypeError, "x_t", "list"),
    case(rnn.RNN, "input_size True", lambda: rnn.RNN(True, 4), TypeError, "input_size", "True"),
    case(rnn.RNN, "forward h0 str", lambda: RNN_(X3, "zeros"), TypeError, "h0", "str"),
    case(rnn.copy_from_torch, "theirs str", lambda: rnn.copy_from_torch(RNN_, "rnn"), TypeError, "theirs", "str"),
    case(rnn.copy_to_torch, "ours None", lambda: rnn.copy_to_torch(None, nn.RNN(3, 4)), TypeError, "ours", "None"),
    case(
        lstm.lstm_step, "C_prev str", lambda: lstm.lstm_step(X3[:, 0], H4, "C", W_X, W_H, B_X, B_H), TypeError,
        "C_prev", "str",
    ),
    case(lstm.LSTMCell, "forget_bias str", lambda: lstm.LSTMCell(3, 4, "1"), TypeError, "forget_bias", "str"),
    case(lstm.LSTMCell, "forward state tensor", lambda: CELL(X3[:, 0], H4), TypeError, "state", "Tensor"),
    case(lstm.LSTM, "hidden_size 4.0", lambda: lstm.LSTM(3, 4.0), TypeError, "hidden_size", "4.0"),
    case(lstm.LSTM, "forward state str", lambda: LSTM_(X3, "abc"), TypeError, "state", "str"),
    case(lstm.copy_to_torch, "ours str", lambda: lstm.copy_to_torch("ours", nn.LSTM(3, 4)), TypeError, "ours", "str"),
    case(lstm.set_forget_bias, "module function", lambda: lstm.set_forget_bias(abs, 1.0), TypeError, "module", "abs"),
    case(lstm.set_forget_bias, "value None", lambda: lstm.set_forget_bias(LSTM_, None), TypeError, "value", "None"),
    case(measure.max_error, "ours list", lambda: measure.max_error([1.0], torch.zeros(1)), TypeError, "ours", "list"),
    case(measure.gradient_by_lag, "hidden_states str", lambda: measure.gradient_by_lag("rnn", X3), TypeError,
         "hidden_states", "str"),
    case(session.seed_everything, "seed str", lambda: session.seed_everything("0"), TypeError, "seed", "str"),
    case(session.seed_from_environment, "environ list", lambda: session.seed_from_environment(["x"]), TypeError,
         "environ", "list"),
    case(session.setup, "threads 1.5", lambda: session.setup(0, threads=1.5), TypeError, "threads", "1.5"),
    case(gates.trace, "lstm str", lambda: gates.trace("lstm", X3), TypeError, "lstm", "str"),
    case(gates.trace, "units str", lambda: gates.trace(LSTM_, X3, units="1"), TypeError, "units", "str"),
    case(gates.trace, "values str", lambda: gates.trace(LSTM_, X3, units=[1], values="0"), TypeError, "values", "str"),
    case(gates.saturation, "gate list", lambda: gates.saturation([0.5]), TypeError, "gate", "list"),
    case(gates.saturation, "low str", lambda: gates.saturation(REC.f_t, low="0.1"), TypeError, "low", "str"),
    case(gates.saturation_table, "recording str", lambda: gates.saturation_table("rec"), TypeError, "recording", "str"),
    case(gates.units_by_memory, "step 1.5", lambda: gates.units_by_memory(REC, Y2, step=1.5), TypeError, "step", "1.5"),
    case(gates.LSTMTrace.check_index, "seq 1.5", lambda: REC.check_index(1.5, 0), TypeError, "seq", "1.5"),
    case(gates.LSTMTrace.values_at, "unit str", lambda: REC.values_at(0, 0, "1"), TypeError, "unit", "'1'"),
    case(train.fit, "model function", lambda: _fit(model=abs), TypeError, "model", "abs"),
    case(train.fit, "loss_fn str", lambda: _fit(loss_fn="mse"), TypeError, "loss_fn", "str"),
    case(train.fit, "data None", lambda: _fit(data=None), TypeError, "data", "None"),
    case(train.fit, "steps str", lambda: _fit(steps="10"), TypeError, "steps", "str"),
    case(train.fit, "lr str", lambda: _fit(lr="0.1"), TypeError, "lr", "str"),
    case(train.fit, "optimizer str", lambda: _fit(optimizer="adam"), TypeError, "optimizer", "str"),
    case(train.fit, "optimizer class", lambda: _fit(optimizer=torch.optim.Adam), TypeError, "optimizer", "type"),
    case(train.fit, "seed None", lambda: _fit(seed=None), TypeError, "seed", "None"),
    case(train.fit, "callback 3", lambda: _fit(callback=3), TypeError, "callback", "3"),
    case(train.fit, "progress str", lambda: _fit(progress="yes"), TypeError, "progress", "str"),
    case(train.fit, "desc 3", lambda: _fit(desc=3), TypeError, "desc", "3"),
    case(train.fit, "loss a float", lambda: _fit(loss_fn=lambda m, x: 0.5), TypeError, "loss_fn", "0.5"),
    case(tasks.SequenceClassifier, "recurrent function", lambda: tasks.SequenceClassifier(abs, 2), TypeError,
         "recurrent", "abs"),
    case(tasks.SequenceClassifier, "forward x list", lambda: CLS([[1.0]]), TypeError, "x", "list"),
    case(tasks.accuracy, "model str", lambda: tasks.accuracy("model", X3, Y2), TypeError, "model", "str"),
    case(tasks.make_recall_batch, "lag str", lambda: tasks.make_recall_batch(2, 5, "1", 3, gen()),
         TypeError, "lag", "str"),
    case(tasks.make_memory_batch, "delay str", lambda: tasks.make_memory_batch(2, 5, "2", generator=gen()), TypeError,
         "delay", "str"),
    case(tasks.delay_test_batch, "seed None", lambda: tasks.delay_test_batch(3, seed=None), TypeError, "seed", "None"),
    case(tasks.train_memory, "seed str", lambda: tasks.train_memory(CLS, seq_len=5, seed="0"),
         TypeError, "seed", "str"),
    case(tasks.describe_step, "letters 3", lambda: tasks.describe_step(torch.zeros(5), letters=3), TypeError,
         "letters", "3"),
    case(corpus.pronoun_for, "gender str", lambda: corpus.pronoun_for("0", 0), TypeError, "gender", "str"),
    case(corpus.Vocab, "words str", lambda: corpus.Vocab("abc"), TypeError, "words", "str"),
    case(corpus.Vocab.encode, "words str", lambda: VOCAB.encode("the"), TypeError, "words", "str"),
    case(corpus.Vocab.decode, "ids float", lambda: VOCAB.decode([1.5]), TypeError, "ids[0]", "1.5"),
    case(corpus.noun_features, "noun int", lambda: corpus.noun_features(3), ValueError, "noun", "3"),
    case(corpus.make_text, "rng None", lambda: corpus.make_text(None, ["king"], [1]), TypeError, "rng", "None"),
    case(corpus.make_text, "subjects str", lambda: corpus.make_text(random.Random(0), "king", [1]), TypeError,
         "subjects", "str"),
    case(corpus.subject_pairs, "held_out str", lambda: corpus.subject_pairs("0.2"), TypeError, "held_out", "str"),
    case(corpus.generate, "seed 1.5", lambda: corpus.generate(3, 1.5, [("king", "queen")]), TypeError, "seed", "1.5"),
    case(corpus.make_corpus, "n_train str", lambda: corpus.make_corpus(n_train="10"), TypeError, "n_train", "str"),
    case(corpus.word_roles, "text str", lambda: corpus.word_roles("the king"), TypeError, "text", "str"),
    case(corpus.encode_texts, "texts of str", lambda: corpus.encode_texts(["the king"], VOCAB), TypeError,
         "texts[0]", "str"),
    case(corpus.encode_texts, "vocab None", lambda: corpus.encode_texts(TEXTS, None), TypeError, "vocab", "None"),
    case(language_model.WordLM, "forget_bias str", lambda: language_model.WordLM(10, forget_bias="1"), TypeError,
         "forget_bias", "str"),
    case(language_model.WordLM.check_tokens, "tokens list", lambda: LM.check_tokens([[1, 2]]), TypeError,
         "tokens", "list"),
    case(language_model.WordLM.inputs, "tokens list", lambda: LM.inputs([[1, 2]]), TypeError, "tokens", "list"),
    case(language_model.check_tokens, "tokens list", lambda: language_model.check_tokens([[1]], 10), TypeError,
         "tokens", "list"),
    case(language_model.check_word_lm, "model str", lambda: language_model.check_word_lm("lm"), TypeError,
         "model", "str"),
    case(language_model.next_word_loss, "pad_id str", lambda: language_model.next_word_loss(LM, TOKENS, "0"),
         TypeError, "pad_id", "str"),
    case(language_model.train_lm, "model str", lambda: language_model.train_lm("m", TOKENS), TypeError, "model", "str"),
    case(language_model.BigramLM, "vocab_size str", lambda: language_model.BigramLM(TOKENS, "74"), TypeError,
         "vocab_size", "str"),
    case(language_model.BigramLM.__call__, "tokens list", lambda: BIGRAM([[1]]), TypeError, "tokens", "list"),
    case(language_model.next_word_scores, "model function", lambda: language_model.next_word_scores(abs, TOKENS),
         TypeError, "model", "abs"),
    case(language_model.agreement_correct, "vocab str",
         lambda: language_model.agreement_correct(SCORES, TEXTS, "vocab", "pronoun"), TypeError, "vocab", "str"),
    case(language_model.agreement_accuracy, "texts str", lambda: language_model.agreement_accuracy(LM, "t", VOCAB),
         TypeError, "texts", "str"),
    case(probes.positions, "labels float", lambda: probes.positions(REC.C_t, torch.zeros(2, 5)), TypeError,
         "labels", "torch.float32"),
    case(probes.unit_correlations, "y float", lambda: probes.unit_correlations(X_UNITS, Y_UNITS.float()), TypeError,
         "y", "torch.float32"),
    case(probes.UnitThresholds.predict, "X list", lambda: THRESHOLDS.predict([[1.0] * 4]), TypeError, "X", "list"),
    case(probes.fit_unit_thresholds, "X str", lambda: probes.fit_unit_thresholds("X", Y_UNITS), TypeError, "X", "str"),
    case(probes.single_unit_accuracy, "y_test str",
         lambda: probes.single_unit_accuracy(X_UNITS, Y_UNITS, X_UNITS, "y"), TypeError, "y_test", "str"),
    case(probes.LinearProbe, "mean list", lambda: probes.LinearProbe([0.0], torch.ones(1)), TypeError, "mean", "list"),
    case(probes.LinearProbe, "forward X str", lambda: PROBE("X"), TypeError, "X", "str"),
    case(probes.LinearProbe.accuracy, "y list", lambda: PROBE.accuracy(X_UNITS, [0, 1]), TypeError, "y", "list"),
    case(probes.fit_linear_probe, "weight_decay str", lambda: probes.fit_linear_probe(X_UNITS, Y_UNITS, "0.1"),
         TypeError, "weight_decay", "str"),
    case(probes.label_grid, "texts str", lambda: probes.label_grid("texts", "gender"), TypeError, "texts", "str"),
    case(probes.find_units, "model str", lambda: probes.find_units("m", TEXTS, TEXTS, VOCAB),
         TypeError, "model", "str"),
    case(probes.mean_by_role, "texts str", lambda: probes.mean_by_role(torch.zeros(4, 60), "t"), TypeError,
         "texts", "str"),
    case(interventions.held_logits, "vocab str", lambda: interventions.held_logits(LM, TEXTS, "v"), TypeError,
         "vocab", "str"),
    case(interventions.random_units, "exclude str", lambda: interventions.random_units(8, 2, exclude="0"), TypeError,
         "exclude", "str"),
    case(interventions.intervene, "units str", lambda: interventions.intervene(LM, TEXTS, VOCAB, "1"), TypeError,
         "units", "str"),
    case(interventions.he_she_predictions, "model str", lambda: interventions.he_she_predictions("m", TEXTS, VOCAB),
         TypeError, "model", "str"),
    case(interventions.flip_values, "steps str", lambda: interventions.flip_values(TEXTS, torch.zeros(2, 1), "60"),
         TypeError, "steps", "str"),
    case(interventions.gender_means, "units str", lambda: interventions.gender_means(LM, TEXTS, VOCAB, "0"), TypeError,
         "units", "str"),
    case(interventions.prove, "gender_unit str", lambda: interventions.prove(LM, TEXTS, TEXTS, VOCAB, "0", 1),
         TypeError, "gender_unit", "str"),
    case(plots.draw_words, "ax str", lambda: plots.draw_words("ax", TEXTS[0]), TypeError, "ax", "str"),
    case(plots.draw_words, "text str", lambda: plots.draw_words(matplotlib.pyplot.gca(), "t"),
         TypeError, "text", "str"),
    case(series.random_shifts, "T str", lambda: series.random_shifts(3, "20", seed=0), TypeError, "T", "str"),
    case(series.random_shifts, "seed str", lambda: series.random_shifts(3, seed="0"), TypeError, "seed", "str"),
    case(series.sine_waves, "shifts list", lambda: series.sine_waves([1, 2], 10), TypeError, "shifts", "list"),
    case(series.sine_waves, "dtype int64", lambda: series.sine_waves(torch.tensor([1]), 10, dtype=torch.int64),
         TypeError, "dtype", "torch.int64"),
    case(series.classic_sine_data, "seed None", lambda: series.classic_sine_data(seed=None), TypeError, "seed", "None"),
    case(series.mackey_glass, "beta str", lambda: series.mackey_glass(10, beta="0.2"), TypeError, "beta", "str"),
    case(series.two_sines, "seed None", lambda: series.two_sines(10, seed=None), TypeError, "seed", "None"),
    case(series.two_sines, "periods a number", lambda: series.two_sines(10, periods=5.0, seed=0), TypeError,
         "periods", "5.0"),
    case(series.MonthlySeries.year_month, "i 1.5", lambda: MONTHLY.year_month(1.5), TypeError, "i", "1.5"),
    case(series.MonthlySeries.label, "i str", lambda: MONTHLY.label("0"), TypeError, "i", "str"),
    case(series.MonthlySeries.index, "year str", lambda: MONTHLY.index("1990", 1), TypeError, "year", "str"),
    case(series.read_weekly_csv, "path int", lambda: series.read_weekly_csv(3), TypeError, "path", "3"),
    case(series.interpolate_gaps, "values list", lambda: series.interpolate_gaps([1.0]), TypeError, "values", "list"),
    case(series.monthly_means, "weekly str", lambda: series.monthly_means("w"), TypeError, "weekly", "str"),
    case(windows.as_series, "series list", lambda: windows.as_series([1.0, 2.0]), TypeError, "series", "list"),
    case(windows.as_batch, "x ndarray", lambda: windows.as_batch(np.zeros(3)), TypeError, "x", "ndarray"),
    case(windows.sliding_windows, "length str", lambda: windows.sliding_windows(SERIES, "5"),
         TypeError, "length", "str"),
    case(windows.split_window, "context 2.5", lambda: windows.split_window(W, 2.5), TypeError, "context", "2.5"),
    case(splits.Span, "stop float", lambda: splits.Span(0, 4.0), TypeError, "stop", "4.0"),
    case(splits.Split, "train tuple", lambda: splits.Split((0, 30), SPLIT.valid, SPLIT.test), TypeError, "train",
         "(0, 30)"),
    case(splits.Split.check_fits, "n_steps str", lambda: SPLIT.check_fits("60"), TypeError, "n_steps", "str"),
    case(splits.Split.cut, "series list", lambda: SPLIT.cut([1.0] * 60), TypeError, "series", "list"),
    case(splits.chronological_split, "valid_start str", lambda: splits.chronological_split(100, "60", 80), TypeError,
         "valid_start", "str"),
    case(splits.chronological_split, "fractions str", lambda: splits.chronological_split(100, fractions="abc"),
         TypeError, "fractions", "str"),
    case(splits.origin_windows, "span tuple", lambda: splits.origin_windows(SERIES, (30, 40), 4, 2), TypeError,
         "span", "tuple"),
    case(splits.Scaler, "mean list", lambda: splits.Scaler([0.0], torch.ones(1)), TypeError, "mean", "list"),
    case(splits.Scaler.transform, "x list", lambda: SCALER2.transform([1.0, 2.0]), TypeError, "x", "list"),
    case(splits.Scaler.inverse, "z int64", lambda: SCALER2.inverse(torch.zeros(3, 2, dtype=torch.long)), TypeError,
         "z", "torch.int64"),
    case(splits.Scaler.check_features, "None", lambda: SCALER2.check_features(None, "x"), TypeError, "x", "None"),
    case(splits.fit_scaler, "span tuple", lambda: splits.fit_scaler(SERIES, (0, 30)), TypeError, "span", "tuple"),
    case(splits.difference, "series list", lambda: splits.difference([1.0, 2.0]), TypeError, "series", "list"),
    case(splits.undifference, "d str", lambda: splits.undifference(PRED[:, :1], "d"), TypeError, "d", "str"),
    case(splits.Differencer, "scaler str", lambda: splits.Differencer("scaler"), TypeError, "scaler", "str"),
    case(splits.Differencer.encode, "levels list", lambda: DIFF.encode([1.0]), TypeError, "levels", "list"),
    case(splits.Differencer.decode, "z str", lambda: DIFF.decode(PRED[:, :1], "z"), TypeError, "z", "str"),
    case(splits.fit_differencer, "span list", lambda: splits.fit_differencer(SERIES, [0, 30]),
         TypeError, "span", "list"),
    case(splits.OnDifferences, "model function", lambda: splits.OnDifferences(abs, DIFF), TypeError, "model", "abs"),
    case(splits.OnDifferences, "differencer str", lambda: splits.OnDifferences(FC, "d"),
         TypeError, "differencer", "str"),
    case(splits.OnDifferences, "forward state str", lambda: ON_DIFF(W, "abc"), TypeError, "state", "str"),
    case(fc.Forecaster, "residual str", lambda: fc.Forecaster(residual="no"), TypeError, "residual", "str"),
    case(fc.Forecaster, "forward state str", lambda: FC(W, "abc"), TypeError, "state", "str"),
    case(fc.run_free, "state str", lambda: fc.run_free(FC, W, 3, state="abc"), TypeError, "state", "str"),
    case(fc.run_free, "model function", lambda: fc.run_free(abs, W, 3), TypeError, "model", "abs"),
    case(fc.forecast, "model function", lambda: fc.forecast(abs, W, 3), TypeError, "model", "abs"),
    case(fc.one_step_loss, "model str", lambda: fc.one_step_loss("m", W), TypeError, "model", "str"),
    case(fc.closed_loop_loss, "context str", lambda: fc.closed_loop_loss(FC, W, "2"), TypeError, "context", "str"),
    case(fc.Stage, "horizon str", lambda: fc.Stage(0, "5", 1, 1), TypeError, "horizon", "str"),
    case(fc.fit_free_run, "stages of tuples", lambda: fc.fit_free_run(FC, SERIES, [(0, 5, 1, 2)]), TypeError,
         "stages[0]", "tuple"),
    case(fc.fit_free_run, "seed None", lambda: fc.fit_free_run(FC, SERIES, [fc.Stage(0, 5, 1, 2)], seed=None),
         TypeError, "seed", "None"),
    case(fc.DirectForecaster, "horizon str", lambda: fc.DirectForecaster(horizon="3"), TypeError, "horizon", "str"),
    case(fc.DirectForecaster, "forward x list", lambda: DFC([[1.0]]), TypeError, "x", "list"),
    case(fc.direct_forecast, "differencer str", lambda: fc.direct_forecast(DFC, W, "d"), TypeError,
         "differencer", "str"),
    case(metrics.check_forecast_pair, "prediction list", lambda: metrics.check_forecast_pair([1.0], PRED), TypeError,
         "prediction", "list"),
    case(metrics.mse_by_horizon, "truth list", lambda: metrics.mse_by_horizon(PRED, [0.0]), TypeError, "truth", "list"),
    case(metrics.mae_by_horizon, "prediction str", lambda: metrics.mae_by_horizon("p", PRED), TypeError,
         "prediction", "str"),
    case(metrics.windowed_mse, "model function", lambda: metrics.windowed_mse(abs, SERIES, 4, 2), TypeError,
         "model", "abs"),
    case(metrics.seasonal_naive_scale, "period 12.0", lambda: metrics.seasonal_naive_scale(SERIES, 12.0), TypeError,
         "period", "12.0"),
    case(metrics.mase_by_horizon, "scale str", lambda: metrics.mase_by_horizon(PRED, PRED, "1"), TypeError,
         "scale", "str"),
    case(metrics.mase_by_horizon, "scale True", lambda: metrics.mase_by_horizon(PRED, PRED, True), TypeError,
         "scale", "True"),
    case(baselines.lagged, "order str", lambda: baselines.lagged(X3, "2"), TypeError, "order", "str"),
    case(baselines.LinearAR, "A list", lambda: baselines.LinearAR([[[1.0]]], torch.zeros(1)), TypeError, "A", "list"),
    case(baselines.LinearAR, "forward state str", lambda: AR(W, "abc"), TypeError, "state", "str"),
    case(baselines.seasonal_naive, "dtype str", lambda: baselines.seasonal_naive(12, dtype="float32"), TypeError,
         "dtype", "str"),
    case(baselines.fit_ar, "intercept str", lambda: baselines.fit_ar(SERIES, 2, intercept="yes"), TypeError,
         "intercept", "str"),
    case(baselines.select_ar_order, "orders str", lambda: baselines.select_ar_order(SERIES, SERIES, "123"), TypeError,
         "orders", "str"),
    case(diagrams.draw_lstm_cell, "title 3", lambda: diagrams.draw_lstm_cell(title=3), TypeError, "title", "3"),
    case(diagrams.draw_lstm_cell, "ax str", lambda: diagrams.draw_lstm_cell(ax="ax"), TypeError, "ax", "str"),
    case(diagrams.check_values, "values list", lambda: diagrams.check_values([1]), TypeError, "values", "list"),
    case(diagrams.check_highlight, "highlight str", lambda: diagrams.check_highlight("forget_gate"), TypeError,
         "highlight", "forget_gate"),
    case(diagrams.render_png, "fig str", lambda: diagrams.render_png("fig"), TypeError, "fig", "str"),
    case(diagrams.show_figure, "name 3", lambda: diagrams.show_figure(3), TypeError, "name", "3"),
    case(widgets_gate.cell_write, "z_f str", lambda: widgets_gate.cell_write("1", 0, 0, 0), TypeError, "z_f", "str"),
    case(widgets_gate.describe_write, "w str", lambda: widgets_gate.describe_write("w"), TypeError, "w", "str"),
    case(widgets_gate.draw_cell_write, "z_i None", lambda: widgets_gate.draw_cell_write(0, None, 0, 0), TypeError,
         "z_i", "NoneType"),
    case(widgets_gate.GateSliders, "z_f str", lambda: widgets_gate.GateSliders(z_f="2"), TypeError, "z_f", "str"),
    case(gate_timeline.draw_heatmaps, "recording str", lambda: gate_timeline.draw_heatmaps("rec", 0), TypeError,
         "recording", "str"),
    case(gate_timeline.draw_heatmaps, "names str", lambda: gate_timeline.draw_heatmaps(REC, 0, names="f_t"), TypeError,
         "names", "str"),
    case(gate_timeline.draw_heatmaps, "title 3", lambda: gate_timeline.draw_heatmaps(REC, 0, title=3), TypeError,
         "title", "3"),
    case(gate_timeline.TimelineExplorer, "unit 1.5", lambda: gate_timeline.TimelineExplorer(REC, 1.5), TypeError,
         "unit", "1.5"),
    case(gate_timeline.TimelineExplorer, "describe_input 3",
         lambda: gate_timeline.TimelineExplorer(REC, 1, describe_input=3), TypeError, "describe_input", "3"),
    case(gate_timeline.TimelineExplorer, "seq_labels str",
         lambda: gate_timeline.TimelineExplorer(REC, 1, seq_labels="ab"), TypeError, "seq_labels", "str"),
    case(gate_timeline.TimelineExplorer, "t_marks float",
         lambda: gate_timeline.TimelineExplorer(REC, 1, t_marks=[1.5, 2.0]), TypeError, "t_marks[0]", "1.5"),
    case(gate_timeline.TimelineExplorer.values, "seq str", lambda: EXPLORER.values("0", 0), TypeError, "seq", "'0'"),
    case(gate_timeline.TimelineExplorer.html, "step 1.5", lambda: EXPLORER.html(0, 1.5), TypeError, "step", "1.5"),
    case(gate_timeline.TimelineExplorer.figure, "seq None", lambda: EXPLORER.figure(None, 0), TypeError, "seq", "None"),
    case(gate_timeline.TimelineExplorer.set_unit, "unit str", lambda: EXPLORER.set_unit("1"), TypeError, "unit", "'1'"),
    case(gate_timeline.TimelineExplorer.png, "step True", lambda: EXPLORER.png(0, True), TypeError, "step", "True"),
    case(gate_timeline.TimelineExplorer.widget, "units str", lambda: EXPLORER.widget(units="01"), TypeError,
         "units", "str"),
    case(widgets_gate.draw_gate_sliders, "fig str", lambda: widgets_gate.draw_gate_sliders(0, 0, 0, 0, fig="f"),
         TypeError, "fig", "str"),
    case(widget_fallback.png_size, "str", lambda: widget_fallback.png_size("x.png"), TypeError, "png", "str"),
    case(widget_fallback.fallback_bundle, "note None", lambda: widget_fallback.fallback_bundle(PNG, None, None),
         TypeError, "note", "None"),
    case(widget_fallback.picture_box, "picture str", lambda: widget_fallback.picture_box([], "img", "a note"),
         TypeError, "picture", "str"),
    case(widget_fallback.fit_picture, "width str", lambda: widget_fallback.fit_picture(IMAGE, "930px"), TypeError,
         "width", "'930px'"),
    case(style.text_px, "points str", lambda: style.text_px("10.5"), TypeError, "points", "str"),
    case(style.displayed_width, "pixel_width float", lambda: style.displayed_width(930.5), TypeError,
         "pixel_width", "930.5"),
    case(validate.check_int, "str", lambda: validate.check_int("3", "n"), TypeError, "n", "str"),
    case(validate.check_positive_int, "True", lambda: validate.check_positive_int(True, "n"), TypeError, "n", "True"),
    case(validate.check_seed, "None", lambda: validate.check_seed(None), TypeError, "seed", "None"),
    case(validate.check_number, "str", lambda: validate.check_number("1", "lr"), TypeError, "lr", "str"),
    case(validate.check_positive, "None", lambda: validate.check_positive(None, "T"), TypeError, "T", "None"),
    case(validate.check_fraction, "bool", lambda: validate.check_fraction(False, "p"), TypeError, "p", "False"),
    case(validate.check_flag, "int", lambda: validate.check_flag(1, "progress"), TypeError, "progress", "1"),
    case(validate.check_text, "int", lambda: validate.check_text(3, "title"), TypeError, "title", "3"),
    case(validate.check_dtype, "str", lambda: validate.check_dtype("float32"), TypeError, "dtype", "str"),
    case(validate.check_module, "function", lambda: validate.check_module(abs, "model"), TypeError, "model", "abs"),
    case(validate.check_callable, "int", lambda: validate.check_callable(3, "f", "a function"), TypeError, "f", "3"),
    case(validate.check_instance, "str", lambda: validate.check_instance("x", "span", int, "an int"), TypeError,
         "span", "str"),
    case(validate.check_items, "str", lambda: validate.check_items("ab", "units", int), TypeError, "units", "str"),
    case(validate.check_items, "item", lambda: validate.check_items([1, "2"], "units", int), TypeError, "units[1]",
         "str"),
    case(validate.check_index, "float", lambda: validate.check_index(1.0, "seq", 3), TypeError, "seq", "1.0"),
    case(validate.check_indices, "str", lambda: validate.check_indices("1", "ids", 3), TypeError, "ids", "str"),
    case(validate.check_tensor, "list", lambda: validate.check_tensor([1.0], "x", ("n",)), TypeError, "x", "list"),
    case(validate.check_shapes, "list", lambda: validate.check_shapes(("x", [1.0], ("n",))), TypeError, "x", "list"),
    case(validate.check_labels, "list", lambda: validate.check_labels([0, 1], "y"), TypeError, "y", "list"),
    case(validate.check_same, "dtypes", lambda: validate.check_same(H4, H4.double(), ("h", "c")), TypeError,
         "h", "c", "torch.float64"),
    case(validate.check_model_input, "dtype", lambda: validate.check_model_input(W.double(), "windows", FC),
         TypeError, "windows", "torch.float64"),
]

# ---------------------------------------------------------------------------------------------
# 2. Wrong dtype: an integer tensor where a float one is needed; float64 where the model is float32
#    (refused with both dtypes named; see helpers.validate for the functions that convert instead).

WRONG_DTYPE = [
    case(rnn.RNN, "x float64", lambda: RNN_(X3.double()), TypeError, "x", "torch.float64"),
    case(rnn.RNN, "h0 float64", lambda: RNN_(X3, H4.double()), TypeError, "h0", "torch.float64"),
    case(rnn.RNNCell, "h_prev int64", lambda: RNN_CELL(X3[:, 0], H4.long()), TypeError, "h_prev", "torch.int64"),
    case(rnn.rnn_step, "x_t float64", lambda: rnn.rnn_step(X3[:, 0].double(), H4, W_XH, W_HH, B), TypeError,
         "x_t", "torch.float64"),
    case(lstm.lstm_step, "C_prev float64",
         lambda: lstm.lstm_step(X3[:, 0], H4, H4.double(), W_X, W_H, B_X, B_H), TypeError, "C_prev", "torch.float64"),
    case(lstm.LSTMCell, "state float64", lambda: CELL(X3[:, 0], (H4, H4.double())), TypeError, "C_prev",
         "torch.float64"),
    case(lstm.LSTM, "x int32", lambda: LSTM_(X3.int()), TypeError, "x", "torch.int32"),
    case(gates.trace, "x int64", lambda: gates.trace(LSTM_, X3.long()), TypeError, "x", "torch.int64"),
    case(gates.trace, "when float", lambda: gates.trace(LSTM_, X3, units=[1], when=torch.ones(2, 5)), TypeError,
         "when", "torch.float32"),
    case(gates.units_by_memory, "y float", lambda: gates.units_by_memory(REC, Y2.float()), TypeError, "y",
         "torch.float32"),
    case(gates.saturation, "gate int64", lambda: gates.saturation(torch.zeros(3, dtype=torch.long)), TypeError,
         "gate", "torch.int64"),
    case(measure.gradient_by_lag, "x int64", lambda: measure.gradient_by_lag(LSTM_, X3.long()), TypeError,
         "x", "torch.int64"),
    case(measure.max_error, "float64", lambda: measure.max_error(H4, H4.double()), TypeError, "reference",
         "torch.float64"),
    case(tasks.accuracy, "x float64", lambda: tasks.accuracy(CLS, X3.double(), Y2), TypeError, "x", "torch.float64"),
    case(tasks.classification_loss, "y float", lambda: tasks.classification_loss(CLS, X3, Y2.float()), TypeError,
         "y", "torch.float32"),
    case(tasks.describe_step, "x_t int64", lambda: tasks.describe_step(torch.zeros(5, dtype=torch.long)), TypeError,
         "x_t", "torch.int64"),
    case(language_model.WordLM, "forward tokens float", lambda: LM(torch.zeros(2, 3)), TypeError, "tokens",
         "torch.float32"),
    case(language_model.BigramLM, "tokens int32", lambda: language_model.BigramLM(TOKENS.int(), 74), TypeError,
         "tokens", "torch.int32"),
    case(probes.positions, "states int64", lambda: probes.positions(REC.C_t.long(), torch.zeros(2, 5).long()),
         TypeError, "states", "torch.int64"),
    case(probes.LinearProbe, "forward X int64", lambda: PROBE(X_UNITS.long()), TypeError, "X", "torch.int64"),
    case(series.interpolate_gaps, "values int64", lambda: series.interpolate_gaps(torch.arange(5)), TypeError,
         "values", "torch.int64"),
    case(windows.sliding_windows, "series int64", lambda: windows.sliding_windows(torch.arange(10), 3), TypeError,
         "series", "torch.int64"),
    case(splits.difference, "series int64", lambda: splits.difference(torch.zeros(5, 1, dtype=torch.long)), TypeError,
         "series", "torch.int64"),
    case(splits.Scaler.transform, "x int64", lambda: SCALER2.transform(torch.zeros(5, 2, dtype=torch.long)),
         TypeError, "x", "torch.int64"),
    case(fc.Forecaster, "forward x float64", lambda: FC(W.double()), TypeError, "x", "torch.float64"),
    case(fc.Forecaster, "forward state float64", lambda: FC(W, [(torch.zeros(4, 4).double(), torch.zeros(4, 4))]),
         TypeError, "state[0][0]", "torch.float64"),
    case(fc.forecast, "context float64", lambda: fc.forecast(FC, W.double(), 3), TypeError, "context", "torch.float64"),
    case(fc.run_free, "context float64", lambda: fc.run_free(FC, W.double(), 3), TypeError, "context", "torch.float64"),
    case(fc.one_step_loss, "windows float64", lambda: fc.one_step_loss(FC, W.double()), TypeError, "windows",
         "torch.float64"),
    case(fc.closed_loop_loss, "windows float64", lambda: fc.closed_loop_loss(FC, W.double(), 3), TypeError, "windows",
         "torch.float64"),
    case(fc.DirectForecaster, "forward x float64", lambda: DFC(W.double()), TypeError, "x", "torch.float64"),
    case(fc.direct_loss, "windows int64", lambda: fc.direct_loss(DFC, W.long()), TypeError, "windows", "torch.int64"),
    case(fc.direct_forecast, "context float64", lambda: fc.direct_forecast(DFC, W.double()), TypeError, "context",
         "torch.float64"),
    case(metrics.mse_by_horizon, "prediction int64", lambda: metrics.mse_by_horizon(PRED.long(), PRED), TypeError,
         "prediction", "torch.int64"),
    case(baselines.LinearAR, "A int64", lambda: baselines.LinearAR(torch.ones(1, 1, 1).long(), torch.zeros(1)),
         TypeError, "A", "torch.int64"),
    case(baselines.LinearAR, "forward x float64", lambda: AR(W.double()), TypeError, "x", "torch.float64"),
    case(baselines.Persistence, "forward x int64", lambda: baselines.Persistence()(W.long()), TypeError, "x",
         "torch.int64"),
    case(validate.check_labels, "float", lambda: validate.check_labels(torch.zeros(3), "y"), TypeError, "y",
         "torch.float32"),
]

# ---------------------------------------------------------------------------------------------
# 3. Wrong shape or number of dimensions.

WRONG_SHAPE = [
    case(rnn.RNN, "x 2-d", lambda: RNN_(X3[0]), ValueError, "x", "3 dimensions", "(5, 3)"),
    case(rnn.rnn_step, "x_t 3-d", lambda: rnn.rnn_step(X3, H4, W_XH, W_HH, B), ValueError, "x_t", "(2, 5, 3)"),
    case(lstm.LSTMCell, "forward x_t 3-d", lambda: CELL(X3), ValueError, "x_t", "(2, 5, 3)"),
    case(lstm.lstm_step, "C_prev 1-d", lambda: lstm.lstm_step(X3[:, 0], H4, torch.zeros(4), W_X, W_H, B_X, B_H),
         ValueError, "C_prev", "(4,)"),
    case(lstm.lstm_step, "W_h not 4 gates",
         lambda: lstm.lstm_step(X3[:, 0], H4, H4, W_X, torch.zeros(16, 16), B_X, B_H),
         ValueError, "W_h", "(16, 16)"),
    case(gates.trace, "x 2-d", lambda: gates.trace(LSTM_, X3[0]), ValueError, "x", "(5, 3)"),
    case(gates.trace, "values 1-d", lambda: gates.trace(LSTM_, X3, units=[1], values=torch.zeros(2)), ValueError,
         "values", "(2,)"),
    case(gates.units_by_memory, "y 2-d", lambda: gates.units_by_memory(REC, Y2[None]), ValueError, "y", "(1, 2)"),
    case(measure.gradient_by_lag, "h 2-d", lambda: measure.gradient_by_lag(lambda x: x[:, -1], X3), ValueError,
         "hidden_states(x)", "(2, 3)"),
    case(tasks.describe_step, "x_t 2-d", lambda: tasks.describe_step(X3[0]), ValueError, "x_t", "(5, 3)"),
    case(language_model.WordLM, "forward tokens 3-d", lambda: LM(TOKENS[None]), ValueError, "tokens", "2 dimensions"),
    case(probes.positions, "states 2-d", lambda: probes.positions(REC.C_t[0], Y2), ValueError, "states", "(5, 4)"),
    case(probes.unit_correlations, "X 3-d", lambda: probes.unit_correlations(REC.C_t, Y2),
         ValueError, "X", "(2, 5, 4)"),
    case(interventions.flip_values, "unit_means 3 rows",
         lambda: interventions.flip_values(TEXTS, torch.zeros(3, 1), 60), ValueError, "unit_means", "(3, 1)"),
    case(series.sine_waves, "shifts 2-d", lambda: series.sine_waves(torch.zeros(2, 2), 10), ValueError, "shifts",
         "(2, 2)"),
    case(series.interpolate_gaps, "values 2-d", lambda: series.interpolate_gaps(torch.zeros(3, 2)), ValueError,
         "values", "(3, 2)"),
    case(windows.as_series, "3-d", lambda: windows.as_series(torch.zeros(2, 3, 4)), ValueError, "series", "(2, 3, 4)"),
    case(windows.as_batch, "4-d", lambda: windows.as_batch(torch.zeros(1, 2, 3, 4)), ValueError, "x", "(1, 2, 3, 4)"),
    case(windows.split_window, "windows 1-d", lambda: windows.split_window(SERIES, 2), ValueError, "windows", "(60,)"),
    case(splits.undifference, "last 2-d", lambda: splits.undifference(torch.zeros(2, 1), PRED), ValueError, "last",
         "(2, 1)"),
    case(splits.difference, "1-d", lambda: splits.difference(torch.zeros(5)), ValueError, "series", "(5,)"),
    case(splits.Differencer.encode, "levels 1-d", lambda: DIFF.encode(SERIES), ValueError, "levels", "(60,)"),
    case(fc.Forecaster, "forward x 2-d", lambda: FC(W[0]), ValueError, "x", "(6, 1)"),
    case(fc.one_step_loss, "windows 2-d", lambda: fc.one_step_loss(FC, W[0]), ValueError, "windows", "(6, 1)"),
    case(metrics.mse_by_horizon, "prediction 2-d", lambda: metrics.mse_by_horizon(PRED[0], PRED), ValueError,
         "prediction", "(3, 1)"),
    case(metrics.mase_by_horizon, "scale 2-d", lambda: metrics.mase_by_horizon(PRED, PRED, torch.ones(2, 2)),
         ValueError, "scale", "(2, 2)"),
    case(baselines.lagged, "x 2-d", lambda: baselines.lagged(X3[0], 2), ValueError, "x", "(5, 3)"),
    case(baselines.LinearAR, "A 2-d", lambda: baselines.LinearAR(torch.zeros(2, 1), torch.zeros(1)), ValueError,
         "A", "(2, 1)"),
    case(validate.check_tensor, "dims", lambda: validate.check_tensor(H4, "x", ("n",)), ValueError, "x", "(2, 4)"),
]

# ---------------------------------------------------------------------------------------------
# 4. Sizes that disagree between arguments: a state of the wrong length or width, features that do not
#    match a fitted scaler or a model, labels of another length, a state that would broadcast.

SIZES_DISAGREE = [
    case(rnn.RNN, "h0 batch 3", lambda: RNN_(X3, torch.zeros(3, 4)), ValueError, "h0", "batch=2", "(3, 4)"),
    case(rnn.RNNCell, "x_t 5 features", lambda: RNN_CELL(torch.randn(2, 5), H4), ValueError, "x_t", "features=3",
         "(2, 5)"),
    case(rnn.RNNCell, "h_prev width 5", lambda: RNN_CELL(X3[:, 0], torch.zeros(2, 5)), ValueError, "h_prev", "n_h=4"),
    case(rnn.rnn_step, "h_prev width 5", lambda: rnn.rnn_step(X3[:, 0], torch.zeros(2, 5), W_XH, W_HH, B), ValueError,
         "h_prev", "(2, 5)"),
    case(lstm.lstm_step, "C_prev batch 1 (broadcast)",
         lambda: lstm.lstm_step(X3[:, 0], H4, torch.zeros(1, 4), W_X, W_H, B_X, B_H), ValueError, "C_prev", "(1, 4)"),
    case(lstm.LSTMCell, "h_prev width 6", lambda: CELL(X3[:, 0], (torch.zeros(2, 6), H4)), ValueError, "h_prev",
         "hidden=4"),
    case(lstm.LSTM, "C0 batch 3", lambda: LSTM_(X3, (H4, torch.zeros(3, 4))), ValueError, "C0", "batch=2"),
    case(gates.trace, "h0 width 5", lambda: gates.trace(LSTM_, X3, (torch.zeros(2, 5), H4)), ValueError, "h0",
         "hidden=4"),
    case(gates.trace, "when time 4",
         lambda: gates.trace(LSTM_, X3, units=[1], when=torch.ones(2, 4, dtype=torch.bool)), ValueError, "when",
         "time=5"),
    case(measure.max_error, "shapes", lambda: measure.max_error(torch.zeros(2), torch.zeros(3)), ValueError, "ours",
         "reference", "(3,)"),
    case(gates.units_by_memory, "y of 3", lambda: gates.units_by_memory(REC, torch.tensor([0, 1, 0])), ValueError,
         "y", "n_seq=2"),
    case(tasks.accuracy, "y of 3", lambda: tasks.accuracy(CLS, X3, torch.tensor([0, 1, 0])), ValueError, "y",
         "batch=2"),
    case(tasks.classification_loss, "y of 3", lambda: tasks.classification_loss(CLS, X3, torch.tensor([0, 1, 0])),
         ValueError, "y", "(3,)"),
    case(tasks.SequenceClassifier, "forward x 2 features", lambda: CLS(torch.randn(2, 5, 2)), ValueError, "x",
         "features=3"),
    case(language_model.agreement_correct, "scores vocab 5",
         lambda: language_model.agreement_correct(torch.zeros(4, 60, 5), TEXTS, VOCAB, "pronoun"), ValueError,
         "scores", "vocab"),
    case(language_model.agreement_correct, "scores too short",
         lambda: language_model.agreement_correct(SCORES[:, :5], TEXTS, VOCAB, "pronoun"), ValueError, "scores",
         "time"),
    case(probes.mean_by_role, "values too short", lambda: probes.mean_by_role(torch.zeros(4, 3), TEXTS), ValueError,
         "values", "(4, 3)"),
    case(probes.positions, "labels time 4", lambda: probes.positions(REC.C_t, torch.zeros(2, 4, dtype=torch.long)),
         ValueError, "labels", "time=5"),
    case(probes.single_unit_accuracy, "X_test 3 units",
         lambda: probes.single_unit_accuracy(X_UNITS, Y_UNITS, X_UNITS[:, :3], Y_UNITS), ValueError, "X_test",
         "units=4"),
    case(probes.single_unit_accuracy, "y_train of 19",
         lambda: probes.single_unit_accuracy(X_UNITS, Y_UNITS[:-1], X_UNITS, Y_UNITS), ValueError, "y_train",
         absent=("y must",)),
    case(probes.UnitThresholds.predict, "X 3 units", lambda: THRESHOLDS.predict(X_UNITS[:, :3]), ValueError, "X",
         "units=4"),
    case(probes.LinearProbe, "std of 2", lambda: probes.LinearProbe(torch.zeros(3), torch.ones(2)), ValueError,
         "std", "units=3"),
    case(probes.LinearProbe.accuracy, "X 3 units", lambda: PROBE.accuracy(X_UNITS[:, :3], Y_UNITS), ValueError, "X",
         "units=4"),
    case(interventions.flip_values, "steps shorter than a text",
         lambda: interventions.flip_values(TEXTS, torch.zeros(2, 1), 3), ValueError, "steps", "3"),
    case(corpus.Vocab, "words repeat", lambda: corpus.Vocab(["a", "b", "a"]), ValueError, "words", "repeat", "'a'"),
    case(corpus.make_text, "2 subjects, 1 count", lambda: corpus.make_text(random.Random(0), ["king", "queen"], [1]),
         ValueError, "subject", "1 counts"),
    case(series.two_sines, "amplitudes of 1", lambda: series.two_sines(10, amplitudes=(1.0,), seed=0), ValueError,
         "amplitudes", "1"),
    case(series.two_sines, "periods of 3", lambda: series.two_sines(10, periods=(1.0, 2.0, 3.0), seed=0), ValueError,
         "periods", "3"),
    case(splits.Scaler.transform, "1 feature into a 2-feature scaler",
         lambda: SCALER2.transform(torch.zeros(4, 10, 1)), ValueError, "x", "2 features", "(4, 10, 1)"),
    case(splits.Scaler.inverse, "3 features", lambda: SCALER2.inverse(torch.zeros(4, 10, 3)), ValueError, "z",
         "(4, 10, 3)"),
    case(splits.Scaler, "std of 3", lambda: splits.Scaler(torch.zeros(2), torch.ones(3)), ValueError, "std",
         "features=2"),
    case(splits.undifference, "last batch 3", lambda: splits.undifference(torch.zeros(3, 1, 1), PRED), ValueError,
         "last", "batch=2"),
    case(splits.Differencer.decode, "z 2 features", lambda: DIFF.decode(PRED[:, :1], torch.zeros(2, 3, 2)),
         ValueError, "z", "(2, 3, 2)"),
    case(splits.OnDifferences, "forward state level of 2 features",
         lambda: ON_DIFF(W, (None, torch.zeros(4, 1, 2))), ValueError, "state[1]", "(4, 1, 2)"),
    case(fc.Forecaster, "forward state of 2 layers", lambda: FC(W, [(torch.zeros(4, 4),) * 2] * 2), TypeError,
         "state", "1 (h, c) pairs", "list of length 2"),
    case(fc.Forecaster, "forward state width 5", lambda: FC(W, [(torch.zeros(4, 5), torch.zeros(4, 5))]), ValueError,
         "state[0][0]", "hidden=4", "(4, 5)"),
    case(fc.Forecaster, "forward state batch 3", lambda: FC(W, [(torch.zeros(3, 4), torch.zeros(3, 4))]), ValueError,
         "state[0][0]", "batch=4", "(3, 4)"),
    case(fc.Forecaster, "forward x 2 features", lambda: FC(torch.zeros(4, 6, 2)), ValueError, "x", "features=1"),
    case(fc.direct_forecast, "context 2 features", lambda: fc.direct_forecast(DFC, torch.zeros(2, 6, 2)), ValueError,
         "context", "1 features", "(2, 6, 2)"),
    case(metrics.windowed_mse, "series 2 features", lambda: metrics.windowed_mse(FC, torch.zeros(30, 2), 4, 2),
         ValueError, "series", "1 features"),
    case(metrics.mse_by_horizon, "truth horizon 4", lambda: metrics.mse_by_horizon(PRED, torch.zeros(2, 4, 1)),
         ValueError, "truth", "horizon=3"),
    case(metrics.mase_by_horizon, "scale of 2 for 1 feature",
         lambda: metrics.mase_by_horizon(PRED, PRED, torch.ones(2)), ValueError, "scale", "(2,)"),
    case(baselines.LinearAR, "forward state of the wrong length", lambda: AR(W, torch.zeros(4, 3, 1)), ValueError,
         "state", "(4, 3, 1)"),
    case(baselines.LinearAR, "forward state of 2 features", lambda: AR(W, torch.zeros(4, 1, 2)), ValueError, "state",
         "(4, 1, 2)"),
    case(baselines.LinearAR, "c of 2", lambda: baselines.LinearAR(torch.zeros(2, 1, 1), torch.zeros(2)), ValueError,
         "c", "features=1"),
    case(gate_timeline.TimelineExplorer, "t_marks of 1", lambda: gate_timeline.TimelineExplorer(REC, 1, t_marks=[1]),
         ValueError, "t_marks", "got 1"),
    case(gate_timeline.TimelineExplorer, "seq_labels of 1",
         lambda: gate_timeline.TimelineExplorer(REC, 1, seq_labels=["a"]), ValueError, "seq_labels", "got 1"),
    case(validate.check_shapes, "disagree",
         lambda: validate.check_shapes(("a", H4, ("n", "m")), ("b", torch.zeros(3, 4), ("n", "m"))), ValueError, "b",
         "n=2"),
]

# ---------------------------------------------------------------------------------------------
# 5. NaN and infinity, in tensors and in numbers.

NOT_FINITE = [
    case(rnn.RNN, "x nan", lambda: RNN_(torch.full((2, 5, 3), NAN)), ValueError, "x", "finite"),
    case(rnn.RNNCell, "x_t inf", lambda: RNN_CELL(torch.full((2, 3), INF), H4), ValueError, "x_t", "finite"),
    case(lstm.LSTM, "state inf", lambda: LSTM_(X3, (H4, torch.full((2, 4), INF))), ValueError, "C0", "finite"),
    case(lstm.LSTM, "forget_bias nan", lambda: lstm.LSTM(3, 4, forget_bias=NAN), ValueError, "forget_bias", "nan"),
    case(lstm.set_forget_bias, "value inf", lambda: lstm.set_forget_bias(LSTM_, INF), ValueError, "value", "inf"),
    case(gates.trace, "x nan", lambda: gates.trace(LSTM_, torch.full((2, 5, 3), NAN)), ValueError, "x", "finite"),
    case(gates.trace, "values nan", lambda: gates.trace(LSTM_, X3, units=[1], values=NAN), ValueError, "values", "nan"),
    case(gates.trace, "values inf tensor",
         lambda: gates.trace(LSTM_, X3, units=[1], values=torch.full((2, 1), INF)), ValueError, "values", "finite"),
    case(gates.saturation, "low nan", lambda: gates.saturation(REC.f_t, low=NAN), ValueError, "low", "nan"),
    case(gates.saturation, "gate nan", lambda: gates.saturation(torch.tensor([NAN])), ValueError, "gate", "finite"),
    case(measure.max_error, "ours nan", lambda: measure.max_error(torch.tensor([NAN]), torch.zeros(1)), ValueError,
         "ours", "finite"),
    case(measure.gradient_by_lag, "x inf", lambda: measure.gradient_by_lag(LSTM_, torch.full((1, 2, 3), INF)),
         ValueError, "x", "finite"),
    case(train.fit, "lr nan", lambda: _fit(lr=NAN), ValueError, "lr", "nan"),
    case(train.fit, "clip inf", lambda: _fit(clip=INF), ValueError, "clip", "inf"),
    case(train.fit, "data nan", lambda: _fit(data=torch.full((4, 6, 1), NAN)), ValueError, "data", "finite"),
    case(tasks.accuracy, "x nan", lambda: tasks.accuracy(CLS, torch.full((2, 5, 3), NAN), Y2), ValueError, "x",
         "finite"),
    case(tasks.describe_step, "x_t nan", lambda: tasks.describe_step(torch.full((5,), NAN)), ValueError, "x_t",
         "finite"),
    case(corpus.subject_pairs, "held_out nan", lambda: corpus.subject_pairs(NAN), ValueError, "held_out", "nan"),
    case(language_model.WordLM, "forget_bias inf", lambda: language_model.WordLM(10, forget_bias=INF), ValueError,
         "forget_bias", "inf"),
    case(language_model.BigramLM, "alpha nan", lambda: language_model.BigramLM(TOKENS, 74, alpha=NAN), ValueError,
         "alpha", "nan"),
    case(probes.positions, "states nan", lambda: probes.positions(torch.full((2, 5, 4), NAN), torch.zeros(2, 5).long()),
         ValueError, "states", "finite"),
    case(probes.unit_correlations, "X inf", lambda: probes.unit_correlations(torch.full((20, 4), INF), Y_UNITS),
         ValueError, "X", "finite"),
    case(probes.fit_linear_probe, "weight_decay inf", lambda: probes.fit_linear_probe(X_UNITS, Y_UNITS, INF),
         ValueError, "weight_decay", "inf"),
    case(probes.LinearProbe, "mean nan", lambda: probes.LinearProbe(torch.tensor([NAN]), torch.ones(1)), ValueError,
         "mean", "finite"),
    case(series.two_sines, "noise nan", lambda: series.two_sines(10, noise=NAN, seed=0), ValueError, "noise", "nan"),
    case(series.two_sines, "amplitude inf", lambda: series.two_sines(10, amplitudes=(1.0, INF), seed=0), ValueError,
         "amplitudes[1]", "inf"),
    case(series.sine_waves, "T inf", lambda: series.sine_waves(torch.tensor([0]), 10, T=INF), ValueError, "T", "inf"),
    case(series.sine_waves, "shifts nan", lambda: series.sine_waves(torch.tensor([NAN]), 10), ValueError, "shifts",
         "finite"),
    case(series.random_shifts, "T inf", lambda: series.random_shifts(3, INF, seed=0), ValueError, "T", "inf"),
    case(series.classic_sine_data, "T nan", lambda: series.classic_sine_data(T=NAN), ValueError, "T", "nan"),
    case(series.mackey_glass, "tau inf", lambda: series.mackey_glass(10, tau=INF), ValueError, "tau", "inf"),
    case(series.mackey_glass, "x0 nan", lambda: series.mackey_glass(10, x0=NAN), ValueError, "x0", "nan"),
    case(series.interpolate_gaps, "values inf", lambda: series.interpolate_gaps(torch.tensor([1.0, INF, 2.0])),
         ValueError, "values", "infinite"),
    case(windows.sliding_windows, "series nan", lambda: windows.sliding_windows(torch.full((10,), NAN), 3), ValueError,
         "series", "finite"),
    case(windows.random_windows, "series nan", lambda: windows.random_windows(torch.full((10,), NAN), 3, 2, gen()),
         ValueError, "series", "finite"),
    case(splits.chronological_split, "fractions nan",
         lambda: splits.chronological_split(100, fractions=(NAN, 0.5, 0.5)), ValueError, "fractions[0]", "nan"),
    case(splits.fit_scaler, "series nan", lambda: splits.fit_scaler(torch.tensor([1.0, NAN, 2.0]), splits.Span(0, 3)),
         ValueError, "series", "finite"),
    case(splits.Scaler, "std inf", lambda: splits.Scaler(torch.zeros(1), torch.full((1,), INF)), ValueError, "std",
         "finite"),
    case(splits.undifference, "d nan", lambda: splits.undifference(PRED[:, :1], torch.full((2, 3, 1), NAN)),
         ValueError, "d", "finite"),
    case(splits.fit_differencer, "series inf",
         lambda: splits.fit_differencer(torch.tensor([1.0, INF, 2.0]), splits.Span(0, 3)), ValueError, "series",
         "finite"),
    case(fc.forecast, "context nan", lambda: fc.forecast(FC, torch.full((1, 3, 1), NAN), 3), ValueError, "context",
         "finite"),
    case(fc.run_free, "context inf", lambda: fc.run_free(FC, torch.full((1, 3, 1), INF), 3), ValueError, "context",
         "finite"),
    case(fc.one_step_loss, "windows nan", lambda: fc.one_step_loss(FC, torch.full((2, 4, 1), NAN)), ValueError,
         "windows", "finite"),
    case(fc.closed_loop_loss, "windows nan", lambda: fc.closed_loop_loss(FC, torch.full((2, 4, 1), NAN), 2),
         ValueError, "windows", "finite"),
    case(fc.fit_free_run, "series nan", lambda: fc.fit_free_run(FC, torch.full((30,), NAN), [fc.Stage(0, 5, 1, 2)]),
         ValueError, "series", "finite"),
    case(fc.DirectForecaster, "forward x nan", lambda: DFC(torch.full((2, 5, 1), NAN)), ValueError, "x", "finite"),
    case(fc.direct_forecast, "context nan", lambda: fc.direct_forecast(DFC, torch.full((5,), NAN)), ValueError,
         "context", "finite"),
    case(fc.direct_loss, "windows inf", lambda: fc.direct_loss(DFC, torch.full((2, 6, 1), INF)), ValueError,
         "windows", "finite"),
    case(metrics.mse_by_horizon, "prediction nan", lambda: metrics.mse_by_horizon(torch.full((2, 3, 1), NAN), PRED),
         ValueError, "prediction", "finite"),
    case(metrics.mase_by_horizon, "scale inf", lambda: metrics.mase_by_horizon(PRED, PRED, INF), ValueError, "scale",
         "inf"),
    case(metrics.mase_by_horizon, "scale tensor nan", lambda: metrics.mase_by_horizon(PRED, PRED, torch.tensor([NAN])),
         ValueError, "scale", "NaN"),
    case(metrics.windowed_mse, "series nan", lambda: metrics.windowed_mse(FC, torch.full((30,), NAN), 4, 2),
         ValueError, "series", "finite"),
    case(metrics.seasonal_naive_scale, "train nan", lambda: metrics.seasonal_naive_scale(torch.full((30,), NAN)),
         ValueError, "train", "finite"),
    case(baselines.fit_ar, "series nan", lambda: baselines.fit_ar(torch.full((30,), NAN), 2), ValueError, "series",
         "finite"),
    case(baselines.LinearAR, "A nan", lambda: baselines.LinearAR(torch.full((1, 1, 1), NAN), torch.zeros(1)),
         ValueError, "A", "finite"),
    case(baselines.select_ar_order, "valid nan",
         lambda: baselines.select_ar_order(SERIES, torch.full((30,), NAN), [1, 2]), ValueError, "valid", "finite"),
    case(diagrams.render_png, "dpi nan", lambda: diagrams.render_png(CW_FIG, dpi=NAN), ValueError, "dpi", "nan"),
    case(diagrams.draw_lstm_cell, "values inf", lambda: diagrams.draw_lstm_cell({"C_t": INF}), ValueError, "C_t",
         "inf"),
    case(widgets_gate.cell_write, "C_prev inf", lambda: widgets_gate.cell_write(0, 0, 0, INF), ValueError, "C_prev",
         "inf"),
    case(validate.check_number, "nan", lambda: validate.check_number(NAN, "noise"), ValueError, "noise", "nan"),
    case(validate.check_tensor, "inf", lambda: validate.check_tensor(torch.tensor([INF]), "x", ("n",)), ValueError,
         "x", "1 NaN or infinite"),
]

# ---------------------------------------------------------------------------------------------
# 6. Empty input: zero-length series, empty batches, empty lists.

EMPTY = [
    case(rnn.RNN, "x time 0", lambda: RNN_(torch.zeros(2, 0, 3)), ValueError, "x", "empty", "(2, 0, 3)"),
    case(lstm.LSTM, "x batch 0", lambda: LSTM_(torch.zeros(0, 5, 3)), ValueError, "x", "empty"),
    case(gates.trace, "x time 0", lambda: gates.trace(LSTM_, torch.zeros(2, 0, 3)), ValueError, "x", "empty"),
    case(train.fit, "data []", lambda: _fit(data=[]), ValueError, "data", "non-empty"),
    case(train.fit, "data of 0 rows", lambda: _fit(data=torch.zeros(0, 6, 1)), ValueError, "data[0]", "empty"),
    case(corpus.Vocab, "words []", lambda: corpus.Vocab([]), ValueError, "words", "empty"),
    case(corpus.make_text, "no subjects", lambda: corpus.make_text(random.Random(0), [], []), ValueError, "subject"),
    case(corpus.generate, "pairs []", lambda: corpus.generate(3, 0, []), ValueError, "pairs", "empty"),
    case(corpus.generate, "clauses ()", lambda: corpus.generate(3, 0, [("king", "queen")], clauses=()), ValueError,
         "clauses", "empty"),
    case(corpus.make_corpus, "train_clauses ()", lambda: corpus.make_corpus(2, 2, train_clauses=()), ValueError,
         "train_clauses", "empty"),
    case(corpus.encode_texts, "texts []", lambda: corpus.encode_texts([], VOCAB), ValueError, "texts", "empty"),
    case(language_model.agreement_accuracy, "texts []", lambda: language_model.agreement_accuracy(LM, [], VOCAB),
         ValueError, "texts", "empty"),
    case(probes.label_grid, "texts []", lambda: probes.label_grid([], "gender"), ValueError, "texts", "empty"),
    case(probes.fit_linear_probe, "X empty", lambda: probes.fit_linear_probe(torch.zeros(0, 4), Y_UNITS[:0]),
         ValueError, "X", "empty"),
    case(probes.find_units, "features ()", lambda: probes.find_units(LM, TEXTS, TEXTS, VOCAB, ()), ValueError,
         "features", "empty"),
    case(series.sine_waves, "shifts []", lambda: series.sine_waves(torch.tensor([]), 10),
         ValueError, "shifts", "empty"),
    case(series.interpolate_gaps, "values []", lambda: series.interpolate_gaps(torch.zeros(0)), ValueError, "values",
         "empty"),
    case(windows.as_series, "series []", lambda: windows.as_series(torch.zeros(0)), ValueError, "series", "empty"),
    case(windows.sliding_windows, "series []", lambda: windows.sliding_windows(torch.zeros(0), 1), ValueError,
         "series", "empty"),
    case(splits.fit_scaler, "series []", lambda: splits.fit_scaler(torch.zeros(0), splits.Span(0, 1)), ValueError,
         "series", "empty"),
    case(fc.forecast, "context time 0", lambda: fc.forecast(FC, torch.zeros(1, 0, 1), 3), ValueError, "context",
         "empty"),
    case(fc.fit_free_run, "stages []", lambda: fc.fit_free_run(FC, SERIES, []), ValueError, "stages", "empty"),
    case(metrics.mae_by_horizon, "prediction empty", lambda: metrics.mae_by_horizon(torch.zeros(0, 3, 1), PRED),
         ValueError, "prediction", "empty"),
    case(metrics.seasonal_naive_scale, "train []", lambda: metrics.seasonal_naive_scale(torch.zeros(0)), ValueError,
         "train", "empty"),
    case(baselines.select_ar_order, "orders []", lambda: baselines.select_ar_order(SERIES, SERIES, []), ValueError,
         "orders"),
    case(gate_timeline.draw_heatmaps, "names []", lambda: gate_timeline.draw_heatmaps(REC, 0, names=[]), ValueError,
         "names", "empty"),
    case(validate.check_items, "[]", lambda: validate.check_items([], "units", int), ValueError, "units", "empty"),
]

# ---------------------------------------------------------------------------------------------
# 7. Impossible sizes: zero or negative lengths, a window longer than the series, spans out of order.

IMPOSSIBLE_SIZE = [
    case(rnn.RNN, "input_size 0", lambda: rnn.RNN(0, 4), ValueError, "input_size", "0"),
    case(lstm.LSTM, "input_size -1", lambda: lstm.LSTM(-1, 4), ValueError, "input_size", "-1"),
    case(lstm.LSTMCell, "hidden_size 0", lambda: lstm.LSTMCell(3, 0), ValueError, "hidden_size", "0"),
    case(language_model.WordLM, "vocab_size 0", lambda: language_model.WordLM(0), ValueError, "vocab_size", "0"),
    case(fc.Forecaster, "num_layers 0", lambda: fc.Forecaster(num_layers=0), ValueError, "num_layers", "0"),
    case(fc.DirectForecaster, "horizon 0", lambda: fc.DirectForecaster(horizon=0), ValueError, "horizon", "0"),
    case(tasks.SequenceClassifier, "n_classes 0", lambda: tasks.SequenceClassifier(rnn.RNN(3, 4), 0), ValueError,
         "n_classes", "0"),
    case(corpus.make_corpus, "n_train 0", lambda: corpus.make_corpus(n_train=0), ValueError, "n_train", "0",
         absent=("n_texts",)),
    case(corpus.make_corpus, "n_test -1", lambda: corpus.make_corpus(n_train=2, n_test=-1), ValueError, "n_test", "-1",
         absent=("n_texts",)),
    case(corpus.generate, "n_texts 0", lambda: corpus.generate(0, 0, [("king", "queen")]), ValueError, "n_texts", "0"),
    case(series.classic_sine_data, "length -5", lambda: series.classic_sine_data(length=-5), ValueError, "length",
         "-5"),
    case(series.classic_sine_data, "n_test 0", lambda: series.classic_sine_data(n_test=0), ValueError, "n_test", "0"),
    case(series.random_shifts, "n_waves 0", lambda: series.random_shifts(0, seed=0), ValueError, "n_waves", "0"),
    case(series.sine_waves, "length 0", lambda: series.sine_waves(torch.tensor([1]), 0), ValueError, "length", "0"),
    case(series.mackey_glass, "n_samples 0", lambda: series.mackey_glass(0), ValueError, "n_samples", "0"),
    case(series.mackey_glass, "dt not dividing tau", lambda: series.mackey_glass(10, dt=0.3), ValueError, "tau/dt"),
    case(series.two_sines, "n_samples -3", lambda: series.two_sines(-3, seed=0), ValueError, "n_samples", "-3"),
    case(splits.chronological_split, "spans out of order",
         lambda: splits.chronological_split(100, valid_start=60, test_start=40), ValueError, "valid_start=60",
         "test_start=40", absent=("Span(",)),
    case(splits.chronological_split, "valid_start 0", lambda: splits.chronological_split(100, 0, 50), ValueError,
         "valid_start=0", absent=("Span(",)),
    case(splits.chronological_split, "test_start at the end", lambda: splits.chronological_split(100, 60, 100),
         ValueError, "test_start=100", "n_steps=100", absent=("Span(",)),
    case(splits.chronological_split, "fractions not summing to 1",
         lambda: splits.chronological_split(10, fractions=(0.5, 0.2, 0.2)), ValueError, "fractions", "sum to 1"),
    case(splits.Span, "stop before start", lambda: splits.Span(5, 3), ValueError, "start < stop", "Span(5, 3)"),
    case(splits.Split.check_fits, "series too short", lambda: SPLIT.check_fits(50), ValueError, "test span", "50"),
    case(splits.fit_scaler, "span past the end", lambda: splits.fit_scaler(SERIES, splits.Span(0, 121)), ValueError,
         "span", "Span(start=0, stop=121)"),
    case(splits.fit_differencer, "span past the end", lambda: splits.fit_differencer(SERIES, splits.Span(50, 61)),
         ValueError, "span", "Span(start=50, stop=61)"),
    case(splits.origin_windows, "context 31", lambda: splits.origin_windows(SERIES, splits.Span(30, 40), 31, 2),
         ValueError, "context", "30"),
    case(windows.sliding_windows, "length > time", lambda: windows.sliding_windows(torch.zeros(5), 6), ValueError,
         "length", "6"),
    case(windows.sliding_windows, "stride 0", lambda: windows.sliding_windows(SERIES, 2, stride=0), ValueError,
         "stride", "0"),
    case(windows.split_window, "context >= time", lambda: windows.split_window(W, 6), ValueError, "context", "6"),
    case(windows.random_windows, "length > time", lambda: windows.random_windows(SERIES, 61, 2, gen()), ValueError,
         "length", "61"),
    case(windows.random_windows, "n 0", lambda: windows.random_windows(SERIES, 5, 0, gen()), ValueError, "n", "0"),
    case(metrics.windowed_mse, "series shorter than context + horizon",
         lambda: metrics.windowed_mse(FC, torch.zeros(30), 24, 12), ValueError, "context", "horizon", "(30,)",
         absent=("length=",)),
    case(metrics.seasonal_naive_scale, "train not longer than period",
         lambda: metrics.seasonal_naive_scale(SERIES[:12], 12), ValueError, "period=12", "12"),
    case(tasks.make_recall_batch, "lag = seq_len", lambda: tasks.make_recall_batch(2, 5, 5, 3, gen()), ValueError,
         "lag", "5"),
    case(tasks.make_memory_batch, "delay = seq_len", lambda: tasks.make_memory_batch(2, 5, 5, generator=gen()),
         ValueError, "delay", "5"),
    case(tasks.make_memory_batch, "n_values 1", lambda: tasks.make_memory_batch(2, 5, n_values=1, generator=gen()),
         ValueError, "n_values", "1"),
    case(tasks.delay_test_batch, "delay -1", lambda: tasks.delay_test_batch(-1), ValueError, "delay", "-1"),
    case(tasks.delay_test_batch, "n 0", lambda: tasks.delay_test_batch(3, n=0), ValueError, "n must", "0",
         absent=("batch",)),
    case(tasks.train_memory, "seq_len 0", lambda: tasks.train_memory(CLS, seq_len=0), ValueError, "seq_len", "0"),
    case(tasks.train_memory, "stages of two lengths", lambda: tasks.train_memory(CLS, seq_len=(5, 9), steps=(3,)),
         ValueError, "seq_len and steps", "2 and 1"),
    case(tasks.train_memory, "no stage", lambda: tasks.train_memory(CLS, seq_len=()), ValueError, "seq_len",
         "empty"),
    case(tasks.train_memory, "a stage of 0 steps", lambda: tasks.train_memory(CLS, seq_len=(5, 9), steps=(3, 0)),
         ValueError, "steps[1]", "0"),
    case(train.fit, "steps 0", lambda: _fit(steps=0), ValueError, "steps", "0"),
    case(train.fit, "batch_size 0", lambda: _fit(batch_size=0), ValueError, "batch_size", "0"),
    case(language_model.train_lm, "one word", lambda: language_model.train_lm(LM, TOKENS[:, :1]), ValueError,
         "tokens", "at least 2 words"),
    case(baselines.fit_ar, "series shorter than order + 1", lambda: baselines.fit_ar(SERIES[:2], 2), ValueError,
         "series", "2"),
    case(baselines.select_ar_order, "train too short", lambda: baselines.select_ar_order(SERIES[:5], SERIES, [6]),
         ValueError, "train", "7 steps", absent=("got 5 steps; got",)),
    case(baselines.select_ar_order, "valid too short", lambda: baselines.select_ar_order(SERIES, SERIES[:5], [4], 3),
         ValueError, "valid", "7 steps", absent=("context",)),
    case(baselines.seasonal_naive, "period 0", lambda: baselines.seasonal_naive(0), ValueError, "period", "0"),
    case(baselines.lagged, "order > time", lambda: baselines.lagged(X3, 6), ValueError, "order", "6"),
    case(baselines.LinearAR, "forward x shorter than order", lambda: AR(W[:, :1]), ValueError, "AR(2)", "1"),
    case(fc.Stage, "horizon 0", lambda: fc.Stage(0, 0, 1, 1), ValueError, "horizon", "0"),
    case(fc.Stage, "context -1", lambda: fc.Stage(-1, 5, 1, 1), ValueError, "context", "-1"),
    case(fc.fit_free_run, "stage longer than the series",
         lambda: fc.fit_free_run(FC, SERIES[:10], [fc.Stage(5, 10, 1, 2)]), ValueError, "stages[0]", "15 steps",
         absent=("length=",)),
    case(fc.direct_loss, "windows not longer than horizon", lambda: fc.direct_loss(DFC, W[:, :3]), ValueError,
         "windows", "horizon=3"),
    case(interventions.random_units, "k 0", lambda: interventions.random_units(4, 0), ValueError, "k", "0"),
    case(interventions.random_units, "too many", lambda: interventions.random_units(4, 3, exclude=[0, 1]), ValueError,
         "cannot draw 3 units"),
    case(interventions.prove, "n_random 0", lambda: interventions.prove(LM, TEXTS, TEXTS, VOCAB, 0, 1, n_random=0),
         ValueError, "n_random", "0"),
    case(probes.fit_linear_probe, "steps 0", lambda: probes.fit_linear_probe(X_UNITS, Y_UNITS, steps=0), ValueError,
         "steps", "0"),
    case(validate.check_int, "below low", lambda: validate.check_int(-1, "n", 0), ValueError, "n", "-1"),
]

# ---------------------------------------------------------------------------------------------
# 8. Indices, names and choices out of range.

OUT_OF_RANGE = [
    case(corpus.Vocab.decode, "-1", lambda: VOCAB.decode([-1]), IndexError, "ids[0]", "-1"),
    case(corpus.Vocab.decode, "999", lambda: VOCAB.decode([999]), IndexError, "ids[0]", "999"),
    case(corpus.Vocab.encode, "unknown word", lambda: VOCAB.encode(["the", "dragon"]), KeyError, "dragon"),
    case(corpus.pronoun_for, "gender 2", lambda: corpus.pronoun_for(2, 0), IndexError, "gender", "2"),
    case(corpus.noun_features, "not a noun", lambda: corpus.noun_features("river"), ValueError, "noun", "river"),
    case(corpus.make_text, "10 clauses", lambda: corpus.make_text(random.Random(0), ["king"], [10]), ValueError,
         "clauses", "10"),
    case(corpus.make_corpus, "long_clauses 12", lambda: corpus.make_corpus(2, 2, long_clauses=12), ValueError,
         "long_clauses", "12"),
    case(corpus.subject_pairs, "held_out 1.0", lambda: corpus.subject_pairs(1.0), ValueError, "held_out", "1.0"),
    case(gates.trace, "unit 4", lambda: gates.trace(LSTM_, X3, units=[4]), ValueError, "units", "[4]"),
    case(gates.trace, "units repeat", lambda: gates.trace(LSTM_, X3, units=[1, 1]), ValueError, "units", "repeat"),
    case(gates.trace, "values without units", lambda: gates.trace(LSTM_, X3, values=1.0), ValueError, "units"),
    case(gates.LSTMTrace.values_at, "seq 5", lambda: REC.values_at(5, 0, 0), IndexError, "seq", "5"),
    case(gates.LSTMTrace.check_index, "unit -1", lambda: REC.check_index(0, 0, -1), IndexError, "unit", "-1"),
    case(gates.LSTMTrace.__getitem__, "g_t", lambda: REC["g_t"], KeyError, "g_t"),
    case(gates.units_by_memory, "step 5", lambda: gates.units_by_memory(REC, Y2, step=5), ValueError, "step", "5"),
    case(gates.saturation, "gate above 1", lambda: gates.saturation(torch.tensor([0.5, 1.5])), ValueError, "gate",
         "1.5"),
    case(gates.saturation_table, "low > high", lambda: gates.saturation_table(REC, 0.9, 0.1), ValueError, "low=0.9",
         "high=0.1"),
    case(language_model.WordLM, "cell gru", lambda: language_model.WordLM(10, cell="gru"), ValueError, "cell", "gru"),
    case(language_model.WordLM, "cell None", lambda: language_model.WordLM(10, cell=None), ValueError, "cell", "None"),
    case(language_model.WordLM, "forward token 20", lambda: language_model.WordLM(20)(torch.full((2, 3), 20)),
         ValueError, "tokens", "[0, 20)"),
    case(language_model.BigramLM, "tokens beyond vocab_size", lambda: language_model.BigramLM(TOKENS, 10), ValueError,
         "tokens", "[0, 10)"),
    case(language_model.BigramLM, "pad_id -1", lambda: language_model.BigramLM(TOKENS, 74, pad_id=-1), IndexError,
         "pad_id", "-1"),
    case(language_model.next_word_loss, "pad_id 100", lambda: language_model.next_word_loss(LM, TOKENS, 100),
         IndexError, "pad_id", "100"),
    case(language_model.train_lm, "pad_id 74", lambda: language_model.train_lm(LM, TOKENS, pad_id=74), IndexError,
         "pad_id", "74"),
    case(language_model.agreement_correct, "kind noun",
         lambda: language_model.agreement_correct(SCORES, TEXTS, VOCAB, "noun"), ValueError, "kind", "noun"),
    case(language_model.agreement_correct, "options not words",
         lambda: language_model.agreement_correct(SCORES, TEXTS, VOCAB, "pronoun", ("he", "dragon")), KeyError,
         "dragon"),
    case(tasks.accuracy, "label 5", lambda: tasks.accuracy(CLS, X3, torch.tensor([0, 5])), ValueError, "y", "5"),
    case(tasks.classification_loss, "label 7", lambda: tasks.classification_loss(CLS, X3, torch.tensor([0, 7])),
         ValueError, "y", "7"),
    case(probes.unit_correlations, "labels 1 and 2", lambda: probes.unit_correlations(X_UNITS, Y_UNITS + 1),
         ValueError, "y", "2"),
    case(probes.label_grid, "feature tense", lambda: probes.label_grid(TEXTS, "tense"), ValueError, "feature", "tense"),
    case(probes.find_units, "features tense", lambda: probes.find_units(LM, TEXTS, TEXTS, VOCAB, ("tense",)),
         ValueError, "features[0]", "tense"),
    case(interventions.Proof.drop, "key accuracy", lambda: PROOF.drop("zero_gender", "accuracy"), ValueError, "key",
         "accuracy"),
    case(interventions.Proof.drop, "which 3", lambda: PROOF.drop(3, "pronoun"), ValueError, "which", "3"),
    case(interventions.prove, "gender_unit 99", lambda: interventions.prove(LM, TEXTS, TEXTS, VOCAB, 99, 1),
         IndexError, "gender_unit", "99"),
    case(interventions.prove, "same units", lambda: interventions.prove(LM, TEXTS, TEXTS, VOCAB, 0, 0), ValueError,
         "must differ", "0"),
    case(interventions.gender_means, "unit 99", lambda: interventions.gender_means(LM, TEXTS, VOCAB, [99]), IndexError,
         "units[0]", "99"),
    case(interventions.held_logits, "unit 6", lambda: interventions.held_logits(LM, TEXTS, VOCAB, [6]), ValueError,
         "units", "[6]"),
    case(series.MonthlySeries.year_month, "9999", lambda: MONTHLY.year_month(9999), IndexError, "i", "9999"),
    case(series.MonthlySeries.label, "-9999", lambda: MONTHLY.label(-9999), IndexError, "i", "-9999"),
    case(series.MonthlySeries.index, "1900-01", lambda: MONTHLY.index(1900, 1), ValueError, "1900-01", "1958-03"),
    case(gate_timeline.TimelineExplorer, "unit 9", lambda: gate_timeline.TimelineExplorer(REC, 9), IndexError, "unit",
         "9"),
    case(gate_timeline.TimelineExplorer.html, "seq 5", lambda: EXPLORER.html(5, 0), IndexError, "seq", "5"),
    case(gate_timeline.TimelineExplorer.widget, "unit 9", lambda: EXPLORER.widget(units=[9]), IndexError, "unit", "9"),
    case(gate_timeline.TimelineExplorer, "names g_t", lambda: gate_timeline.TimelineExplorer(REC, 1, names=["g_t"]),
         ValueError, "names", "g_t"),
    case(gate_timeline.draw_heatmaps, "seq 5", lambda: gate_timeline.draw_heatmaps(REC, 5), IndexError, "seq", "5"),
    case(gate_timeline.draw_heatmaps, "t_mark 10", lambda: gate_timeline.draw_heatmaps(REC, 0, t_mark=10), IndexError,
         "10"),
    case(diagrams.show_figure, "unknown", lambda: diagrams.show_figure("03_nothing"), ValueError, "name",
         "03_nothing"),
    case(diagrams.check_values, "gate 2.0", lambda: diagrams.check_values({"f_t": 2.0}), ValueError, "f_t", "2.0"),
    case(diagrams.check_highlight, "unknown part", lambda: diagrams.check_highlight({"nothing"}), ValueError,
         "highlight", "nothing"),
    case(widgets_gate.GateSliders, "z_f off the slider", lambda: widgets_gate.GateSliders(z_f=10.0), ValueError, "z_f",
         "10.0"),
    case(train.fit, "schedule linear", lambda: _fit(schedule="linear"), ValueError, "schedule", "linear"),
    case(validate.check_index, "out of range", lambda: validate.check_index(3, "seq", 3), IndexError, "seq", "3"),
    case(validate.check_indices, "out of range", lambda: validate.check_indices([0, 5], "ids", 3), IndexError,
         "ids[1]", "5"),
    case(validate.check_choice, "unknown", lambda: validate.check_choice("gru", "cell", ("lstm",)), ValueError, "cell",
         "gru"),
    case(validate.check_labels, "out of range", lambda: validate.check_labels(Y2, "y", n_classes=1), ValueError, "y",
         "1"),
    case(validate.check_fraction, "1.5", lambda: validate.check_fraction(1.5, "p"), ValueError, "p", "1.5"),
]

# ---------------------------------------------------------------------------------------------
# 9. The wrong kind of object: an LSTM where an RNN is expected, a module of the wrong configuration.

WRONG_KIND = [
    case(rnn.copy_from_torch, "an LSTM", lambda: rnn.copy_from_torch(RNN_, nn.LSTM(3, 4)), TypeError, "theirs", "LSTM"),
    case(rnn.copy_to_torch, "a GRU", lambda: rnn.copy_to_torch(RNN_, nn.GRU(3, 4)), TypeError, "theirs", "GRU"),
    case(rnn.copy_from_torch, "ours an LSTM", lambda: rnn.copy_from_torch(LSTM_, nn.RNN(3, 4)), TypeError, "ours",
         "LSTM"),
    case(rnn.copy_from_torch, "other sizes", lambda: rnn.copy_from_torch(RNN_, nn.RNN(3, 5)), ValueError, "theirs",
         "(3, 5"),
    case(lstm.copy_from_torch, "an RNN", lambda: lstm.copy_from_torch(LSTM_, nn.RNN(3, 4)), TypeError, "theirs", "RNN"),
    case(lstm.copy_from_torch, "ours nn.LSTM", lambda: lstm.copy_from_torch(nn.LSTM(3, 4), nn.LSTM(3, 4)), TypeError,
         "ours", "LSTM"),
    case(lstm.copy_to_torch, "two layers", lambda: lstm.copy_to_torch(LSTM_, nn.LSTM(3, 4, num_layers=2)), ValueError,
         "theirs", "(2, True"),
    case(lstm.set_forget_bias, "no LSTM inside", lambda: lstm.set_forget_bias(nn.Linear(2, 3), 1.0), ValueError,
         "Linear"),
    case(gates.trace, "a GRU", lambda: gates.trace(nn.GRU(3, 4), X3), TypeError, "lstm", "GRU"),
    case(gates.trace, "two layers", lambda: gates.trace(nn.LSTM(3, 4, num_layers=2), X3), ValueError, "lstm", "(2, "),
    case(tasks.SequenceClassifier, "a Linear", lambda: tasks.SequenceClassifier(nn.Linear(3, 4), 2), TypeError,
         "recurrent", "Linear"),
    case(tasks.SequenceClassifier, "not batch first", lambda: tasks.SequenceClassifier(nn.LSTM(3, 4), 2), ValueError,
         "recurrent", "batch_first"),
    case(probes.find_units, "an RNN language model", lambda: probes.find_units(RNN_LM, TEXTS, TEXTS, VOCAB),
         ValueError, "model", "rnn"),
    case(interventions.held_logits, "an RNN language model", lambda: interventions.held_logits(RNN_LM, TEXTS, VOCAB),
         ValueError, "model", "rnn"),
    case(language_model.check_word_lm, "RNN where an LSTM is needed",
         lambda: language_model.check_word_lm(RNN_LM, lstm=True), ValueError, "model", "rnn"),
    case(language_model.next_word_scores, "a forecaster", lambda: language_model.next_word_scores(FC, TOKENS),
         TypeError, "model", "Forecaster"),
    case(fc.direct_loss, "a Forecaster", lambda: fc.direct_loss(FC, W), TypeError, "model", "Forecaster"),
    case(fc.direct_forecast, "a Forecaster", lambda: fc.direct_forecast(FC, W), TypeError, "model", "Forecaster"),
    case(train.fit, "a loss that is not a scalar", lambda: _fit(loss_fn=lambda m, x: (m(x)[0] - x).pow(2).mean((1, 2))),
         ValueError, "loss_fn", "(4,)"),
    case(train.fit, "a loss without gradient", lambda: _fit(loss_fn=lambda m, x: torch.tensor(1.0)), ValueError,
         "loss_fn", "does not require grad"),
    case(train.fit, "a model without parameters", lambda: _fit(model=baselines.Persistence()), ValueError, "model",
         "trainable"),
    case(baselines.Persistence, "forward state", lambda: baselines.Persistence()(W, "abc"), ValueError, "state", "str"),
]

# ---------------------------------------------------------------------------------------------
# 10. A sign that flips the meaning: negative clip, learning rate, noise, scale, period, seed.

SIGN = [
    case(train.fit, "clip -1", lambda: _fit(clip=-1.0), ValueError, "clip", "-1.0"),
    case(train.fit, "clip 0", lambda: _fit(clip=0.0), ValueError, "clip", "0.0"),
    case(train.fit, "lr -0.1", lambda: _fit(lr=-0.1), ValueError, "lr", "-0.1"),
    case(train.fit, "seed -1", lambda: _fit(seed=-1), ValueError, "seed", "-1"),
    case(series.two_sines, "noise -0.1", lambda: series.two_sines(10, noise=-0.1, seed=0), ValueError, "noise", "-0.1"),
    case(series.two_sines, "period -9", lambda: series.two_sines(10, periods=(23.0, -9.0), seed=0), ValueError,
         "periods[1]", "-9.0"),
    case(series.sine_waves, "T 0.0", lambda: series.sine_waves(torch.tensor([1]), 10, T=0.0), ValueError, "T", "0.0"),
    case(series.random_shifts, "T -1", lambda: series.random_shifts(3, -1.0, seed=0), ValueError, "T", "-1.0"),
    case(series.mackey_glass, "tau -1", lambda: series.mackey_glass(10, tau=-1), ValueError, "tau", "-1"),
    case(series.mackey_glass, "discard -1", lambda: series.mackey_glass(10, discard=-1), ValueError, "discard", "-1"),
    case(series.two_sines, "seed -2", lambda: series.two_sines(10, seed=-2), ValueError, "seed", "-2"),
    case(metrics.mase_by_horizon, "scale -1", lambda: metrics.mase_by_horizon(PRED, PRED, -1.0), ValueError, "scale",
         "-1.0"),
    case(metrics.mase_by_horizon, "scale 0", lambda: metrics.mase_by_horizon(PRED, PRED, 0), ValueError, "scale", "0"),
    case(probes.fit_linear_probe, "weight_decay -1", lambda: probes.fit_linear_probe(X_UNITS, Y_UNITS, -1.0),
         ValueError, "weight_decay", "-1.0"),
    case(probes.LinearProbe, "std 0", lambda: probes.LinearProbe(torch.zeros(1), torch.zeros(1)), ValueError, "std",
         "0"),
    case(splits.Scaler, "std -1", lambda: splits.Scaler(torch.zeros(1), -torch.ones(1)), ValueError, "std", "-1"),
    case(language_model.BigramLM, "alpha 0", lambda: language_model.BigramLM(TOKENS, 74, alpha=0), ValueError, "alpha",
         "0"),
    case(diagrams.render_png, "dpi -1", lambda: diagrams.render_png(CW_FIG, dpi=-1), ValueError, "dpi", "-1"),
    case(session.seed_everything, "seed -1", lambda: session.seed_everything(-1), ValueError, "seed", "-1"),
    case(corpus.generate, "seed -1", lambda: corpus.generate(2, -1, [("king", "queen")]), ValueError, "seed", "-1"),
    case(interventions.random_units, "seed -1", lambda: interventions.random_units(4, 2, seed=-1), ValueError, "seed",
         "-1"),
    case(validate.check_positive, "0", lambda: validate.check_positive(0.0, "lr"), ValueError, "lr", "positive", "0.0"),
    case(validate.check_seed, "-1", lambda: validate.check_seed(-1), ValueError, "seed", "-1"),
]

# ---------------------------------------------------------------------------------------------
# 11. The random generator: every sibling that draws refuses None the same way (no silent fall-back on
#     the global random state), and names what arrived.

GENERATOR = [
    case(windows.random_windows, "None", lambda: windows.random_windows(SERIES, 5, 2, None), TypeError, "generator",
         "None"),
    case(tasks.make_recall_batch, "None", lambda: tasks.make_recall_batch(2, 5, 1, 3, None), TypeError, "generator",
         "None"),
    case(tasks.make_memory_batch, "None", lambda: tasks.make_memory_batch(2, 5, generator=None), TypeError, "generator",
         "None"),
    case(series.random_shifts, "a str", lambda: series.random_shifts(3, generator="g"), TypeError, "generator", "str"),
    case(validate.check_generator, "an int", lambda: validate.check_generator(0), TypeError, "generator", "0"),
]

CW_FIG = widgets_gate.draw_cell_write(0.0, 0.0, 0.0, 0.0)

# ---------------------------------------------------------------------------------------------
# Notebook 07's modules (gru, variants, counting), one row or more per public callable, added to the
# tables above by the class of bad input.

GRU_ = gru.GRU(3, 4)
GRU_CELL = gru.GRUCell(3, 4)
GW_X, GW_H, GB_X, GB_H = (p.detach() for p in (GRU_CELL.W_x, GRU_CELL.W_h, GRU_CELL.b_x, GRU_CELL.b_h))
VARIANT = variants.LSTMVariant(3, 4, "coupled")
STEP_LSTM = variants.StepLSTM(lambda x_t, h, C, W, b: (h, C), 3, 4, layers=3)
END = counting.EndDetector(nn.LSTM(2, 3, batch_first=True))
AB = counting.anbn_batch([1, 2])

WRONG_TYPE += [
    case(gru.gru_step, "x_t list", lambda: gru.gru_step([1.0] * 3, H4, GW_X, GW_H, GB_X, GB_H), TypeError, "x_t",
         "list"),
    case(gru.gru_step, "reset_after str", lambda: gru.gru_step(X3[:, 0], H4, GW_X, GW_H, GB_X, GB_H, "yes"), TypeError,
         "reset_after", "'yes'"),
    case(gru.GRUCell, "hidden_size str", lambda: gru.GRUCell(3, "4"), TypeError, "hidden_size", "str"),
    case(gru.GRUCell, "reset_after int", lambda: gru.GRUCell(3, 4, reset_after=1), TypeError, "reset_after", "1"),
    case(gru.GRUCell, "forward x_t list", lambda: GRU_CELL([[1.0] * 3]), TypeError, "x_t", "list"),
    case(gru.GRU, "input_size True", lambda: gru.GRU(True, 4), TypeError, "input_size", "True"),
    case(gru.GRU, "forward h0 str", lambda: GRU_(X3, "zeros"), TypeError, "h0", "str"),
    case(gru.copy_from_torch, "theirs str", lambda: gru.copy_from_torch(GRU_, "gru"), TypeError, "theirs", "str"),
    case(gru.copy_to_torch, "ours None", lambda: gru.copy_to_torch(None, nn.GRU(3, 4)), TypeError, "ours", "None"),
    case(variants.check_variant, "variant int", lambda: variants.check_variant(3), ValueError, "variant", "3"),
    case(variants.LSTMVariant, "forget_bias str", lambda: variants.LSTMVariant(3, 4, forget_bias="1"), ValueError,
         "forget_bias", "'1'"),
    case(variants.LSTMVariant, "forward state tensor", lambda: VARIANT(X3, H4), TypeError, "state", "Tensor"),
    case(variants.trace_variant, "model str", lambda: variants.trace_variant("lstm", X3), TypeError, "model", "str"),
    case(variants.StepLSTM, "step str", lambda: variants.StepLSTM("step", 3, 4, layers=3), TypeError, "step", "str"),
    case(variants.copy_from_torch, "theirs str", lambda: variants.copy_from_torch(variants.LSTMVariant(3, 4), "lstm"),
         TypeError, "theirs", "str"),
    case(counting.anbn_batch, "ns str", lambda: counting.anbn_batch("abc"), TypeError, "n of ns", "str"),
    case(counting.end_loss, "model function", lambda: counting.end_loss(abs, *AB), TypeError, "model", "abs"),
    case(counting.accepted, "model str", lambda: counting.accepted("lstm", [1, 2]), TypeError, "model", "str"),
    case(counting.counts_up_to, "n_max 2.5", lambda: counting.counts_up_to(END, 2.5), TypeError, "n_max", "2.5"),
]
WRONG_SHAPE += [
    case(gru.gru_step, "W_h not three layers", lambda: gru.gru_step(X3[:, 0], H4, GW_X, GW_H[:8], GB_X, GB_H),
         ValueError, "W_h", "(8, 4)"),
    case(gru.GRU, "forward x without time", lambda: GRU_(X3[:, 0]), ValueError, "x", "(2, 3)"),
    case(counting.EndDetector, "forward x 3 symbols", lambda: END(X3), ValueError, "x", "symbols"),
    case(counting.end_loss, "ends without time", lambda: counting.end_loss(END, AB.x, AB.ends[:, 0], AB.scored),
         ValueError, "ends", "(2,)"),
]
SIZES_DISAGREE += [
    case(gru.gru_step, "h_prev 5 units", lambda: gru.gru_step(X3[:, 0], torch.zeros(2, 5), GW_X, GW_H, GB_X, GB_H),
         ValueError, "h_prev", "(2, 5)"),
    case(variants.StepLSTM, "forward x 2 features", lambda: STEP_LSTM(torch.randn(2, 5, 2)), ValueError, "x",
         "features"),
    case(variants.LSTMVariant, "forward x 2 features", lambda: VARIANT(torch.randn(2, 5, 2)), ValueError, "x",
         "features"),
    case(counting.EndDetector, "recurrent reads 3", lambda: counting.EndDetector(nn.LSTM(3, 4)), ValueError,
         "recurrent", "LSTM"),
    case(counting.end_loss, "scored of floats", lambda: counting.end_loss(END, AB.x, AB.ends, AB.scored.float()),
         TypeError, "scored", "bool"),
]
OUT_OF_RANGE += [
    case(variants.LSTMVariant, "variant gru", lambda: variants.LSTMVariant(3, 4, "gru"), ValueError, "variant",
         "'gru'"),
    case(variants.LSTMVariant.rows, "layer f of coupled", lambda: VARIANT.rows("f"), ValueError, "layer", "'f'"),
    case(variants.StepLSTM, "forget_layer 3 of 3", lambda: variants.StepLSTM(abs, 3, 4, layers=3, forget_layer=3),
         ValueError, "forget_layer", "3"),
    case(counting.anbn_batch, "n 0", lambda: counting.anbn_batch([2, 0]), ValueError, "n of ns", "0"),
    case(counting.counts_up_to, "n_max 0", lambda: counting.counts_up_to(END, 0), ValueError, "n_max", "0"),
]
WRONG_KIND += [
    case(variants.LSTMVariant, "forget bias of no forget gate",
         lambda: variants.LSTMVariant(3, 4, "no_forget_gate", forget_bias=1.0), ValueError, "forget_bias"),
    case(variants.copy_from_torch, "ours coupled", lambda: variants.copy_from_torch(VARIANT, nn.LSTM(3, 4)), TypeError,
         "ours", "four layers"),
    case(gru.copy_from_torch, "ours the paper's GRU", lambda: gru.copy_from_torch(gru.GRU(3, 4, reset_after=False),
         nn.GRU(3, 4, batch_first=True)), ValueError, "reset_after=False"),
]
NOT_FINITE += [
    case(variants.LSTMVariant, "forget_bias nan", lambda: variants.LSTMVariant(3, 4, forget_bias=NAN), ValueError,
         "forget_bias", "nan"),
    case(gru.GRU, "forward x with inf", lambda: GRU_(torch.full((1, 2, 3), INF)), ValueError, "x", "infinite"),
]
EMPTY += [
    case(counting.anbn_batch, "ns empty", lambda: counting.anbn_batch([]), ValueError, "ns", "[]"),
]

TABLES = {
    "wrong type": WRONG_TYPE,
    "wrong dtype": WRONG_DTYPE,
    "wrong shape": WRONG_SHAPE,
    "sizes disagree": SIZES_DISAGREE,
    "NaN or infinity": NOT_FINITE,
    "empty": EMPTY,
    "impossible size": IMPOSSIBLE_SIZE,
    "out of range": OUT_OF_RANGE,
    "wrong kind": WRONG_KIND,
    "sign": SIGN,
    "generator": GENERATOR,
}
ALL = [(table, c) for table, cases in TABLES.items() for c in cases]


def _name(target) -> str:
    return getattr(target, "__qualname__", repr(target))


@pytest.mark.parametrize(("table", "c"), ALL, ids=[f"{t}: {_name(c.target)}: {c.bad}" for t, c in ALL])
def test_bad_input_gets_a_clear_error(table, c):
    with pytest.raises(c.error) as info:
        c.call()
    message = str(info.value)
    for word in c.words:
        assert word in message, f"{word!r} missing from: {message}"
    for word in c.absent:
        assert word not in message, f"{word!r} (an internal name) in: {message}"


def test_type_errors_are_also_value_errors():
    """Wrong types raise InputTypeError: code written against the earlier ValueError keeps working."""
    for c in WRONG_TYPE[:20] + GENERATOR:
        with pytest.raises(ValueError):
            c.call()


def test_siblings_refuse_a_missing_generator_with_one_wording():
    messages = set()
    for c in GENERATOR[:3]:
        with pytest.raises(TypeError) as info:
            c.call()
        messages.add(str(info.value))
    assert messages == {"generator must be a torch.Generator, for example torch.Generator().manual_seed(0); got None"}


# ---------------------------------------------------------------------------------------------
# 12. Valid input that used to crash, or that is documented to be converted.


def test_valid_input_that_used_to_crash():
    assert torch.equal(series.random_shifts(3, T=0.1, seed=0), torch.zeros(3, dtype=torch.long))
    assert RNN_CELL(X3[0, 0], torch.zeros(4)).shape == (4,)  # one vector without a batch axis, as nn.RNNCell takes
    assert series.random_shifts(np.int64(3), seed=np.int64(0)).shape == (3,)  # numpy integers are integers
    assert VOCAB.decode(torch.tensor([1, 2])) == VOCAB.decode([np.int64(1), 2]) == list(VOCAB.words[1:3])
    one = splits.fit_scaler(SERIES, splits.Span(0, 40))  # one feature: a series (time,) is transformed as it is
    assert one.transform(SERIES).shape == (60,)
    assert baselines.select_ar_order(SERIES, SERIES, range(1, 3))[0] in (1, 2)  # any iterable of orders
    assert baselines.select_ar_order(SERIES, SERIES, {2, 1})[0] in (1, 2)
    assert metrics.mase_by_horizon(PRED + 1, PRED, torch.tensor(2.0)).tolist() == [0.5, 0.5, 0.5]
    assert gate_timeline.TimelineExplorer(REC, 1, t_marks=torch.tensor([1, 2])).t_marks == [1, 2]
    assert gate_timeline.TimelineExplorer(REC, 1, t_marks=np.array([1, 2])).t_marks == [1, 2]


def test_data_at_rest_is_converted_to_the_models_dtype():
    """windowed_mse reads a series and trace measures a model from outside: both convert, as documented."""
    assert metrics.windowed_mse(FC, SERIES.double(), 4, 2).dtype == torch.float32
    assert gates.trace(LSTM_, X3.double()).h_t.dtype == torch.float32


# ---------------------------------------------------------------------------------------------
# Every public function and class is in a table above, or listed here with the reason it takes no input
# that could be checked.

NO_CHECKABLE_INPUT = {
    "helpers.corpus.all_words": "no arguments",
    "helpers.corpus.Target": "a record that make_text fills",
    "helpers.corpus.Text": "a record that make_text fills",
    "helpers.corpus.Corpus": "a record that make_corpus fills",
    "helpers.diagrams.draw_vanilla_rnn": "no arguments",
    "helpers.diagrams.draw_lstm_chain": "no arguments",
    "helpers.diagrams.draw_legend": "no arguments",
    "helpers.diagrams.draw_gate": "no arguments",
    "helpers.diagrams.draw_cell_state": "no arguments",
    "helpers.diagrams.draw_step_forget": "no arguments",
    "helpers.diagrams.draw_step_input": "no arguments",
    "helpers.diagrams.draw_step_update": "no arguments",
    "helpers.diagrams.draw_step_output": "no arguments",
    "helpers.gates.LSTMTrace": "a record that trace fills (its methods are in the tables)",
    "helpers.interventions.Proof": "a record that prove fills (drop is in the tables)",
    "helpers.language_model.TrainLog": "a record that train_lm fills",
    "helpers.lstm.Gates": "a record that lstm_step fills",
    "helpers.lstm.LSTMCell.reset_parameters": "no arguments",
    "helpers.lstm.LSTMCell.extra_repr": "no arguments",
    "helpers.rnn.RNNCell.reset_parameters": "no arguments",
    "helpers.probes.UnitThresholds": "a record that fit_unit_thresholds fills (predict is in the tables)",
    "helpers.probes.UnitReport": "a record that find_units fills",
    "helpers.series.WeeklySeries": "a record that read_weekly_csv fills",
    "helpers.series.MonthlySeries": "a record that monthly_means fills (its methods are in the tables)",
    "helpers.series.co2_weekly": "no arguments",
    "helpers.series.co2_monthly": "no arguments",
    "helpers.session.Session": "a record that setup returns",
    "helpers.session.pick_device": "no arguments",
    "helpers.style.apply_style": "no arguments",
    "helpers.style.Screen": "a record of measured numbers (SCREEN); text_px and displayed_width are in the tables",
    "helpers.tasks.MemoryBatch": "a record that make_memory_batch fills",
    "helpers.validate.InputTypeError": "an exception class",
    "helpers.validate.InputIndexError": "an exception class",
    "helpers.validate.describe": "describes any object, accepts anything",
    "helpers.widgets_gate.CellWrite": "a record that cell_write fills",
    "helpers.widgets_gate.GateSliders.values": "no arguments",
    "helpers.widgets_gate.GateSliders.update": "its argument, a widget's change event, is not read",
}
NO_CHECKABLE_INPUT.update({
    "helpers.counting.CountingBatch": "a record that anbn_batch fills",
    "helpers.diagrams.draw_gru_cell": "no arguments",
    "helpers.gru.GRUGates": "a record that gru_step fills",
    "helpers.gru.GRUCell.reset_parameters": "no arguments",
    "helpers.gru.GRUCell.extra_repr": "no arguments",
    "helpers.variants.LSTMVariant.reset_parameters": "no arguments",
    "helpers.variants.LSTMVariant.extra_repr": "no arguments",
})
# Methods reached by calling the instance (forward, __call__) are covered by rows whose target is the class.
CALLED_THROUGH_THE_INSTANCE = {"forward", "__call__"}


def public_callables() -> dict[str, object]:
    """Every public function and class of helpers (exercises excluded), and the public methods of the classes."""
    found = {}
    names = [m.name for m in pkgutil.iter_modules(helpers.__path__) if m.name != "exercises"]
    for module_name in names:
        module = importlib.import_module(f"helpers.{module_name}")
        exported = getattr(module, "__all__", None)
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            home = obj.__module__
            if home != module.__name__ and not (exported and name in exported and home.startswith(module.__name__)):
                continue
            found[f"{module.__name__}.{name}"] = obj
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for attr, member in vars(obj).items():
                    if (attr.startswith("_") and attr not in ("__getitem__", "__call__")) or attr in (
                        CALLED_THROUGH_THE_INSTANCE - {"__call__"}
                    ):
                        continue
                    if inspect.isfunction(member):  # properties take no argument
                        found[f"{module.__name__}.{name}.{attr}"] = member
    return found


def test_every_public_callable_is_covered():
    covered = {id(c.target) for _, c in ALL}
    missing = [
        name
        for name, obj in public_callables().items()
        if id(obj) not in covered and name not in NO_CHECKABLE_INPUT
    ]
    assert not missing, f"public callables with no bad-input row and no reason to have none: {missing}"
    stale = [name for name in NO_CHECKABLE_INPUT if name not in public_callables()]
    assert not stale, f"NO_CHECKABLE_INPUT names what is no longer public: {stale}"


def test_the_tables_are_broad():
    """Each class of bad input reaches many functions; the counts are in the test ids."""
    targets = {id(c.target) for _, c in ALL}
    assert len(ALL) >= 300 and len(targets) >= 150
