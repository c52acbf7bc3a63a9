"""Follow-ups as operations: a message in a thread after a deliverable, read as what it does to the
previous request.

An operation classifier (scikit-learn logistic regression over the router's word and character
features, ``graph.router``) trained on ``prompts/corpus/followups.jsonl`` (the shared corpus's
``train`` split: 288 French and English follow-ups written outside the project) and the team's
own examples (``prompts/corpus/followups_examples.jsonl``); the ``dev`` split measures it
(``python benchmarks/understanding.py --followups``). C = 30 and character 1-4-grams were chosen
by 5-fold cross validation on the train split (0.83 accuracy), never on ``dev``.

The operation's parameters (a factor, a value, the item added or removed) are read with the number
scanner and the lexicon; :func:`apply` replays the thread's operations on the request's slots, so
"et si on double le budget ?" splits 160 000 € where the request said 80 000 €.
Operation ids and their definitions: the corpus README (scale, change_period, add_item,
remove_item, correct, new_figures, compare, translate, format, explain, constraint, new_request,
acknowledge).
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, cast

from pydantic import BaseModel

from graph.linear import TextModel, text_model
from graph.router import cached, corpus_rows, text_features
from graph.text import fold, stem
from graph.understanding.binding import paired_in_order
from graph.understanding.corrections import corrected
from graph.understanding.dates import MONTHS, PAST_PERIOD_WORDS, find_dates
from graph.understanding.design import asks_sample, names_design, names_split
from graph.understanding.lexicon import PhraseIndex, lexicon, words
from graph.understanding.numbers import scan
from graph.understanding.reader import extra_amount, numbered_arm, understand
from graph.understanding.slots import Understanding
from graph.understanding.structures import (
    extract_ice,
    extract_steps,
    ice_rescore,
    month_before,
    step_sharing,
)

OperationId = Literal[
    "scale",
    "change_period",
    "add_item",
    "remove_item",
    "correct",
    "new_figures",
    "compare",
    "translate",
    "format",
    "explain",
    "constraint",
    "new_request",
    "acknowledge",
]
CORPUS_FILES = ("followups.jsonl", "followups_examples.jsonl")
OPERATION_CONFIDENCE = (
    0.35  # a follow-up operation read less surely than this is routed like any message
)
# The input a bare "double it" scales, by preference: the request's main amount, then its traffic.
MAIN_INPUTS = (
    "budget",
    "amount",
    "spend",
    "daily_traffic",
    "monthly_traffic",
    "visitors",
    "list_size",
    "count",
)
_FACTORS = [
    (
        re.compile(
            r"(?<![a-z])(doubl\w*|twice|x\s?2|2\s?x|(?:deux|2) fois plus|two times (?:more|as))(?![a-z0-9])"
        ),
        2.0,
    ),
    (re.compile(r"(?<![a-z])(tripl\w*|x\s?3|3\s?x|(?:trois|3) fois plus)(?![a-z0-9])"), 3.0),
    (
        re.compile(r"(?<![a-z])(moitie|half|halve\w*|divis\w* par (?:2|deux)|/\s?2)(?![a-z0-9])"),
        0.5,
    ),
]
DATES = ("start_date", "end_date", "date")  # the slot types a period shift moves
DESIGN = "design"  # a scale's target when it changes how a test is computed, not a figure
DESIGN_FOLLOW_UP_WORDS = (
    10  # a follow-up this short naming power, alpha or sides re-runs the test so
)
_DOWN = re.compile(
    r"(?<![a-z])(baiss\w*|moins|less|down|drops?|dropp\w*|reduc\w*|redui\w*|cut\w*|coup\w*|lower|decrease\w*|fall\w*|"
    r"chute\w*|perd\w*|loses?)(?![a-z])|[-−]\s?\d"
)
_UP = re.compile(
    r"(?<![a-z])(hausse|augment\w*|increase\w*|rais\w*|rise\w*|boost\w*|improv\w*|amelior\w*|grow\w*|"
    r"up|gagn\w*|monte\w*)(?![a-z])|\+\s?\d"
)
_MORE = re.compile(
    r"(?<![a-z])(de plus|en plus|more|extra|supplementaires?|additional|additionnels?|rajout\w*)(?![a-z])"
)


class Operation(BaseModel):
    """What a follow-up does to the thread's previous request.

    ``op``: the operation id; ``probability``: the classifier's (0-1); for ``scale``, ``factor``
    (x2 for "double", 1.3 for "+30 %"), or ``value`` (the new figure, in the input's unit) or
    ``add`` (an amount added, "20k de plus"), and ``target`` (the slot type scaled, e.g. 'budget',
    'daily_traffic'; None: the request's main amount), or ``item`` with ``factor`` (the funnel
    step whose entry rate is scaled), and ``channel`` (the request's channel the message names,
    "et si TikTok monte à 45 € de CPA": only its figures); for ``add_item`` / ``remove_item``, ``item``
    (the channel as the user named it, or the request's funnel step it names), and for an item
    added with an amount "en plus", ``add`` (what the whole budget grows by); for a
    ``change_period`` that moves the dates ("décale d'une semaine"), ``shift`` (days, negative
    for earlier); for ``translate``, ``lang``; for a ``correct`` made on the
    reading form (graph.nodes.specialists.check_reading), ``start``: where the figure was read in
    the request's text, retyped as ``target``; for a ``new_figures`` that asks the request
    again ("same for google: …") or swaps something in it ("remplace le sms par …"),
    ``rewritten``: the request's text as the message makes it; ``dropped``: a channel of the
    request the same message removes beside a scale or a constraint ("et si on coupe pinterest
    et qu'on met 10 000 € de plus ?", "drop Pinterest and keep 10% in reserve"); ``arm``: the A/B arm whose figure a value replaces ("and if B had 380
    instead?"); ``text``: the message."""

    op: OperationId
    probability: float
    factor: float | None = None
    value: float | None = None
    add: float | None = None
    target: str | None = None
    item: str | None = None
    channel: str | None = None
    lang: str | None = None
    start: int | None = None
    shift: float | None = None
    rewritten: str | None = None
    dropped: str | None = None
    arm: str | None = None
    text: str = ""


def examples() -> list[tuple[str, str]]:
    """(message, operation) pairs to learn from: every non-``dev`` line of ``prompts/corpus``'s
    follow-up files."""
    return [(row["message"], row["operation"]) for row in corpus_rows(CORPUS_FILES)]


def train(rows: list[tuple[str, str]]) -> TextModel:
    """TF-IDF over stems and stem pairs plus character 1-4-grams of the number-shaped text, then a
    class-balanced logistic regression (C = 30), fitted with scikit-learn and kept as arrays."""
    from sklearn.linear_model import LogisticRegression  # training only: slow to import

    features = text_features((1, 4), min_df=1)
    matrix = features.fit_transform([text for text, _ in rows])
    model = LogisticRegression(C=30.0, max_iter=3000, class_weight="balanced")
    return text_model(features, [model.fit(matrix, [op for _, op in rows])])


@lru_cache(maxsize=1)
def operation_model() -> TextModel:
    """The operation classifier of this process, trained once and cached on disk (graph.router.cached)."""
    return cached("followups", lambda: train(examples()), __file__)


def classify(message: str) -> tuple[OperationId, float]:
    """The most probable operation of ``message`` and its probability."""
    model = operation_model()
    probs = model.predict_proba([message])[0]
    best = int(probs.argmax())
    return cast(OperationId, str(model.classes_[best])), float(probs[best])  # a trained class


ASIDE_OPERATIONS = (
    "scale",
    "remove_item",
    "add_item",
    "change_period",
    "compare",
    "explain",
    "translate",
    "format",
    "constraint",
    "new_figures",
)
ASIDE_CONFIDENCE = 0.7  # a message read this surely as one of them is no question about the wait


def is_aside(message: str, request: str) -> bool:
    """Whether ``message``, written while a human decision is awaited on the deliverable of
    ``request`` (the thread's request text), asks something more of that deliverable (a what-if,
    an explanation, a translation, new figures: one of ``ASIDE_OPERATIONS`` read with
    ``ASIDE_CONFIDENCE`` or more) that can be answered while the decision stays pending."""
    operation = read_operation(message, understand(request))
    return operation.op in ASIDE_OPERATIONS and operation.probability >= ASIDE_CONFIDENCE


def read_operation(message: str, request: Understanding) -> Operation:
    """``message`` read as an operation on ``request`` (the thread's previous request), with its
    parameters (:func:`scale_params`, :func:`named_item`, :func:`asked_language`)."""
    op, probability = classify(message)
    folded = fold(message)
    if _names_setting(folded, request) and (
        len(words(folded)) <= DESIGN_FOLLOW_UP_WORDS or asks_sample(folded)
    ):
        op, probability = (
            "scale",
            1.0,
        )  # "et en unilatéral ?": named, the classifier has no such line
    operation = Operation(op=op, probability=probability, text=message)
    if op == "acknowledge" and "?" in message and len(words(folded)) > 3:
        # "ok cool, and the budget split by channel?": thanks, then something new to do
        return operation.model_copy(update={"op": "new_request"})
    if sure := _worded(operation, folded, request):
        return sure
    if month_before(request.raw.split("\n")[-1], message) and len(scan(folded)) >= 2:
        # "et en octobre on avait 7 900 €, …" after November's: the month before, compared (a
        # later month's figures are newer ones: new_figures, as the corpus labels them)
        return operation.model_copy(update={"op": "compare", "probability": 1.0})
    if armed := _numbered_arm_figure(message, request):  # "et si visuel 2 avait fait 230 clics ?"
        return operation.model_copy(update={"op": "scale", "probability": 1.0, **armed})
    step = improved_step(message, request)
    if (
        step
        and op in ("scale", "remove_item", "add_item")
        and (
            factor := step_count_factor(message, request, step)
            or step_factor(message, request, step)
        )
    ):  # a step of the request given a count ("say checkout start goes to 2,400": the later
        # steps at their rates) or a rate ("improve add to cart → checkout by 5 points", an
        # "add" that adds no step): sure, whatever the classifier read
        update = {"op": "scale", "factor": factor, "item": step, "probability": 1.0}
        return operation.model_copy(update=update)
    if op == "scale":
        return _scale_operation(operation, message, request, step)
    if op in ("add_item", "remove_item"):
        return _item_operation(operation, request)
    if op == "constraint":  # "drop Pinterest and keep 10% in reserve": the channel goes too
        return operation.model_copy(update={"dropped": dropped_channel(message, request)})
    if op == "change_period":
        return operation.model_copy(update={"shift": shift_days(message)})
    if op == "translate":
        return operation.model_copy(update={"lang": asked_language(message)})
    if op == "correct" and (rewritten := corrected(message, request.raw)):
        return operation.model_copy(update={"rewritten": rewritten})
    return operation


def _scale_operation(
    operation: Operation, message: str, request: Understanding, step: str | None
) -> Operation:
    """A 'scale' read with its parameters (:func:`scale_params`): a setting named, a funnel
    step's rate or top, a version's figure, a channel; or new figures when nothing of the
    request is scaled ("on a 3 000 visiteurs par jour")."""
    params = scale_params(message, request)
    if params.get("target") == DESIGN:  # "and with 99% confidence?": no figure of its own
        return operation.model_copy(update=params)
    if step and (factor := params.get("factor")):
        # "et si on améliore le passage panier -> checkout de 20 %": the step's rate × 1.2
        return operation.model_copy(update={"factor": factor, "item": step})
    if not step and (top := _funnel_top(message, request, params)):
        return operation.model_copy(update={"item": top[0], "factor": top[1]})
    level = params.get("value") is not None and params.get("target") is None and "%" in message
    if (
        _sets_a_share(message, request)
        or _per_arm(message)
        or _traffic_for_arms(message, request)
        # "et si le churn passe à 2,5 % ?": a figure of the request named, set to a level
        or (_new_measure(message, request) and not request.first(params.get("target") or ""))
        or _restates(message, request)
        or level  # a rate set to a level the request does not name: the message's own words
        # "and if SQL→customer goes to 30%?": a stage's rate, no rate of the request named
        or (_no_rate_named(params, request) and sets_a_rate(message, request))
        or (params.get("target") is None and not _scalable(request))
    ):
        # a share newly set, or nothing to scale ("on a 3 000 visiteurs par jour"): a new figure
        return operation.model_copy(update={"op": "new_figures"})
    dropped = dropped_channel(message, request)
    channel = named_channel(message, request)
    update: dict = {"channel": None if channel == dropped else channel, "dropped": dropped}
    if armed := _arm_value(message, request, params):
        update["probability"] = 1.0  # "and if hero 1 had 300 signups?": a version's figure
    return operation.model_copy(update=params | update | armed)


def _worded(operation: Operation, folded: str, request: Understanding) -> Operation | None:
    """The operation a follow-up's own words make sure of, whatever the classifier read: a touch
    swapped or removed by its rank, the request asked again for something else or with a swap,
    a sequence respaced or given a number of messages, money moved between two of its channels;
    None otherwise."""
    message = operation.text
    if RANKED_SWAP.search(folded) or RANKED_REMOVE.search(folded) or DAY_REMOVE.search(folded):
        # "remplace le 4e email par un appel", "remove the 3rd email", "drop the day 5 one": the
        # touch read by its rank or its delay
        return operation.model_copy(update={"op": "new_figures", "probability": 1.0})
    if rewritten := (
        same_for(message, request.raw)
        or replaced(message, request.raw)
        or same_on_channel(message, request.raw)
    ):
        said = _SAME_FOR.match(folded)
        if said and (
            PAST_PERIOD_WORDS.fullmatch(said["what"].strip())
            or _another_period(said["what"], request)
        ):
            # "same for last month: 190,000 impressions, …": the past period, set beside this one
            return operation.model_copy(update={"op": "compare", "probability": 1.0})
        # "same for google: €18k, 410 purchases", "remplace le sms par une notification push"
        update = {"op": "new_figures", "probability": 1.0, "rewritten": rewritten}
        return operation.model_copy(update=update)
    if MOVE.search(folded) and len(set(channels_named(message, request.channels()))) == 2:
        # "shift 5k from LinkedIn to Meta": money moved between two of the request's channels
        return operation.model_copy(update={"op": "constraint", "probability": 1.0})
    if (
        # "et si la facilité du chatbot passe à 7 ?": the backlog scored again, that idea changed
        (ice_rescore(folded) and extract_ice(request.raw))
        # "what about clicks?", "et sur les clics seulement ?": the test read on another outcome
        or asked_outcome(folded, request)
        # "make it 5 days between emails instead": a new setting of the sequence the thread timed
        or (SPACING.search(folded) and len(request.all("delay")) >= 2)
        # "what if we cut to 2 sends a month?": the send plan's cadence, said again
        or (
            CADENCE.search(folded)
            and (CADENCE.search(fold(request.text)) or PERIODIC.search(fold(request.text)))
        )
    ):
        return operation.model_copy(update={"op": "new_figures", "probability": 1.0})
    if operation.op not in ("add_item", "remove_item") and request.first("touches"):
        if (count := touch_count(folded)) is not None:
            # "can you make it 3 emails?", "make it 4": the sequence's messages, set; with a
            # length too ("passe à 6 emails sur 4 semaines"), both are the sequence's new figures
            if understand(message).first("duration"):
                return operation.model_copy(update={"op": "new_figures", "probability": 1.0})
            update = {"op": "scale", "value": count, "target": "touches", "probability": 1.0}
            return operation.model_copy(update=update)
    return None


_ON_OUTCOME = re.compile(
    r"(?<![a-z])(?:sur|on|by|par|en|about|for|pour)\s+(?:les\s+|the\s+|le\s+)?"
    r"(?P<what>clics?|clicks?|commandes?|orders?|ventes?|sales)(?![a-z])"
)


def asked_outcome(
    folded: str, request: Understanding, visitors: dict[str, float] | None = None
) -> dict[str, float]:
    """{arm: count} of the outcome the folded text asks a test to be read on ("lequel gagne sur
    les clics ?", "what about clicks?") when arms A and B each give it, or, given each arm's
    ``visitors`` (sends), its click rate ("what about clicks: 1.9% vs 2.3%?" on 20 000 sends:
    380 and 460); {} otherwise."""
    said = _ON_OUTCOME.search(folded)
    if said is None:
        return {}
    measure = "clicks" if said["what"].startswith("cli") else "orders"
    counts = {
        str(s.arm): float(s.value)
        for s in request.all(measure, any_arm=True)
        if s.arm in ("A", "B")
    }
    if set(counts) != {"A", "B"} and visitors and measure == "clicks":
        counts = {
            str(s.arm): round(float(s.value) / 100 * visitors[str(s.arm)])
            for s in request.all("ctr", any_arm=True)
            if s.arm in visitors
        }
    return counts if set(counts) == {"A", "B"} else {}


# a verb that moves money from one channel to another ("remet les 9k de TikTok sur Google")
MOVE = re.compile(
    r"(?<![a-z])(?:remet\w*|remett\w*|met|mets|mettre|move\w*|shift\w*|transf[eè]r\w*|bascul\w*|"
    r"put\w*|reaffect\w*|realloc\w*|realloue\w*|deplac\w*|redirig\w*|redirect\w*)(?![a-z])"
)


def channels_named(message: str, ours: list[str]) -> list[str]:
    """The channels among ``ours`` the message names ("Google" for "Google Ads"), in the
    message's order."""
    return [
        c
        for name in understand(message).channels()
        for c in dict.fromkeys(ours)
        if fold(name) in fold(c) or fold(c) in fold(name)
    ]


_QUARTER = re.compile(r"(?<![a-z0-9])([qt][1-4])(?![a-z0-9])")


def _another_period(what: str, request: Understanding) -> bool:
    """Whether ``what`` ("septembre", "Q2") names a month or quarter other than the one the
    request names ("KPIs octobre …" then "même chose pour septembre : …"): figures to set beside
    the request's, not to replace them."""
    said, earlier = words(what), words(request.text)
    months = [MONTHS[w] for w in said if w in MONTHS]
    if months:
        before = {MONTHS[w] for w in earlier if w in MONTHS}
        return bool(before) and months[0] not in before
    quarter = _QUARTER.search(fold(what))
    quarters = {q[1:] for q in _QUARTER.findall(request.text)}
    return quarter is not None and bool(quarters) and quarter[1][1:] not in quarters


def _item_operation(operation: Operation, request: Understanding) -> Operation:
    """An add or a removal with its item: the channel or the request's funnel step named; an
    amount added with no item goes to the budget; an item added with an amount "en plus" grows
    the budget by it."""
    message, folded, op = operation.text, fold(operation.text), operation.op
    item = named_item(message, request, op == "remove_item")
    step = named_step(message, request) if op == "remove_item" else None
    if step and (item is None or fold(item) in fold(step)):
        item = step  # "remove email confirmation": the step 'email confirmed', not the channel
    if item is None and op == "remove_item":  # "remove the exit popup": an idea of the backlog
        item = next(
            (i["idea"] for i in extract_ice(request.raw) or () if fold(i["idea"]) in folded), None
        )
    if item is None and op == "add_item" and (added := _added_amount(message, request)):
        return operation.model_copy(update=added)  # "on ajoute 5 k€": to the budget
    if (
        item is not None
        and op == "add_item"
        and (_MORE.search(folded) or _NEW_BUDGET.search(folded))
    ):
        # "ajoute tiktok avec 5k€ en plus", "add a Meta retargeting budget of $3k": the item's
        # amount, and the budget grows by it
        return operation.model_copy(update={"item": item, "add": _money_said(folded, request)})
    return operation.model_copy(update={"item": item})


_TRAFFIC = (
    None,
    "visitors",
    "sessions",
    "daily_traffic",
    "monthly_traffic",
)  # None: the step named

# "add a Meta retargeting budget of $3k", "ajoute un budget de 3k sur Meta": new money
_NEW_BUDGET = re.compile(r"(?<![a-z])(?:a|an|un|une)\s+(?:[a-z-]+\s+){0,3}budget\s+(?:of|de)\s")


def _funnel_top(message: str, request: Understanding, params: dict) -> tuple[str, float] | None:
    """(first step, factor) when a scale follow-up that names no step's rate (its ``params``:
    :func:`scale_params`) changes the traffic a listed funnel starts from ("refais avec 60 000
    visites et les mêmes taux" over 48 000: 1.25; "+30 % de trafic"): the first step scaled, the
    later steps at their own rates; None otherwise."""
    steps = extract_steps(request.raw) or []
    counts = [n for _, n in steps]
    if (
        len(steps) < 2
        or counts != sorted(counts, reverse=True)
        or any(s.currency for s in request.slots)
    ):
        return None  # "45 000 visites, 1 125 commandes et 78 750 € de CA": figures, no funnel
    label, count = steps[0]
    if params.get("target") not in _TRAFFIC:
        return None
    if params.get("target") is None and fold(label) not in fold(message):
        return None  # a scale naming neither the traffic nor the first step is not the funnel's
    if params.get("factor"):
        return label, float(params["factor"])
    if params.get("value") and "%" not in message and count:
        return label, float(params["value"]) / count
    return None


SHARES = ("traffic_share", "budget_share")  # a percentage that is a setting, not a factor


def _sets_a_share(message: str, request: Understanding) -> bool:
    """Whether the follow-up gives a share the request did not ("et si on passe à 50 % du trafic
    dans le test ?"): a new figure for the same analysis, not a multiplier of one."""
    said = {s.type for s in understand(message).slots}
    return any(t in said and not request.first(t) for t in SHARES)


def _added_amount(message: str, request: Understanding) -> dict | None:
    """The scale an "add" of an amount makes ("on ajoute 5 k€": 5 000 added to the budget), or
    None when the message adds no amount in money or the request has nothing to add it to."""
    if not any(q.unit == "€" for q in scan(fold(message))) or not _scalable(request):
        return None
    added = scale_params(message, request)
    if added.get("value") is None:
        return None
    return {"op": "scale", "add": added["value"], "target": added["target"]}


def _money_said(folded: str, request: Understanding) -> float | None:
    """The amount a follow-up gives, in the request's currency: a figure with a currency, or one
    written in k or M ("avec 2k en plus") when the request has an amount to add it to."""
    for q in scan(folded):
        if q.value and (
            q.unit == "€"
            or (_scalable(request) and q.value >= 1000 and re.search(r"\d\s?[km]\b", q.raw))
        ):
            return float(q.value)
    return None


def _restates(message: str, request: Understanding) -> bool:
    """Whether the follow-up gives new values of two of the request's figures or more ("and if
    we clean the list down to 30k engaged contacts with 35% opens?"): new figures, not a factor."""

    def figures(u: Understanding) -> set[str]:
        return {s.type for s in u.slots if not s.generic and isinstance(s.value, (int, float))}

    return len(figures(understand(message)) & figures(request)) >= 2


def _per_arm(message: str) -> bool:
    """Whether the follow-up gives figures for two arms ("if we only count paid conversions: A 61,
    B 64"): each arm's new figure, not one figure scaled or set."""
    return len({s.arm for s in understand(message).slots if s.arm}) >= 2


def _new_measure(message: str, request: Understanding) -> bool:
    """Whether the follow-up names a figure of a measure the request has none of and a bare
    scale would not reach ("et si on teste 3 variantes au lieu d'une ?" after a test plan: the
    number of variants, not 3 visitors a day): a new figure for the request. The figure of a
    multiplier ("2 fois plus de trafic") is none."""
    if any(pattern.search(fold(message)) for pattern, _ in _FACTORS):
        return False
    present = {s.type for s in request.slots}
    typed = [s for s in understand(message).slots if not s.generic and isinstance(s.value, float)]
    return bool(typed) and all(s.type not in present and s.type not in MAIN_INPUTS for s in typed)


def _traffic_for_arms(message: str, request: Understanding) -> bool:
    """Whether the follow-up gives a traffic per day or month to a request whose A/B arms have
    their visitors ("et si on avait 200k sessions par mois ?" after a readout): what shipping is
    worth at that traffic, not the arms' visitors scaled."""
    return any(s.arm and s.type == "visitors" for s in request.slots) and any(
        s.type in ("daily_traffic", "monthly_traffic") and not s.arm
        for s in understand(message).slots
    )


def _scalable(request: Understanding) -> bool:
    """Whether the request has a figure a bare scale applies to (one of MAIN_INPUTS)."""
    return any(s.type in MAIN_INPUTS for s in request.slots)


def _names_setting(folded: str, request: Understanding) -> bool:
    """Whether a follow-up's folded text sets how the request's test is computed: its power,
    alpha or sides, or, after a test plan (an MDE in the request), its traffic split ("50/50"),
    or, after a readout (figures by arm), asks the visitors it needs ("how many sessions would
    we have needed?")."""
    return (
        names_design(folded)
        or (names_split(folded) and request.first("mde") is not None)
        or (asks_sample(folded) and any(s.arm for s in request.slots))
    )


def scale_params(message: str, request: Understanding) -> dict:
    """{'factor' | 'value' | 'add', 'target'} of a scale follow-up: a multiplier word ("double",
    "la moitié", "x3"), a signed or directed percentage ("+30 %", "traffic drops 20%"; a signed
    one naming nothing after a test plan is its effect: "et pour +25 % ?"), an amount
    added ("20k de plus"), else the new figure itself ("avec 60k visites", "budget à 120k").
    ``target``: the request's slot type the message names (its lexicon words), else None;
    :data:`DESIGN` when it names the test's power, alpha or sides ("refais-le à 90 % de
    confiance"): no figure is scaled and the words are read by the experimentation builder."""
    folded = fold(message)
    if _names_setting(folded, request):
        return {"target": DESIGN}
    target = named_measure(folded, request)
    for pattern, factor in _FACTORS:
        if pattern.search(folded):
            return {"factor": factor, "target": target}
    figures = [q for q in scan(folded) if q.value]
    percent = next((q for q in figures if q.unit == "%"), None)
    if percent is not None and (
        _a_setting(folded, target, request)
        or _TO_LEVEL.search(folded[: percent.start])
        or _SHARE_OF.match(folded, percent.start)
    ):  # "what about a 10% MDE?", "et si on monte le taux d'inscription des invités à 30 % ?"
        return {"value": float(percent.value), "target": target}
    detect = percent is not None and _TO_DETECT.search(folded[: percent.start])
    if (
        percent is not None
        and (percent.signed or detect)
        and target in (None, "mde")
        and request.first("mde")
    ):
        # "il faut combien de temps pour voir +15 % ?" then "et pour +25 % ?", "et si on se
        # contente de détecter +20 % ?": the effect to detect, set (not the effect × 1.2)
        return {"value": abs(float(percent.value)), "target": "mde"}
    if percent is not None:
        sign = -1 if _DOWN.search(folded) or percent.value < 0 else 1
        return {"factor": 1 + sign * abs(percent.value) / 100, "target": target}
    typed = [
        s for s in understand(message).slots if not s.generic and isinstance(s.value, (int, float))
    ]
    if typed and not target and typed[0].type in {s.type for s in request.slots}:
        target = typed[0].type
    amount = typed[-1].value if typed else (figures[-1].value if figures else None)
    if amount is None:
        return {"target": target}
    return {"add" if _MORE.search(folded) else "value": float(amount), "target": target}


# "détecter +20 %", "to detect 15%": the effect a test plan is asked to see
_TO_DETECT = re.compile(r"(?<![a-z])(?:detect\w*|voir|see|spot|reperer)\s*(?:un\s+|une\s+|a\s+)?$")
_TO_LEVEL = re.compile(r"(?<![a-z])(?:a|à|to|at|jusqu'a)\s*$")  # "monte à 30 %": a level, not +30 %


def _a_setting(folded: str, target: str | None, request: Understanding) -> bool:
    """Whether a follow-up's percentage is the new value of a measure in % ("what about a 10%
    MDE?", "et si le taux de base est de 3 % ?"), not a change of it ("+20 %", "drops by 30%")."""
    unit = next((s.unit for s in request.slots if s.type == target), None)
    return unit == "%" and not (_DOWN.search(folded) or _UP.search(folded))


@lru_cache(maxsize=1)
def _measure_index() -> PhraseIndex:
    return PhraseIndex({p: name for name, m in lexicon().measures.items() for p in m.words})


_IF_OPENS = re.compile(
    r"^\s*(?:(?:and|et|so|alors|ok|mais|but)\s+)?(?:if|si|what if|what about if)\s"
)
_NOT_NAMING = frozenset(
    "and if what the our of et si la le les du de des notre nos goes go went passe passait monte "
    "is est we on it to a".split()
)


def _no_rate_named(params: dict, request: Understanding) -> bool:
    """Whether the scale's parameters name no percentage of the request ("and if SQL→customer
    goes to 30%?" names the customers, a count, not the rate leading to them)."""
    named = request.first(params["target"]) if params.get("target") else None
    return named is None or named.unit != "%"


def sets_a_rate(message: str, request: Understanding) -> bool:
    """Whether a what-if sets one of the request's rates to a level ("and if MQL→SQL goes to
    50%?" after "lead→MQL is 30%, MQL→SQL 40% …"): it opens with "if"/"et si", gives a
    percentage, and the words before it share a word with those before a percentage of the
    request (the rate's stage or name)."""
    folded = fold(message)
    level = next((q for q in scan(folded) if q.unit == "%"), None)
    if level is None or not _IF_OPENS.match(folded):
        return False
    said = set(words(folded[: level.start])) - _NOT_NAMING
    return any(
        said & set(words(request.text[max(0, s.start - 30) : s.start]))
        for s in request.slots
        if s.unit == "%"
    )


def named_measure(folded: str, request: Understanding) -> str | None:
    """The first measure of the lexicon ``folded`` names that the request has a figure for."""
    present = {s.type for s in request.slots}
    for _, _, name in _measure_index().find_all(words(folded)):
        if name in present:
            return name
    return None


def named_item(message: str, request: Understanding, existing: bool) -> str | None:
    """The channel a follow-up adds or removes, as named: for a removal, the request's own name
    for it (Google and Google Ads are one channel); None when no channel is named."""
    said = [s for s in understand(message).slots if s.type == "channel"]
    if not said:
        return None
    if not existing:
        return said[0].value
    groups = {s.unit or fold(s.value): s.value for s in request.slots if s.type == "channel"}
    return groups.get(said[0].unit or fold(said[0].value), said[0].value)


_STEP_NOISE = {"etape", "step", "stage", "the", "les", "des", "pas", "sans", "without", "enleve"}


def improved_step(message: str, request: Understanding) -> str | None:
    """The request's funnel step whose entry rate a scale follow-up changes ("et si on améliore le
    passage panier -> checkout de 20 %" names 'checkout'): of the steps the message names (every
    word stem of the label in it), the latest in the funnel, or the one after it when the named
    step "converts at" a rate; None when it names none, or names the first step (more traffic
    scales every step, a scale of the main figure)."""
    steps = [label for label, _ in extract_steps(request.raw) or []]
    named = [i for i, label in enumerate(steps) if _names(fold(message), label)]
    if named and _CONVERTS.search(fold(message)) and max(named) + 1 < len(steps):
        return steps[max(named) + 1]  # "checkout converts at 80%": the rate out of checkout
    return steps[max(named)] if named and max(named) > 0 else None


# "it converts at 80%", "le checkout convertit à 80 %": the rate out of the step named
_CONVERTS = re.compile(r"(?<![a-z])(?:convert\w*|converti\w*)\s+(?:at|a)\s*(\d+(?:[.,]\d+)?)\s*%")


def _akin(a: str, b: str) -> bool:
    """Two word stems of one word family: equal, or sharing their first six letters ("attendees"
    and "attendance")."""
    return a == b or (len(a) >= 6 and len(b) >= 6 and a[:6] == b[:6])


_SET_TO = re.compile(r"(?<![a-z])(?:up to|to|a|jusqu'?\s?a|reach|hit)\s*(\d+(?:[.,]\d+)?)\s*%")
# "get 60% of carts to checkout", "60 % des paniers passent au checkout": a share, a level
_SHARE_OF = re.compile(
    r"(?<![\d.,+-])(\d+(?:[.,]\d+)?)\s*%\s*(?:of|des|du)\s+(?:the\s+|our\s+|nos\s+)?[a-z]"
)


_BY_POINTS = re.compile(
    r"(?:de|by|\+|up|gagne|gains?)\s*(\d+(?:[.,]\d+)?)\s*(?:points?|pts?|pp)(?![a-z])"
)


def step_factor(message: str, request: Understanding, step: str) -> float | None:
    """The factor of ``step``'s entry rate a follow-up sets it to ("what if we get attendance up
    to 50%?": 50 % over today's 980 / 2 400) or raises it by ("de 5 points": (30,5 + 5) / 30,5);
    None when the message sets no rate."""
    folded = fold(message)
    rate = _SET_TO.search(folded) or _CONVERTS.search(folded) or _SHARE_OF.search(folded)
    points = _BY_POINTS.search(fold(message))
    steps = extract_steps(request.raw) or []
    at = next((i for i, (label, _) in enumerate(steps) if label == step), 0)
    if (rate or points) is None or at == 0 or not steps[at - 1][1]:
        return None
    today = steps[at][1] / steps[at - 1][1] * 100
    if not today:
        return None
    if rate is not None:
        return float(rate[1].replace(",", ".")) / today
    raised = float(points[1].replace(",", ".")) if points else 0.0  # "de 5 points": 30,5 → 35,5 %
    return (today + raised) / today


_GOES_TO = re.compile(
    r"(?<![a-z])(?:goes|go|went|gets|get|rises|climbs|passe|passait|monte|arrive)\s+(?:up\s+)?(?:to|a)\s*$"
)


# sends a period: "4 sends a month", "2 envois par mois", "deux fois par semaine", "twice a week"
CADENCE = re.compile(
    r"(?:(\d+|deux|trois|quatre|two|three|four)\s*(?:envois?|emails?|mails?|newsletters?|"
    r"infolettres?|sends?|campagnes?|campaigns?|fois|times)|(?<![a-z])(twice|once))"
    r"\s*(?:par|per|/|a|an?)\s*(mois|month|semaine|week)"
)
_TIMES = {"twice": 2, "once": 1}
# "weekly newsletter", "infolettre mensuelle": a cadence said without a count
PERIODIC = re.compile(r"(?<![a-z])(?:weekly|hebdo\w*|monthly|mensuel\w*|biweekly)(?![a-z])")


def cadence_of(found: re.Match) -> tuple[int, bool]:
    """(sends, whether a week rather than a month) of a :data:`CADENCE` match."""
    said = found[1] or found[2]
    count = int(said) if said.isdigit() else _TIMES.get(said) or _COUNT_WORDS[said]
    return count, found[3] in ("semaine", "week")


SPACING = re.compile(
    r"(?<![a-z0-9])(?:(\d+)\s*(?:days?|jours?|j)\s+(?:between|entre|apart)|"
    r"(?:every|tous les|toutes les|espace\w* de|spaced by)\s+(\d+)\s*(?:days?|jours?|j)\b)"
)  # the days between a sequence's messages: group 1 or 2
_SAME_FOR = re.compile(
    r"^\W*(?:(?:the\s+)?same|do the same|pareil|idem|meme chose|fais pareil|fais la meme chose|"
    r"and|et)\s+(?:for|pour)\s+(?P<what>[^:,\d]{2,40}?)\s*[:,-]"
)


# "same with 9,800€ spend and 290 conversions for meta", "pareil avec 8 000 € pour Meta"
_SAME_WITH = re.compile(
    r"^\W*(?:(?:the\s+)?same|do the same|pareil|idem|meme chose|fais pareil)\s+(?:with|avec)\s+"
    r".*\s(?:for|pour)\s+(?P<what>[a-z][^:,\d]{1,40}?)\s*[?.!]*\s*$"
)


def same_for(message: str, request: str) -> str | None:
    """The request asked again for something else with its own figures ("same for google: €18k,
    410 purchases, AOV €65" after "we spent €24k on Meta … for 380 purchases, AOV €72. ROAS and
    CPA?", "same with 9,800€ spend and 290 conversions for meta"): the request's text with each
    figure replaced by the message's figure of the same unit
    and currency, in order, and its one channel by what the message names; None unless the
    message says so and gives two figures or more, each pairing with one of the request's."""
    said = _SAME_FOR.match(fold(message)) or _SAME_WITH.match(fold(message))
    if not said:
        return None
    asked = understand(request)
    mine = [s for s in asked.slots if isinstance(s.value, float)]
    theirs = [s for s in understand(message).slots if isinstance(s.value, float)]
    pairs = paired_in_order(mine, theirs)
    if len(theirs) < 2 or len(pairs) < len(theirs):
        return None
    out, at = request, 0
    for old, new in pairs:
        where = out.find(old.evidence, at)
        if where < 0:
            return None
        out = out[:where] + new.evidence + out[where + len(old.evidence) :]
        at = where + len(new.evidence)
    channels = list(dict.fromkeys(asked.channels()))
    named = [c for c in asked.slots if c.type == "channel"]
    if len(channels) == 1 and named:
        out = out.replace(named[0].evidence, said["what"].strip(), 1)
    return out


# "remplace le 2e email par un appel": a touch swapped by its rank (graph.deliverables.automation)
ORDINALS = {
    **dict.fromkeys(("1", "premier", "first"), 1),
    **dict.fromkeys(("2", "deuxieme", "second"), 2),
    **dict.fromkeys(("3", "troisieme", "third"), 3),
    **dict.fromkeys(("4", "quatrieme", "fourth"), 4),
    **dict.fromkeys(("5", "cinquieme", "fifth"), 5),
    **dict.fromkeys(("dernier", "last"), -1),
}
# a touch named by its rank ("le 2e email", "the last message"): the rank, then the kind of touch
_RANK = rf"(?:le |la |the )?({'|'.join(ORDINALS)})(?:e|er|eme|st|nd|rd|th)?"
_TOUCH = r"(?P<what>e-?mails?|mails?|messages?|touch(?:es)?|relances?|sms|push)"
# "le 2e email", "the last message": a touch by its rank (ORDINALS[group 1], -1 for the last)
RANKED_TOUCH = re.compile(_RANK + r"\s+(?:" + _TOUCH + r"|one)(?![a-z])")  # "the first one"
_TOUCH_COUNT = re.compile(
    r"(?<![\d.,])(?P<n>\d{1,2})\s*-?\s*" + _TOUCH + r"(?![a-z])"
    r"|(?:make it|passe a|passe-la a|plutot|fais-en|go with|only)\s+(?P<m>\d{1,2})\s*[?!.]*$"
)


def touch_count(folded: str) -> float | None:
    """The number of messages a follow-up gives a sequence ("can you make it 3 emails?", "make
    it 4", "plutôt 5 relances"), or None."""
    found = _TOUCH_COUNT.search(folded)
    return float(found.group("n") or found.group("m")) if found else None


RANKED_SWAP = re.compile(  # the touch's kind may go unsaid: "remplace le 3e par un SMS"
    r"(?:remplace\w*|replace|swap|change|transforme|mets|met|passe|put|make|switch|bascule)\s+(?:"
    + _RANK
    + r"(?:\s+(?:"
    + _TOUCH
    + r"|one))?"
    # "remplace l'email 3 par un SMS", "replace email #2 with a call": the kind, then the rank
    r"|(?:l'|le |la |the )?(?P<kind>e-?mails?|mails?|messages?|sms|push|relances?)\s*"
    r"(?:n°|#|no\.?)?\s*(?P<n>[1-5])(?![\d%]))"
    r"\s+(?:par|with|by|en|to|into|for|on|as|via|sur)\s+(?:un |une |a |an )?"
    r"(?P<new>[a-z' -]{2,30}?)\s*(?:[.?!,]|$|(?:plutot|instead|rather|au lieu)(?![a-z]))"
)  # "mets le dernier en LinkedIn plutôt qu'en email"
# "remove the 3rd email", "supprime l'email 3": a touch dropped by its rank
RANKED_REMOVE = re.compile(
    r"(?:remove|drop|delete|cut|skip|supprime\w*|enleve\w*|retire\w*|vire\w*)\s+(?:"
    + _RANK
    + r"\s+"
    + _TOUCH
    + r"|(?:l'|le |la |the )?(?P<kind>e-?mails?|mails?|messages?|sms|push|relances?)\s*"
    r"(?:n°|#|no\.?)?\s*(?P<n>[1-5])(?![\d%]))"
)
# "drop the day 5 one", "supprime celui de J+5": a touch dropped by its delay in days
DAY_REMOVE = re.compile(
    r"(?:remove|drop|delete|cut|skip|supprime\w*|enleve\w*|retire\w*|vire\w*)\b[^.?!]{0,25}?"
    r"(?:(?:day|jour)\s*|(?<![a-z])[jd]\s*\+\s*)(?P<day>\d{1,2})(?!\d)"
)
# "ajoute un sms entre le 2e et le 3e email", "add a call after the 2nd email": a touch placed by
# the ranks of the touches around it (graph.deliverables.automation)
RANKED_ADD = re.compile(
    r"(?:ajout\w*|add\w*|insere\w*|insert\w*|rajout\w*)\s+(?:un |une |a |an )?"
    r"(?P<new>[a-z' -]{2,30}?)\s+(?:(?:entre|between)\s+"
    + _RANK
    + r"\s+(?:et|and)\s+"
    + _RANK
    + r"|(?:apres|after)\s+"
    + _RANK
    + r")\s*"
    + _TOUCH
    + "?"
)


_REPLACE = re.compile(
    r"^\W*(?:(?:et|and|ok|bon)\s+)?(?:remplace\w*|replace|swap|switch|change)\s+"
    r"(?:le |la |les |l'|the |our |nos |notre |un |une |a |an )?(?P<old>[^,.;?!]{2,40}?)\s+"
    r"(?:par|with|by|for|contre)\s+(?:un |une |des |a |an |the |le |la )?(?P<new>[^,.;?!]{2,40}?)\s*[.?!]*$",
    re.I,
)


_SAME_ON = re.compile(
    r"^\W*(?:(?:the\s+)?same(?:\s+thing)?|pareil|idem|meme chose)\s+(?:but\s+|mais\s+)?"
    r"(?:for|pour|with|avec|on|sur)\s"
)


def same_on_channel(message: str, request: str) -> str | None:
    """The request asked again on another channel with its own figures ("same but for our 20k SMS
    base" after "black friday email plan: list 85k, …"): the request's text with its one channel
    written as the message names it, and each of its figures the message gives again (same type:
    a list for a list) replaced by the message's; None unless the message says so, names one
    channel the request does not, and each of its figures has a figure of its type to replace."""
    if not _SAME_ON.match(fold(message)):
        return None
    asked, said = understand(request), understand(message)
    theirs = [c for c in said.slots if c.type == "channel"]
    mine = [c for c in asked.slots if c.type == "channel"]
    if len(theirs) != 1 or len({c.value for c in mine}) != 1 or theirs[0].value == mine[0].value:
        return None
    out = request
    for new in (s for s in said.slots if isinstance(s.value, float)):
        old = next((s for s in asked.slots if s.type == new.type and s.arm == new.arm), None)
        if old is None or old.evidence not in out:
            return None
        out = out.replace(old.evidence, new.evidence, 1)
    return re.sub(rf"(?<!\w){re.escape(mine[0].evidence)}(?!\w)", theirs[0].evidence, out)


def replaced(message: str, request: str) -> str | None:
    """The request with what the message swaps ("remplace le sms par une notification push",
    "replace the SMS with a push notification") written in place of each mention of it, in the
    user's words; None unless the message swaps something the request names."""
    swap = _REPLACE.match(message.strip())
    if not swap:
        return None
    old = re.compile(rf"(?<![\w]){re.escape(swap['old'].strip())}(?![\w])", re.I)
    return old.sub(swap["new"].strip(), request) if old.search(request) else None


def step_count_factor(message: str, request: Understanding, step: str) -> float | None:
    """The factor a follow-up sets ``step``'s count by: a count written right after 'goes to',
    'to', 'à', 'were' ("say checkout start goes to 2,400" over today's 1 900: 1.26; "what if we
    got checkout to 800?"), or a count added ("200 more checkouts", "+200 checkouts": (640 + 200)
    / 640); None otherwise."""
    folded = fold(message)
    steps = extract_steps(request.raw) or []
    today = next((n for label, n in steps if label == step), None)
    for q in scan(folded):
        if not (q.unit == "" and q.value > 0 and today):
            continue
        before, after = folded[max(0, q.start - 25) : q.start], folded[q.end : q.end + 20]
        if _GOES_TO.search(before):
            return q.value / today
        # the step named beside its count: "checkout to 800", "160 more checkouts" (not "l'étape
        # checkout à 1 050 entre panier et commande", a step added, named as no step of the request)
        if (q.signed or _MORE_COUNT.match(after)) and _names(after, step):
            return (today + q.value) / today
        if _SET_COUNT.search(before) and _names(before, step):
            return q.value / today
    return None


def _names(words_said: str, step: str) -> bool:
    """Whether the folded ``words_said`` name the funnel ``step``: every stem of its label's
    words of three letters or more is akin to one said (:func:`_akin`); False for a label with
    none."""
    said = {stem(w) for w in words(words_said)}
    stems = {stem(w) for w in words(fold(step)) if len(w) > 2}
    return bool(stems) and all(any(_akin(a, b) for b in said) for a in stems)


_SET_COUNT = re.compile(r"(?<![a-z])(?:to|a|were|was|at|=)\s*$")  # "checkout to 800", "à 800"
_MORE_COUNT = re.compile(r"\s*(?:\w+\s+)?(?:more|extra|de plus|en plus|supplementaires?)(?![a-z])")


def named_step(message: str, request: Understanding) -> str | None:
    """The request's funnel step a removal names, as the request labels it ("et si on enlève
    l'étape fiche produit ?" names 'fiches produit vues'): the step sharing the most word stems
    with the message; None when the request lists no steps or none is named. Steps of people
    are whole counts: "Google (ROAS 5), Meta (ROAS 3,5)" lists channels' returns, no funnel."""
    said = {stem(w) for w in words(fold(message)) if len(w) > 2 and w not in _STEP_NOISE}
    steps = extract_steps(request.raw) or []
    if not all(float(n).is_integer() and n >= 10 for _, n in steps):
        return None
    at = step_sharing(steps, said)
    return None if at is None else steps[at][0]


_COUNT_WORDS = {"un": 1, "une": 1, "a": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3}
_COUNT_WORDS |= {
    "quatre": 4,
    "four": 4,
    "cinq": 5,
    "five": 5,
    "quinze": 15,
}  # "quinze jours": two weeks
_WORD_UNIT = re.compile(
    r"(?<![a-z0-9])(" + "|".join(_COUNT_WORDS) + r")\s+"
    r"(?=(?:jours?|semaines?|mois|days?|weeks?|months?)(?![a-z]))"
)
_EARLIER = re.compile(
    r"(?<![a-z])(avanc\w*|plus tot|earlier|forward|move (?:it )?up|pull (?:it )?in)(?![a-z])"
)


def shift_days(message: str) -> float | None:
    """How far a period change moves the request's dates, in days ("décale d'une semaine": 7,
    "avance de 3 jours": -3, "push it back 2 weeks": 14); None when the message gives a date of
    its own ("décale au 20 mars", read from its text) or no duration."""
    folded = fold(message)
    if find_dates(folded):
        return None
    counted = _WORD_UNIT.sub(lambda m: f"{_COUNT_WORDS[m[1]]} ", folded)
    spans = [q for q in scan(counted) if q.unit == "days" and q.value]
    if not spans:
        return None
    return -spans[0].value if _EARLIER.search(folded) else spans[0].value


_SHORTER = re.compile(
    r"(?<![a-z])(plus court\w*|version courte|courte|raccourci\w*|resume\w*|synthese|short\w*|summar\w*|tl;?dr|"
    r"chiffres cles|key (?:figures|numbers)|l'essentiel|the gist|en bref|briefly)(?![a-z])"
)


_BULLETS = re.compile(  # a count in words as _COUNT_WORDS has it, not "a" nor "quinze"
    r"(?<![a-z\d])(\d|" + "|".join(w for w in _COUNT_WORDS if w not in ("a", "quinze")) + r")"
    r"\s*[- ]?(?:bullets?|bullet points?|points?|puces?|lignes?|lines?|phrases?|sentences?)(?![a-z])"
)


def bullets_asked(message: str) -> int | None:
    """How many bullets a format follow-up asks the deliverable in ("can you make it a 3 bullet
    summary?", "résume en trois points"), or None."""
    said = _BULLETS.search(fold(message))
    if said is None:
        return None
    return int(said[1]) if said[1].isdigit() else _COUNT_WORDS[said[1]]


def asks_summary(message: str) -> bool:
    """Whether a format follow-up asks the deliverable shorter ("tu peux me le faire plus court,
    juste les 3 chiffres clés ?", "shorter please, key figures only", "une version courte")."""
    return bool(_SHORTER.search(fold(message)))


def asked_language(message: str) -> str | None:
    """'en' or 'fr' when the message names the language it wants, else None (the other one)."""
    folded = fold(message)
    if re.search(r"(?<![a-z])(francais\w*|french|francophone)(?![a-z])", folded):
        return "fr"
    if re.search(r"(?<![a-z])(anglais\w*|english|anglophone)(?![a-z])", folded):
        return "en"
    return None


def apply(u: Understanding, operations: list[Operation]) -> Understanding:
    """``u`` with the thread's ``operations`` replayed in order: a scale multiplies, sets or adds
    to its target's figures (the main amount when none is named, see MAIN_INPUTS); a removal
    drops the channel and every figure of it (a funnel step goes to ``removed``, its count with
    it; a scale of a step's entry rate to ``improved``); a period change
    with a ``shift`` moves every date; a correction made on the reading form gives the figure
    read at ``start`` its new type; a scale that changes an A/B arm's figures makes the request
    ``projected``. Other operations work through the text (new figures,
    corrections and added items are read from the follow-up's own words)."""
    slots, removed, improved = [s.model_copy() for s in u.slots], list(u.removed), dict(u.improved)
    projected = u.projected
    for op in operations:
        if op.op == "scale" and op.item and op.factor:
            improved[op.item] = improved.get(op.item, 1.0) * op.factor
        elif op.op == "scale":
            before = [s.value for s in slots if s.arm]
            if op.dropped:  # "et si on coupe pinterest et qu'on met 10 000 € de plus ?"
                removed.append(op.dropped)
                slots = _without(slots, op.dropped, u.text)
            extra = extra_amount(slots, u.text) if op.add is not None and not op.target else None
            if extra is not None:  # "et si c'est 20k de plus ?" after "10k de plus": the new extra
                extra.value = op.add
            else:
                _scale(slots, op)
            projected = projected or before != [s.value for s in slots if s.arm]
        elif op.op == "change_period" and op.shift:
            for slot in slots:
                if slot.type in DATES and isinstance(slot.value, str):
                    day = date.fromisoformat(slot.value) + timedelta(days=op.shift)
                    slot.value = day.isoformat()
        elif op.op == "add_item" and op.add:  # an item's own amount added to the whole
            _scale([s for s in slots if not s.channel], op)
        elif op.op in ("remove_item", "constraint") and (item := op.item or op.dropped):
            removed.append(item)
            slots = _without(slots, item, u.text)
        elif op.op == "correct" and op.start is not None and op.target:
            for slot in slots:
                if slot.start == op.start:
                    slot.type = op.target
    update = {"slots": slots, "removed": removed, "improved": improved, "projected": projected}
    return u.model_copy(update=update)


def _without(slots: list, item: str, text: str) -> list:
    """``slots`` without a removed item: the channel (and its group) with every figure of it, or
    the funnel step's count, written right before or after its label ("3 100 ont invité un
    collègue") in the folded ``text`` the slots index."""
    gone = {
        fold(s.value)
        for s in slots
        if s.type == "channel" and (s.value == item or (s.unit and s.unit == _group(slots, item)))
    }
    gone.add(fold(item))
    step = fold(item)

    def labelled(s) -> bool:
        after = text[s.end : s.end + len(step) + 4].lstrip(" :=")
        before = text[max(0, s.start - len(step) - 4) : s.start].rstrip(" :=")
        return after.startswith(step) or before.endswith(step)

    return [
        s
        for s in slots
        if not (
            (s.type == "channel" and fold(s.value) in gone)
            or (s.channel and fold(s.channel) in gone)
            or (isinstance(s.value, (int, float)) and labelled(s))
        )
    ]


def _group(slots, name: str) -> str | None:
    return next((s.unit for s in slots if s.type == "channel" and s.value == name), None)


_DROP = re.compile(
    r"(?<![a-z])(?:coupe\w*|enleve\w*|retire\w*|supprime\w*|arrete\w*|sans|drop\w*|remove\w*|cut\w*|"
    r"kill\w*|stop\w*|without)\s+(?:le |la |les |l'|the |our |nos |notre )?(?P<what>[a-z][\w -]{1,20})"
)


def dropped_channel(message: str, request: Understanding) -> str | None:
    """The request's channel a scale's or a constraint's message also removes ("et si on coupe
    pinterest et qu'on met 10 000 € de plus ?", "drop Pinterest and keep 10% in reserve":
    Pinterest), as the request names it; None otherwise."""
    for m in _DROP.finditer(fold(message)):
        if channel := named_channel(m["what"], request):
            return channel
    return None


def named_channel(message: str, request: Understanding) -> str | None:
    """The channel of ``request`` (as the request names it) that ``message`` names ("tiktok" for
    the request's "TikTok", "Google" for its "Google Ads": one channel group), else None."""
    said = [s for s in understand(message).slots if s.type == "channel"]
    for slot in request.slots:
        if slot.type == "channel" and any(
            fold(str(s.value)) == fold(str(slot.value)) or (s.unit and s.unit == slot.unit)
            for s in said
        ):
            return str(slot.value)
    return None


_COUNTS = ("visitors", "conversions", "orders")


# "and if B had 380 instead?", "et si la variante avait fait 380 ?": one arm's figure set
_ARM_LETTER = re.compile(
    r"(?<![\w'])(?:([B-D])|(A)(?=\s+(?:had|got|has|was|avait|a eu|a fait|etait|:|=)))(?!\w)"
)
_ARM_WORD = re.compile(
    r"(?<![a-z])(?:(control\w*|temoin|original\w*)|(variant\w*|challenger|version b))(?![a-z])"
)


def _numbered_arm_figure(message: str, request: Understanding) -> dict:
    """{'arm', 'value', 'target'} when a follow-up gives a new figure of a version the request
    named by its number ("et si LP2 n'avait eu que 270 leads ?": B's conversions at 270), of a
    measure that version has; {} otherwise."""
    arm = numbered_arm(fold(message), request.text)
    measures = {s.type for s in request.slots if s.arm == arm and isinstance(s.value, float)}
    said = (s for s in understand(message).slots if s.type in measures and s.arm is None)
    figure = next(said, None) if arm else None
    return {"arm": arm, "value": figure.value, "target": figure.type} if figure else {}


def _arm_value(message: str, request: Understanding, params: dict) -> dict:
    """{'arm', 'target'} when a scale's new value is one A/B arm's ("and if B had 380 instead?"):
    the arm the message names, and of that arm's figures in the request the type closest in
    magnitude to the value (380 is B's 410 conversions, not its 11,900 visitors), or the arm
    alone when the message names the measure ("if the variant had 270 orders"); {} otherwise."""
    value = params.get("value")
    letter, word = _ARM_LETTER.search(message), _ARM_WORD.search(fold(message))
    arm = (letter[1] or letter[2]) if letter else ("A" if word[1] else "B") if word else None
    # "LP2", "variante 2": a version named as the request named it
    arm = arm or numbered_arm(fold(message), request.text)
    own = [s for s in request.slots if s.arm == arm and isinstance(s.value, float) and s.value > 0]
    if value is None or not own or value <= 0:
        return {}
    if target := params.get("target"):  # "what if the variant had 270 orders instead?"
        return {"arm": arm} if any(s.type == target for s in own) else {}
    closest = min(own, key=lambda s: abs(math.log(s.value / value)))
    return {"arm": arm, "target": closest.type}


def _scale(slots: list, op: Operation) -> None:
    """Scale ``op``'s target figures in place (every channel's, for a per-channel measure)."""
    numeric = [
        s for s in slots if isinstance(s.value, (int, float)) and not isinstance(s.value, bool)
    ]
    target = op.target or next((t for t in MAIN_INPUTS if any(s.type == t for s in numeric)), None)
    chosen = [s for s in numeric if s.type == target and (op.arm is None or s.arm == op.arm)]
    if op.channel and any(s.channel for s in chosen):  # "et si TikTok monte à 45 € de CPA"
        group = _group(slots, op.channel)
        chosen = [s for s in chosen if s.channel and _group(slots, s.channel) == group]
    arms = {s.arm for s in chosen if s.arm} if target == "visitors" else set()
    if arms and op.value is not None:  # "20 000 visites par version": each arm, at its rate
        for arm in arms:
            own = [s for s in numeric if s.arm == arm and s.type in _COUNTS]
            old = next(s.value for s in own if s.type == "visitors")
            _scale(own, op.model_copy(update={"value": None, "factor": op.value / old}))
        return
    if arms and op.factor is not None:  # more traffic in a test: the same rates
        chosen += [s for s in numeric if s.arm in arms and s.type in ("conversions", "orders")]
    if op.value is not None:
        chosen = chosen[:1]
    for slot in chosen:
        if op.factor is not None and slot.type in _COUNTS:  # people and orders are whole
            slot.value = float(round(slot.value * op.factor))
        elif op.factor is not None:
            slot.value = slot.value * op.factor
        elif op.value is not None:
            slot.value = op.value
        elif op.add is not None:
            slot.value = slot.value + op.add
