"""A small word-level language model (LSTM or vanilla RNN), its training, and agreement accuracy.

The model reads word indices and predicts the next word at every position::

    tokens (batch, time) -> embedding (batch, time, n_e) -> nn.LSTM or nn.RNN -> h (batch, time, n_h)
                         -> linear layer -> logits (batch, time, vocab)

``torch.nn.LSTM`` runs the training because it is fast. To look inside, :func:`helpers.gates.trace`
steps the hand-written cell of :mod:`helpers.lstm` on the *same* weights (PyTorch's layout: gates in the
order i, f, C̃, o, two biases): ``trace(model.rnn, model.inputs(tokens))`` returns the real C_t, h_t and
gates, and can hold chosen cell-state units at a value (:mod:`helpers.interventions`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from helpers.corpus import LOCAL_VERB, PRONOUN, VERB, Text, Vocab, encode_texts
from helpers.lstm import set_forget_bias
from helpers.train import fit
from helpers.validate import (
    check_choice,
    check_index,
    check_instance,
    check_items,
    check_number,
    check_positive,
    check_positive_int,
    check_tensor,
    describe,
)

CELLS = ("lstm", "rnn")


class WordLM(nn.Module):
    """Embedding -> one recurrent layer (``cell`` = "lstm" or "rnn") -> linear layer to the vocabulary.

    ``forget_bias``: for an LSTM, start the forget gate's bias b_f (bias_ih + bias_hh) at this value.
    vocab_size, embed_size, hidden_size: positive ints; cell: "lstm" or "rnn"; forget_bias: a finite number.
    """

    def __init__(
        self,
        vocab_size: int,
        embed_size: int = 32,
        hidden_size: int = 64,
        cell: str = "lstm",
        forget_bias: float | None = None,
    ) -> None:
        super().__init__()
        check_choice(cell, "cell", CELLS)
        if forget_bias is not None and cell != "lstm":
            raise ValueError(f"forget_bias needs cell='lstm'; got cell={cell!r}")
        if forget_bias is not None:
            check_number(forget_bias, "forget_bias")
        self.vocab_size = check_positive_int(vocab_size, "vocab_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        self.cell = cell
        self.embed = nn.Embedding(vocab_size, check_positive_int(embed_size, "embed_size"))
        layer = nn.LSTM if cell == "lstm" else nn.RNN
        self.rnn = layer(embed_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)
        if forget_bias is not None:
            set_forget_bias(self.rnn, forget_bias)

    def check_tokens(self, tokens: object, name: str = "tokens") -> torch.Tensor:
        """Return ``tokens`` if it is a (batch, time) int64 tensor of word indices in [0, vocab_size)."""
        return check_tokens(tokens, self.vocab_size, name)

    def inputs(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens: (batch, time) word indices -> the recurrent layer's inputs x_t, their embeddings
        (batch, time, n_e), on the model's device (the tokens are moved there)."""
        self.check_tokens(tokens)
        return self.embed(tokens.to(self.head.weight.device))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens: (batch, time) word indices -> logits (batch, time, vocab) for the next word, on the
        model's device (the tokens are moved there)."""
        h_all, _ = self.rnn(self.inputs(tokens))
        return self.head(h_all)


def check_tokens(tokens: object, vocab_size: int, name: str = "tokens") -> torch.Tensor:
    """Return ``tokens`` if it is a (batch, time) int64 tensor of word indices in [0, vocab_size)."""
    check_tensor(tokens, name, ("batch", "time"), floating=False, dtype=torch.long)
    low, high = int(tokens.min()), int(tokens.max())
    if low < 0 or high >= vocab_size:
        raise ValueError(f"{name} must be word indices in [0, {vocab_size}); got values in [{low}, {high}]")
    return tokens


def check_word_lm(model: object, name: str = "model", *, lstm: bool = False) -> WordLM:
    """Return ``model`` if it is a :class:`WordLM` (with an LSTM when ``lstm``: a trace steps its cells)."""
    check_instance(model, name, WordLM, "a WordLM")
    if lstm and model.cell != "lstm":
        raise ValueError(f"{name} must be a WordLM with cell='lstm' (its cell state is read); got cell={model.cell!r}")
    return model


# ---------------------------------------------------------------------------------------------
# Training.


@dataclass
class TrainLog:
    """Loss per step and the seconds training took."""

    losses: list[float]
    seconds: float


def next_word_loss(model: WordLM, batch: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    """Mean cross-entropy of every real next word of ``batch`` (texts, time), padding ignored.

    The batch is first cut to its longest text, so short batches cost less. batch: (texts, time) int64 word
    indices (checked by the model); pad_id: an int in [0, vocab_size).
    """
    check_index(pad_id, "pad_id", model.vocab_size)
    batch = batch[:, : int((batch != pad_id).sum(1).max())]
    logits = model(batch[:, :-1])
    return nn.functional.cross_entropy(
        logits.reshape(-1, model.vocab_size), batch[:, 1:].reshape(-1), ignore_index=pad_id
    )


def train_lm(
    model: WordLM,
    tokens: torch.Tensor,
    steps: int = 1200,
    batch_size: int = 32,
    lr: float = 1e-2,
    seed: int = 0,
    pad_id: int = 0,
    clip: float = 1.0,
    progress: bool = False,
    callback: Callable[[int, nn.Module, float], None] | None = None,
) -> TrainLog:
    """Train ``model`` to predict the next word of ``tokens`` (texts, time), padded with ``pad_id``.

    :func:`helpers.train.fit` with Adam, batches of texts shuffled by ``seed``, gradients clipped to
    norm ``clip``, loss :func:`next_word_loss`. ``callback(step, model, loss)`` runs after each step.
    Returns the :class:`TrainLog`; the model is left in eval mode. model: a :class:`WordLM`; tokens: (texts,
    time) int64 in [0, vocab_size), at least 2 words; pad_id: a word index; the rest as :func:`helpers.train.fit`.
    """
    check_word_lm(model)
    model.check_tokens(tokens)
    check_index(pad_id, "pad_id", model.vocab_size)
    if tokens.shape[1] < 2:
        raise ValueError(f"tokens must hold texts of at least 2 words; got shape {tuple(tokens.shape)}")
    start = time.perf_counter()
    losses = fit(
        model, lambda m, batch: next_word_loss(m, batch, pad_id), tokens, steps=steps, batch_size=batch_size,
        lr=lr, clip=clip, seed=seed, callback=callback, progress=progress, desc=f"training the {model.cell.upper()}",
    )
    model.eval()
    return TrainLog(losses, time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------
# Baseline and evaluation.


class BigramLM:
    """The no-context baseline: the next word's probability given only the word before it.

    Counts from training texts with add-``alpha`` smoothing; call it like a model on tokens
    (batch, time) to get log-probabilities (batch, time, vocab). tokens: (texts, time) int64 word indices in
    [0, vocab_size); pad_id: a word index; alpha: a positive finite number.
    """

    cell = "bigram"

    def __init__(self, tokens: torch.Tensor, vocab_size: int, pad_id: int = 0, alpha: float = 0.1) -> None:
        self.vocab_size = check_positive_int(vocab_size, "vocab_size")
        check_tokens(tokens, vocab_size)
        check_index(pad_id, "pad_id", vocab_size), check_positive(alpha, "alpha")
        tokens = tokens.cpu()
        prev, nxt = tokens[:, :-1].reshape(-1), tokens[:, 1:].reshape(-1)
        real = (prev != pad_id) & (nxt != pad_id)
        counts = torch.full((vocab_size, vocab_size), float(alpha))
        counts.index_put_((prev[real], nxt[real]), torch.ones(int(real.sum())), accumulate=True)
        self.log_probs = (counts / counts.sum(1, keepdim=True)).log()

    def __call__(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens: (batch, time) int64 word indices -> log-probabilities of the next word (batch, time, vocab)."""
        check_tokens(tokens, self.vocab_size)
        return self.log_probs[tokens.to(self.log_probs.device)]


def next_word_scores(model: WordLM | BigramLM, tokens: torch.Tensor) -> torch.Tensor:
    """Scores (logits or log-probabilities) for the next word: (batch, time, vocab), no gradients.

    model: a :class:`WordLM` or :class:`BigramLM`; tokens: (batch, time) int64 word indices.
    """
    check_instance(model, "model", WordLM | BigramLM, "a WordLM or a BigramLM")
    with torch.no_grad():
        return model(tokens)


def agreement_correct(
    scores: torch.Tensor, texts: Sequence[Text], vocab: Vocab, kind: str, options: Sequence[str] | None = None
) -> torch.Tensor:
    """For every target of ``kind`` in ``texts``, in order: True where the right form scores highest.

    scores: (batch, time, vocab), the scores for the word *after* each position, so the target at
    position p is read from scores[:, p - 1]. Only the target's rival forms compete; with ``options``
    (for example ("he", "she")) only those do, and only targets whose word is one of them count.
    Returns a bool tensor (targets,). texts: a sequence of :class:`~helpers.corpus.Text`; vocab: a
    :class:`~helpers.corpus.Vocab`; kind: "pronoun", "verb" or "local verb"; options: words of ``vocab``.
    """
    check_instance(vocab, "vocab", Vocab, "a Vocab")
    check_tensor(scores, "scores", ("batch", "time", "vocab"), {"batch": len(_texts(texts)), "vocab": len(vocab)})
    check_choice(kind, "kind", (PRONOUN, VERB, LOCAL_VERB))
    if options is not None:
        vocab.encode(check_items(options, "options", str))
    needed = max((target.position for text in texts for target in text.targets), default=0)
    if scores.shape[1] < needed:
        raise ValueError(f"scores must reach every target word of texts: time >= {needed}; got {describe(scores)}")
    rows, steps, rivals, right = [], [], [], []
    for row, text in enumerate(texts):
        for target in text.targets:
            if target.kind != kind or (options is not None and target.word not in options):
                continue
            forms = tuple(options) if options is not None else target.options
            rows.append(row)
            steps.append(target.position - 1)
            rivals.append(vocab.encode(forms))
            right.append(forms.index(target.word))
    if not rows:
        return torch.zeros(0, dtype=torch.bool)
    rival_scores = scores[rows, steps].gather(1, torch.tensor(rivals, device=scores.device))  # (targets, forms)
    return rival_scores.argmax(1).cpu() == torch.tensor(right)


def agreement_accuracy(
    model: WordLM | BigramLM | None, texts: Sequence[Text], vocab: Vocab, scores: torch.Tensor | None = None
) -> dict[str, float]:
    """Accuracy on the agreement-critical words of held-out ``texts``, each among its own rival forms.

    Keys: "pronoun" (he/she/they), "he/she" (pronouns of singular subjects, he against she only),
    "verb" (the main verb after the clauses, singular against plural form), "critical" (pronouns and
    main verbs together), "local verb" (is/are after the pronoun: needs no memory). ``scores``
    (batch, time, vocab), if given, are used instead of running ``model`` (which may then be None).
    """
    _texts(texts), check_instance(vocab, "vocab", Vocab, "a Vocab")
    if scores is None:
        scores = next_word_scores(model, encode_texts(texts, vocab))
    correct = {
        "pronoun": agreement_correct(scores, texts, vocab, PRONOUN),
        "verb": agreement_correct(scores, texts, vocab, VERB),
        "local verb": agreement_correct(scores, texts, vocab, LOCAL_VERB),
        "he/she": agreement_correct(scores, texts, vocab, PRONOUN, ("he", "she")),
    }
    correct["critical"] = torch.cat([correct["pronoun"], correct["verb"]])
    order = ("critical", "pronoun", "he/she", "verb", "local verb")
    return {key: float(correct[key].double().mean()) if len(correct[key]) else 0.0 for key in order}


def _texts(texts: object, name: str = "texts") -> list[Text]:
    """A non-empty sequence of :class:`~helpers.corpus.Text`."""
    return check_items(texts, name, Text)
