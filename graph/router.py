"""Offline routing: score every specialist and hand-off team against a message, then walk the tree.

Each specialist's phrases are its seed routing-table entries, its synonyms and the seed's example
requests (``prompts/specialists/*.yaml``); a domain's phrases from marketing-ops' routing table add
to every specialist under it. A phrase matches when its Snowball stems appear consecutively in the
message; its weight is the sum of its stems' inverse document frequency over the specialists, so a
specific phrase ("taille d'échantillon") outweighs a generic word ("test"). Message positions are
claimed longest phrase first, so a phrase and a word inside it are not counted twice.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from graph.hierarchy import Hierarchy
from graph.text import stems

STOPWORDS = frozenset(
    stems("le la les un une des du de d l et ou a au aux en pour par sur dans avec que qui quoi ce cette ces "
          "est sont je tu il nous vous on mon ma mes notre nos votre vos the a an of to for in on at and or is "
          "are my our your we i it this that with do does how what which be")
)
AMBIGUITY_RATIO = 0.8  # the runner-up within 80 % of the best: ask the user to choose
MIN_SCORE = 1.0  # below this no specialist is confident enough


@dataclass
class Candidate:
    """A scored specialist or hand-off team, with the phrases that matched."""

    id: str
    score: float
    matched: list[str] = field(default_factory=list)
    handoff: bool = False


@dataclass
class RouteDecision:
    """Where a message goes. ``agent`` is a specialist id or None; ``path`` the orchestrators walked
    from the root and the agent; ``handoff`` the team for an out-of-scope request; ``ambiguous``
    lists the two close specialists when the user must choose; ``confidence`` is 0-1."""

    agent: str | None
    path: list[str]
    confidence: float
    handoff: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The shape printed by ``marketing-bot route --jsonl``."""
        return {"agent": self.agent, "path": self.path, "confidence": round(self.confidence, 3), "handoff": self.handoff}


class _Phrase:
    __slots__ = ("text", "stems", "weight")

    def __init__(self, text: str, stem_seq: tuple[str, ...], weight: float):
        self.text, self.stems, self.weight = text, stem_seq, weight


OUT_OF_SCOPE = "hors-perimetre"


class OfflineRouter:
    """Keyword router over the hierarchy (no network, no model)."""

    def __init__(self, hierarchy: Hierarchy):
        self.hierarchy = hierarchy
        raw: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for node in hierarchy.specialists():
            for phrase in node.keywords + node.examples:
                raw[node.id].append((phrase, 1.0))
        for domain, words in hierarchy.nodes["marketing-ops"].routing.items():
            for spec in hierarchy.subtree_specialists(domain):
                raw[spec].extend((w, 0.3) for w in words)
        self.handoff_ids = {h.id for h in hierarchy.handoffs}
        for team in hierarchy.handoffs:
            raw[team.id].extend((w, 1.0) for w in team.keywords)
        seqs = {key: [(p, tuple(s for s in stems(p) if s not in STOPWORDS), f) for p, f in items]
                for key, items in raw.items()}
        df: dict[str, int] = defaultdict(int)
        for items in seqs.values():
            for stem_ in {s for _, seq, _ in items for s in seq}:
                df[stem_] += 1
        n = len(seqs)
        idf = {s: math.log(1 + n / d) for s, d in df.items()}
        self.phrases: dict[str, list[_Phrase]] = {}
        for key, items in seqs.items():
            unique = {}
            for text, seq, factor in items:
                if seq:
                    # Specific phrases beat the same words matched one by one elsewhere.
                    weight = factor * sum(idf[s] for s in seq) * (1 + 0.25 * (len(seq) - 1))
                    if seq not in unique or unique[seq].weight < weight:
                        unique[seq] = _Phrase(text, seq, weight)
            self.phrases[key] = sorted(unique.values(), key=lambda p: (-len(p.stems), -p.weight))

    def score(self, text: str) -> list[Candidate]:
        """All specialists and hand-off teams with a positive score, best first."""
        words = [s for s in stems(text) if s not in STOPWORDS]
        out = []
        for key, phrases in self.phrases.items():
            claimed: set[int] = set()
            total, matched = 0.0, []
            for phrase in phrases:
                k = len(phrase.stems)
                for i in range(len(words) - k + 1):
                    if tuple(words[i:i + k]) == phrase.stems and not claimed.intersection(range(i, i + k)):
                        claimed.update(range(i, i + k))
                        total += phrase.weight
                        matched.append(phrase.text)
                        break
            if total > 0:
                out.append(Candidate(key, total, matched, key in self.handoff_ids))
        return sorted(out, key=lambda c: -c.score)

    def choose_child(self, node_id: str, candidates: list[Candidate]) -> str | None:
        """The child of orchestrator ``node_id`` whose subtree holds the best-scored specialist."""
        best: tuple[float, str] | None = None
        scores = {c.id: c.score for c in candidates if not c.handoff}
        for child in self.hierarchy.nodes[node_id].children:
            top = max((scores.get(s, 0.0) for s in self.hierarchy.subtree_specialists(child)), default=0.0)
            if top > 0 and (best is None or top > best[0]):
                best = (top, child)
        return best[1] if best else None

    def route(self, text: str) -> RouteDecision:
        """Route ``text`` from the roots down to one specialist, a hand-off, or an ambiguity question."""
        candidates = self.score(text)
        specialists = [c for c in candidates if not c.handoff]
        teams = [c for c in candidates if c.handoff]
        top = specialists[0].score if specialists else 0.0
        if teams and teams[0].score > top:
            return RouteDecision(None, [], _confidence(teams[0].score, top), teams[0].id, candidates)
        if top < MIN_SCORE:
            return RouteDecision(None, [], 1.0 - top / MIN_SCORE * 0.5, OUT_OF_SCOPE, candidates)
        path = [self.hierarchy.path_to(specialists[0].id)[0]]
        node = path[0]
        while self.hierarchy.nodes[node].kind == "orchestrator":
            node = self.choose_child(node, specialists)
            path.append(node)
        runner_up = specialists[1].score if len(specialists) > 1 else 0.0
        ambiguous = [specialists[0].id, specialists[1].id] if runner_up >= AMBIGUITY_RATIO * top else []
        return RouteDecision(node, path, _confidence(top, runner_up), None, candidates, ambiguous)


def _confidence(best: float, runner_up: float) -> float:
    """0-1: the best score's share of the top two, damped when the best score itself is weak."""
    share = best / (best + runner_up) if best + runner_up else 0.0
    return round(share * min(1.0, best / (2 * MIN_SCORE)) , 3)
