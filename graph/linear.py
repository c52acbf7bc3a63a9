"""Trained linear classifiers as plain arrays, applied with numpy alone.

The offline models are trained with scikit-learn (TF-IDF features, ``DictVectorizer``,
``LogisticRegression``), but importing scikit-learn takes 1.5-2 s, more than a whole
``marketing-bot route`` may. :func:`text_model` and :func:`dict_model` copy what prediction needs
out of the fitted objects (vocabularies, idf, coefficients, intercepts) into the frozen
dataclasses below, which are what the disk cache keeps (graph.router.cached). Their probabilities
are scikit-learn's: the same analyzers (``TfidfVectorizer`` with a callable analyzer, or
``char_wb`` n-grams of the preprocessed text, scikit-learn's ``_char_wb_ngrams``), sublinear tf,
idf, l2 norm per block, then ``softmax(X·Wᵀ + b)`` for a multinomial model and the logistic of each
row for binary ones (``LogisticRegression.predict_proba``); tests/test_understanding.py checks
them against ``predict_proba`` on the training texts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

_SPACES = re.compile(r"\s\s+")  # scikit-learn's white-space normalisation for char_wb


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character ``low``-``high``-grams inside the words of ``text``, each word padded with a
    space (scikit-learn's ``analyzer='char_wb'``, ``_VectorizerMixin._char_wb_ngrams``)."""
    grams = []
    for word in _SPACES.sub(" ", text).split():
        word = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[:n])
            while offset + n < len(word):
                offset += 1
                grams.append(word[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


@dataclass(frozen=True)
class Tfidf:
    """One fitted ``TfidfVectorizer`` (sublinear tf, l2 norm): ``terms`` term -> column (0-based,
    within this block), ``idf`` one weight per column, and how a text becomes terms: ``analyzer``
    (a module-level function, picklable) or character ``char_grams`` of ``preprocessor(text)``."""

    terms: dict[str, int]
    idf: np.ndarray
    analyzer: Callable[[str], list[str]] | None = None
    preprocessor: Callable[[str], str] | None = None
    char_grams: tuple[int, int] = (0, 0)

    def weights(self, text: str) -> dict[int, float]:
        """{column: tf-idf weight} of ``text``, l2-normalised (terms outside ``terms`` dropped)."""
        if self.analyzer is not None:
            found = self.analyzer(text)
        else:
            prepared = self.preprocessor(text) if self.preprocessor else text
            found = char_wb_ngrams(prepared, *self.char_grams)
        counts = Counter(self.terms[t] for t in found if t in self.terms)
        raw = {col: (1.0 + math.log(n)) * float(self.idf[col]) for col, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        return {col: w / norm for col, w in raw.items()}


@dataclass(frozen=True)
class Weights:
    """Logistic-regression weights: ``coef`` (outputs × features), ``intercept`` (outputs),
    ``classes`` (one per output, or the two classes of one binary model), ``softmax``: True for a
    multinomial model (probabilities sum to 1 across outputs), False for one or more independent
    binary models (each output's logistic)."""

    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]
    softmax: bool

    def probabilities(self, rows: list[dict[int, float]]) -> np.ndarray:
        """One row per sparse feature row {column: value}: a multinomial model's class
        probabilities; one binary model's [P(first class), P(second)]; several binary models'
        P(positive) each."""
        scores = np.array(
            [
                self.coef[:, list(row)] @ np.fromiter(row.values(), float, len(row))
                if row
                else np.zeros(len(self.intercept))
                for row in rows
            ]
        ).reshape(len(rows), len(self.intercept))
        scores += self.intercept
        if self.softmax:
            scores -= scores.max(axis=1, keepdims=True)
            exp = np.exp(scores)
            return exp / exp.sum(axis=1, keepdims=True)
        positive = 1.0 / (1.0 + np.exp(-scores))
        return np.column_stack([1 - positive, positive]) if positive.shape[1] == 1 else positive


@dataclass(frozen=True)
class TextModel:
    """Tf-idf blocks side by side (a ``FeatureUnion``) and the weights over their columns;
    ``classes_`` and ``predict_proba(texts)`` as scikit-learn's classifiers name them."""

    blocks: tuple[Tfidf, ...]
    weights: Weights

    @property
    def classes_(self) -> tuple[str, ...]:
        return self.weights.classes

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Probabilities, one row per text (see :meth:`Weights.probabilities`)."""
        rows = []
        for text in texts:
            row, offset = {}, 0
            for block in self.blocks:
                row.update({offset + c: w for c, w in block.weights(text).items()})
                offset += len(block.idf)
            rows.append(row)
        return self.weights.probabilities(rows)


@dataclass(frozen=True)
class DictModel:
    """A ``DictVectorizer`` (feature name -> column; values used as given) and the weights."""

    terms: dict[str, int]
    weights: Weights

    @property
    def classes_(self) -> tuple[str, ...]:
        return self.weights.classes

    def predict_proba(self, rows: Iterable[dict[str, float]]) -> np.ndarray:
        """Probabilities, one row per {feature: value} (names unseen in training dropped)."""
        return self.weights.probabilities(
            [{self.terms[k]: float(v) for k, v in row.items() if k in self.terms} for row in rows]
        )


def _weights(models: list[Any], softmax: bool) -> Weights:
    """Weights of fitted ``LogisticRegression`` s: one multinomial or binary model, or several
    binary models stacked (their positive class each, ``classes`` given by the caller)."""
    coef = np.vstack([m.coef_ for m in models])
    intercept = np.concatenate([m.intercept_ for m in models])
    return Weights(coef, intercept, tuple(str(c) for c in models[0].classes_), softmax)


def _tfidf(vectorizer: Any) -> Tfidf:
    """A fitted ``TfidfVectorizer`` (sublinear tf, l2 norm; a callable analyzer, or 'char_wb'
    with a preprocessor) as a :class:`Tfidf`.

    Raises ValueError for any other set-up, whose probabilities would not be scikit-learn's."""
    if not (vectorizer.sublinear_tf and vectorizer.norm == "l2" and vectorizer.use_idf):
        raise ValueError("only sublinear, l2-normalised TF-IDF is exported")
    terms = {str(t): int(c) for t, c in vectorizer.vocabulary_.items()}
    if callable(vectorizer.analyzer):
        return Tfidf(terms, vectorizer.idf_.copy(), analyzer=vectorizer.analyzer)
    if vectorizer.analyzer != "char_wb" or vectorizer.preprocessor is None:
        raise ValueError("only a callable analyzer or char_wb with a preprocessor is exported")
    return Tfidf(
        terms,
        vectorizer.idf_.copy(),
        preprocessor=vectorizer.preprocessor,
        char_grams=tuple(vectorizer.ngram_range),
    )


def text_model(features: Any, models: list[Any], softmax: bool | None = None) -> TextModel:
    """A fitted ``FeatureUnion`` of TF-IDF vectorizers (graph.router.text_features) and fitted
    ``LogisticRegression`` s over it as a :class:`TextModel`. ``softmax`` defaults to True for one
    model of more than two classes (scikit-learn's multinomial case).

    Raises ValueError for features :func:`_tfidf` cannot export."""
    multinomial = len(models) == 1 and len(models[0].classes_) > 2
    blocks = tuple(_tfidf(v) for _, v in features.transformer_list)
    return TextModel(blocks, _weights(models, multinomial if softmax is None else softmax))


def dict_model(vectorizer: Any, model: Any) -> DictModel:
    """A fitted ``DictVectorizer`` and ``LogisticRegression`` as a :class:`DictModel`."""
    terms = {str(t): int(c) for t, c in vectorizer.vocabulary_.items()}
    return DictModel(terms, _weights([model], len(model.classes_) > 2))
