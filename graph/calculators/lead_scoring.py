"""Lead scoring from the configured model ``prompts/lead_scoring.yaml`` (seed
automation-orchestrator.md: "Lead Scoring Model" template; "Lead score > 80 -> hot lead" escalation)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel

from graph.hierarchy import Localized
from graph.progress import calculator
from graph.text import fold, read_yaml, stem, tokens
from graph.understanding import Understanding, understand
from graph.understanding.numbers import fold_map


class SlotCondition(BaseModel):
    """A criterion read from the understanding layer: a slot of ``type`` whose value is at least
    ``min`` (company size in employees) or whose value or group is one of ``values``
    (a decision-maker job title, an 'enterprise' company)."""

    type: str
    min: float | None = None
    values: list[str] = []

    def evidence(self, request: Understanding) -> str | None:
        """The words that meet the condition, or None."""
        for s in request.all(self.type):
            if self.min is not None and isinstance(s.value, (int, float)) and s.value >= self.min:
                return s.evidence
            if self.values and (s.value in self.values or s.unit in self.values):
                return s.evidence
        return None


_NEGATED = re.compile(
    r"(?<![a-z])(pas|jamais|sans|aucune?|never|not|no|didn't|hasn't|haven't|without)(?![a-z])[^,.;!?\n]{0,25}$"
)  # "n'a pas demandé de démo", "hasn't booked a demo": the criterion is not met


# "MQL to SQL by source: webinar 34%, demo request 71%": the criterion's words label a rate of
# a source, no lead's action
_LABELS_A_RATE = re.compile(r"[\w' -]{0,15}?[:=]?\s*\d+(?:[.,]\d+)?\s*%")
_WORD_REST = re.compile(r"[\w'-]*")  # the rest of a word a criterion's pattern matched the start of


class Criterion(BaseModel):
    """A scoring criterion: label, points (negative for negative criteria), kind, regexes over the
    folded description, conditions on its slots (job title, company size), and the escalation
    situation a lead meeting it is in (``situation``: a demo or quote asked is
    demo-pricing-request, prompts/escalations.yaml)."""

    label: Localized
    points: int
    kind: str
    match: list[str] = []
    slots: list[SlotCondition] = []
    situation: str | None = None

    def evidence(
        self, text: str, request: Understanding, quoted: tuple[str, list[int]] | None = None
    ) -> str | None:
        """What in the folded description ``text`` meets the criterion ('CMO', '2,000', 'demo'),
        or None; words a negation comes just before ("pas demandé de démo") do not meet it, nor
        words that label a rate ("demo request 71%": a source's conversion rate).
        ``quoted``: the description as written and where each folded character comes from
        (numbers.fold_map), to quote the user's whole word ('téléchargé', not 'telecharg')."""
        for condition in self.slots:
            if found := condition.evidence(request):
                return found
        for pattern in self.match:
            for m in re.finditer(pattern, text):
                if not _negated_before(text, m) and not _LABELS_A_RATE.match(text, m.end()):
                    if quoted is None:
                        return m.group(0)
                    tail = _WORD_REST.match(text, m.end())
                    end = tail.end() if tail else m.end()
                    return quoted[0][quoted[1][m.start()] : quoted[1][end]]
        return None

    def denied(self, text: str) -> bool:
        """Whether the folded description ``text`` names this criterion only under a negation
        ("n'a pas demandé de démo", "hasn't asked for pricing"): the lead is said not to meet it."""
        found = [m for pattern in self.match for m in re.finditer(pattern, text)]
        return bool(found) and all(_negated_before(text, m) for m in found)


def _negated_before(text: str, m: re.Match) -> bool:
    """Whether a negation comes just before the words ``m`` matched in ``text`` (40 characters)."""
    return bool(_NEGATED.search(text[max(0, m.start() - 40) : m.start()]))


@lru_cache(maxsize=256)
def denied_situations(description: str) -> frozenset[str]:
    """The escalation situations (prompts/escalations.yaml ids) of the configured model's criteria
    the lead ``description`` says it does not meet (:meth:`Criterion.denied`): a demo not asked.
    Cached: each lead rule of an escalation check asks it of the same message."""
    text = fold_map(description)[0]
    return frozenset(c.situation for c in load_model().criteria if c.situation and c.denied(text))


@lru_cache(maxsize=256)
def unmet_situations(description: str) -> frozenset[str]:
    """The escalation situations of the configured model's criteria whose words the lead
    ``description`` never names, even negated (no "démo", "devis", "pricing request"…): a lead
    said to go "aux sales" has asked for nothing. Cached like :func:`denied_situations`."""
    text = fold_map(description)[0]
    return frozenset(
        c.situation
        for c in load_model().criteria
        if c.situation and c.match and not any(re.search(p, text) for p in c.match)
    )


class ScoringModel(BaseModel):
    """Criteria and the MQL and SQL thresholds, in points."""

    mql: int
    sql: int
    criteria: list[Criterion]

    def status(self, score: int) -> str:
        """'SQL', 'MQL' or 'lead' for a score in points."""
        return "SQL" if score >= self.sql else "MQL" if score >= self.mql else "lead"

    def adjusted(self, changes: list[tuple[str, int]]) -> ScoringModel:
        """The model with the criteria a team changes (:func:`criterion_changes`): a criterion
        whose words the change names ("webinar") takes its points; a change naming none adds a
        criterion with the label as written. The thresholds stay."""
        criteria = list(self.criteria)
        for label, points in changes:
            text = fold_map(label)[0]
            i = next(
                (k for k, c in enumerate(criteria) if any(re.search(p, text) for p in c.match)),
                None,
            )
            if i is None:
                named = Localized(fr=label, en=label)
                criteria.append(
                    Criterion(label=named, points=points, kind="added", match=[re.escape(text)])
                )
            else:
                criteria[i] = criteria[i].model_copy(update={"points": points})
        return self.model_copy(update={"criteria": criteria})


# "ajoute un critère webinar à +15", "add a criterion for trade show visits +20", "passe le
# webinar à +15": the grid changed, no lead described
_CHANGE = re.compile(
    r"(?<![a-z])(?:ajout\w*|rajout\w*|add\w*|mets?|met|passe|put|set|change)\s+"
    r"(?:(?:un|une|a|an|the|le|la|l'|les)\s*)?(?:(?:nouveau|new)\s+)?"
    r"(?:(?:critere|criterion|rule|regle)\s+)?(?:(?:for|pour|sur|on)\s+)?(?:(?:the|le|la|l')\s*)?"
    r"(?P<label>[a-z][a-z' -]{1,40}?)\s*(?:a|at|to|:|=|with|avec|worth)?\s*"
    r"(?P<sign>[+\-−])\s?(?P<points>\d{1,3})(?![\d%])"
)


def criterion_changes(text: str) -> list[tuple[str, int]]:
    """[(the criterion's label as folded, its new points)] a message sets on a scoring grid
    ("ajoute un critère webinar à +15" -> [('webinar', 15)], "add a criterion for trade show
    visits +20", "mets l'adresse gmail à -20"); [] when it sets none."""
    return [
        (m["label"].strip(), int(m["points"]) * (-1 if m["sign"] in "-−" else 1))
        for m in _CHANGE.finditer(fold(text))
    ]


@lru_cache(maxsize=1)
def load_model() -> ScoringModel:
    """The scoring model from ``prompts/lead_scoring.yaml``. Raises pydantic.ValidationError."""
    text = resources.files("prompts").joinpath("lead_scoring.yaml").read_text(encoding="utf-8")
    return ScoringModel(**read_yaml(text))


@calculator("lead_score", "scoring model prompts/lead_scoring.yaml")
def score_lead(
    description: str, model: ScoringModel | None = None, request: Understanding | None = None
) -> tuple[int, list[tuple[Criterion, str]]]:
    """Score a lead described in free text ("CMO at a 2,000-employee retailer, requested a demo"):
    (points, [(criterion, the words that met it)]); words inside another criterion's words count
    once, for the longer. Job titles and company sizes are read by the understanding layer, as
    the user wrote them, or taken from ``request`` (the description's reading with a thread's
    follow-ups applied: "what if she was at a 40-person startup?")."""
    model = model or load_model()
    (text, where), request = fold_map(description), request or understand(description)
    quoted = (description, where)
    hits = [(c, found) for c in model.criteria if (found := c.evidence(text, request, quoted))]
    # "a demandé les tarifs" is a pricing request: its "tarifs" is not also a pricing-page visit
    hits = [
        (c, found)
        for c, found in hits
        if not any(found != other and found in other for _, other in hits)
    ]
    return sum(c.points for c, _ in hits), hits


# a grid's signed weights ("scoring : C-level +30") are not a lead's score, nor "b2b"'s digit
# "scoring: CMO of a 900-person fintech" names no score: a word of its own, and a headcount
_STATED = re.compile(
    r"(?:lead[ _-]?score|score|scor(?:e[ed]?|ee)?s?|note)(?![a-z])[^\d+\-−]{0,20}?(?<![+\-−a-z])(\d{1,3})"
    r"(?!\d|\s*%|\s*-?\s*(?:person|people|employ|salari|personne|collaborat|seat))"
)


_COMPARED = re.compile(
    r"[<>≥≤]|(?<![a-z])(above|over|below|under|plus de|moins de|superieur|inferieur|au-dessus|depasse)"
)


def stated_score(text: str) -> int | None:
    """A lead score written in the message ("lead scoré 85", "score of 92"), or None; a score
    compared ("si score > 50", "scores above 80") is a rule's threshold, not a lead's score."""
    for m in _STATED.finditer(fold(text)):
        if not _COMPARED.search(m.group(0)):
            return int(m.group(1))
    return None


class GridItem(BaseModel):
    """One rule of a scoring grid the user wrote ("visite page tarifs +10/visite (max 30)"): its
    label as written, points (negative for a penalty), an optional employee range the company
    must fall in ("200-1000 salariés", "company 500+ employees"), a cap in points, and the least
    count the lead must reach for it to count once ("opened 3+ emails")."""

    label: str
    points: int
    low: float | None = None
    high: float | None = None
    cap: int | None = None
    at_least: int | None = None


class UserGrid(BaseModel):
    """A scoring grid given in the message, its MQL threshold (points) when stated, and the
    lead's description (the words after the grid)."""

    items: list[GridItem]
    mql: int | None = None
    lead: str = ""


# "C-level +30", "visite page tarifs +10/visite (max 30)", "director = 15", "webinar attended = 10 pts"
_ITEM = re.compile(  # a "+" right after a digit is part of the label: "company 500+ employees +20"
    r"^\s*(?P<label>[^+\-−\d=](?:[^+−=]|(?<=\d)\+)*?)\s*(?P<equals>=\s*)?(?P<sign>[+\-−])?\s?(?P<points>\d{1,3})"
    r"(?P<unit>\s*(?:pts?|points?)\b)?(?:\s*(?:/\s*\w+|each|per \w+|par \w+|chacune?))?"
    r"(?:\s*\((?:max|plafond|cap)\.?\s*(?P<cap>\d{1,3})[^)]*\))?\s*$"
)
# "+25 for director title", "+15 per webinar attended", "-10 si adresse gmail": the points first
_ITEM_FIRST = re.compile(
    r"^(?:.*?\s)?(?P<sign>[+\-−])\s?(?P<points>\d{1,3})(?P<unit>\s*(?:pts?|points?)\b)?\s+"
    r"(?:for|pour|if|si|when|quand|per|par|each|chaque)\s+(?P<label>(?:[^+\-−=]|(?<=\d)\+)+?)\s*$"
)
# "no pricing visit", "pas de demande de démo": what the lead did not do meets no rule
_NOT_DONE = re.compile(
    r"(?<![a-z])(?:no|not|never|without|didn'?t|sans|pas de|pas d'|aucune?|jamais)\s+[^,.;\n]+",
    re.I,
)
_RANGE = re.compile(r"(\d[\d\s]*)\s*(?:-|a|à|to)\s*(\d[\d\s]*)")
# "company > 500 FTE", "plus de 1000 salariés", "500+ employees": a lower bound only
_ABOVE = re.compile(r"(?:>|≥|over|above|more than|plus de)\s*(\d[\d\s]*)|(\d[\d\s]*)\+")
_EMPLOYEES = re.compile(
    r"(?<![a-z])(salarie\w*|employe\w*|fte|people|personnes|collaborateurs|staff|headcount|"
    r"company|companies|entreprises?|boite|societe|taille)(?![a-z])"
)
# asking, in the grid's words and the lead's: "requested pricing" counts for "asked for pricing"
_ASKING = frozenset(
    "ask asks asked asking request requests requested requesting demande demandes demander "
    "demandé demandee want wants wanted veut voulait souhaite souhaitait".split()
)
_THRESHOLD = re.compile(
    r"(?:seuil|threshold|cutoff)\s*(?:mql)?\s*(?:[:=]|a|at|of|de)?\s*(\d{1,3})|mql\s*(?:threshold|seuil)?\s*(?:[:=]|a|at|>=|≥)?\s*(\d{1,3})"
)
_LEAD = re.compile(
    r"(?<![a-z])(?:le |the |our |notre )?(?:lead|prospect)\s*(?::|=|-|is|est)\s*", re.I
)
GENERIC_GRID_WORDS = frozenset(
    "adresse address boite entreprise company societe niveau level page par per the les des"
    " job title poste or above ou plus each chaque for of to at in on with avec sur pour un une"
    " du de la le en an".split()
)


def user_grid(text: str) -> UserGrid | None:
    """The scoring grid of a message ("C-level +30, manager +15, … seuil MQL 50. lead : …"), or
    None when the message gives fewer than two signed rules. The grid is the comma-separated rules
    before the lead's description (after "lead :"), the threshold any "seuil MQL 50"."""
    folded = fold(text)
    lead_at = _LEAD.search(
        text
    )  # on the words as written: labels are shown back as the user wrote them
    head, lead = (text[: lead_at.start()], text[lead_at.end() :]) if lead_at else (text, "")
    items = []
    for chunk in re.split(r"[,;\n]|\.\s", head):
        m = _ITEM.match(chunk.split(":")[-1]) or _ITEM_FIRST.match(chunk.split(":")[-1])
        # an unsigned number is a rule's weight only when written as one ("= 15", "15 pts")
        got = m.groupdict() if m else {}
        if not m or not (got["sign"] or got.get("equals") or got["unit"]):
            continue
        low, high = _employee_range(m["label"])
        at_least = None
        if low is not None and high is None and not _EMPLOYEES.search(fold(m["label"])):
            at_least, low = int(low), None  # "opened 3+ emails": a count to reach, no company
        points = int(m["points"]) * (-1 if m["sign"] and m["sign"] in "-−" else 1)
        items.append(
            GridItem(
                label=m["label"].strip(),
                points=points,
                low=low,
                high=high,
                cap=int(got["cap"]) if got.get("cap") else None,
                at_least=at_least,
            )
        )
    threshold = _THRESHOLD.search(folded)
    mql = int(threshold[1] or threshold[2]) if threshold else None
    return UserGrid(items=items, mql=mql, lead=lead) if len(items) >= 2 else None


def _employee_range(label: str) -> tuple[float | None, float | None]:
    """The employee range a rule's label gives ("200-1000 salariés" -> (200, 1000), "company >
    500 FTE" -> (500, None)), or (None, None)."""
    span = _RANGE.search(label)
    if span:
        return float(span[1].replace(" ", "")), float(span[2].replace(" ", ""))
    above = _ABOVE.search(fold(label))
    return (float((above[1] or above[2]).replace(" ", "")), None) if above else (None, None)


def _same(word: str, unit: set[str]) -> bool:
    """Whether a stemmed word is one of a label's alternatives; one stem may prefix the other
    because the two languages' stemmers cut differently ("visit" -> "vis", "visits" -> "visit")."""
    return any(
        word == u or (min(len(word), len(u)) >= 3 and (word.startswith(u) or u.startswith(word)))
        for u in unit
    )


def _units(label: str) -> list[set[str]]:
    """The label's content words as stems, '/' alternatives in one set ("gmail/hotmail")."""
    out = []
    for token in tokens(re.sub(r"\d[\d\s-]*", " ", label)):
        alternatives = {
            _stem(w) for w in token.split("/") if len(w) > 1 and w not in GENERIC_GRID_WORDS
        }
        if alternatives:
            out.append(alternatives)
    return out


def _configured_words(lead: str) -> list[str]:
    """The stems of the configured model's criteria the lead meets by their own patterns
    (prompts/lead_scoring.yaml): "adresse en @gmail.com" meets "Adresse email personnelle", so
    a user's rule "email perso -20" applies to it."""
    folded, request = fold(lead), understand(lead)
    met = [c for c in load_model().criteria if c.kind == "negative" and c.evidence(folded, request)]
    return [_stem(w) for c in met for label in (c.label.fr, c.label.en) for w in tokens(label)]


def _stem(word: str) -> str:
    """A word's stem, one for every word of asking ("requested", "asked", "demandé"), and a
    French title's masculine and feminine forms one ("directrice" is a "directeur")."""
    if word in _ASKING:
        return "ask"
    return stem(re.sub(r"trice$", "teur", re.sub(r"(?<=..)euse$", "eur", word)))


@calculator("lead_score", "the user's own scoring grid")
def score_with_grid(grid: UserGrid) -> tuple[int, list[tuple[GridItem, int, str]]]:
    """Score ``grid.lead`` with the user's own grid: a rule with an employee range counts when the
    company size read falls in it; a penalty of the configured model the lead meets (a gmail
    address: "Adresse email personnelle") lends its words to the lead; another counts when every
    content word of its label (or one of its '/' alternatives) is in the description, times the
    number written before one of those words ("2 visites tarifs" -> 2 × 10), within its cap; a
    rule with a least count ("opened 3+ emails") counts once when that number reaches it.
    Returns (points, [(rule, points, why)])."""
    done = _NOT_DONE.sub(" ", grid.lead)
    written = [_stem(w) for w in tokens(done.replace("@", " ").replace(".", " "))]
    lead_stems = written + _configured_words(done)
    sizes = [
        s.value
        for s in understand(grid.lead).all("company_size")
        if isinstance(s.value, (int, float))
    ]
    hits = []
    for item in grid.items:
        if item.low is not None:
            low, high = item.low, item.high if item.high is not None else float("inf")
            size = next((n for n in sizes if low <= n <= high), None)
            if size is not None:
                hits.append((item, item.points, f"{size:g}"))
            continue
        # "head of / VP": either side of a spaced slash is the rule
        sides = [u for u in map(_units, re.split(r"\s/\s", item.label)) if u]
        units = next(
            (u for u in sides if all(any(_same(w, one) for w in lead_stems) for one in u)), None
        )
        if units is None:
            continue
        count = next(
            (
                int(w)
                for w, nxt in zip(written, written[1:])
                # "120 personnes" is the company's size, not 120 times a rule
                if w.isdigit() and float(w) not in sizes and any(_same(nxt, u) for u in units)
            ),
            1,
        )
        if item.at_least is not None:  # "opened 3+ emails": once, when the lead reaches it
            if count < item.at_least:
                continue
            count = 1
        points = item.points * count
        if item.cap is not None:
            points = max(min(points, item.cap), -item.cap)
        hits.append((item, points, f"× {count}" if count > 1 else "✓"))
    return sum(points for _, points, _ in hits), hits
