"""A conversion rate given for two devices, and the share of traffic on one of them.

"checkout conversion is 41% on mobile vs 58% on desktop. 60% of checkouts start on mobile, 8,000
checkout starts a month": the two rates, each with the device named next to it, and the share of
the volume one device takes. The conversion-optimisation specialist prices the gap from them.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from graph.text import fold
from graph.understanding.numbers import Quantity
from graph.understanding.slots import Slot, Understanding

_DEVICE = re.compile(
    r"(?<![a-z])(mobiles?|smartphones?|desktop|ordinateurs?|ordi|tablettes?|tablets?|apps?|appli)(?![a-z])"
)
_SHARE = re.compile(
    r"(?<![a-z])(du trafic|of (?:the )?traffic|des (?:visites|sessions|checkouts|paniers|commandes)|"
    r"of (?:visits|sessions|checkouts|carts|orders|users)|(?:est|sont|is|are) (?:sur )?(?:mobile|desktop)|"
    r"start|commencent|arrivent|come from|viennent)(?![a-z])"
)


_VERSUS = re.compile(r"(?<![a-z])(?:contre|vs\.?|versus|against)\s*$")
LOWER_BETTER = re.compile(  # rates where less is better: abandonment, bounces, churn…
    r"(?<![a-z])(rebond|bounce|abandon\w*|churn|sortie|exit|desinscri\w*|unsub\w*)"
)


_VOLUMES = ("visitors", "monthly_traffic", "count", "sessions", "orders", "conversions")


class DeviceGap(BaseModel):
    """The weaker device and its rate (%), the stronger one and its rate (%), the share (%) of
    the volume on the weaker one, and the part of the gap asked to close (0-1: 0.5 for "si le
    mobile rattrape la moitié de l'écart", 1 when none is said)."""

    weak: str
    weak_rate: float
    strong: str
    strong_rate: float
    weak_share: float
    slots: list[Slot]
    closed: float = 1.0
    volume: float | None = None  # the devices' volumes added up, when given as counts


_GAP = r"\s+(?:of\s+)?(?:de\s+l'|of\s+the\s+|the\s+|du\s+|de\s+la\s+)?(?:ecart|gap|difference)"
_CLOSED = re.compile(
    r"(?<![a-z\d])(la moitie|half|un tiers|one third|a third|un quart|a quarter|(\d+)\s*%)" + _GAP
)
_PARTS = {"la moitie": 0.5, "half": 0.5, "un tiers": 1 / 3, "one third": 1 / 3, "a third": 1 / 3}
_PARTS |= {"un quart": 0.25, "a quarter": 0.25}


def gap_closed(text: str) -> float:
    """The part of a gap the message asks to close: "la moitié de l'écart" 0.5, "a third of the
    gap" 1/3, "30 % de l'écart" 0.3; 1.0 when it names none."""
    found = _CLOSED.search(fold(text))
    if found is None:
        return 1.0
    part = float(found[2]) / 100 if found[2] else _PARTS[found[1]]
    return part if 0 < part <= 1 else 1.0


def _clause(text: str, slot: Slot) -> str:
    """The words of ``slot``'s clause: up to 30 characters each side, within its punctuation,
    and after it up to the next percentage ("3.2% on desktop and mobile is 65% of sessions":
    the sessions are the 65 %'s)."""
    return _before(text, slot) + " " + re.split(r"\d+(?:[.,]\d+)?\s*%", _after(text, slot))[0]


def _before(text: str, slot: Slot | Quantity) -> str:
    # "mobile 1,2 % (65 % du trafic)": a figure in brackets is the device's before them too
    return re.split(r"[;!?]|[,.](?!\d)", text[max(0, slot.start - 30) : slot.start])[-1]


def _after(text: str, slot: Slot | Quantity) -> str:
    # "60% of our 50k monthly sessions are mobile": the device may close a longer clause; a
    # figure compared after it ("mobile 1,1 % vs 2,9 % desktop") has its own device
    return re.split(
        r"[,;.!?)]\s|\(|(?<![a-z])(?:vs|versus|contre|against)(?![a-z])",
        text[slot.end : slot.end + 45],
    )[0]


def _device_near(text: str, slot: Slot) -> str | None:
    """The device named right after a figure ("41% on mobile"), else right before it ("mobile :
    41 %"), in the same clause; the one before when another figure comes between the figure and
    the one after ("desktop 3,4 % sur 60 000 sessions mobiles")."""
    after, before = _after(text, slot), _before(text, slot)
    named, said = _DEVICE.search(after), ([None, *_DEVICE.finditer(before)])[-1]
    if named and said and re.search(r"\d", after[: named.start()]):
        named = None  # "desktop 3,4 % sur 60 000 sessions mobiles": mobile is the 60 000's
    return _device(named or said)


def _device(found: re.Match | None) -> str | None:
    """The device a match of _DEVICE names: 'mobile' for a smartphone too, singular."""
    if found is None:
        return None
    return "mobile" if found[1].startswith(("mobile", "smartphone")) else found[1].rstrip("s")


def devices_apart(text: str, first: Slot | Quantity, second: Slot | Quantity) -> bool:
    """Whether two figures said side by side ("mobile 1,1 % vs 2,9 % desktop", "mobile 1,1 %
    vs desktop 2,9 %") are each named with a device of its own: the first with one before it, the
    second with one between them or after it."""
    before = _device(([None, *_DEVICE.finditer(_before(text, first))])[-1])
    after = _device(
        _DEVICE.search(text[first.end : second.start]) or _DEVICE.search(_after(text, second))
    )
    return before is not None and after is not None and before != after


def device_gap(u: Understanding) -> DeviceGap | None:
    """The gap between the weakest and the strongest device's conversion rates and the weaker
    one's share of the volume (between two devices, the share said for the other is taken as
    100 % minus it, and volumes given as counts for each device give it and their total); None
    unless the request gives rates for two devices or more and a share of the weakest (of
    either, with two) or each one's volume."""
    rates: dict[str, Slot] = {}
    shares: dict[str, Slot] = {}
    volumes: dict[str, Slot] = {}  # "60 000 sessions mobiles et 25 000 desktop"
    lower = False  # the last rate read is a bounce or abandonment rate: lower is better
    for s in u.slots:
        device = _device_near(u.text, s) if s.unit in ("%", "") else None
        if device is None:
            continue
        if s.unit == "":
            if s.type in _VOLUMES:
                volumes.setdefault(device, s)
            continue
        clause = _clause(u.text, s)
        if _SHARE.search(clause):
            shares.setdefault(device, s)
        else:  # "rebond 68 % sur mobile …, conv mobile 0,9 %": the conversion rates decide
            before = _before(u.text, s)
            # "68 % sur mobile contre 41 % sur desktop": the second rate is the first one's kind
            lower = bool(LOWER_BETTER.search(before) or (lower and _VERSUS.search(before)))
            if not lower:
                rates.setdefault(device, s)
    ranked = sorted(rates.items(), key=lambda pair: pair[1].value)
    counted = not shares and len(volumes) >= 2 and set(rates) <= set(volumes)
    if len(rates) < 2 or not (shares or counted) or (len(rates) > 2 and ranked[0][0] not in shares):
        return None
    (weak, low), (strong, high) = ranked[0], ranked[-1]
    total = sum(float(v.value) for v in volumes.values()) if counted else None
    if total:  # the weaker device's volume among the devices'
        on_weak = float(volumes[weak].value) / total * 100
    else:  # its own share ("mobile 1,2 % (65 % du trafic), desktop 3,1 %, tablette 2,0 % (5 %)"),
        # else, between two devices, 100 % minus the other's
        device, share = (weak, shares[weak]) if weak in shares else next(iter(shares.items()))
        on_weak = share.value if device == weak else 100 - share.value
    if low.value == high.value or not 0 < on_weak < 100:
        return None
    return DeviceGap(
        weak=weak,
        weak_rate=low.value,
        strong=strong,
        strong_rate=high.value,
        weak_share=on_weak,
        slots=[*rates.values(), *shares.values(), *(volumes.values() if total else [])],
        closed=gap_closed(u.text),
        volume=total,
    )


class DeviceBounce(BaseModel):
    """A rate where less is better (bounce, exit, abandonment) given for two devices: the worse
    device and its rate (%), the better one and its rate (%)."""

    worse: str
    worse_rate: float
    better: str
    better_rate: float


def bounce_gap(u: Understanding) -> DeviceBounce | None:
    """The gap between two devices' bounce (or exit, abandonment) rates ("bounce rate is 71% on
    mobile vs 42% on desktop", "rebond 68 % sur mobile contre 41 % sur desktop"); None unless two
    devices have one and they differ."""
    rates: dict[str, Slot] = {}
    lower = False
    for s in u.slots:
        device = _device_near(u.text, s) if s.unit == "%" else None
        if device is None or _SHARE.search(_clause(u.text, s)):
            continue
        before = _before(u.text, s)
        lower = bool(LOWER_BETTER.search(before) or (lower and _VERSUS.search(before)))
        if lower:
            rates.setdefault(device, s)
    ranked = sorted(rates.items(), key=lambda pair: pair[1].value)
    if len(ranked) < 2 or ranked[0][1].value == ranked[-1][1].value:
        return None
    (better, low), (worse, high) = ranked[0], ranked[-1]
    return DeviceBounce(
        worse=worse,
        worse_rate=float(high.value),
        better=better,
        better_rate=float(low.value),
    )
