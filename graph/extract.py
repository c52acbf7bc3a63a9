"""Offline input extraction: numbers, amounts, rates, durations, dates, channels, funnel steps,
ICE backlogs and A/B results read out of free French or English text.

Every extractor takes the raw message and returns plain Python values (floats in the unit the
docstring names) or ``None`` when the text does not contain one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from graph.hierarchy import InputSpec
from graph.text import fold

SKIP_PATTERN = re.compile(
    r"\b(je (ne )?sais pas|j ?sais pas|jsp|sais pas|aucune idee|pas d.idee|par defaut|skip|idk|"
    r"i don.?t know|dont know|no idea|default|passe|pass|hypothese par defaut)\b"
)

_NUMBER = re.compile(
    r"(?P<cur>[$€])?\s?(?P<sign>[+-])?(?P<num>\d{1,3}(?:[  ]\d{3})+(?![\d,.])|\d{1,3}(?:,\d{3})+(?![\d,.])|"
    r"\d+(?:[.,]\d+)?)\s?(?P<unit>%|k\s?€|k\s?\$|keur|k|m€|m\b|€|eur(?:os?)?\b|\$|pts?\b|points?\b|pp\b|"
    r"jours?\b|j\b|days?\b|d\b|semaines?\b|sem\b|weeks?\b|w\b|mois\b|months?\b)?",
    re.IGNORECASE,
)
_UNIT_KIND = {
    "%": "%", "pt": "pt", "pts": "pt", "point": "pt", "points": "pt", "pp": "pt",
    "€": "€", "eur": "€", "euro": "€", "euros": "€", "$": "€",
    "jour": "day", "jours": "day", "j": "day", "day": "day", "days": "day", "d": "day",
    "semaine": "week", "semaines": "week", "sem": "week", "week": "week", "weeks": "week", "w": "week",
    "mois": "month", "month": "month", "months": "month",
}
_DAYS = {"day": 1, "week": 7, "month": 30}


@dataclass
class Quantity:
    """A number found in a message. ``value`` has any k/M multiplier applied; ``unit`` is one of
    '%', 'pt' (percentage points), '€' (any currency), 'day', 'week', 'month' or '' (a bare count)."""

    value: float
    unit: str
    start: int
    before: str
    after: str
    signed: bool = False
    used: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        """The word that names the number: the one right after it, else the one right before."""
        after = self.after.split()
        if after and after[0].isalpha() and len(after[0]) > 1:
            return after[0]
        before = self.before.split()
        return before[-1] if before else ""

    def near(self, words: list[str]) -> bool:
        """True when one of ``words`` (folded) occurs in the few words around the number."""
        context = f" {self.before} {self.after} "
        # Short cues ("ca", "cpa") must be whole words; longer ones may be a prefix ("depense" -> "depenses").
        return any(re.search(rf"(?<![a-z0-9]){re.escape(w)}" + (r"(?![a-z0-9])" if len(w) <= 3 else ""), context)
                   for w in words)


def parse_number(raw: str) -> float:
    """'12 000' -> 12000, '12,000' -> 12000, '1,2' -> 1.2, '3.5' -> 3.5. Raises ValueError."""
    raw = raw.replace(" ", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", "")
    return float(raw.replace(",", "."))


def quantities(text: str) -> list[Quantity]:
    """All numbers in ``text`` with their unit and the folded words around them."""
    folded = fold(text)
    found = []
    for m in _NUMBER.finditer(folded):
        first = m.start("cur") if m.group("cur") else m.start("sign") if m.group("sign") else m.start("num")
        if first > 0 and folded[first - 1].isalpha() and folded[first - 2: first] not in (" a", " b"):
            continue  # part of a word such as "q4" or "b2b"
        value = parse_number(m.group("num"))
        unit_raw = (m.group("unit") or "").replace(" ", "").lower()
        unit = _UNIT_KIND.get(unit_raw, "")
        if unit_raw.startswith("k"):
            value, unit = value * 1000, ("€" if len(unit_raw) > 1 else "")
        elif unit_raw in ("m€", "m"):
            value, unit = value * 1_000_000, ("€" if unit_raw == "m€" else "")
        if m.group("cur"):
            unit = "€"
        # The words around a number, within its clause: "visiteurs 20000, conversions 400".
        before = re.split(r"[,;|\n]", folded[max(0, first - 40): first])[-1]
        after = re.split(r"[,;|\n]", folded[m.end(): m.end() + 30])[0]
        found.append(Quantity(value, unit, first, " ".join(re.findall(r"[\w/']+", before)[-4:]),
                              " ".join(re.findall(r"[\w/']+", after)[:3]), bool(m.group("sign"))))
    return found


def is_skip(text: str) -> bool:
    """True when the user declines to give a value ("je ne sais pas", "skip", "idk", …)."""
    return bool(SKIP_PATTERN.search(fold(text)))


def _pick(qs: list[Quantity], ok, cues: list[str]) -> Quantity | None:
    candidates = [q for q in qs if not q.used and ok(q)]
    if not candidates:
        return None
    cued = [q for q in candidates if cues and q.near(cues)]
    chosen = (cued or candidates)[0]
    chosen.used = True
    return chosen


def _rate(qs, spec):
    q = _pick(qs, lambda q: q.unit == "%" and 0 < q.value < 100, [fold(c) for c in spec.cues])
    return q.value if q else None


def _effect(qs, spec):
    q = _pick(qs, lambda q: q.unit in ("%", "pt") and q.value > 0, [fold(c) for c in spec.cues])
    return {"value": q.value, "unit": "pt" if q.unit == "pt" else "%"} if q else None


_MONEY_CUES = ["budget", "ca", "chiffre", "revenue", "revenu", "depense", "spend", "cout", "cost", "enveloppe", "panier", "aov"]


def _amount(qs, spec):
    cues = [fold(c) for c in spec.cues] + _MONEY_CUES
    q = _pick(qs, lambda q: q.value > 0 and (q.unit == "€" or (q.unit == "" and q.near(cues))), cues)
    return q.value if q else None


def _count(qs, spec):
    q = _pick(qs, lambda q: q.unit == "" and q.value > 0, [fold(c) for c in spec.cues])
    return int(round(q.value)) if q else None


def _duration(qs, spec):
    q = _pick(qs, lambda q: q.unit in _DAYS and q.value > 0, [])
    return int(round(q.value * _DAYS[q.unit])) if q else None


_MONTHS = {m: i + 1 for i, m in enumerate(
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split())}
_MONTHS.update({m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())})


def next_monday(today: date | None = None) -> date:
    """The Monday after ``today`` (never today itself)."""
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


def extract_date(text: str, today: date | None = None) -> date | None:
    """A date from 'YYYY-MM-DD', 'DD/MM[/YYYY]', '1er décembre [2026]', 'December 1', 'dans 2 semaines',
    'in 10 days', 'lundi prochain' / 'next monday'. Dates without a year fall in the coming 12 months."""
    today = today or date.today()
    f = fold(text)
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", f):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", f):
        year = int(m[3]) + (2000 if m[3] and len(m[3]) == 2 else 0) if m[3] else None
        return _with_year(today, year, int(m[2]), int(m[1]))
    names = "|".join(_MONTHS)
    if m := re.search(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({names})(?:\s+(\d{{4}}))?", f):
        return _with_year(today, int(m[3]) if m[3] else None, _MONTHS[m[2]], int(m[1]))
    if m := re.search(rf"\b({names})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?", f):
        return _with_year(today, int(m[3]) if m[3] else None, _MONTHS[m[1]], int(m[2]))
    if m := re.search(r"\b(?:dans|in)\s+(\d+)\s*(jours?|days?|semaines?|weeks?|mois|months?)", f):
        unit = _UNIT_KIND.get(m[2], "day")
        return today + timedelta(days=int(m[1]) * _DAYS[unit])
    if re.search(r"lundi prochain|next monday|semaine prochaine|next week", f):
        return next_monday(today)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(today: date, year: int | None, month: int, day: int) -> date | None:
    found = _safe_date(year or today.year, month, day)
    if found and year is None and found < today:
        found = _safe_date(today.year + 1, month, day)
    return found


def _choice(text: str, spec: InputSpec) -> str | None:
    f = f" {fold(text)} "
    hits = []
    for value, synonyms in spec.options.items():
        for syn in synonyms:
            if m := re.search(rf"(?<![a-z0-9]){re.escape(fold(syn))}(?![a-z0-9])", f):
                hits.append((m.start(), value))
    return min(hits)[1] if hits else None


CHANNELS = {
    "Email": ["email", "e-mail", "emailing", "newsletter", "mail"],
    "SEA": ["sea", "search", "google ads", "google", "adwords", "bing ads", "bing", "paid search", "referencement payant"],
    "SEO": ["seo", "referencement naturel", "organic search"],
    "Meta": ["meta", "meta ads", "facebook", "fb", "instagram", "insta"],
    "LinkedIn": ["linkedin", "linkedin ads"],
    "TikTok": ["tiktok", "tik tok"],
    "Social": ["social", "reseaux sociaux", "social ads", "paid social", "twitter", "rs", "snapchat", "pinterest"],
    "Display": ["display", "banniere", "bannieres", "programmatique", "programmatic"],
    "Retargeting": ["retargeting", "remarketing", "reciblage"],
    "Affiliation": ["affiliation", "affiliate", "affilies"],
    "Influence": ["influence", "influenceurs", "influencers", "influencer"],
    "SMS": ["sms"],
    "Push": ["push", "notifications push"],
    "Événementiel": ["evenement", "evenementiel", "event", "events", "salon", "webinar", "conference"],
    "Print": ["print", "presse", "press", "affichage", "ooh"],
    "TV/Radio": ["tv", "television", "radio", "podcast"],
    "Content": ["content", "contenu", "blog"],
    "Partenariats": ["partenariat", "partenariats", "partnership", "partnerships"],
}


def extract_channels(text: str) -> list[str] | None:
    """Marketing channels named in ``text``, in order of appearance, e.g. ['Email', 'SEA', 'Social']."""
    f = f" {fold(text)} "
    hits = {}
    for channel, synonyms in CHANNELS.items():
        for syn in synonyms:
            if m := re.search(rf"(?<![a-z0-9]){re.escape(syn)}(?![a-z0-9])", f):
                hits[channel] = min(hits.get(channel, m.start()), m.start())
    return [c for c, _ in sorted(hits.items(), key=lambda kv: kv[1])] or None


_STEP_SPLIT = re.compile(r"\s*(?:[,;\n|>→]|->|=>|\bpuis\b|\bthen\b)\s*")


def extract_steps(text: str) -> list[tuple[str, int]] | None:
    """Funnel steps as [(label, count), …] from 'visites 10000, panier 3000, achat 800' or
    '10k visits > 3k cart > 800 orders'. Needs at least two steps with a label and a count."""
    steps = []
    for part in _STEP_SPLIT.split(text):
        qs = [q for q in quantities(part) if q.unit == ""]
        label = re.sub(r"[\d  .,:=()kK%]+", " ", part).strip(" -:")
        label = re.sub(r"^(?:(?:et|and|puis|then|les?|la|the)\s+)+", "", label, flags=re.I).strip()
        if len(qs) == 1 and label:
            steps.append((label[:40], int(qs[0].value)))
    return steps if len(steps) >= 2 else None


def extract_ice(text: str) -> list[dict] | None:
    """ICE backlog items [{'idea', 'impact', 'confidence', 'ease'}] from lines such as
    'Parrainage ; 8 ; 6 ; 5', 'Pop-up sortie I7 C5 E9' or 'Quiz: 6/4/8' (scores 1-10)."""
    items = []
    for line in re.split(r"\n|(?<=\d)\s*[|;,]\s*(?=[^\d\s;,|])", text):
        numbers = re.findall(r"(?<![\d.,])(10|[1-9])(?:[.,]\d)?(?![\d%])", line)
        if len(numbers) < 3:
            continue
        first = re.search(r"(?:\b[ICEice]\s*[:=]?\s*)?(?<![\d.,])(10|[1-9])(?![\d%])", line)
        idea = line[: first.start()].strip(" :;-–—,.") if first else ""
        if idea:
            i, c, e = (int(n) for n in numbers[-3:])
            items.append({"idea": idea, "impact": i, "confidence": c, "ease": e})
    return items or None


_VISITOR_WORDS = ("visit", "session", "user", "utilisateur", "trafic", "traffic")
_CONVERSION_WORDS = ("conv", "vente", "achat", "inscri", "sale", "order", "commande", "lead", "signup", "clic", "click")


def extract_ab_results(text: str) -> dict | None:
    """Visitors and conversions per arm from 'A : 10000 visiteurs, 500 conversions ; B : …', rates
    'A=1.8% B=2.1%, 15k visiteurs chacun' or ratios in order, control first ('210/7000, 245/7000').
    Returns {'visitors_a', 'conversions_a', 'visitors_b', 'conversions_b'} (ints), plus 'arms'
    [{'label', 'visitors', 'conversions'}] when variants C, D… are described too; for a continuous
    metric ('A : panier moyen 52 €, écart-type 30 €, 1200 commandes ; B : …') {'means': [{'label',
    'mean', 'sd', 'n'}]}; None when A and B are not both fully described."""
    f = fold(text)
    means = _labelled_means(f)
    if means:
        return {"means": means}
    described = _labelled_arms(f) or _ratio_arms(f)
    if not described:
        return None
    result: dict = {}
    for arm in described[:2]:
        result[f"visitors_{arm['label'].lower()}"], result[f"conversions_{arm['label'].lower()}"] = arm["visitors"], arm["conversions"]
    if len(described) > 2:
        result["arms"] = described
    return result


def _arm_quantities(f: str) -> dict[str, list[Quantity]]:
    """Numbers of each arm named A to E in folded text ('A : …', 'version B = …', 'variante C) …')."""
    parts = re.split(r"(?:^|[\s,;(])(?:version\s+|variante?\s+)?([a-e])\s*[:=)]", f)
    arms: dict[str, list[Quantity]] = {}
    for label, body in zip(parts[1::2], parts[2::2]):
        arms.setdefault(label, []).extend(quantities(body))
    return arms


_SD_WORDS = ["ecart type", "ecart-type", "sd", "std", "standard deviation", "sigma", "deviation"]


def _labelled_means(f: str) -> list[dict] | None:
    """Mean, standard deviation and count of arms A and B (Welch's t-test inputs); None unless both
    arms give a standard deviation, a mean and a count of at least 2."""
    arms = _arm_quantities(f)
    described = []
    for arm in "ab":
        qs = arms.get(arm, [])
        sd = next((q for q in qs if q.near(_SD_WORDS)), None)
        rest = [q for q in qs if q is not sd]
        mean = next((q for q in rest if q.unit == "€" or q.near(["moyen", "moyenne", "mean", "average", "avg", "aov", "rpv"])), None)
        n = next((q for q in rest if q is not mean and q.unit == "" and q.value >= 2 and q.value.is_integer()), None)
        if sd is None or mean is None or n is None:
            return None
        described.append({"label": arm.upper(), "mean": mean.value, "sd": sd.value, "n": int(n.value)})
    return described


def _labelled_arms(f: str) -> list[dict] | None:
    """Arms named A to E in folded text, each with visitors and conversions; None unless A and B are complete."""
    arms = _arm_quantities(f)
    shared = [q for q in quantities(f) if q.unit == "" and q.near(["chacun", "chacune", "each", "par version", "per arm", "par variante"])]
    described = []
    for arm in "abcde":
        if arm not in arms and arm not in "ab":
            break
        qs = arms.get(arm, [])
        visitors = next((q.value for q in qs if q.unit == "" and q.label.startswith(_VISITOR_WORDS)), None)
        conversions = next((q.value for q in qs if q.unit == "" and q.label.startswith(_CONVERSION_WORDS)), None)
        counts = [q.value for q in qs if q.unit == ""]
        rate = next((q.value for q in qs if q.unit == "%"), None)
        if visitors is None and shared:
            visitors = shared[0].value
        if visitors is None and conversions is None and len(counts) >= 2:
            conversions, visitors = sorted(counts[:2])
        elif visitors is not None and conversions is None and rate is not None:
            conversions = round(visitors * rate / 100)
        elif visitors is None and conversions is not None and len(counts) >= 2:
            visitors = max(counts[:2])
        if visitors is None or conversions is None or conversions > visitors:
            if arm in "ab":
                return None
            break
        described.append({"label": arm.upper(), "visitors": int(visitors), "conversions": int(conversions)})
    return described


def _ratio_arms(f: str) -> list[dict] | None:
    """Arms written 'conversions/visitors' in order, control first ('control 220/9000, test 262/9100');
    dates (12/03, 12/03/2027) are not ratios. None unless two or more are found."""
    pairs = re.findall(r"(?<![\d/])(\d[\d\s.,]*?)\s*/\s*(\d[\d\s.,]*\d|\d)(?![\d/])", f)
    arms = []
    for conversions, visitors in pairs:
        try:
            c, v = parse_number(conversions), parse_number(visitors)
        except ValueError:
            continue
        if v < 20 or c > v:
            continue
        arms.append({"label": "ABCDE"[len(arms)], "visitors": int(v), "conversions": int(c)})
        if len(arms) == 5:
            break
    return arms if len(arms) >= 2 else None


METRIC_WORDS = {
    "visitors": ["visiteurs", "visitors", "visites", "visits", "trafic", "traffic", "sessions", "users", "utilisateurs"],
    "conversions": ["conversions", "conversion", "ventes", "leads", "inscriptions", "signups", "achats", "purchases"],
    "orders": ["commandes", "orders", "transactions"],
    "revenue": ["ca", "chiffre", "revenue", "revenu", "revenus", "recettes"],
    "spend": ["depense", "depenses", "spend", "budget", "cout", "cost", "investissement"],
    "impressions": ["impressions"],
    "clicks": ["clics", "clicks"],
    "bounces": ["rebonds", "bounces", "single-page", "une seule page"],
    "exits": ["sorties", "exits"],
    "pageviews": ["pages vues", "pageviews", "vues"],
    "customers": ["clients", "customers", "abonnes", "subscribers", "acheteurs", "buyers"],
    "churned": ["perdus", "churned", "resiliations", "resilies", "cancellations", "desabonnes"],
    "arpu": ["arpu", "revenu moyen par client", "revenue per user"],
    "churn_rate": ["churn", "attrition"],
    "repeat_customers": ["rachat", "reachat", "repeat", "fideles", "returning"],
    "promoters": ["promoteurs", "promoters"],
    "detractors": ["detracteurs", "detractors"],
    "respondents": ["repondants", "respondents", "reponses", "responses"],
    "referred": ["parraines", "filleuls", "referred", "referrals", "invites convertis"],
}
PERCENT_METRICS = ("churn_rate",)  # metrics given as a percentage


def extract_metrics(text: str) -> dict[str, float] | None:
    """Named marketing figures, e.g. {'visitors': 20000, 'conversions': 400, 'revenue': 30000}.

    Each number takes the metric word written next to it (before, else after)."""
    found: dict[str, float] = {}
    for q in quantities(text):
        if q.unit not in ("", "€", "%"):
            continue
        after = q.after.split()
        # "150 clients perdus": the qualifier after the noun names the metric.
        qualified = after[1:2] if len(after) > 1 and q.label == after[0] else []
        words = qualified + [q.label] + q.before.split()[::-1] + after
        metric = next((m for w in words for m, syns in METRIC_WORDS.items()
                       if m not in found and (m in PERCENT_METRICS) == (q.unit == "%")
                       and any(w == s or (len(s) > 3 and w.startswith(s)) for s in syns)), None)
        if metric:
            found[metric] = q.value
    return found or None


def extract_inputs(text: str, specs: list[InputSpec], wanted: set[str] | None = None) -> dict[str, Any]:
    """Values for ``specs`` (all, or only the names in ``wanted``) found in ``text``.

    Numeric inputs share one pool of numbers, taken in the order the specs list them, each number
    used once and numbers next to an input's cue words preferred. Returns {name: value}."""
    qs = quantities(text)
    found: dict[str, Any] = {}
    numeric = {"rate": _rate, "effect": _effect, "amount": _amount, "count": _count, "duration": _duration}
    other = {
        "date": lambda t, s: (d.isoformat() if (d := extract_date(t)) else None),
        "choice": _choice,
        "channels": lambda t, s: extract_channels(t),
        "steps": lambda t, s: extract_steps(t),
        "ice": lambda t, s: extract_ice(t),
        "ab_results": lambda t, s: extract_ab_results(t),
        "metrics": lambda t, s: extract_metrics(t),
    }
    for spec in specs:
        if wanted is not None and spec.name not in wanted:
            continue
        if spec.kind in numeric:
            value = numeric[spec.kind](qs, spec)
        elif spec.kind in other:
            value = other[spec.kind](text, spec)
        else:
            value = None
        if value is not None:
            found[spec.name] = value
    return found
