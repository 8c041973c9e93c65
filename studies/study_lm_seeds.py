"""How many seeds meet each claim of notebook 04 (the language model that remembers its subject).

For each seed, exactly as the notebook does: train the LSTM (forget bias +2) and the vanilla RNN on the
same corpus, fit the bigram baseline, find the gender and number units of the LSTM's cell state, and run
the interventions. One line per seed, then a table: each criterion and how many seeds meet it.

    .venv/bin/python studies/study_lm_seeds.py --seeds 0 1 2            # about a minute a seed
    .venv/bin/python studies/study_lm_seeds.py --seeds 3 4 5 --append   # add seeds to the saved result
    .venv/bin/python studies/study_lm_seeds.py --table                  # the table of the saved result
    .venv/bin/python studies/study_lm_seeds.py --seeds 0 1 2 --forget-bias none --no-save  # PyTorch's default init

Each run writes studies/results/study_lm_seeds.json and .md (``--append`` keeps the saved seeds that this
run does not repeat, and refuses to mix runs made with another torch or on another numeric path).

The seed sets the models' initial weights and the order of the training batches; the corpus is the
notebook's (corpus seed 0) every time. One torch thread, as in the notebook.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import setup  # noqa: E402
from helpers.corpus import PRONOUN, VERB, encode_texts, make_corpus  # noqa: E402
from helpers.gates import trace  # noqa: E402
from helpers.interventions import prove  # noqa: E402
from helpers.language_model import BigramLM, WordLM, agreement_accuracy, train_lm  # noqa: E402
from helpers.probes import find_units  # noqa: E402
from studies.results import RESULTS, Study, add_arguments, environment  # noqa: E402

# The notebook's settings.
EMBED, HIDDEN, FORGET_BIAS, STEPS, BATCH, LR = 32, 64, 2.0, 1200, 32, 1e-2
N_PROBE_TRAIN, N_TEST, N_RANDOM = 600, 300, 5

# (name, key of the per-seed record, test): the claims the notebook makes.
CRITERIA = [
    ("LSTM >= 99% on agreement-critical words", "lstm_critical", lambda v: v >= 0.99),
    ("vanilla RNN <= 60% on agreement-critical words", "rnn_critical", lambda v: v <= 0.60),
    ("one cell unit alone predicts gender >= 93%", "gender_unit_accuracy", lambda v: v >= 0.93),
    ("zeroing the gender unit costs >= 35 points of he/she", "zero_gender_drop", lambda v: v >= 35),
    ("zeroing a random unit costs <= 10 points (all draws)", "zero_random_drop_max", lambda v: v <= 10),
    ("zeroing gender + number units costs >= 30 points of pronoun", "zero_both_drop", lambda v: v >= 30),
    ("zeroing 2 random units costs <= 10 points (all draws)", "zero_random2_drop_max", lambda v: v <= 10),
    ("setting the gender unit to the other gender flips >= 95%", "flip", lambda v: v >= 0.95),
    ("gender unit's output gate shut before the verb (< 0.1)", "o_gender_before_verb", lambda v: v < 0.1),
]


def output_gate_before(states, texts, unit: int, kind: str) -> float:
    """Mean output gate o_t of ``unit`` at the word right before each target of ``kind``."""
    values = [float(states.o_t[row, t.position - 1, unit]) for row, text in enumerate(texts)
              for t in text.targets if t.kind == kind]
    return sum(values) / len(values)


def study_seed(seed: int, forget_bias: float | None = FORGET_BIAS) -> dict:
    """Everything the notebook measures, for one seed: a flat record of numbers.

    ``forget_bias``: the LSTM's initial forget-gate bias (None: PyTorch's default initialisation).
    """
    setup(seed)
    corpus = make_corpus()
    vocab, test = corpus.vocab, corpus.test[:N_TEST]
    tokens = encode_texts(corpus.train, vocab)
    record: dict = {"seed": seed, "forget_bias": forget_bias}
    models = {}
    for cell in ("lstm", "rnn"):
        torch.manual_seed(seed)
        model = WordLM(len(vocab), EMBED, HIDDEN, cell, forget_bias if cell == "lstm" else None)
        log = train_lm(model, tokens, steps=STEPS, batch_size=BATCH, lr=LR, seed=seed)
        record[f"{cell}_seconds"] = log.seconds
        models[cell] = model
    models["bigram"] = BigramLM(tokens, len(vocab))
    for name, model in models.items():
        for key, value in agreement_accuracy(model, test, vocab).items():
            record[f"{name}_{key.replace('/', '_').replace(' ', '_')}"] = value
    lstm = models["lstm"]
    probe_train = corpus.train[:N_PROBE_TRAIN]
    units = find_units(lstm, probe_train, test, vocab)
    gender, number = units["gender"], units["number"]
    record.update(
        gender_unit=gender.unit, gender_unit_accuracy=float(gender.single_accuracy[gender.unit]),
        gender_probe_C=gender.probe_C, gender_probe_h=gender.probe_h,
        number_unit=number.unit, number_unit_accuracy=float(number.single_accuracy[number.unit]),
        number_probe_C=number.probe_C, number_probe_h=number.probe_h,
    )
    proof = prove(lstm, probe_train, test, vocab, gender.unit, number.unit, n_random=N_RANDOM, seed=seed)
    record.update(
        zero_gender_drop=proof.drop("zero_gender", "he/she"),
        zero_random_drop_max=max(proof.drop("zero_random_1", "he/she")),
        zero_both_drop=proof.drop("zero_both", "pronoun"),
        zero_random2_drop_max=max(proof.drop("zero_random_2", "pronoun")),
        flip=proof.flip, flip_random_max=max(proof.flip_random),
    )
    with torch.no_grad():
        states = trace(lstm.rnn, lstm.inputs(encode_texts(test, vocab)))
    for unit_name, unit in (("gender", gender.unit), ("number", number.unit)):
        for kind, where in ((VERB, "verb"), (PRONOUN, "pronoun")):
            record[f"o_{unit_name}_before_{where}"] = output_gate_before(states, test, unit, kind)
    return record


def describe(r: dict) -> str:
    bias = r.get("forget_bias", FORGET_BIAS)
    return (
        f"seed {r['seed']} (forget bias {bias}): LSTM {100 * r['lstm_critical']:.1f}% ({r['lstm_seconds']:.0f} s), "
        f"RNN {100 * r['rnn_critical']:.1f}% ({r['rnn_seconds']:.0f} s), bigram {100 * r['bigram_critical']:.1f}% | "
        f"gender unit {r['gender_unit']} {100 * r['gender_unit_accuracy']:.1f}% "
        f"(probe C {100 * r['gender_probe_C']:.1f}%, h {100 * r['gender_probe_h']:.1f}%), "
        f"number unit {r['number_unit']} {100 * r['number_unit_accuracy']:.1f}% | "
        f"zero gender -{r['zero_gender_drop']:.1f} pts (random max -{r['zero_random_drop_max']:.1f}), "
        f"zero both -{r['zero_both_drop']:.1f} (random max -{r['zero_random2_drop_max']:.1f}), "
        f"flip {100 * r['flip']:.1f}% (random max {100 * r['flip_random_max']:.1f}%) | "
        f"o_gender before verb {r['o_gender_before_verb']:.2f}, before pronoun {r['o_gender_before_pronoun']:.2f}"
    )


def table(records: list[dict]) -> str:
    """Each criterion: how many seeds meet it, of all seeds and of those whose LSTM learned (>= 99%)."""
    learned = [r for r in records if r["lstm_critical"] >= 0.99]
    seeds = ", ".join(str(r["seed"]) for r in records)
    lines = [f"{len(records)} seeds ({seeds}); the LSTM learned the agreements (>= 99%) in {len(learned)}",
             f"{'criterion':<62}{'all seeds':>12}{'learned':>10}  seeds meeting it"]
    for name, key, test in CRITERIA:
        met = [r["seed"] for r in records if test(r[key])]
        met_learned = [r["seed"] for r in learned if test(r[key])]
        lines.append(f"{name:<62}{len(met):>5} of {len(records):<4}{len(met_learned):>3} of {len(learned):<4} {met}")
    return "\n".join(lines)


def saved() -> dict | None:
    path = RESULTS / "study_lm_seeds.json"
    return json.loads(path.read_text()) if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    parser.add_argument("--append", action="store_true",
                        help="keep the saved result's seeds that this run does not repeat")
    parser.add_argument("--table", action="store_true", help="print the table of the saved result and stop")
    parser.add_argument("--forget-bias", default=str(FORGET_BIAS),
                        help="the LSTM's initial forget-gate bias, or 'none' for PyTorch's default (notebook: 2.0)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    previous = saved()
    if args.table:
        if previous is None:
            parser.error("no saved result: run some seeds first")
        for r in previous["result"]["records"]:
            print(describe(r))
        print(table(previous["result"]["records"]))
        return 0
    forget_bias = None if args.forget_bias.lower() == "none" else float(args.forget_bias)
    kept: list[dict] = []
    earlier: list[str] = []
    if args.append and previous is not None:
        now, then = environment(), previous["environment"]
        for key in ("torch", "cpu_capability", "numeric_path"):
            if now[key] != then[key]:
                parser.error(f"--append: the saved seeds ran with {key} {then[key]!r}, this run has {now[key]!r}")
        kept = [r for r in previous["result"]["records"] if r["seed"] not in args.seeds]
        earlier = [*previous["earlier_commands"], previous["command"]]
    with Study("study_lm_seeds", argv, save=not args.no_save) as study:
        study.extra_commands = earlier
        records = list(kept)
        for seed in args.seeds:
            start = time.perf_counter()
            record = study_seed(seed, forget_bias)
            record["total_seconds"] = time.perf_counter() - start
            records.append(record)
            print(describe(record), flush=True)
        records.sort(key=lambda r: r["seed"])
        print(table(records))
        study.seeds = [r["seed"] for r in records]
        study.result = {
            "records": records,
            "criteria": [{"criterion": name, "seeds_meeting": [r["seed"] for r in records if test(r[key])]}
                         for name, key, test in CRITERIA],
        }
    return 0


if __name__ == "__main__":
    sys.exit(main())
