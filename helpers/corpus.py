"""A tiny generated language where a subject's gender and number decide words far after it.

Every text is two sentences ("stories"), each with a new subject. One story reads::

    the king , who met the girls near the river , and who saw the queen , tells the boys that he is late .

* The **subject** (``king``) has a gender (masculine/feminine) and a number (singular/plural).
* Between one and three **clauses** (``who met the girls ...``) put *distractor* nouns between the
  subject and the words that depend on it. Distractors are drawn independently of the subject, so they
  share its gender or number only by chance and never give the answer away.
* The **main verb** after the clauses agrees with the subject in number when it is in the present
  tense (``tells``/``tell``); in the past tense (``told``) it gives nothing away.
* The **pronoun** after ``that`` refers to the subject: ``he``, ``she`` or ``they``. To choose it a model
  must remember the subject's gender and number across every clause.
* The verb after the pronoun (``is``/``are``, ``was``/``were``) agrees with the pronoun right before it:
  a local agreement that needs no memory.

The second story brings a new subject, so a model has to drop the first subject's gender and number
and store the new ones. In this little language a pronoun always means the subject of its own
sentence, even where English would be ambiguous ("the king told the boy that he ...").

Held-out texts: a text is keyed by its pair of subject nouns (first story, second story); a fixed
share of the pairs is kept for testing and never generated for training. Generation is seeded and
uses its own ``random.Random``, so it never touches the global random state.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from helpers import validate

# ---------------------------------------------------------------------------------------------
# The vocabulary, word class by word class.

MASCULINE, FEMININE = 0, 1
SINGULAR, PLURAL = 0, 1
GENDERS = ("masculine", "feminine")
NUMBERS = ("singular", "plural")

#: NOUNS[gender][number]: six people nouns in each of the four cells.
NOUNS = (
    (
        ("king", "boy", "man", "father", "uncle", "prince"),
        ("kings", "boys", "men", "fathers", "uncles", "princes"),
    ),
    (
        ("queen", "girl", "woman", "mother", "aunt", "princess"),
        ("queens", "girls", "women", "mothers", "aunts", "princesses"),
    ),
)
CLAUSE_VERBS = ("met", "saw", "helped", "followed", "called", "visited")
PREPOSITIONS = ("near", "at", "behind", "beside")
PLACES = ("river", "market", "gate", "tower", "bridge", "garden")
#: (past, present singular, present plural)
SAY_VERBS = (
    ("told", "tells", "tell"),
    ("warned", "warns", "warn"),
    ("promised", "promises", "promise"),
    ("reminded", "reminds", "remind"),
)
PRONOUNS = ("he", "she", "they")
#: BE[tense][number], tense 0 = past, 1 = present
BE = (("was", "were"), ("is", "are"))
ADJECTIVES = ("tired", "happy", "hungry", "late", "ready", "safe", "brave", "lost")
FUNCTION_WORDS = ("the", ",", ".", "who", "and", "that")
PAD = "<pad>"

PAST, PRESENT = 0, 1
#: kinds of agreement-critical words a text records
PRONOUN, VERB, LOCAL_VERB = "pronoun", "verb", "local verb"


def pronoun_for(gender: int, number: int) -> str:
    """The pronoun that refers to a subject: they for plurals, else he or she. gender, number: 0 or 1."""
    validate.check_index(gender, "gender", 2), validate.check_index(number, "number", 2)
    return "they" if number == PLURAL else PRONOUNS[gender]


def all_words() -> tuple[str, ...]:
    """Every word of the language once, padding first (index 0), in a fixed order."""
    words = [PAD, *FUNCTION_WORDS]
    words += [n for by_gender in NOUNS for by_number in by_gender for n in by_number]
    words += [*CLAUSE_VERBS, *PREPOSITIONS, *PLACES]
    words += [form for forms in SAY_VERBS for form in forms]
    words += [*PRONOUNS, *BE[PAST], *BE[PRESENT], *ADJECTIVES]
    assert len(set(words)) == len(words), "a word appears twice in the vocabulary"
    return tuple(words)


class Vocab:
    """Word <-> index for the language; index 0 is padding. words: distinct strs (default: :func:`all_words`)."""

    def __init__(self, words: Sequence[str] | None = None) -> None:
        self.words = tuple(all_words() if words is None else validate.check_items(words, "words", str, unique=True))
        self.index = {w: i for i, w in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words)

    @property
    def pad_id(self) -> int:
        return self.index[PAD]

    def encode(self, words: Sequence[str]) -> list[int]:
        """Words (a list of strs, not one str) -> indices; an unknown word raises ``KeyError`` naming it."""
        try:
            return [self.index[w] for w in validate.check_items(words, "words", str, allow_empty=True)]
        except KeyError as err:
            raise KeyError(f"word {err.args[0]!r} is not in the vocabulary of {len(self)} words") from None

    def decode(self, ids: Sequence[int]) -> list[str]:
        """Indices (ints in [0, len(vocab)), or a 1-d integer tensor) -> words."""
        return [self.words[i] for i in validate.check_indices(ids, "ids", len(self))]


# ---------------------------------------------------------------------------------------------
# Texts and what they record.


@dataclass(frozen=True)
class Target:
    """An agreement-critical word: at ``position`` the text has ``word``; ``options`` are its rivals
    (``word`` included) that differ only in gender or number. ``gap`` counts the words from the
    subject it agrees with to this word (1 = right after it)."""

    position: int
    kind: str
    word: str
    options: tuple[str, ...]
    gap: int


@dataclass(frozen=True)
class Text:
    """A generated text and everything known about it.

    words: the text, one word per position. subjects: the position of each story's subject noun.
    gender, number: per position, the gender and number of the current subject (that of the most recent
    subject noun, the noun itself included), -1 before the first one. targets: the agreement-critical
    words. clauses: the number of clauses in each story. key: the pair of subject nouns.
    """

    words: tuple[str, ...]
    subjects: tuple[int, ...]
    gender: tuple[int, ...]
    number: tuple[int, ...]
    targets: tuple[Target, ...]
    clauses: tuple[int, ...]
    key: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.words)

    def __str__(self) -> str:
        return " ".join(self.words)


def _noun(rng: random.Random) -> tuple[str, int, int]:
    gender, number = rng.randrange(2), rng.randrange(2)
    return rng.choice(NOUNS[gender][number]), gender, number


def noun_features(noun: str) -> tuple[int, int]:
    """(gender, number) of a people noun; ``ValueError`` for any other word."""
    for gender, by_gender in enumerate(NOUNS):
        for number, nouns in enumerate(by_gender):
            if noun in nouns:
                return gender, number
    raise ValueError(f"noun {noun!r} is not one of the language's people nouns")


def _story(rng: random.Random, subject: str, n_clauses: int, start: int) -> tuple[list[str], list[Target]]:
    """One sentence about ``subject`` with ``n_clauses`` clauses; positions in targets count from ``start``."""
    gender, number = noun_features(subject)
    words = ["the", subject]
    where = start + 1  # the subject's position
    for c in range(n_clauses):
        words += [","] if c == 0 else [",", "and"]
        words += ["who", rng.choice(CLAUSE_VERBS), "the", _noun(rng)[0]]
        if rng.random() < 0.5:
            words += [rng.choice(PREPOSITIONS), "the", rng.choice(PLACES)]
    if n_clauses:
        words.append(",")
    tense = rng.randrange(2)
    forms = rng.choice(SAY_VERBS)
    targets = []
    if tense == PRESENT:
        verb = forms[1 + number]
        targets.append(Target(start + len(words), VERB, verb, forms[1:], start + len(words) - where))
        words.append(verb)
    else:
        words.append(forms[0])
    words += ["the", _noun(rng)[0], "that"]
    pronoun = pronoun_for(gender, number)
    targets.append(Target(start + len(words), PRONOUN, pronoun, PRONOUNS, start + len(words) - where))
    words.append(pronoun)
    be = BE[tense][number]
    targets.append(Target(start + len(words), LOCAL_VERB, be, BE[tense], start + len(words) - where))
    words += [be, rng.choice(ADJECTIVES), "."]
    return words, targets


def make_text(rng: random.Random, subjects: Sequence[str], clauses: Sequence[int]) -> Text:
    """One text: a story per subject noun (strs), with the given numbers of clauses (ints from 0 to 9)."""
    validate.check_instance(rng, "rng", random.Random, "a random.Random, for example random.Random(0)")
    validate.check_items(subjects, "subjects", str, empty="need one clause count per subject")
    if len(subjects) != len(clauses) or not subjects:
        raise ValueError(f"need one clause count per subject; got {len(subjects)} subjects, {len(clauses)} counts")
    words: list[str] = []
    targets: list[Target] = []
    subject_positions = []
    for subject, n in zip(subjects, clauses, strict=True):
        validate.check_int(n, "the number of clauses", 0, 9, expected="an integer between 0 and 9")
        subject_positions.append(len(words) + 1)
        story, story_targets = _story(rng, subject, n, len(words))
        words += story
        targets += story_targets
    gender, number = [-1] * len(words), [-1] * len(words)
    for k, pos in enumerate(subject_positions):
        end = subject_positions[k + 1] if k + 1 < len(subject_positions) else len(words)
        g, n = noun_features(words[pos])
        gender[pos:end] = [g] * (end - pos)
        number[pos:end] = [n] * (end - pos)
    return Text(
        tuple(words), tuple(subject_positions), tuple(gender), tuple(number), tuple(targets),
        tuple(clauses), tuple(subjects),
    )


def subject_pairs(held_out: float = 0.2, split_seed: int = 0) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Split every ordered pair of two different subject nouns into (train pairs, held-out pairs).

    The split depends only on ``split_seed``, so every corpus with the same split seed holds out the
    same pairs.
    """
    validate.check_fraction(held_out, "held_out"), validate.check_seed(split_seed, "split_seed")
    nouns = [n for by_gender in NOUNS for by_number in by_gender for n in by_number]
    pairs = [(a, b) for a in nouns for b in nouns if a != b]
    random.Random(split_seed).shuffle(pairs)
    n_test = round(held_out * len(pairs))
    return sorted(pairs[n_test:]), sorted(pairs[:n_test])


def generate(
    n_texts: int,
    seed: int,
    pairs: Sequence[tuple[str, str]],
    clauses: Sequence[int] = (0, 1, 2, 3),
) -> list[Text]:
    """``n_texts`` texts of two stories each; subject pairs drawn from ``pairs``, each story's clause
    count drawn from ``clauses`` (ints from 0 to 9). The same arguments give the same texts. seed: an int >= 0."""
    validate.check_positive_int(n_texts, "n_texts"), validate.check_seed(seed)
    if not pairs:
        raise ValueError("pairs is empty: no subject pair to draw from")
    validate.check_items(clauses, "clauses", int, empty="clauses is empty: give at least one clause count, e.g. (3,)")
    rng = random.Random(seed)
    return [
        make_text(rng, rng.choice(pairs), [rng.choice(clauses) for _ in range(2)]) for _ in range(n_texts)
    ]


@dataclass(frozen=True)
class Corpus:
    """Training texts (0 to 3 clauses per story) and held-out test texts, keyed by subject pairs the
    training texts never use. ``test`` has three clauses per story (the long gap); ``test_by_clauses[k]``
    has k clauses per story, for the accuracy-against-gap curve."""

    vocab: Vocab
    train: list[Text]
    test: list[Text]
    test_by_clauses: dict[int, list[Text]]


def make_corpus(
    n_train: int = 4000,
    n_test: int = 500,
    seed: int = 0,
    long_clauses: int = 3,
    split_seed: int = 0,
    train_clauses: Sequence[int] = (0, 1, 2, 3),
) -> Corpus:
    """The corpus the notebook uses: seeded, no download. Each training story draws its number of
    clauses from ``train_clauses`` (repeat a number to make it more frequent). Sizes: positive ints."""
    validate.check_positive_int(n_train, "n_train"), validate.check_positive_int(n_test, "n_test")
    validate.check_int(long_clauses, "long_clauses", 0, 9), validate.check_items(train_clauses, "train_clauses", int)
    train_pairs, test_pairs = subject_pairs(split_seed=split_seed)
    train = generate(n_train, seed, train_pairs, clauses=train_clauses)
    by_clauses = {
        k: generate(n_test, seed + 1000 + k, test_pairs, clauses=(k,)) for k in range(long_clauses + 1)
    }
    return Corpus(Vocab(), train, by_clauses[long_clauses], by_clauses)


#: the role of each word in :func:`word_roles`
SUBJECT, OTHER_NOUN, FULL_STOP, OTHER = "subject", "other noun", "full stop", "other word"
ROLES = (SUBJECT, OTHER_NOUN, FULL_STOP, OTHER)


def word_roles(text: Text) -> list[str]:
    """The role of each word: a story's subject, another people noun (a distractor, or the object of the
    main verb), the full stop, or any other word."""
    validate.check_instance(text, "text", Text, "a Text (from make_corpus or generate)")
    nouns = {n for by_gender in NOUNS for by_number in by_gender for n in by_number}
    roles = []
    for pos, word in enumerate(text.words):
        if pos in text.subjects:
            roles.append(SUBJECT)
        elif word in nouns:
            roles.append(OTHER_NOUN)
        elif word == ".":
            roles.append(FULL_STOP)
        else:
            roles.append(OTHER)
    return roles


def encode_texts(texts: Sequence[Text], vocab: Vocab) -> torch.Tensor:
    """Texts -> word indices (batch, time), padded at the end with ``vocab.pad_id``."""
    validate.check_items(texts, "texts", Text, empty="texts is empty: need at least one text to encode")
    validate.check_instance(vocab, "vocab", Vocab, "a Vocab")
    longest = max(len(t) for t in texts)
    ids = torch.full((len(texts), longest), vocab.pad_id, dtype=torch.long)
    for row, text in enumerate(texts):
        ids[row, : len(text)] = torch.tensor(vocab.encode(text.words))
    return ids
