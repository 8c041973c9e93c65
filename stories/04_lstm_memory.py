"""What notebook 04 (the LSTM language model that remembers its subject) says, as checks on its own
variables. Run: make story, or .venv/bin/python tools/story.py --notebooks 04."""

import time

import torch

from helpers.corpus import PRONOUN, VERB
from helpers.language_model import agreement_accuracy
from helpers.measure import max_error
from stories.story import Story

story = Story(__file__)


@story.claim("Title", "A small LSTM language model trained in seconds: the whole notebook in at most 60 CPU seconds")
def cpu_time(nb):
    # The kernel ran only this notebook so far: its CPU time (one torch thread) is the notebook's.
    seconds = time.process_time()
    return seconds <= 60, f"{seconds:.0f} CPU s"


def by_clauses(nb, model, key):
    return [agreement_accuracy(model, texts, nb.vocab)[key] for texts in nb.corpus.test_by_clauses.values()]


@story.claim("§1, Summary", "At 3 clauses the pronoun and the main verb come 24 to 28 words after their subject")
def long_gaps(nb):
    texts = nb.corpus.test_by_clauses[3]
    verb, pronoun = nb.mean_gap(texts, VERB), nb.mean_gap(texts, PRONOUN)
    return 23.5 <= verb <= 28.5 and 23.5 <= pronoun <= 28.5, f"verb {verb:.1f}, pronoun {pronoun:.1f}"


@story.claim("§1, Summary", "Test texts use only subject pairs held out of training")
def held_out_pairs(nb):
    train = {t.key for t in nb.corpus.train}
    shared = train & {t.key for texts in nb.corpus.test_by_clauses.values() for t in texts}
    return not shared, f"{len(shared)} pairs shared"


@story.claim("§2", "The bigram model scores about 50% on pronouns and main verbs, and gets the local verb right")
def bigram_at_chance(nb):
    r = nb.scores["bigram"]
    ok = all(0.45 <= r[k] <= 0.55 for k in ("pronoun", "he/she", "verb")) and r["local verb"] >= 0.99
    return ok, ", ".join(f"{k} {r[k]:.3f}" for k in ("pronoun", "he/she", "verb", "local verb"))


@story.claim("§3", "WordLM computes the same scores as the class written out")
def wordlm_equals_class(nb):
    return nb.same_scores, f"equal: {nb.same_scores}"


@story.claim("§3, Summary", "The LSTM gets at least 99% of held-out pronouns and main verbs right")
def lstm_learns(nb):
    r = nb.scores["LSTM"]
    return r["critical"] >= 0.99, f"critical {r['critical']:.4f}, he/she {r['he/she']:.4f}"


@story.claim("§3, Summary", "The vanilla RNN stays near chance between he and she (at most 60%)")
def rnn_at_chance(nb):
    r = nb.scores["RNN"]
    return r["he/she"] <= 0.60, f"he/she {r['he/she']:.3f}, critical {r['critical']:.3f}"


@story.claim("§3", "Both recurrent models learned the local verb (at least 95%)")
def local_verb(nb):
    lo = min(nb.scores[m]["local verb"] for m in ("RNN", "LSTM"))
    return lo >= 0.95, f"lowest {lo:.3f}"


@story.claim("Going further", "The LSTM stays near 100% at every distance (he/she, verb >= 97% at 0-3 clauses)")
def lstm_every_distance(nb):
    lo = min(min(by_clauses(nb, nb.lstm, k)) for k in ("he/she", "verb"))
    return lo >= 0.97, f"lowest {lo:.3f}"


@story.claim("Going further", "The RNN is at chance by two clauses (he/she and verb at most 60% at 2 and 3 clauses)")
def rnn_chance_by_two_clauses(nb):
    acc = {k: by_clauses(nb, nb.rnn, k) for k in ("he/she", "verb")}
    ok = max(max(a[2:]) for a in acc.values()) <= 0.60
    return ok, "; ".join(f"{k} by clauses " + "/".join(f"{x:.2f}" for x in a) for k, a in acc.items())


@story.claim("Going further", "With no clause the RNN gets the main verb (at least 90%)")
def rnn_verb_without_clause(nb):
    acc = by_clauses(nb, nb.rnn, "verb")
    return acc[0] >= 0.9, f"verb at 0 clauses {acc[0]:.2f}"


@story.claim("Going further, Summary", "lstm_step on nn.LSTM weights gives its h_t and last C_t (float64, <= 1e-12)")
def cell_by_hand(nb):
    dh = max_error(torch.stack(nb.hs, dim=1), nb.h_torch)
    dc = max_error(nb.Cs[-1], nb.C_torch[0])
    same = torch.equal(nb.states.C_t, torch.stack(nb.Cs, dim=1))
    return dh <= 1e-12 and dc <= 1e-12 and same, f"h {dh:.0e}, C {dc:.0e}, trace equal {same}"


@story.claim("§4, Summary", "A linear probe reads the gender from all of C_t at about 99% (98% or more)")
def probe_on_C(nb):
    return nb.gender.probe_C >= 0.98, f"{nb.gender.probe_C:.4f}"


@story.claim("§4, Summary", "From h_t less well: below the probe on C_t, about 80% to 95%")
def probe_on_h(nb):
    h = nb.gender.probe_h
    return h < nb.gender.probe_C and 0.78 <= h <= 0.96, f"{h:.3f}"


@story.claim("§4, Summary", "The best single unit gives the gender at about 75% to 95% of words (it varies by run)")
def single_unit(nb):
    a = float(nb.gender.single_accuracy[nb.unit])
    return 0.70 <= a <= 0.97, f"unit {nb.unit}: {a:.3f}"


@story.claim("§5, Summary", "At distractor nouns the unit's forget gate stays near 1 (mean at least 0.9)")
def keeps_across_distractors(nb):
    return nb.f_mean["other noun"] >= 0.9, f"f_t at other nouns {nb.f_mean['other noun']:.2f}"


@story.claim("§5, Summary", "Little gender difference is left before the new subject: reset after use (at most 15%)")
def reset_after_use(nb):
    f = nb.f_mean
    how = f"f_t at pronoun {f['pronoun']:.2f}, full stop {f['full stop']:.2f}, subject {f['subject']:.2f}"
    return nb.mechanism == "reset after use" and nb.left <= 0.15, f"{100 * nb.left:.0f}% left; {how}"


@story.claim("§6, Summary", "Zeroing the gender unit costs up to ~55 he/she points (45-55 in most runs); random <= 5")
def zeroing(nb):
    ok = 0 <= nb.zero_drop <= 56 and nb.zero_random <= 5
    return ok, f"gender unit {nb.zero_drop:.1f}, random at most {nb.zero_random:.1f}"


@story.claim("§6, Summary", "Holding it at the other gender flips from about 15% to all of the he/she choices")
def flipping(nb):
    return nb.proof.flip >= 0.1, f"{100 * nb.proof.flip:.0f}% flipped"
