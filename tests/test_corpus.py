"""The generated language: determinism, agreement (checked by a parser of our own), held-out split."""

from __future__ import annotations

import random

import pytest
import torch

from helpers.corpus import (
    PRONOUN,
    Vocab,
    encode_texts,
    generate,
    make_corpus,
    make_text,
    noun_features,
    subject_pairs,
    word_roles,
)

# An independent description of the grammar, written out again here on purpose: the parser below
# must not reuse the generator's tables, or a mistake in them would check itself.
MASC = {"king", "boy", "man", "father", "uncle", "prince", "kings", "boys", "men", "fathers", "uncles", "princes"}
PLURAL = {"kings", "boys", "men", "fathers", "uncles", "princes",
          "queens", "girls", "women", "mothers", "aunts", "princesses"}
FEM = {"queen", "girl", "woman", "mother", "aunt", "princess",
       "queens", "girls", "women", "mothers", "aunts", "princesses"}
PRESENT_VERBS = {"tells": "sg", "tell": "pl", "warns": "sg", "warn": "pl", "promises": "sg",
                 "promise": "pl", "reminds": "sg", "remind": "pl"}
PAST_VERBS = {"told", "warned", "promised", "reminded"}
BE_FORMS = {"was": ("past", "sg"), "were": ("past", "pl"), "is": ("present", "sg"), "are": ("present", "pl")}


def parse_sentence(words: list[str]) -> dict:
    """Parse one sentence of the grammar (without its full stop) and return what agrees with what."""
    assert words[0] == "the", words
    subject = words[1]
    assert subject in MASC | FEM
    that = words.index("that")
    assert words[that - 2] == "the" and words[that - 1] in MASC | FEM
    main_verb = words[that - 3]
    clause_part = words[2 : that - 3]
    n_clauses = clause_part.count("who")
    if n_clauses:
        assert clause_part[0] == "," and clause_part[-1] == ","
        for k, w in enumerate(clause_part):
            if w == "who":
                assert clause_part[k + 2] == "the" and clause_part[k + 3] in MASC | FEM
    else:
        assert clause_part == []
    pronoun, be, adjective = words[that + 1 :]
    return {"subject": subject, "main_verb": main_verb, "pronoun": pronoun, "be": be, "clauses": n_clauses,
            "adjective": adjective}


def parse_text(words: tuple[str, ...]) -> list[dict]:
    sentences, current = [], []
    for w in words:
        if w == ".":
            sentences.append(parse_sentence(current))
            current = []
        else:
            current.append(w)
    assert current == [], "a text must end with a full stop"
    return sentences


def expected_pronoun(noun: str) -> str:
    if noun in PLURAL:
        return "they"
    return "he" if noun in MASC else "she"


@pytest.fixture(scope="module")
def corpus():
    return make_corpus(n_train=600, n_test=100, seed=3)


def test_same_seed_same_texts_other_seed_other_texts():
    a = make_corpus(n_train=50, n_test=10, seed=1)
    b = make_corpus(n_train=50, n_test=10, seed=1)
    c = make_corpus(n_train=50, n_test=10, seed=2)
    assert [t.words for t in a.train] == [t.words for t in b.train]
    assert [t.words for t in a.test] == [t.words for t in b.test]
    assert [t.words for t in a.train] != [t.words for t in c.train]


def test_generation_leaves_global_random_state_alone():
    random.seed(5)
    expected = random.random()
    random.seed(5)
    make_corpus(n_train=20, n_test=5)
    assert random.random() == expected


def test_every_pronoun_and_verb_agrees_with_its_subject(corpus):
    texts = corpus.train + [t for ts in corpus.test_by_clauses.values() for t in ts]
    seen_pronouns, seen_verbs = set(), set()
    for text in texts:
        sentences = parse_text(text.words)
        assert len(sentences) == 2
        for s in sentences:
            assert s["pronoun"] == expected_pronoun(s["subject"])
            number = "pl" if s["subject"] in PLURAL else "sg"
            if s["main_verb"] in PRESENT_VERBS:
                assert PRESENT_VERBS[s["main_verb"]] == number
                tense = "present"
            else:
                assert s["main_verb"] in PAST_VERBS
                tense = "past"
            assert BE_FORMS[s["be"]] == (tense, number)
            seen_pronouns.add(s["pronoun"])
            seen_verbs.add(s["main_verb"])
    assert seen_pronouns == {"he", "she", "they"}
    assert set(PRESENT_VERBS) <= seen_verbs and PAST_VERBS <= seen_verbs


def test_annotations_match_the_parse(corpus):
    for text in corpus.train[:200]:
        sentences = parse_text(text.words)
        assert [text.words[p] for p in text.subjects] == [s["subject"] for s in sentences]
        assert list(text.key) == [s["subject"] for s in sentences]
        assert list(text.clauses) == [s["clauses"] for s in sentences]
        for target in text.targets:
            assert text.words[target.position] == target.word
            assert target.word in target.options
            subject = max(p for p in text.subjects if p < target.position)
            assert target.gap == target.position - subject
        pronouns = [t.word for t in text.targets if t.kind == PRONOUN]
        assert pronouns == [s["pronoun"] for s in sentences]
        for pos in range(len(text)):
            before = [p for p in text.subjects if p <= pos]
            if not before:
                assert text.gender[pos] == text.number[pos] == -1
            else:
                noun = text.words[before[-1]]
                assert text.gender[pos] == (1 if noun in FEM else 0)
                assert text.number[pos] == (1 if noun in PLURAL else 0)


def test_distractors_are_drawn_independently_of_the_subject(corpus):
    same = total = 0
    for text in corpus.train:
        for p in text.subjects:
            words = text.words[p + 1 :]
            for k, w in enumerate(words[:-1]):
                if w == "who":
                    total += 1
                    same += noun_features(words[k + 3])[0] == noun_features(text.words[p])[0]
    assert total > 300
    assert 0.4 < same / total < 0.6


def test_long_test_texts_have_the_long_gap(corpus):
    gaps = [t.gap for text in corpus.test for t in text.targets if t.kind == PRONOUN]
    assert all(c == (3, 3) for c in (text.clauses for text in corpus.test))
    assert 24 <= sum(gaps) / len(gaps) <= 30
    short = [t.gap for text in corpus.test_by_clauses[0] for t in text.targets if t.kind == PRONOUN]
    assert set(short) == {5}


def test_held_out_pairs_are_disjoint_from_training(corpus):
    train_pairs, test_pairs = subject_pairs()
    assert not set(train_pairs) & set(test_pairs)
    assert len(train_pairs) + len(test_pairs) == 24 * 23
    train_keys = {text.key for text in corpus.train}
    test_keys = {text.key for ts in corpus.test_by_clauses.values() for text in ts}
    assert train_keys <= set(train_pairs)
    assert test_keys <= set(test_pairs)
    assert not train_keys & test_keys
    train_texts = {text.words for text in corpus.train}
    assert not any(text.words in train_texts for ts in corpus.test_by_clauses.values() for text in ts)


def test_vocab_round_trip_and_padding(corpus):
    vocab = corpus.vocab
    assert vocab.pad_id == 0 and len(vocab) == len(set(vocab.words))
    ids = encode_texts(corpus.train[:5], vocab)
    assert ids.dtype == torch.long and ids.shape[0] == 5
    for row, text in enumerate(corpus.train[:5]):
        assert vocab.decode(ids[row, : len(text)].tolist()) == list(text.words)
        assert (ids[row, len(text) :] == vocab.pad_id).all()


def test_bad_inputs_raise_clear_errors():
    rng = random.Random(0)
    with pytest.raises(KeyError, match="'dragon' is not in the vocabulary"):
        Vocab().encode(["the", "dragon"])
    with pytest.raises(ValueError, match="not one of the language's people nouns"):
        noun_features("river")
    with pytest.raises(ValueError, match="one clause count per subject"):
        make_text(rng, ["king", "queen"], [1])
    with pytest.raises(ValueError, match="between 0 and 9"):
        make_text(rng, ["king"], [-1])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        subject_pairs(held_out=1.0)
    with pytest.raises(ValueError, match="positive integer"):
        generate(0, 0, [("king", "queen")])
    with pytest.raises(ValueError, match="pairs is empty"):
        generate(3, 0, [])
    with pytest.raises(ValueError, match="clauses is empty"):
        generate(3, 0, [("king", "queen")], clauses=())
    with pytest.raises(ValueError, match="texts is empty"):
        encode_texts([], Vocab())


def test_word_roles(corpus):
    text = corpus.train[0]
    roles = word_roles(text)
    assert len(roles) == len(text)
    assert [p for p, r in enumerate(roles) if r == "subject"] == list(text.subjects)
    assert [p for p, r in enumerate(roles) if r == "full stop"] == [p for p, w in enumerate(text.words) if w == "."]
    others = [text.words[p] for p, r in enumerate(roles) if r == "other noun"]
    assert others and all(w in MASC | FEM for w in others)
    assert all(text.words[p] not in MASC | FEM for p, r in enumerate(roles) if r == "other word")


def test_training_clause_mix_can_be_chosen():
    corpus = make_corpus(n_train=30, n_test=5, train_clauses=(0,))
    assert all(text.clauses == (0, 0) for text in corpus.train)
    assert {c for text in make_corpus(n_train=60, n_test=5).train for c in text.clauses} == {0, 1, 2, 3}
