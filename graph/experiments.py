"""The team's experiment log: every test plan and readout, winners and losers, and the ideas of
the backlog (seed performance-orchestrator.md: "Logger tous les tests (gagnants ET perdants)",
"Partager les learnings", "Hypothèses documentées — Backlog de tests", "Rapports de tests —
Résultats et learnings").

An ``experimentation`` plan or an ``ab-testing`` readout carries what it is about
(:func:`read_subject`: the tested change, the page, the metric, the hypothesis) and its figures;
:class:`ExperimentLog` records it in the ``experiments`` table (graph/storage/) and links a readout
to its plan: same Slack thread, an "EXP-12" named in the message, or a running test about the same
change. Two tests are compared by their folded, stemmed words (graph/text.py), French and English
alike, without embeddings: a log holds hundreds of tests, not millions.

Our own table rather than LangGraph's Store: the reminder of an overdue test must be claimed by
exactly one replica (a guarded UPDATE), and the log is read by SQL filters (team, status, dates)
for /experiments, the digest and the CSV export, on SQLite and PostgreSQL alike (graph/storage/).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from graph.document import Deliverable, Section, Table
from graph.formatting import date_text, num, pct, pvalue
from graph.i18n import t
from graph.storage import Store
from graph.text import fold, stems
from graph.understanding.lexicon import WORD, PhraseIndex, lexicon, words

FINISHED = ("shipped", "rejected", "inconclusive")
EXPERIMENT_ID = re.compile(r"\bexp[-#]?(\d+)\b")
PATH = ["marketing-ops", "performance", "experimentation"]
_TOKEN = re.compile(r"\b[ldjLDJ][’']|[\w%]+(?:[/\-.,][\w%]+)*|[,.:;!?()«»\"“”]")
_URL_PATH = re.compile(r"(?<![\w/])/[a-z][\w\-/]*", re.I)
_QUOTED = re.compile(
    r"[«“\"]\s*([^«»“”\"\n]{2,60}?)\s*[»”\"]|(?:(?<=\s)|^)'([^'\n]{2,60})'(?=[\s,.:;!?)]|$)"
)
_HYPOTHESIS = re.compile(
    r"(?i)\b(?:hypoth[eè]se|hypothesis)\s*:\s*([^\n]{5,300})|(\b(?:si|if)\b[^\n]{3,200}?\b(?:alors|then)\b[^\n.]{3,200})"
)


@dataclass(frozen=True)
class Subject:
    """What a test is about, as the user wrote it: ``name`` the tested change ("CTA vert"),
    ``page`` the page or funnel step ("/pricing", "page prix") and ``page_key`` its canonical id
    ("pricing"), ``metric`` a canonical metric id (prompts/lexicon.yaml ``experiments.metrics``),
    ``hypothesis`` the user's hypothesis sentence, ``learnings`` what they wrote they learned,
    ``request`` the first line of the request (what tells tests apart when no change is named);
    '' when not said."""

    name: str = ""
    page: str = ""
    page_key: str = ""
    metric: str = "conversion"
    hypothesis: str = ""
    learnings: str = ""
    request: str = ""

    def stems(self) -> frozenset[str]:
        """Stems that tell tests apart: the name's, else the hypothesis's or the request's without
        the words of its page and metric (compared apart)."""
        return _subject_stems(self)


@lru_cache(maxsize=4096)
def _subject_stems(subject: Subject) -> frozenset[str]:
    """:meth:`Subject.stems`, read once per subject: :func:`alike` compares one subject with every
    logged test, and the CRO/ICE marks every idea of a table with the same tests."""
    if subject.name:
        return frozenset(meaningful(subject.name) - _place_stems(True))
    text = subject.hypothesis or subject.request
    tokens = words(text)
    metric = " ".join(" ".join(tokens[a:b]) for a, b, _ in _indexes()[1].find_all(tokens))
    return frozenset(meaningful(text) - meaningful(f"{subject.page} {metric}") - _place_stems(True))


@lru_cache(maxsize=1)
def _indexes() -> tuple[PhraseIndex, PhraseIndex]:
    words_ = lexicon().experiments
    return (
        PhraseIndex({f: key for key, forms in words_.pages.items() for f in forms}),
        PhraseIndex({f: key for key, forms in words_.metrics.items() for f in forms}),
    )


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    w = lexicon().experiments
    return frozenset(stems(" ".join(w.skip + w.stop + w.generic)))


@lru_cache(maxsize=1)
def _synonyms() -> tuple[re.Pattern, dict[str, str]]:
    forms = {fold(f): fold(key) for key, fs in lexicon().experiments.synonyms.items() for f in fs}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])"), forms


def meaningful(text: str) -> set[str]:
    """The stems of ``text`` that can tell two tests apart: the same change said differently is
    one word ("livraison offerte", "free shipping"), without numbers, function words or test
    vocabulary ("tester", "variante", "taux"…)."""
    pattern, forms = _synonyms()  # forms -> canonical words
    text = pattern.sub(lambda m: f" {forms[m.group(0)]} ", fold(text))
    return {s for s in stems(text) if len(s) > 1 and not s[0].isdigit() and s not in _generic()}


def _page(raw: str, name: str = "") -> tuple[str, str]:
    """(page as written, canonical id) of a request: a URL path ("/pricing") first, else a page
    word of the lexicon (not one inside the tested change ``name`` when there is another);
    ('', '') when none."""
    pages, _ = _indexes()
    for match in _URL_PATH.finditer(raw):
        path = match.group(0).rstrip("/.,")
        if fold(path) in (
            "/jour",
            "/j",
            "/day",
            "/d",
            "/mois",
            "/month",
            "/mo",
            "/semaine",
            "/week",
            "/an",
            "/year",
        ):
            continue
        hit = pages.find_all(words(path.replace("/", " ").replace("-", " ")))
        return path, (str(hit[0][2]) if hit else fold(path.strip("/")))
    tokens = words(raw)
    metric_words = {
        i
        for start, end, _ in _indexes()[1].find_all(tokens)
        if end - start > 1
        for i in range(start, end)
    }  # "ajout au panier" is a metric
    hits = [h for h in pages.find_all(tokens) if not metric_words & set(range(h[0], h[1]))]
    if not hits:
        return "", ""
    inside = " ".join(words(name))
    hits = [h for h in hits if " ".join(tokens[h[0] : h[1]]) not in inside] or hits
    placed = [
        h
        for h in hits
        if set(tokens[max(0, h[0] - 2) : h[0]]) & {"sur", "on", "au", "dans", "in", "at"}
    ]  # "sur le signup"
    start, end, key = (placed or hits)[0]
    return " ".join(tokens[start:end]).replace("' ", "'"), str(key)


def _metric(raw: str) -> str:
    """The canonical metric a request names (a metric other than conversion wins), 'conversion' when none."""
    _, metrics = _indexes()
    tokens = words(raw)
    found = [
        str(key)
        for start, _, key in metrics.find_all(tokens)
        # "about 35% of our revenue": what the test touches, not what it measures
        if tokens[max(0, start - 2) : start] not in (["of", "our"], ["of", "the"], ["de", "notre"])
    ]
    return next((k for k in found if k != "conversion"), "conversion")


@lru_cache(maxsize=2)
def _place_stems(one_word: bool) -> frozenset[str]:
    """Stems of the page and metric forms (``one_word``: of the one-word forms only, "newsletter",
    "checkout", "ctr"). A phrase made of any of them only names where a test runs or what it
    measures; the one-word forms are compared apart from the change."""
    w = lexicon().experiments
    return frozenset(
        meaningful(
            " ".join(
                f
                for forms in (*w.pages.values(), *w.metrics.values())
                for f in forms
                if not one_word or " " not in f
            )
        )
    )


def _phrase(tokens: list[str], start: int, limit: int = 6) -> str:
    """The tested thing written from ``tokens[start]``: leading articles, prepositions and A/B
    words skipped, up to a stop word, a punctuation mark or a number, at most ``limit`` words; ''
    when it only names a page or a metric."""
    w = lexicon().experiments
    skip, stop = set(w.skip), set(w.stop)
    folded = [fold(x) for x in tokens]
    i = start
    while i < len(tokens) and (
        folded[i] in skip or folded[i] in ("pour", "for", "sur", "on", "of")
    ):
        i += 1
    taken: list[str] = []
    while i < len(tokens) and len(taken) < limit:
        if (
            folded[i] in stop
            or not re.search(r"[^\W\d]", tokens[i])
            or re.fullmatch(r"\d+(?:[.,]\d+)?(?:%|€|\$|k)?", folded[i])
        ):
            break
        taken.append(tokens[i])
        i += 1
    while taken and fold(taken[-1]) in skip:
        taken.pop()
    phrase = re.sub(r"([’']) ", r"\1", " ".join(taken))
    return phrase if meaningful(phrase) - _place_stems(False) else ""


def _name(raw: str, hypothesis: str) -> str:
    """The tested change: a quoted phrase, else the words after "tester" / "test" / "try", else
    the change of an "if … then …" hypothesis, else the words after a colon; '' when none is found."""
    quoted = _QUOTED.search(raw)
    if quoted:
        return (quoted.group(1) or quoted.group(2)).strip()
    tokens = _TOKEN.findall(raw.split("\n", 1)[0])
    folded = [fold(x) for x in tokens]
    cues = {fold(c) for c in lexicon().experiments.cues if " " not in c}
    for n, word in enumerate(folded):
        if word in cues and (found := _phrase(tokens, n + 1)):
            return found
    change = re.search(
        r"(?i)\b(?:si|if)\s+(?:on|nous|we|you)?\s*(.{3,80}?)\s*(?:,|\balors\b|\bthen\b)", hypothesis
    )
    if change:
        return change.group(1).strip()
    for n, word in enumerate(tokens):
        if word == ":" and (found := _phrase(tokens, n + 1, 8)):
            return found
    return ""


def read_subject(text: str) -> Subject:
    """What a test plan or readout is about, read from the user's request (every message of it)."""
    cues = "|".join(re.escape(c) for c in lexicon().experiments.learnings)
    learned = re.search(rf"\b(?:{cues})\s*[:\-–]\s*([^\n]{{3,500}})", fold(text))
    learnings = ""
    if learned:  # as written, not folded (fold keeps every character's place); the rest reads what comes before
        learnings, text = text[learned.start(1) : learned.end(1)].strip(), text[: learned.start()]
    match = _HYPOTHESIS.search(text)
    hypothesis = (
        re.split(r"(?<=[.!?])\s", (match.group(1) or match.group(2)).strip())[0] if match else ""
    )
    name = _name(text, hypothesis)
    page, page_key = _page(text, name)
    first = re.sub(r"<@\w+>", "", text).strip().split("\n", 1)[0][:200]
    return Subject(name, page, page_key, _metric(text), hypothesis, learnings, first)


def experiment_data(kind: str, request, **figures) -> dict:
    """What a plan (``kind`` 'plan') or a readout ('readout') gives the log: the Subject read from
    the request (an Understanding: every message of it, ``raw``), the experiments it names
    (EXP-12) and the deliverable's ``figures``."""
    return {
        "kind": kind,
        "subject": asdict(read_subject(request.raw)),
        "named": [int(n) for n in EXPERIMENT_ID.findall(request.text)],
        **figures,
    }


def idea_subject(text: str) -> Subject:
    """An idea of a backlog or a strategy table ("CTA vert sur la page prix") as a Subject: the
    whole text is the change."""
    page, page_key = _page(text)
    return Subject(text, page, page_key, _metric(text))


def subject_of(row: dict) -> Subject:
    """The Subject of an experiments row."""
    return Subject(
        row.get("name") or "",
        row.get("page") or "",
        row.get("page_key") or "",
        row.get("metric") or "conversion",
        row.get("hypothesis") or "",
        request=row.get("request") or "",
    )


def likeness(a: Subject, b: Subject) -> int:
    """How alike two tests are: shared meaningful stems of their changes, plus one for the same
    page; 0 when they are not alike (no shared stem, or a single shared stem on different or
    unknown pages)."""
    shared = len(a.stems() & b.stems())
    same_page = bool(a.page_key) and a.page_key == b.page_key
    if shared >= 2 or (shared and same_page):
        return shared + same_page
    return 0


def _elsewhere(subject: Subject, row: dict) -> bool:
    """A plan about another page than the thread's test ("et pour le checkout à 2,4 % ?"): a
    second test, not a new plan of the first."""
    return (
        bool(subject.page_key) and bool(row.get("page_key")) and subject.page_key != row["page_key"]
    )


def alike(subject: Subject, rows: list[dict]) -> list[dict]:
    """The experiments rows alike ``subject`` (:func:`likeness` > 0), most alike first; ties keep
    the rows' order."""
    scored = [(likeness(subject, subject_of(r)), r) for r in rows]
    return [r for score, r in sorted(scored, key=lambda x: -x[0]) if score]


# -- how a test reads in a message ------------------------------------------------------------


def label(row: dict) -> str:
    """The experiment's id as users type it: 'EXP-12'."""
    return f"EXP-{row['id']}"


def when(row: dict) -> str:
    """The experiment's date (ISO): its start, else when it finished, else when it was logged."""
    return row.get("start_date") or (row.get("finished_at") or row["created_at"])[:10]


def outcome(row: dict, lang: str) -> str:
    """Its status in words: 'en cours (fin prévue le 26/03/2027)', 'gagné, à déployer (+12,5 %,
    p 0,0030)', 'perdu (…)', 'non concluant (-2,1 %, p 0,3100)', 'idée du backlog (ICE 336)';
    once the team decided (``decided_at``): 'déployé (décision de l'équipe) (…)', 'écarté (…) (…)'."""
    status, figures = row["status"], ""
    if row.get("lift") is not None and row.get("p_value") is not None:
        figures = f" ({'+' if row['lift'] > 0 else ''}{pct(row['lift'], lang)}, p {pvalue(row['p_value'], lang)})"
    if status == "running":
        end = date_text(row["end_date"], lang) if row.get("end_date") else "—"
        return (
            t(lang, "experiments.outcome.running_read", end=end, figures=figures)
            if figures
            else t(lang, "experiments.outcome.running", end=end)
        )
    if status == "backlog":
        return t(lang, "experiments.outcome.backlog", ice=row.get("ice") or "—")
    if row.get("decided_at"):
        return (
            t(
                lang,
                "experiments.outcome.decided",
                decision=t(lang, f"experiments.decision.{status}"),
            )
            + figures
        )
    return t(lang, f"experiments.outcome.{status}") + figures


def title(row: dict, lang: str) -> str:
    """« CTA vert » sur /pricing — the change and the page, as logged."""
    name = (
        t(lang, "experiments.quoted", name=row["name"])
        if row.get("name")
        else t(lang, "experiments.unnamed")
    )
    return t(lang, "experiments.on_page", name=name, page=row["page"]) if row.get("page") else name


def line(row: dict, lang: str) -> str:
    """One line per experiment: 'EXP-3 · 12/03/2027 : « CTA vert » sur /pricing — perdu (-2,1 %, p 0,3100)'."""
    return (
        f"{label(row)} · {date_text(when(row), lang)} : {title(row, lang)} — {outcome(row, lang)}"
    )


def logged(row: dict, lang: str) -> str:
    """Where a plan or readout went in the log: ':test_tube: EXP-7 · en cours (fin prévue le …) —
    journal des tests : `/experiments`'; a finished test not decided yet adds how the team
    records its own decision (`/experiments EXP-7 déployé …`)."""
    said = t(lang, "experiments.logged", id=label(row), outcome=outcome(row, lang))
    return said + (
        t(lang, "experiments.decide_hint", id=label(row))
        if row["status"] in FINISHED and not row.get("decided_at")
        else ""
    )


def learning(row: dict, decision: str, lang: str) -> str:
    """The learning a readout gives: what the change did to the metric, and what to do next."""
    metric = t(lang, f"experiments.metric.{row.get('metric') or 'conversion'}")
    lift = f"{'+' if (row.get('lift') or 0) > 0 else ''}{pct(row.get('lift') or 0, lang)}"
    return t(
        lang,
        f"experiments.learning.{decision}",
        test=title(row, lang),
        metric=metric,
        lift=lift,
        p=pvalue(row["p_value"], lang) if row.get("p_value") is not None else "—",
    )


@dataclass(frozen=True)
class Decision:
    """The team's decision on a test: ``experiment_id`` (the n of EXP-n), ``status`` (shipped,
    rejected or inconclusive) and the ``note`` they gave (may be empty)."""

    experiment_id: int
    status: str
    note: str


@lru_cache(maxsize=1)
def _decisions() -> PhraseIndex:
    return PhraseIndex(
        {
            form: status
            for status, forms in lexicon().experiments.decisions.items()
            for form in forms
        }
    )


def read_decision(text: str) -> Decision | None:
    """The decision typed after ``/experiments``: "EXP-3 on deploie quand meme, la marque prime"
    -> Decision(3, "shipped", "quand meme, la marque prime"). The test is named by its id; the
    decision is the first form of prompts/lexicon.yaml ``experiments.decisions`` outside it; the
    note is what follows the decision, or the whole text after the id when words other than short
    ones ("on", "we") stand before the decision; 500 characters at most. None when the text names
    no test or no decision (then it is a search)."""
    folded = fold(text)
    named = EXPERIMENT_ID.search(folded)
    if not named:
        return None
    spans = [m.span() for m in WORD.finditer(folded)]
    hits = [
        (a, b, status)
        for a, b, status in _decisions().find_all([folded[x:y] for x, y in spans])
        if spans[a][0] >= named.end() or spans[b - 1][1] <= named.start()
    ]
    if not hits:
        return None
    start, end, status = hits[0]
    source = (
        text if len(folded) == len(text) else folded
    )  # spans index the original when folding kept its length
    clean = " :,;.-—–=>\n\t"
    before, after = (
        source[named.end() : spans[start][0]].strip(clean),
        source[spans[end - 1][1] :].strip(clean),
    )
    # "EXP-3 on ship, …": the note follows; "EXP-3 : variante abandonnée, on reste …": the whole sentence is the note
    note = source[named.end() :].strip(clean) if any(len(w) > 2 for w in words(before)) else after
    return Decision(int(named.group(1)), str(status), note[:500])


def _plan_fields(target: dict | None, data: dict) -> dict:
    """The columns a plan sets: running, its figures, and its dates (a running test keeps its
    start date; the end is start + planned days, none without a planned duration)."""
    start = (
        date.fromisoformat(target["start_date"])
        if target and target.get("start_date") and target["status"] == "running"
        else datetime.now(UTC).date()
    )
    return {
        "status": "running",
        "variants": data["variants"],
        "baseline": data["baseline"],
        "mde": data["mde"],
        "planned_n": data["planned_n"],
        "planned_days": data["planned_days"],
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=data["planned_days"])).isoformat()
        if data["planned_days"]
        else None,
        "reminded_at": None,
    }


def _readout_fields(data: dict) -> dict:
    """The columns a readout sets: results per arm, lift, p-value, chance to beat, and the
    statistics' status (a decision taken before is cleared: the team may decide again)."""
    decision = data["decision"]
    return {
        "results": json.dumps(data["arms"], ensure_ascii=False),
        "lift": data["lift"],
        "p_value": data["p_value"],
        "chance": data["chance"],
        "status": decision or "running",
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds") if decision else None,
        "decided_by": None,
        "decided_at": None,
    }


class ExperimentLog:
    """The experiments of each Slack workspace (``team``), over our tables (graph/storage/)."""

    def __init__(self, store: Store):
        self.store = store

    def record(self, where: dict, data: dict, lang: str) -> dict:
        """Log a plan or a readout. ``where``: {team, thread_key, channel, thread_ts, owner} of the
        Slack thread; ``data``: the deliverable's ``experiment`` ({"kind": "plan"|"readout",
        "subject": Subject fields, plan figures or results}). A plan updates the thread's running
        test (unless it is about another page), or the test it names (EXP-n), or the backlog idea it
        resembles, else starts a new one (a running test it resembles is named in the plan); a
        readout updates the thread's test, or the running test it names or resembles, else logs a
        test of its own; its status is the statistics' again (a team decision taken before is
        cleared: the team decides on the new figures). Returns the row."""
        subject, team = Subject(**data["subject"]), where["team"]
        current = self.store.experiments.thread_experiment(where["thread_key"])
        if data["kind"] == "plan":
            target = self._planned_target(team, subject, data, current)
            fields = _plan_fields(target, data)
        else:
            target = (
                current
                if current and current["status"] != "backlog"
                else (
                    self._linked(team, subject, data, ("running",))
                    or self._only_running(team, where.get("owner"), subject)
                )
            )
            fields = _readout_fields(data)
        fields.update(
            {
                k: v
                for k, v in asdict(subject).items()
                if v and k != "learnings" and not (target and target.get(k) and k != "hypothesis")
            }
        )
        fields.update({k: where[k] for k in ("thread_key", "channel", "thread_ts")})
        if data["kind"] == "readout" and data["decision"]:
            merged = {**(target or {}), **fields}
            noted = (
                t(lang, "experiments.noted", text=subject.learnings) if subject.learnings else ""
            )
            fields["learnings"] = " ".join(
                x for x in (learning(merged, data["decision"], lang), noted) if x
            )
        if target:
            return self.store.experiments.update_experiment(target["id"], fields)
        return self.store.experiments.add_experiment(
            {"team": team, "owner": where.get("owner") or "", "lang": lang, **fields}
        )

    def _planned_target(
        self, team: str, subject: Subject, data: dict, current: dict | None
    ) -> dict | None:
        """The row a plan updates: the thread's running test or idea about the same page, else the
        test it names or the backlog idea it resembles; a running test is never taken over by
        likeness (None: a new test)."""
        if (
            current
            and current["status"] in ("running", "backlog")
            and not _elsewhere(subject, current)
        ):
            return current
        return self._linked(team, subject, data, ("backlog", "running"), alike_in=("backlog",))

    def _linked(
        self,
        team: str,
        subject: Subject,
        data: dict,
        statuses: tuple[str, ...],
        alike_in: tuple[str, ...] | None = None,
    ) -> dict | None:
        """The test of ``team`` in ``statuses`` a message names ('EXP-12'), else the most alike of
        those in ``alike_in`` (default: ``statuses``)."""
        rows = self.store.experiments.experiments(team, statuses)
        named = set(data.get("named") or ())
        for row in rows:
            if row["id"] in named:
                return row
        found = alike(subject, [r for r in rows if r["status"] in (alike_in or statuses)])
        return found[0] if found else None

    def _only_running(self, team: str, owner: str | None, subject: Subject) -> dict | None:
        """For a readout that says nothing of what was tested (results only, from the /abtest
        modal or a new thread): the owner's running test when they have exactly one, else None."""
        if subject.name or subject.page or subject.hypothesis or not owner:
            return None
        mine = [
            r
            for r in self.store.experiments.experiments(team, ("running",))
            if r.get("owner") == owner
        ]
        return mine[0] if len(mine) == 1 else None

    def similar(
        self, team: str, subject: Subject, thread_key: str = "", limit: int = 3
    ) -> list[dict]:
        """Tests of ``team`` about the same change as ``subject`` (not the one of ``thread_key``),
        finished or running, most alike first."""
        return alike(subject, [r for r in self._tried(team) if r.get("thread_key") != thread_key])[
            :limit
        ]

    def _tried(self, team: str) -> list[dict]:
        """The tests of ``team`` that ran or run (not backlog ideas), most recently updated first."""
        return self.store.experiments.experiments(team, FINISHED + ("running",))

    def search(self, team: str, query: str, limit: int = 20) -> list[dict]:
        """Tests and ideas of ``team`` whose change, page, metric, hypothesis or learnings share a
        meaningful word with ``query``, or that it names (EXP-12), newest first."""
        named = {int(n) for n in EXPERIMENT_ID.findall(fold(query))}
        wanted = meaningful(query)
        page_key = _page(query)[1]
        found = []
        for row in self.store.experiments.experiments(team):
            text = " ".join(
                str(row.get(k) or "")
                for k in ("name", "page", "page_key", "metric", "hypothesis", "learnings")
            )
            if (
                row["id"] in named
                or (wanted & meaningful(text))
                or (page_key and row.get("page_key") == page_key)
            ):
                found.append(row)
        return found[:limit]

    def running(self, team: str) -> list[dict]:
        """Running tests of ``team``, the soonest planned end first."""
        return sorted(
            self.store.experiments.experiments(team, ("running",)),
            key=lambda r: r.get("end_date") or "9999",
        )

    def recent(self, team: str, limit: int = 10) -> list[dict]:
        """Finished tests of ``team``, latest first."""
        return self.store.experiments.experiments(team, FINISHED, limit)

    def backlog(self, team: str) -> list[dict]:
        """Ideas of ``team`` not tested yet, by ICE score (highest first)."""
        return sorted(
            self.store.experiments.experiments(team, ("backlog",)),
            key=lambda r: (-(r.get("ice") or 0), r["id"]),
        )

    def add_idea(
        self,
        team: str,
        owner: str,
        hypothesis: str,
        page: str,
        metric: str,
        impact: int,
        confidence: int,
        ease: int,
        lang: str,
    ) -> dict:
        """Add an idea to the backlog ("Hypothèses documentées"), scored ICE = I × C × E
        (graph/calculators/ice.py, 1-10 each; raises pydantic.ValidationError outside). Returns the row."""
        from graph.calculators import ice

        item = ice.IceItem(idea=hypothesis, impact=impact, confidence=confidence, ease=ease)
        subject = read_subject(f"{hypothesis}\n{page}\n{metric}")
        page_key = _page(page)[1] if page else subject.page_key
        return self.store.experiments.add_experiment(
            {
                "team": team,
                "owner": owner,
                "name": subject.name or hypothesis[:60],
                "hypothesis": hypothesis,
                "page": page or subject.page,
                "page_key": page_key,
                "metric": _metric(metric) if metric else subject.metric,
                "status": "backlog",
                "impact": impact,
                "confidence": confidence,
                "ease": ease,
                "ice": item.score,
                "lang": lang,
            }
        )

    def decide(self, team: str | None, decision: Decision, user: str, lang: str) -> dict:
        """Record the team's decision on test EXP-n of ``team`` (None: any workspace, for the CLI):
        its status becomes ``decision.status`` whatever the statistics said (a winner kept off for
        the brand, a loser shipped for legal reasons), with who decided (``decided_by``) and when,
        and the decision and its note end its learnings. A running test is finished by it. Returns
        the row. Raises LookupError when the workspace has no such test, ValueError for a backlog
        idea (never tested: nothing to decide)."""
        row = self.store.experiments.experiment(decision.experiment_id)
        if not row or (team is not None and row["team"] != team):
            raise LookupError(f"EXP-{decision.experiment_id}")
        if row["status"] == "backlog":
            raise ValueError(label(row))
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        said = t(
            lang,
            "experiments.decided_learning",
            decision=t(lang, f"experiments.decision.{decision.status}"),
            date=date_text(stamp[:10], lang),
            note=t(lang, "experiments.quoted", name=decision.note) if decision.note else "",
        )
        return self.store.experiments.update_experiment(
            row["id"],
            {
                "status": decision.status,
                "decided_by": user,
                "decided_at": stamp,
                "finished_at": row.get("finished_at") or stamp,
                "learnings": " ".join(x for x in (row.get("learnings"), said.strip()) if x),
            },
        )

    def answer_decision(
        self, team: str | None, decision: Decision, user: str, lang: str
    ) -> tuple[dict | None, str]:
        """:meth:`decide`, told to the user: (the row, "Décision consignée : EXP-3 · … — déployé
        (décision de l'équipe) …") or (None, why nothing changed: no such test, a backlog idea)."""
        try:
            row = self.decide(team, decision, user, lang)
        except LookupError:
            return None, t(
                lang, "experiments.command.not_found", id=f"EXP-{decision.experiment_id}"
            )
        except ValueError:
            return None, t(
                lang, "experiments.command.not_tested", id=f"EXP-{decision.experiment_id}"
            )
        return row, t(lang, "experiments.command.decided", line=line(row, lang))

    def planned(self, thread_key: str) -> dict:
        """What a readout in this thread must know of its plan: {"planned_n": visitors per variant}
        of the thread's running test, or {}."""
        row = self.store.experiments.thread_experiment(thread_key)
        return (
            {"planned_n": row["planned_n"]}
            if row and row["status"] == "running" and row.get("planned_n")
            else {}
        )

    def recall(
        self,
        team: str,
        thread_key: str,
        agent: str,
        values: dict,
        experiment: dict | None,
        lang: str,
    ) -> list[Section]:
        """What the log adds to a deliverable, in place and as sections: an ``experimentation``
        plan names the similar tests already run and a test running on the same page (one test at
        a time per page, seed); the CRO strategy's tests and the ICE backlog get a column "already
        tested"; the CRO strategy lists the team's backlog. [] when the log has nothing to say."""
        if agent == "experimentation" and experiment:
            return self._alike_section(team, thread_key, Subject(**experiment["subject"]), lang)
        tables = {"conversion-optimization": ("tests", 0), "growth-hacking": ("ice_table", 1)}
        if agent not in tables or not self.store.experiments.experiments(team, limit=1):
            return []
        key, column = tables[agent]
        if isinstance(values.get(key), Table):
            values[key] = self._marked(team, values[key], column, lang)
        ideas = self.backlog(team)[:5] if agent == "conversion-optimization" else []
        if not ideas:
            return []
        rows = [
            [
                label(r),
                r.get("hypothesis") or r["name"],
                r.get("page") or "—",
                str(r.get("ice") or "—"),
            ]
            for r in ideas
        ]
        header = ["ID", t(lang, "experiments.hypothesis"), "Page", "ICE"]
        return [
            Section(
                heading=t(lang, "experiments.backlog_heading"),
                parts=[Table(columns=header, rows=rows)],
            )
        ]

    def _alike_section(
        self, team: str, thread_key: str, subject: Subject, lang: str
    ) -> list[Section]:
        """A plan's section on the team's tests about the same change (run or running) and the
        test running on the same page; [] when there is none."""
        busy = [
            r
            for r in self.running(team)
            if subject.page_key
            and r.get("page_key") == subject.page_key
            and r.get("thread_key") != thread_key
        ]
        lines = [
            t(
                lang,
                "experiments.similar_running"
                if r["status"] == "running"
                else "experiments.similar_ran",
                line=line(r, lang),
            )
            for r in self.similar(team, subject, thread_key)
            if r not in busy
        ]
        lines += [t(lang, "experiments.page_busy", line=line(r, lang)) for r in busy]
        if not lines:
            return []
        return [
            Section(
                heading=t(lang, "experiments.heading"),
                parts=["\n".join(f"- {x}" for x in lines)],
            )
        ]

    def _marked(self, team: str, table: Table, column: int, lang: str) -> Table:
        """``table`` with a column "already tested": for each row's idea (in ``column``), the most
        alike test the team ran, with its outcome, or a dash."""
        tried = self._tried(team)  # read once for every idea of the table
        marks = [next(iter(alike(idea_subject(row[column]), tried)), None) for row in table.rows]
        return Table(
            columns=table.columns + [t(lang, "experiments.already_tested")],
            rows=[
                row + [f"{label(m)} : {outcome(m, lang)}" if m else "—"]
                for row, m in zip(table.rows, marks)
            ],
        )


def digest(
    rows: list[dict], everything: list[dict], since: date, until: date, lang: str
) -> Deliverable:
    """The learnings digest of the tests finished between ``since`` and ``until`` (``rows``):
    how many finished, won, lost and stayed inconclusive, their compounded lift, and one row per
    test with its learning. ``everything``: every finished test, for the lift since the log began.

    Compounded lift = Π(1 + lift of each shipped test whose lift was positive and significant at
    5 %) − 1: a test the team shipped against its figures brings no measured lift; indicative, the
    lifts of tests on different pages and metrics do not strictly add up."""

    def compounded(tests: list[dict]) -> str:
        product = 1.0
        for r in tests:
            if (
                r["status"] == "shipped"
                and (r.get("lift") or 0) > 0
                and r.get("p_value") is not None
                and r["p_value"] < 0.05
            ):
                product *= 1 + r["lift"] / 100
        return f"{'+' if product > 1 else ''}{pct((product - 1) * 100, lang)}"

    count = {s: sum(r["status"] == s for r in rows) for s in FINISHED}
    table = Table(
        columns=["ID", "Test", t(lang, "experiments.result"), "Learnings"],
        rows=[
            [label(r), title(r, lang), outcome(r, lang), r.get("learnings") or "—"] for r in rows
        ],
    )
    sections = (
        [Section(heading=t(lang, "experiments.digest.finished_heading"), parts=[table])]
        if rows
        else [Section(parts=[t(lang, "experiments.digest.none")])]
    )
    return Deliverable(
        agent="experimentation",
        lang=lang,
        path=PATH,
        title=t(
            lang,
            "experiments.digest.title",
            since=date_text(since, lang),
            until=date_text(until - timedelta(days=1), lang),
        ),
        fields=[
            (t(lang, "experiments.digest.finished"), num(len(rows), lang)),
            (t(lang, "experiments.digest.winners"), num(count["shipped"], lang)),
            (t(lang, "experiments.digest.losers"), num(count["rejected"], lang)),
            (t(lang, "experiments.digest.inconclusive"), num(count["inconclusive"], lang)),
            (t(lang, "experiments.digest.lift_week"), compounded(rows)),
            (t(lang, "experiments.digest.lift_all"), compounded(everything)),
        ],
        sections=sections,
        method=t(lang, "experiments.digest.method"),
    )


def digests(store: Store, since: date, until: date) -> list[tuple[str, Deliverable]]:
    """(workspace, digest) for each workspace that finished experiments from ``since`` to
    ``until`` (exclusive), each in the language most of its tests were logged in; [] when none."""
    rows = store.experiments.finished_experiments(since.isoformat(), until.isoformat())
    out = []
    for team in dict.fromkeys(r["team"] for r in rows):
        mine = [r for r in rows if r["team"] == team]
        langs = [r.get("lang") or "fr" for r in mine]
        out.append(
            (
                team,
                digest(
                    mine,
                    store.experiments.experiments(team, FINISHED),
                    since,
                    until,
                    max(set(langs), key=langs.count),
                ),
            )
        )
    return out
