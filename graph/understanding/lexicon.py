"""The understanding layer's vocabulary, read from ``prompts/lexicon.yaml``: measures and their
words, units, A/B arm words, channels, job titles, company sizes, segments, triggers, correction
and follow-up cues. Phrases are matched on folded words (``graph.text.fold``), with one typo
allowed in words of six letters or more.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import Generic, TypeVar, cast

from pydantic import BaseModel

from graph.text import fold, read_yaml

WORD = re.compile(r"(?<![a-z])[a-z]{1,2}'(?=[a-z])|[a-z0-9$€£%]+(?:\.[a-z]+)*|/[a-z]+")


def words(text: str) -> list[str]:
    """Folded word tokens, elisions apart and "/jour" whole: "Taux d'ouverture/jour" ->
    ['taux', "d'", 'ouverture', '/jour']."""
    return WORD.findall(fold(text).replace("’", "'"))


# words one edit from a lexicon word that are words of their own, found by listing the corpus
# words one edit from a lexicon word: French "entreprise" (company) is no typo of "enterprise" (a
# large account), "soldes" (a sale) none of "sondes" (respondents), "pendant" none of "perdant"
_NO_TYPO = frozenset(
    "entreprise entreprises soldes solde pendant baisse montre retail office simple chance "
    "shopping saying pacing interne comite scores touche toucher continu continue".split()
)


def near_miss(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one edit (insert, delete, substitute or swap two
    neighbours) after the same first letter, and both have six letters or more: typo tolerance
    for lexicon words. A typo rarely hits the first letter, and a word one letter off at its
    start is another word ("discount" is not "Cdiscount")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1 or {a, b} & _NO_TYPO or a[0] != b[0]:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = sorted((a, b), key=len)
    i = next((i for i in range(len(short)) if short[i] != long_[i]), len(short))
    return short[i:] == long_[i + 1 :]


class Measure(BaseModel):
    """What a number can measure: its unit kind, nouns and verbs that name it, a plausible range."""

    unit: str
    words: list[str] = []
    verbs: list[str] = []
    range: tuple[float, float] | None = None


class ExperimentWords(BaseModel):
    """What the experiment log reads in a plan or a readout (graph/experiments.py): pages and
    metrics (canonical id -> forms), the words that introduce the tested thing, the words skipped
    before it and those it stops at, words too generic to compare two tests, the same change in
    other words (canonical id -> forms), learnings cues, the team's decisions (status -> forms)."""

    pages: dict[str, list[str]]
    metrics: dict[str, list[str]]
    cues: list[str]
    skip: list[str]
    stop: list[str]
    generic: list[str]
    synonyms: dict[str, list[str]]
    learnings: list[str]
    decisions: dict[str, list[str]]


class Lexicon(BaseModel):
    """``prompts/lexicon.yaml`` as data."""

    measures: dict[str, Measure]
    arms: dict[str, list[str]]
    channels: dict[str, dict[str, str]]
    job_titles: dict[str, list[str]]
    company_sizes: dict[str, list[str]]
    segments: dict[str, list[str]]
    triggers: dict[str, list[str]]
    corrections: dict[str, list[str]]
    follow_up: dict
    experiments: ExperimentWords
    labels: dict[str, tuple[str, str]]


V = TypeVar("V")


class PhraseIndex(Generic[V]):
    """Phrases (tuples of folded words) mapped to a value of type ``V``; ``prefix`` and ``suffix``
    find the longest phrase that starts (or ends) a word list, typos allowed in long words."""

    def __init__(self, entries: dict[str, V]):
        self.phrases: dict[tuple[str, ...], V] = {}
        for phrase, value in entries.items():
            key = tuple(words(phrase))
            if key:
                self.phrases.setdefault(key, value)
        self.longest = max((len(p) for p in self.phrases), default=0)
        self.single_long = {
            p[0]: v for p, v in self.phrases.items() if len(p) == 1 and len(p[0]) >= 6
        }

    def _lookup(self, key: tuple[str, ...]) -> V | None:
        if key in self.phrases:
            return self.phrases[key]
        singular = key[:-1] + (key[-1][:-1],)  # a plural the lexicon has singular: "CPAs"
        if len(key[-1]) > 3 and key[-1].endswith("s") and singular in self.phrases:
            return self.phrases[singular]
        if len(key) == 1 and len(key[0]) >= 6:
            return next((v for w, v in self.single_long.items() if near_miss(w, key[0])), None)
        return None

    def prefix(self, tokens: list[str]) -> tuple[V, int] | None:
        """(value, phrase length) of the longest phrase that starts ``tokens``, or None."""
        for n in range(min(self.longest, len(tokens)), 0, -1):
            value = self._lookup(tuple(tokens[:n]))
            if value is not None:
                return value, n
        return None

    def suffix(self, tokens: list[str]) -> tuple[V, int] | None:
        """(value, phrase length) of the longest phrase that ends ``tokens``, or None."""
        for n in range(min(self.longest, len(tokens)), 0, -1):
            value = self._lookup(tuple(tokens[-n:]))
            if value is not None:
                return value, n
        return None

    def find_all(self, tokens: list[str]) -> list[tuple[int, int, V]]:
        """Non-overlapping (start, end, value) of phrases in ``tokens``, longest first at each place."""
        found: list[tuple[int, int, V]] = []
        i = 0
        while i < len(tokens):
            hit = self.prefix(tokens[i:])
            if hit:
                found.append((i, i + hit[1], hit[0]))
                i += hit[1]
            else:
                i += 1
        return found


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon. Raises pydantic.ValidationError on a malformed file."""
    text = resources.files("prompts").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    return Lexicon(**read_yaml(text))


@cache
def measure_index(unit: str) -> PhraseIndex[str]:
    """Nouns of the measures that take ``unit`` (count, money, percent, pt, ratio, days)."""
    return PhraseIndex(
        {w: name for name, m in lexicon().measures.items() if m.unit == unit for w in m.words}
    )


TRAFFIC_NOUNS = r"visit|session|user|utilisateur|trafic|traffic|pageview"
"""Words of traffic, as a regex alternation on folded text ("visites", "sessions", "users")."""

SLIP_WORDS = r"sorry|pardon|oops|oups|my bad|i meant?|je veux dire|typo"
"""Words owning a slip as a message goes ("4k… sorry 14k", "25 k€, pardon 30 k€"), as a regex
alternation; "actually" or "en fait" may lead to another figure, not to a figure taken back."""


@cache
def measure_words() -> frozenset[str]:
    """Every noun phrase of every measure, folded ("visiteurs", "panier moyen")."""
    return frozenset(w for m in lexicon().measures.values() for w in m.words)


@cache
def verb_index(unit: str) -> PhraseIndex[str]:
    """Verbs of the measures that take ``unit``."""
    return PhraseIndex(
        {w: name for name, m in lexicon().measures.items() if m.unit == unit for w in m.verbs}
    )


@lru_cache(maxsize=1)
def channel_index() -> PhraseIndex[tuple[str, str]]:
    """Channel forms -> (group, name as the user gives it)."""
    return PhraseIndex(
        {
            form: (group, name)
            for group, forms in lexicon().channels.items()
            for form, name in forms.items()
        }
    )


def channel_group(name: str) -> str | None:
    """The channel group of a channel name ('Google Ads' -> 'search'), or None."""
    hit = channel_index().prefix(words(name))
    return cast(tuple[str, str], hit[0])[0] if hit else None  # (group, name)


def index_of(section: dict[str, list[str]]) -> PhraseIndex[str]:
    """Phrases of a {value: [phrases]} section -> value."""
    return PhraseIndex({p: value for value, phrases in section.items() for p in phrases})


def cue_pattern(phrases: list[str]) -> re.Pattern:
    """A regex matching any of ``phrases`` as whole words in folded text."""
    alternatives = sorted((re.escape(fold(p)) for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")
