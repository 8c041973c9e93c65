"""Checkers for the exercises of notebook 04, the LSTM language model that remembers its subject."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from helpers.corpus import Text, Vocab
from helpers.exercises import (
    Choice,
    ExerciseError,
    Grading,
    NumberRange,
    PredictThenRun,
    Question,
    as_number,
    as_pair,
    check_choice,
    check_prediction,
    check_run,
    close,
    run_check,
    tolerance_for,
)
from helpers.gates import LSTMTrace
from helpers.interventions import intervene
from helpers.language_model import WordLM, agreement_accuracy, check_word_lm
from helpers.validate import check_index, check_instance, check_items

RTOL, ATOL = 1e-4, 1e-5
"""Tolerance of exercise 3 on kept and written: float32 and float64 arithmetic both pass."""


def split_cases(states: LSTMTrace) -> list[tuple[int, int]]:
    """The (t, unit) at which exercise 3 is checked, spread over the steps and units of ``states``."""
    n_steps, n_h = states.C_t.shape[1], states.C_t.shape[2]
    return [(1, 0), (n_steps // 2, n_h // 2), (n_steps - 1, n_h - 1), (max(n_steps // 3, 1), min(1, n_h - 1))]


def check_split_update(
    student_split: Callable[[LSTMTrace, int, int], tuple[float, float]], states: LSTMTrace
) -> None:
    """Exercise 3: ``student_split(states, t, unit)`` returns (kept, written) for text 0 of ``states``:
    kept = f_t * C_{t-1} and written = i_t * C̃_t of that unit at step t (t >= 1).

    A pair of numbers in any numeric type is accepted; each is compared at rtol 1e-4, atol 1e-5.
    """

    def check(grading: Grading) -> None:
        for t, unit in split_cases(states):
            case = f"t={t}, unit={unit}"
            answer = grading.call(student_split, states, t, unit)
            kept, written = as_pair(answer, "(kept, written)")
            rtol, atol = tolerance_for(answer, RTOL, ATOL)
            kept, written = as_number(kept, f"kept for {case}"), as_number(written, f"written for {case}")
            f, i = float(states.f_t[0, t, unit]), float(states.i_t[0, t, unit])
            C_prev, C_t = float(states.C_t[0, t - 1, unit]), float(states.C_t[0, t, unit])
            C_tilde = float(states.C_tilde_t[0, t, unit])
            want_kept, want_written = f * C_prev, i * C_tilde

            near = partial(close, rtol=rtol, atol=atol)

            if near(kept, want_written) and near(written, want_kept) and not near(kept, want_kept):
                raise ExerciseError(f"{case}: the pair is (kept, written), in that order")
            if not near(kept, want_kept):
                if near(kept, f * C_t):
                    raise ExerciseError(
                        f"{case}: kept uses C_t, the new value; the forget gate scales the value one step "
                        "earlier, C_(t-1)"
                    )
                if near(kept, C_prev):
                    raise ExerciseError(f"{case}: kept is C_(t-1) alone; the forget gate f_t scales it")
                raise ExerciseError(
                    f"{case}: kept = {kept:.4g} is not f_t * C_(t-1) of text 0 at that step and unit. "
                    "Hint: the fields of states are indexed [text, step, unit]"
                )
            if not near(written, want_written):
                if near(written, C_tilde):
                    raise ExerciseError(f"{case}: written is C~_t alone; the input gate i_t scales it")
                if near(written, i):
                    raise ExerciseError(f"{case}: written is i_t alone; it scales the candidate C~_t")
                raise ExerciseError(
                    f"{case}: written = {written:.4g} is not i_t * C~_t of text 0 at that step and unit. "
                    "Hint: the fields of states are indexed [text, step, unit]"
                )

    run_check("Exercise 3 (what is kept, what is written)", check)


ZERO_NUMBER_WIDEST = 30.0
"""Exercise 1: the widest range (in points) accepted as a prediction."""

RUN_ATOL = 0.5
"""Exercise 1: how far (in points) the student's measured loss may be from the checker's own run."""


ZERO_NUMBER_TITLE = "Exercise 1 (zero the number unit)"
ZERO_NUMBER_PREDICTION = NumberRange(
    "How many points of he/she accuracy does the model lose when its number unit is held at zero? "
    "Write prediction = (low, high).",
    unit=" points", limits=(-100, 100), widest=ZERO_NUMBER_WIDEST,
)


def zero_number_task(model: WordLM, texts: Sequence[Text], vocab: Vocab, unit: int) -> PredictThenRun:
    """Exercise 1 as a :class:`PredictThenRun`: the points of he/she accuracy lost when cell unit ``unit``
    (the number unit) is held at zero, checked against the checker's own run of the same intervention.

    model: a :class:`WordLM` with an LSTM; texts: the test texts; vocab: their Vocab; unit: a cell-state unit.
    """
    check_word_lm(model, lstm=True), check_items(texts, "texts", Text), check_instance(vocab, "vocab", Vocab, "a Vocab")
    check_index(unit, "unit", model.hidden_size)
    cache: dict[str, float] = {}

    def want() -> float:
        if "lost" not in cache:
            base = agreement_accuracy(model, texts, vocab)["he/she"]
            cache["lost"] = 100 * (base - intervene(model, texts, vocab, [unit])["he/she"])
        return cache["lost"]

    def measure(lost: object) -> float:
        got = as_number(lost, "lost")
        if abs(want()) > 2 * RUN_ATOL and abs(100 * got - want()) <= RUN_ATOL:
            raise ExerciseError("lost is in points: multiply the difference of accuracies by 100")
        if abs(want()) > RUN_ATOL and abs(got + want()) <= RUN_ATOL:
            raise ExerciseError("lost is the accuracy before minus the accuracy after, not the other way round")
        if abs(got - want()) > RUN_ATOL:
            raise ExerciseError(
                f"lost = {got:.3g} is not what zeroing unit {unit} costs on these texts. Hint: the he/she "
                "accuracy of the untouched model, minus that of intervene(...) with [number_unit], times 100"
            )
        return got

    lesson = (
        "A unit that carries one feature can matter little for another: the probes of section 4 and the "
        "interventions of section 6 look at one feature at a time."
    )
    return PredictThenRun(ZERO_NUMBER_TITLE, ZERO_NUMBER_PREDICTION, measure, lesson)


def check_zero_number_prediction(prediction: object) -> None:
    """Exercise 1, before the run: ``prediction`` is a range (low, high) of points, at most 30 wide."""
    check_prediction(PredictThenRun(ZERO_NUMBER_TITLE, ZERO_NUMBER_PREDICTION, as_number), prediction)


def check_zero_number_run(
    prediction: object, lost: object, model: WordLM, texts: Sequence[Text], vocab: Vocab, unit: int
) -> None:
    """Exercise 1, after the run: ``lost``, the points of he/she accuracy lost when ``unit`` is held at zero,
    must match the checker's own run; then the prediction is told right or wrong (never failing)."""
    check_run(zero_number_task(model, texts, vocab, unit), prediction, lost)


WHY_EARLY = Question(
    title="Exercise 2 (why the model may forget early)",
    prompt="The model clears the subject's gender after its pronoun, before the next subject arrives. "
    "Why does that cost it no accuracy?",
    choices=(
        Choice(
            "Because the forget-gate bias of +2 makes the forget gate fall at punctuation.",
            "A bias of +2 pushes the forget gate towards 1 (keep), at every word alike; it cannot single out "
            "full stops. Where the gate falls was learned from the data.",
        ),
        Choice(
            "Because in this language no word after a subject's pronoun depends on that subject's gender.",
            "Yes: the training texts never need the old gender after its pronoun, so clearing it there loses "
            "nothing, and the unit is empty when the next subject is written. A language that mentions the "
            "first subject again later would forbid this.",
        ),
        Choice(
            "Because an LSTM cannot keep a value for more than about 20 words.",
            "It kept the gender across three clauses, 28 words, at full accuracy (section 3); a forget gate "
            "near 1 keeps a value much longer.",
        ),
        Choice(
            "Because the full stop's embedding is a vector of zeros.",
            "The full stop's embedding was trained like every other word's; and a zero input would not, by "
            "itself, empty the cell state, whose old value is kept through f_t.",
        ),
    ),
    answer="b",
)


def check_why_early(answer: object) -> None:
    """Exercise 2: a letter (a to d) for :data:`WHY_EARLY`; prints ✓ with the reason, or ✗ with why not."""
    check_choice(WHY_EARLY, answer)
