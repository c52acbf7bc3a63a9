"""Offline routing: a linear text classifier over what ``prompts/`` says about every specialist.

Training texts (built at start-up, no network): each specialist's keywords (the seeds' routing
tables and synonyms), its description and its example requests in French and English
(``prompts/specialists/*.yaml``); what the seeds themselves say about it (the "Périmètre" and
"Quand le solliciter" cells of the agent tables, the questions of the "Arbre de Décision" that
lead to it); marketing-ops' domain words, shared by the specialists of the domain; the hand-off teams' keywords and examples (``prompts/handoffs.yaml``), including general
questions (``hors-perimetre``). Features are TF-IDF over Snowball stems (words and word pairs,
numbers reduced to their shape: ``DATE``, ``PCT``, ``MONEY``, ``RATIO``, ``NUM``) and over character
3-5-grams of the accent-folded text (typos, abbreviations); the classifier is scikit-learn's
multinomial logistic regression. A specialist is chosen when it is the most probable class; two
specialists whose probabilities are close make an ambiguity question.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

import graph.text
from graph.hierarchy import OUT_OF_SCOPE, Hierarchy, load_hierarchy
from graph.linear import TextModel, text_model
from graph.text import fold, stem, tokens

if TYPE_CHECKING:
    from sklearn.pipeline import FeatureUnion

T = TypeVar("T")
AMBIGUITY_RATIO = 0.6  # runner-up specialist within 60 % of the best: ask the user to choose
MIN_PROBABILITY = 0.15  # below this no class is trusted: the request is out of scope
STOPWORDS = frozenset(
    "le la les un une des du de d l et ou a au aux en pour par sur dans avec que qui ce cette ces est sont "
    "je tu il nous vous on mon ma mes notre nos votre vos the an of to for in on at and or is are my our "
    "your we i it this that with be".split()
)
_MONTH = (
    "(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|"
    "march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_SHAPES = [  # order matters: the first pattern that matches a span names its shape
    (
        re.compile(
            rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+{_MONTH}\b|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{4}}-\d\d-\d\d\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
        ),
        " DATE ",
    ),
    (re.compile(r"\d[\d\s.,]*\s?(?:%|pts?\b|points?\b)"), " PCT "),
    (
        re.compile(
            r"(?:[$€£]\s?\d[\d\s.,]*[km]?|\d[\d\s.,]*\s?(?:k|m)?\s?(?:€|\$|£|eur|euros?|usd|dollars?)(?![a-z]))"
        ),
        " MONEY ",
    ),
    (re.compile(r"\d[\d.,]*\s?/\s?\d[\d.,]*"), " RATIO "),
    (re.compile(r"\d[\d.,]*\s?k\b|\d[\d.,]*"), " NUM "),
]


_SHAPE_WORDS = ("date", "pct", "money", "ratio", "num")


def shaped(text: str) -> str:
    """Folded ``text`` with dates and numbers replaced by their shape (DATE, PCT, MONEY, RATIO, NUM).

    "A=1.8% B=2.1%, 15k visiteurs" -> "a= PCT  b= PCT ,  NUM  visiteurs"."""
    out = fold(text)
    for pattern, shape in _SHAPES:
        out = pattern.sub(shape, out)
    return out


def analyze(text: str) -> list[str]:
    """Word features of ``text``: stems (shape tokens kept upper-case) and consecutive stem pairs."""
    words = [
        w.upper() if w in _SHAPE_WORDS else stem(w)
        for w in tokens(shaped(text))
        if w not in STOPWORDS
    ]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


# A negation cue and the words it scopes over, up to a clause break (Das & Chen 2001; Pang, Lee
# & Vaithyanathan 2002: words after a negation until punctuation are marked as other features).
_NEGATION_CUE = re.compile(r"\b(?:pas|jamais|aucune?|sans|not|no|never|without|none|nor)\b|n't\b")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n]|\b(?:mais|but|et|and|car|because|donc|so)\b")
NEGATION_SCOPE = 3  # content words a cue scopes over


def _negation_scopes(text: str) -> list[tuple[str, bool]]:
    """The words of ``text`` folded and shaped, as (word, negated) in order: a word is negated
    when it is one of the NEGATION_SCOPE content words after a cue in the same clause."""
    out: list[tuple[str, bool]] = []
    text = shaped(text).replace("n't", " not").replace("'", " ")
    left = 0
    for m in re.finditer(r"[a-z0-9]+(?:[/+][a-z0-9]+)*|[.,;:!?()\n]", text, re.I):
        word = m.group().lower()
        if _CLAUSE_BREAK.fullmatch(word):
            left = 0
            continue
        negated = left > 0 and word not in STOPWORDS
        out.append((word, negated))
        left = NEGATION_SCOPE if _NEGATION_CUE.fullmatch(word) else left - negated
    return out


def analyze_negated(text: str) -> list[str]:
    """``analyze``'s features and, for each negated word, its stem prefixed by "not_" ("n'a pas
    demandé de démo" -> also ``not_demand``, ``not_demo``): a situation model learns a negated
    request apart from a request, and still reads "sans consentement" as about consent."""
    negated = [
        "not_" + stem(word)
        for word, neg in _negation_scopes(text)
        if neg and word not in _SHAPE_WORDS
    ]
    return analyze(text) + negated


def text_features(
    char_grams: tuple[int, int] = (3, 5), min_df: int = 2, negation: bool = False
) -> FeatureUnion:
    """The features the offline models read a message by: TF-IDF over ``analyze``'s stems and
    stem pairs, and over character n-grams (``char_grams``, kept when in at least ``min_df``
    messages) of the ``shaped`` text (typos, abbreviations, franglais). With ``negation``, the
    words in a negation's scope are also word features of their own (``analyze_negated``).
    Unfitted; a fitted one is kept as arrays (graph.linear.text_model)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # training only: slow to import
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    analyzer=analyze_negated if negation else analyze, sublinear_tf=True
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=char_grams,
                    preprocessor=shaped,
                    sublinear_tf=True,
                    min_df=min_df,
                ),
            ),
        ]
    )


def corpus_rows(names: tuple[str, ...]) -> list[dict]:
    """Every line of the ``prompts/corpus`` files ``names`` (JSON Lines) that is not in the shared
    corpus's ``dev`` split: what the offline models may learn from. A missing file gives nothing."""
    folder, rows = resources.files("prompts").joinpath("corpus"), []
    for name in names:
        entry = folder.joinpath(name)
        lines = entry.read_text(encoding="utf-8").splitlines() if entry.is_file() else []
        rows += [
            row for row in map(json.loads, filter(str.strip, lines)) if row.get("split") != "dev"
        ]
    return rows


@dataclass
class Candidate:
    """A class (specialist, hand-off team or ``hors-perimetre``) with its probability (0-1)."""

    id: str
    score: float
    handoff: bool = False


@dataclass
class RouteDecision:
    """Where a message goes. ``agent`` is a specialist id or None; ``path`` the orchestrators walked
    from the root and the agent; ``handoff`` the team for an out-of-scope request; ``ambiguous``
    lists the two close specialists when the user must choose; ``confidence`` the chosen class's
    probability (0-1); ``candidates`` every class, most probable first."""

    agent: str | None
    path: list[str]
    confidence: float
    handoff: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The shape printed by ``marketing-bot route --jsonl``."""
        return {
            "agent": self.agent,
            "path": self.path,
            "confidence": round(self.confidence, 3),
            "handoff": self.handoff,
        }


def seed_texts(hierarchy: Hierarchy) -> list[tuple[str, str]]:
    """(text, specialist id) pairs read from ``seeds/*.md``: the other cells of every table row that
    names a specialist in backticks, and each decision-tree question ("├─ Améliorer les taux ... ?")
    followed by its "└─ → specialist" line."""
    ids = {n.id for n in hierarchy.specialists()}
    pairs: list[tuple[str, str]] = []
    for entry in sorted(resources.files("seeds").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".md"):
            continue
        question = None
        for line in entry.read_text(encoding="utf-8").splitlines():
            named = [i for i in re.findall(r"`(?:[a-z-]+/)*([a-z-]+)`", line) if i in ids]
            if line.startswith("|") and len(named) == 1:
                cells = [c.strip(' "') for c in line.strip("|").split("|") if "`" not in c]
                pairs.extend((c, named[0]) for c in cells if c)
            if m := re.search(r"[├└]─\s*([^→]+\?)\s*$", line):
                question = m.group(1).strip()
            elif (m := re.search(r"→\s*([a-z-]+)\s*$", line)) and question and m.group(1) in ids:
                pairs.append((question, m.group(1)))
                question = None
    return pairs


def training_set(hierarchy: Hierarchy) -> tuple[list[str], list[str], list[float]]:
    """(texts, labels, sample weights) the router learns from, all read from ``prompts/``: the
    specialists' keywords, examples and descriptions, the seeds' tables and decision trees, the
    domains' routing words, the hand-off teams, and the corpus's requests (:func:`corpus_requests`)."""
    texts, labels, weights = [], [], []

    def add(items, label, weight=1.0):
        for item in items:
            texts.append(item)
            labels.append(label)
            weights.append(weight)

    for node in hierarchy.specialists():
        add(node.keywords + node.examples + [node.description.fr, node.description.en], node.id)
    for text, agent in seed_texts(hierarchy):
        add([text], agent)
    for domain, words in hierarchy.nodes["marketing-ops"].routing.items():
        members = hierarchy.subtree_specialists(domain)
        for member in members:
            add(words, member, 1 / len(members))
    for team in hierarchy.handoffs:
        add(team.keywords + team.examples, team.id)
    for text, agent in corpus_requests():
        add([text], agent, CORPUS_WEIGHT)
    return texts, labels, weights


CORPUS_WEIGHT = 0.15
"""Sample weight of a corpus request. The corpus's messages often sit between two neighbouring
specialists (a report or a KPI sheet, a channel plan or a budget split): at weight 1 or 0.3 they made
the router's decisions less sure (a new question in a thread after a deliverable read as figures for
it). At 0.15 the router picks the labelled specialist for 54.8 % of the corpus's figures.jsonl dev
messages instead of 46.2 % (56.7 % at 0.3), 97.6 % of benchmarks/routing_set.jsonl (97.9 %)."""


def corpus_requests() -> list[tuple[str, str]]:
    """(message, specialist id) pairs written outside the project (``prompts/corpus``, train lines
    only): every message of ``figures.jsonl`` with the specialist it is for, and the first request of
    every thread of ``followups.jsonl``."""
    pairs = {row["text"]: row["specialist"] for row in corpus_rows(("figures.jsonl",))}
    for row in corpus_rows(("followups.jsonl",)):
        pairs.setdefault(row["context"]["request"], row["context"]["specialist"])
    return list(pairs.items())


class OfflineRouter:
    """Classifier router over the hierarchy (no network, no model download): TF-IDF
    (:func:`text_features`) and a multinomial logistic regression (C = 20) trained with
    scikit-learn in ~2 s, kept as arrays (graph.linear.TextModel) so that routing needs numpy only."""

    def __init__(self, hierarchy: Hierarchy):
        from sklearn.linear_model import LogisticRegression  # training only: slow to import

        self.hierarchy = hierarchy
        self.handoff_ids = {h.id for h in hierarchy.handoffs}
        texts, labels, weights = training_set(hierarchy)
        features = text_features()
        model = LogisticRegression(C=20.0, solver="newton-cg", max_iter=1000)
        model.fit(features.fit_transform(texts), labels, sample_weight=np.array(weights))
        self.model: TextModel = text_model(features, [model])
        self.classes = list(self.model.classes_)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in ``self.classes`` order."""
        return self.model.predict_proba(texts)

    def score(self, text: str) -> list[Candidate]:
        """Every class with its probability, most probable first."""
        probs = self.probabilities([text])[0]
        return [
            Candidate(self.classes[i], float(probs[i]), self.classes[i] in self.handoff_ids)
            for i in np.argsort(-probs)
        ]

    def route(self, text: str, within: list[str] | None = None) -> RouteDecision:
        """Route ``text`` to one specialist (with its path from the root), a hand-off, or an ambiguity.

        ``within``: orchestrator or specialist ids; only the specialists under them are candidates
        (a slash command or a campaign thread scopes its requests), hand-offs stay possible."""
        candidates = self.score(text)
        if within:
            allowed = {s for node in within for s in self.hierarchy.subtree_specialists(node)}
            kept = [c for c in candidates if c.handoff or c.id in allowed]
            total = sum(c.score for c in kept) or 1.0
            candidates = [Candidate(c.id, c.score / total, c.handoff) for c in kept]
        return self.decide(candidates)

    def route_many(self, texts: list[str]) -> list[RouteDecision]:
        """``route`` for a batch (one matrix product instead of one per text)."""
        probs = self.probabilities(texts) if texts else np.empty((0, len(self.classes)))
        return [
            self.decide(
                [
                    Candidate(self.classes[i], float(row[i]), self.classes[i] in self.handoff_ids)
                    for i in np.argsort(-row)
                ]
            )
            for row in probs
        ]

    def decide(self, candidates: list[Candidate]) -> RouteDecision:
        """The decision for scored candidates (most probable first)."""
        best = candidates[0]
        if best.score < MIN_PROBABILITY:
            return RouteDecision(None, [], 1 - best.score, OUT_OF_SCOPE, candidates)
        if best.handoff:
            return RouteDecision(None, [], best.score, best.id, candidates)
        runner_up = next((c for c in candidates[1:] if not c.handoff), None)
        ambiguous = (
            [best.id, runner_up.id]
            if runner_up and runner_up.score >= AMBIGUITY_RATIO * best.score
            else []
        )
        return RouteDecision(
            best.id, self.hierarchy.path_to(best.id), best.score, None, candidates, ambiguous
        )

    def explain(self, text: str, top: int = 5) -> dict:
        """The decision, the ``top`` candidates and the words that decided.

        A word's weight is how much the chosen class's probability drops when that word is left out
        of the message (leave-one-out), in percentage points; the most decisive words come first."""
        decision = self.route(text)
        index = self.classes.index(decision.agent or decision.handoff or "")
        words = text.split()
        influence = []
        if len(words) > 1:
            variants = [" ".join(words[:i] + words[i + 1 :]) for i in range(len(words))]
            drops = self.probabilities([text])[0, index] - self.probabilities(variants)[:, index]
            influence = sorted(
                (
                    (w.strip(",;:!?.()«»\"'"), round(100 * float(d), 1))
                    for w, d in zip(words, drops)
                    if d > 0.005
                ),
                key=lambda x: -x[1],
            )[:8]
        return {
            **decision.as_json(),
            "ambiguous": decision.ambiguous,
            "candidates": [
                {"id": c.id, "probability": round(c.score, 3)} for c in decision.candidates[:top]
            ],
            "decisive_words": [{"word": w, "points": p} for w, p in influence],
        }

    def choose_child(self, node_id: str, agent: str) -> str:
        """The child of orchestrator ``node_id`` on the way to specialist ``agent``.

        Raises ValueError when ``agent`` is not under ``node_id``."""
        path = self.hierarchy.path_to(agent)
        if node_id not in path[:-1]:
            raise ValueError(f"{agent} is not under {node_id}")
        return path[path.index(node_id) + 1]


log = logging.getLogger(__name__)


def _files(folder) -> list:
    """Every file under a package folder (importlib.resources traversable), sorted by path."""
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        out += (
            _files(entry) if entry.is_dir() else [entry] if not entry.name.endswith(".pyc") else []
        )
    return out


def fingerprint(*modules: str) -> str:
    """SHA-256 of what a trained model depends on: every file of ``prompts/`` and ``seeds/``, the
    feature code (this module and graph/text.py), the files ``modules`` (the model's own code)
    and scikit-learn's version."""
    digest = hashlib.sha256(version("scikit-learn").encode())
    for package in ("prompts", "seeds"):
        for entry in _files(resources.files(package)):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    for module in (__file__, graph.text.__file__, *modules):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path:
    """MARKETING_BOT_CACHE, else $XDG_CACHE_HOME/marketing-bot, else ~/.cache/marketing-bot."""
    base = (
        os.environ.get("MARKETING_BOT_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "marketing-bot"
    )
    return Path(base)


@lru_cache(maxsize=1)
def default_router() -> OfflineRouter:
    """The offline router over the packaged hierarchy, once per process: from the disk cache when
    ``prompts/`` and the seeds have not changed since it was trained (:func:`cached_router`)."""
    return cached_router(load_hierarchy())


def cached_router(hierarchy: Hierarchy) -> OfflineRouter:
    """The router trained on ``hierarchy``, from the disk cache when one was saved for the same
    :func:`fingerprint` (:func:`cached`), else trained (~2 s) and saved for the next process."""
    router = cached("router", lambda: OfflineRouter(hierarchy))
    router.hierarchy = hierarchy
    return router


def cached(name: str, train: Callable[[], T], *modules: str) -> T:
    """A trained model ``name``, loaded from the disk cache (a pickle: our own files only) when
    one was saved for the same :func:`fingerprint` (with ``modules``, the model's code), else
    ``train()``-ed and saved for the next process. Processes starting together (workers, a test
    suite's servers) train it once: the others wait on a lock file beside it, then load it. A
    cache that cannot be read, locked or written is skipped, never fatal."""
    path = cache_dir() / f"{name}-{fingerprint(*modules)[:20]}.pickle"
    model = _load(name, path)
    if model is not None:
        return model
    with _training(path):
        model = _load(name, path)  # trained by another process while this one waited
        if model is None:
            model = train()
            _save(name, path, model)
    return model


def _load(name: str, path: Path):
    """The model saved at ``path``, or None (none yet; unreadable: trained again)."""
    try:
        with path.open("rb") as saved:
            return pickle.load(saved)
    except FileNotFoundError:
        return None
    except Exception as err:  # a truncated or incompatible file: train again and overwrite it
        log.warning("%s cache %s unreadable (%s): training again", name, path, type(err).__name__)
        return None


def _save(name: str, path: Path, model) -> None:
    """Write ``model`` at ``path`` atomically (parallel first runs never read half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            pickle.dump(model, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except OSError as err:
        log.warning("%s cache not written to %s: %s", name, path, err)


@contextmanager
def _training(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file (POSIX ``flock``, released if the process
    dies) while the model is trained; no lock where the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_suffix(".lock"), "w")  # noqa: SIM115 - held across the yield
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
