"""Conversions per channel the user gives under two attribution models.

"last click: google 410, meta 220, email 180; in linear google 320, meta 290, email 200" is each
channel's credit under two models. A clause's figures belong to the model it names (after a
colon, when the clause opens with a header such as "attribution last click vs linear:"). Written
channel by channel instead ("last click and linear: google 520 / 410, meta 180 / 260"), each
channel's pair gives the two models in the order the message names them. Written with each
count followed by its model ("google ads 420 conversions last click, 310 first click; meta 180
last click, 290 first click"), each count is its model's. Two models in one sentence ("last-click
says Google drove 420 conversions and Meta 130, but in the first-touch view Meta has 310"): the
figures after each model, up to the next one, are its.
"""

from __future__ import annotations

import re

from graph.understanding.entities import mentions
from graph.understanding.lexicon import channel_index
from graph.understanding.numbers import scan
from graph.understanding.slots import Understanding

MODEL_WORDS = {
    # "en premier contact dans 45 % des parcours et en dernier dans 30 %": the last contact
    "last_touch": r"last[- ]?(?:click|touch|non[- ]direct click)|dernier[- ]?(?:clic|click|contact)|"
    r"en dernier(?! recours)",
    "first_touch": r"first[- ]?(?:click|touch)|premier[- ]?(?:clic|click|contact)",
    "linear": r"lin(?:ea|éa)(?:r|ire)",
    "position_based": r"position[- ]based|u[- ]shaped|en u",
    "time_decay": r"time[- ]decay",
    "markov": r"data[- ]driven|markov|dda",
}
_CLAUSES = re.compile(r"[;.\n]")
# "en dernier clic google 500": the word "clic" of the model names no click count
_COUNTED = ("conversions", "count", "orders", "leads", "signups", "clicks")


def credits(u: Understanding, start: int, end: int) -> dict[str, float]:
    """{channel: credit} the figures of ``u`` between ``start`` and ``end`` give one model: each
    channel's conversions, else its share of them when the shares add up to 100 % ("SEO 40%, SEA
    35%, Email 25%", or the channels and shares named in turn: "Google fait 60 % des ventes, Meta
    25 %, email 15 %"); {} when neither is given for two channels."""
    within = [s for s in u.slots if start <= s.start < end and s.channel and not s.arm]
    counts = {str(s.channel): float(s.value) for s in within if s.type in _COUNTED}
    if len(counts) >= 2:
        return counts
    shares = {str(s.channel): float(s.value) for s in within if s.unit == "%"}
    if len(shares) < 2 or abs(sum(shares.values()) - 100) > 1:
        # "Google fait 60 % des ventes, Meta 25 %, email 15 %": the channels named in turn
        inside = [s for s in u.slots if start <= s.start < end and not s.arm]
        names = [str(s.value) for s in inside if s.type == "channel"]
        percents = [float(s.value) for s in inside if s.unit == "%"]
        shares = dict(zip(names, percents)) if len(names) == len(percents) else {}
    return shares if len(shares) >= 2 and abs(sum(shares.values()) - 100) <= 1 else {}


def stated_models(u: Understanding) -> dict[str, dict[str, float]]:
    """{model id: {channel as named: conversions, or share of them in %}} (:func:`credits`) of every model the request gives two channels
    or more for (model ids of graph.calculators.attribution: last_touch, linear…), in the order
    written; {} when fewer than two models are given that way."""
    out: dict[str, dict[str, float]] = {}
    start = 0
    for clause in [*_CLAUSES.split(u.text), ""]:
        end = start + len(clause)
        body = clause.rsplit(":", 1)[-1]  # "attribution last click vs linear: google 410 …"
        named = [
            m for m, words in MODEL_WORDS.items() if re.search(rf"(?<![a-z])(?:{words})", body)
        ]
        figures = credits(u, start, end)
        if len(named) == 1 and figures:
            out.setdefault(named[0], figures)
        start = end + 1
    return (
        out
        if len(out) >= 2
        else paired_models(u.text) or labelled_models(u.text) or models_in_turn(u)
    )


def one_model(u: Understanding) -> tuple[str, dict[str, float]] | None:
    """(model id, {channel: conversions or share in %}) when the request names one attribution
    model only and gives two channels or more their credit under it ("conversions du mois en
    last click : SEA 420, Social 180, Email 260"); None otherwise."""
    named = [m for m, words in MODEL_WORDS.items() if re.search(rf"(?<![a-z])(?:{words})", u.text)]
    figures = credits(u, 0, len(u.text))
    return (named[0], figures) if len(named) == 1 and figures else None


# "google 520 conv last click / 410 linear": a count, a few words, a slash, a count
_PAIR = re.compile(r"\s*:?\s*(\d[\d\s.,]*k?)\s*(?:[a-z]+\s*){0,4}/\s*(\d[\d\s.,]*k?)")


def paired_models(folded: str) -> dict[str, dict[str, float]]:
    """{model id: {channel: conversions}} of a message naming two models and giving each channel
    its pair of counts ("compare last click and linear: google 520 / 410, meta 180 / 260") or of
    shares ("Google est en premier contact dans 45 % des parcours et en dernier dans 30 %, Meta
    25 % / 20 %"), the first under the model named first; {} unless two models and two channels
    are read."""
    named = sorted(
        (m.start(), model)
        for model, words in MODEL_WORDS.items()
        if (m := re.search(rf"(?<![a-z])(?:{words})", folded))
    )
    if len(named) != 2:
        return {}
    first, second = named[0][1], named[1][1]
    out: dict[str, dict[str, float]] = {first: {}, second: {}}
    channels = sorted(mentions(folded, channel_index()), key=lambda m: m.start)
    for channel, after in zip(channels, [*channels[1:], None]):
        pair = _PAIR.match(folded, channel.end)
        counts = [scan(side) for side in pair.groups()] if pair else []
        if not (len(counts) == 2 and all(counts)):  # "… 45 % des parcours et en dernier dans 30 %"
            said = scan(folded[channel.end : after.start if after else len(folded)])
            counts = [[q] for q in said] if len({q.unit for q in said}) == 1 else []
        if len(counts) == 2 and all(counts):
            name = channel.value[1]
            out[first][name], out[second][name] = counts[0][0].value, counts[1][0].value
    return out if len(out[first]) >= 2 else {}


def labelled_models(folded: str) -> dict[str, dict[str, float]]:
    """{model id: {channel: conversions}} of a message giving, after each channel, counts each
    followed by the model it is under ("google ads 420 conversions last click, 310 first click;
    meta 180 last click, 290 first click"); {} unless two models are read for two channels."""
    channels = sorted(mentions(folded, channel_index()), key=lambda m: m.start)
    out: dict[str, dict[str, float]] = {}
    for channel, after in zip(channels, [*channels[1:], None]):
        segment = folded[channel.end : after.start if after else len(folded)]
        for model, words in MODEL_WORDS.items():
            found = re.search(rf"(\d[\d\s.,]*k?)\s*(?:[a-z]+\s+){{0,2}}(?:{words})", segment)
            if found and (counted := scan(found.group(1))):
                out.setdefault(model, {})[channel.value[1]] = counted[0].value
    full = {m: per for m, per in out.items() if len(per) >= 2}
    return full if len(full) >= 2 else {}


def models_in_turn(u: Understanding) -> dict[str, dict[str, float]]:
    """{model id: {channel: conversions}} when each model named is followed by two channels'
    counts or more before the next model or the end of its sentence ("last-click says Google
    drove 420 conversions and Meta 130, but in the first-touch view Meta has 310 and Google
    240"); {} unless two models are read that way."""
    found = sorted(
        (m.start(), m.end(), model)
        for model, words in MODEL_WORDS.items()
        for m in re.finditer(rf"(?<![a-z])(?:{words})", u.text)
    )
    out: dict[str, dict[str, float]] = {}
    for (_, end, model), after in zip(found, [*found[1:], None]):
        stop = after[0] if after else len(u.text)
        if sentence_end := re.search(r"[.!?](?:\s|$)|\n", u.text[end:stop]):
            stop = end + sentence_end.start()
        if figures := credits(u, end, stop):
            out.setdefault(model, figures)
    return out if len(out) >= 2 else {}
