"""helpers: the shared code of the LSTM tutorial series.

Import what a notebook needs from its module, for example ``from helpers.rnn import RNN``. The module
map, from the bottom layer up: a module imports only from modules listed before it
(``tests/test_layout.py`` checks this map against the files and their imports).

Set-up and checks
    validate         boundary checks: each error names the argument, what was expected and what arrived
    style            the colour-blind-safe palette, plot style and the screen model figures are sized by
    session          setup(): seed, one torch thread, device, plot style
    measure          max_error (ours against PyTorch's) and gradient_by_lag (vanishing gradients)

Recurrent networks, written from their equations (notebooks 01-03)
    rnn              the vanilla RNN: rnn_step, RNNCell, RNN, weight copies to and from nn.RNN
    lstm             the LSTM: lstm_step, LSTMCell, LSTM, weight copies, set_forget_bias
    gates            the one way to look inside an LSTM: trace() -> LSTMTrace (f_t, i_t, C_tilde_t, C_t,
                     o_t, h_t); gate saturation and memory units
    train            fit(): the one training loop (any loss, optimizer, fixed data or fresh batches)
    tasks            the toy memory tasks of 01 and 03 (delayed recall, marked value), SequenceClassifier,
                     accuracy

A language model that remembers (notebook 04)
    corpus           a generated language where a subject's gender and number decide later words
    language_model   WordLM, train_lm, the bigram baseline, agreement accuracy
    probes           finding the units that carry a feature: correlations, thresholds, linear probes
    interventions    holding units at a value inside the running LSTM, and notebook 04's proof
    plots            plot helpers shared by notebooks (the words of a text under an axis)

Forecasting (notebooks 05-06)
    series           the series we forecast: sine waves, Mackey-Glass, two sines, CO2 at Mauna Loa
    windows          cutting series into windows (batch, time, features)
    splits           spans in time order and transforms fitted on the past only
    forecast         the free-running Forecaster (and its call convention), DirectForecaster, their losses
    metrics          errors per horizon: MSE, MAE, MASE, and windowed_mse over a whole series
    baselines        persistence, seasonal naive, least-squares AR(p)

Figures and interactive views
    diagrams/        every diagram of the series (the LSTM cell, the chain, the steps)
    widget_fallback  a widget stored with its picture and a sentence, for a page without a kernel
    widgets_gate     sliders over the forget and input gates of one unit (notebook 02)
    gate_timeline    heatmaps and a step-by-step explorer of an LSTMTrace (notebook 03)

Exercises
    exercises/       the exercise checkers, one module per notebook
"""

from helpers.session import Session, pick_device, seed_everything, setup

__all__ = ["Session", "pick_device", "seed_everything", "setup"]
__version__ = "0.1.0"
