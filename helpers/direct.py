"""Direct multi-step forecasting: read the context once, predict every horizon at once.

A free-running forecaster (:mod:`helpers.forecast`) predicts one step and feeds its prediction back,
so its errors compound. A direct forecaster has one output per horizon k = 1..H, each trained on the
true x_{n+k}, and never reads its own predictions:

    h_n = LSTM(x_1, ..., x_n),   [x̂_{n+1}, ..., x̂_{n+H}] = W_hy h_n + b_y.
"""

from __future__ import annotations

import torch
from torch import nn

from helpers.protocol import Differencer
from helpers.validate import check_positive_int, check_same, check_tensor
from helpers.windows import as_batch, split_window


class DirectForecaster(nn.Module):
    """``torch.nn.LSTM`` over the context, then a linear read-out of the last hidden state to every horizon.

    x: (batch, time, features) -> (batch, horizon, features), entry k - 1 the forecast of x_{n+k}.
    """

    def __init__(self, n_features: int = 1, hidden_size: int = 32, horizon: int = 12, num_layers: int = 1):
        super().__init__()
        self.n_features = check_positive_int(n_features, "n_features")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        self.horizon = check_positive_int(horizon, "horizon")
        check_positive_int(num_layers, "num_layers")
        self.lstm = nn.LSTM(n_features, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, horizon * n_features)  # W_hy, b_y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.n_features})
        check_same(x, self.head.weight, ("x", "the model's weights"))
        h_all, _ = self.lstm(x)  # (batch, time, hidden)
        y = self.head(h_all[:, -1])  # W_hy h_n + b_y: (batch, horizon * features)
        return y.reshape(x.shape[0], self.horizon, self.n_features)


def direct_loss(model: DirectForecaster, windows: torch.Tensor) -> torch.Tensor:
    """MSE over every horizon: the model reads all but the last ``model.horizon`` steps of each window.

    windows: (batch, context + horizon, features) -> scalar (1/N) Σ_k (x̂_{n+k} - x_{n+k})².
    """
    check_tensor(windows, "windows", ("batch", "time", "features"))
    if windows.shape[1] <= model.horizon:
        raise ValueError(
            f"windows need more than horizon={model.horizon} steps (a context, then the horizon); "
            f"got {windows.shape[1]}"
        )
    past, future = split_window(windows, windows.shape[1] - model.horizon)
    return torch.mean((model(past) - future) ** 2)


@torch.no_grad()
def direct_forecast(
    model: DirectForecaster, context: torch.Tensor, differencer: Differencer | None = None
) -> torch.Tensor:
    """The model's forecast of the ``model.horizon`` steps after ``context``, in eval mode, without gradients.

    context: (time,), (time, features) or (batch, time, features) -> (batch, horizon, features).
    With a ``differencer`` the model reads standardized changes z (``differencer.encode(context)``) and its
    output is turned back into levels from the last value of the context (``differencer.decode``).
    """
    context = as_batch(context, "context")
    was_training = model.training
    model.eval()
    try:
        if differencer is None:
            return model(context)
        if context.shape[1] < 2:
            raise ValueError(f"a forecast on differences needs at least 2 steps of context; got {context.shape[1]}")
        return differencer.decode(context[:, -1:], model(differencer.encode(context)))
    finally:
        model.train(was_training)
