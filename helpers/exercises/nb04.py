"""Checkers for the exercises of notebook 04, the LSTM language model that remembers its subject."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from helpers.corpus import Text, Vocab
from helpers.exercises import ExerciseError, require_answer, run_check
from helpers.gates import LSTMTrace
from helpers.interventions import flip_values, he_she_predictions
from helpers.language_model import WordLM
from helpers.probes import unit_correlations


def check_split_update(
    student_split: Callable[[LSTMTrace, int, int], tuple[float, float]], states: LSTMTrace
) -> None:
    """Exercise 1: ``student_split(states, t, unit)`` returns (kept, written) for text 0 of ``states``:
    kept = f_t * C_{t-1} and written = i_t * C̃_t of that unit at step t (t >= 1)."""

    def check() -> None:
        n_steps, n_h = states.C_t.shape[1], states.C_t.shape[2]
        cases = [(1, 0), (n_steps // 2, n_h // 2), (n_steps - 1, n_h - 1), (n_steps // 3, 1)]
        for t, unit in cases:
            answer = require_answer(student_split(states, t, unit), "your function returned None")
            if not isinstance(answer, tuple | list) or len(answer) != 2:
                raise ExerciseError(f"return a pair (kept, written); got {answer!r}")
            kept, written = (float(a) for a in answer)
            f, i = float(states.f_t[0, t, unit]), float(states.i_t[0, t, unit])
            C_prev, C_tilde = float(states.C_t[0, t - 1, unit]), float(states.C_tilde_t[0, t, unit])
            want_kept, want_written = f * C_prev, i * C_tilde
            if abs(kept - f * float(states.C_t[0, t, unit])) < 1e-5 and abs(kept - want_kept) > 1e-5:
                raise ExerciseError(
                    f"t={t}, unit={unit}: kept uses C_t; the forget gate scales the *previous* value C_(t-1), "
                    "states.C_t[0, t - 1, unit]"
                )
            if abs(kept - want_kept) > 1e-5:
                raise ExerciseError(f"t={t}, unit={unit}: kept = {kept:.4g}, expected f_t * C_(t-1) = {want_kept:.4g}")
            if abs(written - C_tilde) < 1e-5 and abs(written - want_written) > 1e-5:
                raise ExerciseError(f"t={t}, unit={unit}: written is C~_t alone; the input gate i_t scales it")
            if abs(written - want_written) > 1e-5:
                raise ExerciseError(
                    f"t={t}, unit={unit}: written = {written:.4g}, expected i_t * C~_t = {want_written:.4g}"
                )
            if abs(kept + written - float(states.C_t[0, t, unit])) > 1e-4:
                raise ExerciseError(f"t={t}, unit={unit}: kept + written should equal C_t")

    return run_check("Exercise 1 (what is kept, what is written)", check)


def check_strongest_unit(student_unit: Callable[[torch.Tensor, torch.Tensor], int]) -> None:
    """Exercise 2: ``student_unit(X, y)`` returns the unit whose value correlates most strongly with the
    0/1 label, whatever the sign of the correlation. X: (positions, n_h), y: (positions,)."""

    def check() -> None:
        g = torch.Generator().manual_seed(4)
        for strong, sign in [(3, -1.0), (0, 1.0), (6, 1.0)]:
            y = torch.randint(2, (300,), generator=g)
            X = torch.randn(300, 8, generator=g)
            X[:, strong] += sign * 2.5 * y
            X[:, (strong + 1) % 8] += 1.2 * y  # a weaker, positive unit
            answer = require_answer(student_unit(X, y), "your function returned None")
            try:
                got = int(answer)
            except (TypeError, ValueError, RuntimeError):
                raise ExerciseError(f"return one unit number (an int); got {answer!r}") from None
            if got == strong:
                continue
            if got == (strong + 1) % 8 and sign < 0:
                raise ExerciseError(
                    f"you chose unit {got}, the strongest *positive* correlation; unit {strong} follows the label "
                    "more closely, upside down. Compare the size of r, its absolute value"
                )
            r = unit_correlations(X, y)
            raise ExerciseError(
                f"you chose unit {got} (r = {r[got]:.2f}); unit {strong} has r = {r[strong]:.2f}. "
                "Hint: unit_correlations(X, y) gives r for every unit"
            )

    return run_check("Exercise 2 (the strongest unit)", check)


def check_flip_value(
    value: float | None,
    model: WordLM,
    texts: Sequence[Text],
    vocab: Vocab,
    unit: int,
    means: torch.Tensor,
) -> None:
    """Exercise 3: clamping cell unit ``unit`` to ``value`` wherever the subject is singular must make the
    model choose "she" for at least 95% of masculine subjects. means: (2, 1), the unit's mean value under
    a masculine (row 0) and a feminine (row 1) subject."""

    def check() -> None:
        answer = require_answer(value, "value is still None")
        try:
            v = float(answer)
        except (TypeError, ValueError):
            raise ExerciseError(f"value must be a number; got {answer!r}") from None
        masculine = [t for t in texts if any(p.kind == "pronoun" and p.word == "he" for p in t.targets)]
        if not masculine:
            raise ValueError("texts must contain sentences about a masculine singular subject")
        steps = max(len(t) for t in masculine)
        _, when = flip_values(masculine, means, steps)
        values = torch.full((len(masculine), steps, 1), v)
        she = he_she_predictions(model, masculine, vocab, [unit], values, when)
        he_truth = torch.tensor(
            [p.word == "he" for t in masculine for p in t.targets if p.kind == "pronoun" and p.word != "they"]
        )
        share = float(she[he_truth].double().mean())
        if share >= 0.95:
            return
        masc, fem = float(means[0, 0]), float(means[1, 0])
        side = "above" if fem > masc else "below"
        raise ExerciseError(
            f"with the unit held at {v:.3g} the model says 'she' for {100 * share:.0f}% of the 'he' sentences. "
            f"Under a feminine subject this unit sits {side} its masculine value: move the value further that way"
        )

    return run_check("Exercise 3 (change the subject's gender from inside)", check)
