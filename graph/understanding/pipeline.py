"""A pipeline written as a volume and the rates from one stage to the next.

Demand-gen teams give a month's leads and the rate of each stage ("2 200 leads/mois, taux
MQL→SQL 18 %, SQL→client 25 %, panier 4 800 €"), and ask what it makes. Each rate is written
after the stages it joins (an arrow, "to", "vers", "deviennent"); the stages multiply
(performance seed's funnel: each step's conversion is the next step's volume over this one's).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from graph.text import fold, stem
from graph.understanding.lexicon import words
from graph.understanding.slots import Slot, Understanding

# the words that join two stages before a rate: "MQL→SQL 18 %", "MQL-to-opp 12%", "SQL vers client"
_JOINED = re.compile(
    r"(?:->|→|>|-to-|\bto\b|\bvers\b|\ben\b|\binto\b|deviennent|become|closent|close|passage)"
    r"[^%\d]{0,25}$"
)
# or after it: "8 % deviennent MQL", "25% become customers"
_JOINING = re.compile(  # "30% show up, and 25% of those who show up buy": a stage each
    r"\s*(?:(?:d[eu]s?|of|parmi)(?: [\w']+){1,4} )?(?:deviennent|devient|become|becomes|convert\w*|"
    r"passent|closent|close|show up|shows up|attend|attends|buy|buys|purchase|purchases|signent|"
    r"achetent|viennent|se presentent)(?![a-z])"
)
VOLUMES = ("leads", "mqls", "sqls", "conversions", "count", "visitors", "signups")
VALUES = ("aov", "arpu", "amount", "mean")


def kept_share(rates: list[Slot]) -> float:
    """The share (0-1) of a pipeline's volume that reaches its end: the product of its stage
    ``rates`` (%)."""
    share = 1.0
    for rate in rates:
        share *= rate.value / 100
    return share


class Chain(BaseModel):
    """A pipeline's ``volume`` (people entering it), its stage ``rates`` (%, in order) and the
    ``value`` of each one who reaches the end (€, optional)."""

    volume: Slot
    rates: list[Slot]
    value: Slot | None = None

    @property
    def reached(self) -> float:
        """How many reach the end: volume × each rate (people)."""
        return self.volume.value * kept_share(self.rates)

    def reached_at(self, index: int, rate: float) -> float:
        """How many reach the end with rate ``index`` at ``rate`` % instead (people)."""
        old = self.rates[index].value
        return self.reached / old * rate if old else 0.0

    @property
    def slots(self) -> list[Slot]:
        """The figures the chain uses."""
        return [self.volume, *self.rates, *([self.value] if self.value else [])]


def rate_chain(u: Understanding) -> Chain | None:
    """The pipeline of ``u``: its first volume (leads, MQLs, conversions…), the rates after it
    that join two stages (each between 0 and 100 %), and a value per customer; None without a
    volume, or with fewer than two joined rates and no value."""
    volume = u.first(*VOLUMES) or bought_leads(u)
    if volume is None or is_goal(u, volume):  # "we need 400 SQLs": read backwards, not forwards
        return None
    joined, value = joined_rates(u, volume.start), chain_value(u)
    rates = [r for i, r in enumerate(joined) if not any(_same_stage(u, p, r) for p in joined[:i])]
    if not rates or (len(rates) < 2 and value is None):
        return None
    return Chain(volume=volume, rates=rates, value=value)


def _stage_words(u: Understanding, rate: Slot) -> list[str]:
    """The words right after a rate, to the end of its clause ("14 % passent payants à 49 €":
    'passent payants a'), at most three."""
    clause = re.split(r"[,;.!?()\n]|\d", u.text[rate.end : rate.end + 40])[0]
    return words(clause)[:3]


def _same_stage(u: Understanding, a: Slot, b: Slot) -> bool:
    """Whether two rates are said of one stage: the same words follow each ("14 % passent
    payants …, seulement 6 % passent payants"): the later one is that stage in a scenario."""
    first, then = _stage_words(u, a), _stage_words(u, b)
    return bool(first and then) and first[: len(then)] == then[: len(first)]


# a volume said to be multiplied: "si le freemium double les inscriptions", "if signups triple"
_TIMES = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}
_MULTIPLIED = re.compile(
    r"(?<![a-z])(doubl|tripl|quadrupl)\w*|(?<![a-z\d])[x×]\s?([2-4])(?![\d.,])"
)


class Scenario(BaseModel):
    """A chain's stage at another rate and its volume multiplied, said in the same message ("14 %
    passent payants … si le freemium double les inscriptions mais que seulement 6 % passent
    payants"): the ``index`` of the stage in the chain, its ``rate`` slot and the volume
    ``factor``."""

    index: int
    rate: Slot
    factor: float = 1.0


def scenario(chain: Chain, u: Understanding) -> Scenario | None:
    """The scenario a message sets on its own chain (:class:`Scenario`), or None: a later rate
    said of one of the chain's stages (:func:`_same_stage`), with a volume multiplied by a word
    ("double", "triple", "x2") written after the chain's first rate."""
    for rate in joined_rates(u, chain.volume.start):
        if rate in chain.rates:
            continue
        index = next((i for i, r in enumerate(chain.rates) if _same_stage(u, r, rate)), None)
        if index is None:
            continue
        said = _MULTIPLIED.search(fold(u.text), chain.rates[0].end)
        factor = (_TIMES[said[1]] if said[1] else float(said[2])) if said else 1.0
        return Scenario(index=index, rate=rate, factor=factor)
    return None


def whole(u: Understanding, *types: str) -> list[Slot]:
    """The slots of ``types`` no A/B arm holds, and no channel unless the message names one
    channel only ("LinkedIn: CPL €140, 6% become opportunities": the whole pipeline's)."""
    one = len(u.channels()) == 1
    return [s for s in u.all(*types, any_arm=True) if not s.arm and (one or not s.channel)]


def bought_leads(u: Understanding) -> Slot | None:
    """The leads a spend buys at its cost per lead ("we spend €12k/month on LinkedIn with a CPL of
    €140": 12 000 / 140 = 85.7 leads), as a volume slot read where the cost per lead is; None
    without both (each of the whole message, or of its one channel: :func:`whole`)."""
    spend, cost = (next(iter(whole(u, type_)), None) for type_ in ("spend", "cpa"))
    if spend is None or cost is None or not cost.value:
        return None
    return cost.model_copy(update={"type": "leads", "value": spend.value / cost.value, "unit": ""})


def joined_rates(u: Understanding, after: int) -> list[Slot]:
    """The rates of ``u`` written after the position ``after`` that join two stages of a
    pipeline ("MQL→SQL 18 %", "SQL-to-close is 20%", "25 % closent", "close rate 25%"), each
    between 0 and 100 %."""
    return [
        s
        for s in whole(u, "rate", "conversion_rate", "lead_to_customer", "mql_rate")
        if s.unit == "%"
        and 0 < s.value < 100
        and s.start > after
        and (
            s.type == "lead_to_customer"  # "close rate 25%": a stage to customers by its name
            or _JOINED.search(u.text[max(0, s.start - 30) : s.start])
            or _JOINING.match(u.text, s.end)
        )
    ]


def chain_value(u: Understanding) -> Slot | None:
    """The value a pipeline's customer brings (a basket, an ACV, an ARPU given with a currency)."""
    return next((s for s in u.all(*VALUES) if s.currency), None)


def rate_moved(chain: Chain, u: Understanding) -> tuple[int, float] | None:
    """(index of the chain's rate, its new value in %) a rate to reach sets ("et si on passe
    MQL→SQL à 22 % ?"): the rate whose stage words before it share the most words with those
    before the rate to reach, the first on a tie; None without a rate to reach."""
    target = u.first("target_rate")
    if target is None or target.unit != "%":
        return None
    said = set(words(u.text[max(0, target.start - 30) : target.start]))
    shared = [len(said & set(words(u.text[max(0, r.start - 30) : r.start]))) for r in chain.rates]
    return shared.index(max(shared)), target.value


class ChannelChain(BaseModel):
    """Each channel's volume (SQLs, MQLs or leads, by channel) carried through a pipeline's
    joining ``rates`` to customers and revenue at the ``value`` per customer; ``spend``: each
    channel's spend, else its budget (€)."""

    volumes: dict[str, Slot]
    rates: list[Slot]
    value: Slot
    spend: dict[str, float]

    def customers(self, channel: str) -> float:
        """The channel's customers: its volume × each rate (:func:`kept_share`)."""
        return self.volumes[channel].value * kept_share(self.rates)

    def revenue(self, channel: str) -> float:
        """The channel's revenue: its customers × value per customer."""
        return self.customers(channel) * self.value.value

    def roas(self) -> dict[str, float]:
        """{channel: revenue / spend} for the channels with a spend."""
        return {c: self.revenue(c) / self.spend[c] for c in self.volumes if self.spend.get(c)}


def channel_chain(u: Understanding) -> ChannelChain | None:
    """The pipeline of two channels' volumes or more ("$18k on LinkedIn for 45 SQLs, $12k on
    Google for 60 SQLs. SQL-to-close is 20%, ACV $24k"); None without two channels' volumes, a
    joining rate after them (:func:`joined_rates`) and a value (:func:`chain_value`)."""
    for kind in ("sqls", "mqls", "leads"):
        volumes = {str(s.channel): s for s in u.all(kind, any_arm=True) if s.channel}
        if len(volumes) >= 2:
            break
    else:
        return None
    rates = joined_rates(u, min(s.start for s in volumes.values()))
    value = chain_value(u)
    if not rates or value is None:
        return None
    spend = u.by_channel("spend") or u.by_channel("budget")  # "$30k on LinkedIn"
    return ChannelChain(volumes=volumes, rates=rates, value=value, spend=spend)


class Needed(BaseModel):
    """A pipeline read backwards: the ``goal`` to reach at its end (demos, customers, deals), the
    stage ``rates`` (%) between the entry and the goal, the entry stage as the user names it
    (``entry_name``: leads, MQL), the people needed there (``entry``: goal ÷ each rate) and the
    ``cost`` of each one (a CPL, €), which gives the budget (graph.deliverables.needed_line)."""

    goal: Slot
    rates: list[Slot]
    entry_name: str
    entry: float
    cost: Slot | None = None
    visit_rate: Slot | None = None  # "landing page converts 4%": visits to the entry stage
    cpc: Slot | None = None  # what each of those visits costs

    @property
    def visits(self) -> float | None:
        """The visits (clicks) the entry needs at ``visit_rate``; None without it."""
        return self.entry / (self.visit_rate.value / 100) if self.visit_rate else None

    @property
    def slots(self) -> list[Slot]:
        """The figures the reading uses."""
        said = [self.cost, self.visit_rate, self.cpc]
        return [self.goal, *self.rates, *[s for s in said if s is not None]]


# "pour avoir 150 démos", "to close 10 deals", "pour signer 20 clients": the count to reach
_GOAL_CUE = re.compile(
    r"(?:(?:pour|to|afin d'|in order to)\s+(?:en\s+)?(?:avoir|obtenir|signer|atteindre|generer|"
    r"decrocher|faire|get|close|reach|sign|hit|generate|book|land|win)\s+(?:[a-z]+\s+)?|"
    # "we want 1,200 demo requests", "on vise 90 rendez-vous", "objectif : 40 clients"
    r"(?<![a-z])(?:we|i|on|je)\s+(?:want|need|aim for|target|veut|voudrait|vise|visons|veux)\s+|"
    r"(?<![a-z])(?:objectif|goal|target)\s*(?:de|of|is|est|:)?\s*)$"
)
# "MQL→SQL 30 %", "lead to SQL is 15%": the stages a rate joins, written before it
_STAGES_BEFORE = re.compile(
    r"([a-z][a-z-]*?)\s*(?:->|→|>|-to-|\sto\s|\svers\s)\s*([a-z][a-z-]*)\s*(?:[:=]|is|est|de|at|a)?\s*$"
)
# "25 % des leads demandent une démo", "30 % des MQL en SQL", "25 % of SQLs close"
_STAGES_AFTER = re.compile(
    r"\s*(?:des|of|of the|du|de nos|of our)\s+([a-z][a-z-]*)(?:\s+(?:en|into|to|become|deviennent|"
    r"demandent|request|book|passent en|signent|sign)\s+(?:une?\s+|a\s+|an\s+)?([a-z][a-z-]*))?"
)
_COST_PER_ENTRY = re.compile(
    r"(?<![a-z])(?:cpl|cost per lead|cout par lead|par lead|per lead)(?![a-z])"
)


def _stages(u: Understanding, rate: Slot) -> tuple[str | None, str | None]:
    """(the stage a rate starts from, the one it leads to), stemmed; None where not written."""
    before = _STAGES_BEFORE.search(u.text[max(0, rate.start - 35) : rate.start])
    if before:
        return stem(before[1]), stem(before[2])
    after = _STAGES_AFTER.match(u.text, rate.end)
    if after:
        return stem(after[1]), stem(after[2]) if after[2] else None
    return None, None


def is_goal(u: Understanding, s: Slot) -> bool:
    """Whether ``s`` is a count set as a goal ("pour avoir 150 démos", "we need 400 SQLs")."""
    return (
        isinstance(s.value, float)
        and s.unit == ""
        and s.value >= 1
        and bool(_GOAL_CUE.search(u.text[max(0, s.start - 40) : s.start]))
    )


_GLUE_WORDS = frozenset("and if what the to goes go is et si le la passe a est".split())


def _rate_set(u: Understanding, kept: list[tuple]) -> list[tuple]:
    """``kept`` [(rate slot, from stage, to stage)] with the rate a rate to reach names set to
    it ("and if MQL→SQL goes to 50%?" after "MQL→SQL 40%"): the rate whose words before it share
    the most words with those before the rate to reach (:func:`rate_moved`); unchanged without
    one or when none shares a word."""
    target = u.first("target_rate")
    if target is None or target.unit != "%":
        return kept
    said = set(words(u.text[max(0, target.start - 30) : target.start])) - _GLUE_WORDS

    def named(r: Slot) -> set[str]:  # the words since the figure before it ("…, MQL→SQL 40%")
        start = max([s.end for s in u.slots if s.end <= r.start] + [r.start - 30])
        return set(words(u.text[start : r.start]))

    shared = [len(said & named(r)) for r, _, _ in kept]
    if not shared or max(shared) == 0:
        return kept
    i = shared.index(max(shared))
    rate, a, b = kept[i]
    return [*kept[:i], (rate.model_copy(update={"value": target.value}), a, b), *kept[i + 1 :]]


def needed_volume(u: Understanding) -> Needed | None:
    """What a goal needs at the start of the pipeline ("un budget pour avoir 150 démos par mois,
    CPL 80 €, 25 % des leads demandent une démo": 150 ÷ 25 % = 600 leads, × 80 € = 48 000 €;
    "combien de leads pour signer 20 clients si on convertit 25 % des SQL et 30 % des MQL en
    SQL": 267 MQL). The goal is a count after "pour avoir / to close…"; the rates are the stage
    rates not starting from the goal's stage (those come after it); the entry is the stage no
    rate leads to. None without a goal, a rate or a named entry, or when the request gives the
    volume entering (:func:`rate_chain` reads it forwards)."""
    goal = next((s for s in u.slots if is_goal(u, s)), None)
    if goal is None or rate_chain(u) is not None:
        return None
    noun = re.match(r"\s*([a-z][a-z-]*)", u.text[goal.end :])  # "90 rendez-vous"
    rates = [  # a channel's rate and cost count too ("our CPL on LinkedIn is $95 and 12% of …")
        (r, *_stages(u, r))
        for r in u.all("rate", "conversion_rate", "lead_to_customer", "mql_rate", any_arm=True)
        if r.unit == "%" and 0 < r.value < 100 and not r.arm
    ]
    kept = [(r, a, b) for r, a, b in rates if a is not None and not (noun and a == stem(noun[1]))]
    reached = {b for _, _, b in kept}
    entries = [a for _, a, _ in kept if a not in reached]
    if not kept or len(set(entries)) != 1:
        return None
    said = re.findall(r"[^\W\d_]+", u.raw or u.text)  # as written: "MQL", not "mql"
    name = next((w for w in said if stem(fold(w)) == entries[0]), entries[0])
    cost = next(
        (
            s
            for s in u.all("cpa", "target_cpa", any_arm=True)
            if not s.arm and _COST_PER_ENTRY.search(u.text[max(0, s.start - 25) : s.end + 15])
        ),
        None,
    )
    kept = _rate_set(u, kept)  # "and if MQL→SQL goes to 50%?": that stage's rate set
    entry = goal.value / kept_share([r for r, _, _ in kept])
    # a conversion rate joining no named stages ("landing page converts 4%") turns visits into
    # the entry stage: the traffic the goal needs, and its cost at a CPC
    visit_rate = next(
        (r for r, a, _ in rates if a is None and r.type in ("conversion_rate", "rate")), None
    )
    return Needed(
        goal=goal,
        rates=[r for r, _, _ in kept],
        entry_name=name,
        entry=entry,
        cost=cost,
        visit_rate=visit_rate,
        cpc=u.first("cpc") if visit_rate else None,
    )
