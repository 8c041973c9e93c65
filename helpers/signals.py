"""Harder test signals: the chaotic Mackey-Glass series and a noisy sum of two sines.

Mackey-Glass (M. C. Mackey and L. Glass, "Oscillation and chaos in physiological control systems",
Science 197:287-289, 1977) is a delay differential equation,

    dx/dt = β x(t - τ) / (1 + x(t - τ)^n) - γ x(t),

chaotic for β = 0.2, γ = 0.1, n = 10 and τ = 17, the setting used as a forecasting benchmark since
the 1980s. We integrate it ourselves with fourth-order Runge-Kutta, in numpy.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from helpers.validate import check_positive_int


def mackey_glass(
    n_samples: int,
    tau: float = 17.0,
    beta: float = 0.2,
    gamma: float = 0.1,
    n: float = 10.0,
    dt: float = 0.1,
    sample_every: float = 1.0,
    x0: float = 1.2,
    discard: float = 500.0,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """``n_samples`` values of x(t), one every ``sample_every`` time units: (n_samples,).

    The history x(t) = x0 for t ≤ 0 starts the delay equation; RK4 steps of ``dt`` follow (τ/dt and
    sample_every/dt must be whole numbers), and the first ``discard`` time units, the transient,
    are dropped. Deterministic: the same arguments give the same series.
    """
    check_positive_int(n_samples, "n_samples")
    for name, value in (("tau", tau), ("dt", dt), ("sample_every", sample_every)):
        if not value > 0:
            raise ValueError(f"{name} must be positive; got {value!r}")
    delay, every = tau / dt, sample_every / dt
    if abs(delay - round(delay)) > 1e-9 or abs(every - round(every)) > 1e-9:
        raise ValueError(f"tau/dt and sample_every/dt must be whole numbers; got {delay:g} and {every:g}")
    if discard < 0:
        raise ValueError(f"discard must be at least 0; got {discard!r}")
    d, every = round(delay), round(every)
    skip = round(discard / dt)
    total = skip + (n_samples - 1) * every + 1

    def f(x: float, x_tau: float) -> float:  # dx/dt = β x_τ / (1 + x_τ^n) - γ x
        return beta * x_tau / (1.0 + x_tau**n) - gamma * x

    x = np.empty(d + total)
    x[: d + 1] = x0  # x(t) = x0 for -τ ≤ t ≤ 0
    for i in range(d, d + total - 1):
        lag, lag_next = x[i - d], x[i - d + 1]
        lag_mid = 0.5 * (lag + lag_next)  # x(t + dt/2 - τ), linearly interpolated
        k1 = f(x[i], lag)
        k2 = f(x[i] + 0.5 * dt * k1, lag_mid)
        k3 = f(x[i] + 0.5 * dt * k2, lag_mid)
        k4 = f(x[i] + dt * k3, lag_next)
        x[i + 1] = x[i] + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    samples = x[d + skip :: every][:n_samples]
    return torch.from_numpy(samples).to(dtype)


def two_sines(
    n_samples: int,
    periods: tuple[float, float] = (23.0, 9.0),
    amplitudes: tuple[float, float] = (1.0, 0.5),
    noise: float = 0.1,
    *,
    seed: int,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """x_t = a_1 sin(2π t / P_1) + a_2 sin(2π t / P_2 + φ) + σ ε_t, ε_t ~ N(0, 1): (n_samples,).

    The phase φ and the noise ε come from a ``torch.Generator`` seeded with ``seed``.
    """
    check_positive_int(n_samples, "n_samples")
    if noise < 0:
        raise ValueError(f"noise must be at least 0; got {noise!r}")
    if any(not p > 0 for p in periods):
        raise ValueError(f"periods must be positive; got {periods!r}")
    g = torch.Generator().manual_seed(seed)
    phi = 2 * math.pi * float(torch.rand((), generator=g, dtype=torch.float64))
    t = torch.arange(n_samples, dtype=torch.float64)
    (a1, a2), (P1, P2) = amplitudes, periods
    x = a1 * torch.sin(2 * math.pi * t / P1) + a2 * torch.sin(2 * math.pi * t / P2 + phi)
    eps = torch.randn(n_samples, generator=g, dtype=torch.float64)
    return (x + noise * eps).to(dtype)
