"""Slots said back to the user, in French or English: "B : 312 conversions / 10 000 visiteurs",
"Google Ads : ROAS 4,2x", "budget 80 000 €", "début 01/07/2027"."""

from __future__ import annotations

from graph.formatting import date_text, money, num, pct
from graph.i18n import t
from graph.understanding.lexicon import lexicon
from graph.understanding.slots import Slot, Understanding


def label(type_: str, lang: str) -> str:
    """The name of a slot type in ``lang`` (``prompts/lexicon.yaml``, labels)."""
    fr, en = lexicon().labels.get(type_, (type_, type_))
    return en if lang == "en" else fr


def delay_text(days: float, lang: str) -> str:
    """A delay after a trigger: 'J+3' / 'D+3', 'J-21' before an event, or '2 h' under a day."""
    if days < 0:
        return t(lang, "understanding.describe.d_days", days=num(days, lang)).replace("+-", "-")
    return (
        f"{num(days * 24, lang)} h"
        if days < 1
        else t(lang, "understanding.describe.d_days", days=num(days, lang))
    )


def day_text(days: float, lang: str) -> str:
    """A day relative to a launch or a trigger: 'J0' / 'D0', else its delay (:func:`delay_text`)."""
    return delay_text(days, lang) if days else t(lang, "understanding.describe.day_zero")


def show(slot: Slot, lang: str, currency: str = "€") -> str:
    """A slot's value as the bot writes it: '18 200 €', '3,5 %', '0,5 pt', '4,2x', '6 semaines',
    'J+1', '01/07/2027', or the name the user gave."""
    v = slot.value
    if slot.type in ("start_date", "end_date", "date"):
        return date_text(v, lang)
    if slot.type == "delay":
        return delay_text(v, lang)
    # "inactivité 180 jours", "un cycle de vente de 90 jours"
    if slot.type in ("duration", "interval", "inactivity", "buying_cycle"):
        if v < 1:
            return f"{num(v * 24, lang)} h"
        if v % 7 == 0:
            return t(
                lang,
                "understanding.describe.weeks" if v > 7 else "understanding.describe.week",
                n=num(v / 7, lang),
            )
        return t(lang, "understanding.describe.v_days", v=num(v, lang))
    if slot.type == "company_size_word":
        return {
            "enterprise": t(lang, "understanding.describe.enterprise"),
            "mid": t(lang, "understanding.describe.mid"),
            "small": t(lang, "understanding.describe.smb"),
        }.get(v, slot.evidence)  # a large employer, as named
    if not isinstance(v, (int, float)):
        return str(v)
    if slot.unit == "€":
        return money(
            v, lang, slot.currency or currency, 2 if v < 100 and not float(v).is_integer() else 0
        )
    if slot.unit == "%":
        return pct(v, lang, 2 if not float(v).is_integer() else 0)
    if slot.unit == "pt":
        return f"{num(v, lang, 2 if not float(v).is_integer() else 0)} pt"
    if slot.unit == "x" or slot.type == "roas":
        return f"{num(v, lang, 2 if not float(v * 10).is_integer() else 1)}x"
    return num(v, lang, 0 if float(v).is_integer() else 2)


def _phrase(slot: Slot, lang: str, currency: str) -> str:
    name = label(slot.type, lang)
    value = show(slot, lang, currency)
    if slot.type in (
        "visitors",
        "conversions",
        "orders",
        "impressions",
        "clicks",
        "customers",
        "list_size",
        "touches",
        "variants",
        "company_size",
        "daily_traffic",
        "monthly_traffic",
        "yearly_traffic",
    ):
        return f"{value} {name}"
    return f"{name} {value}"


def describe(u: Understanding, lang: str, types: set[str] | None = None) -> list[str]:
    """What was understood, one line per arm, channel or slot (only ``types`` when given):
    ['B : 312 conversions, 10 000 visiteurs', 'Google Ads : ROAS 4,2x', 'budget 80 000 €',
    'canaux : Google Ads, Meta, LinkedIn']."""
    slots = [s for s in u.slots if types is None or s.type in types]
    cur = u.currency
    lines = []
    for arm in u.arms():
        body = ", ".join(_phrase(s, lang, cur) for s in slots if s.arm == arm)
        if body:
            lines.append(
                t(
                    lang,
                    "understanding.describe.arm_line",
                    arm=t(lang, "understanding.describe.control") if arm == "A" else arm,
                    body=body,
                )
            )
    shared = [s for s in slots if s.arm == "*"]
    if shared:
        lines.append(
            t(lang, "understanding.describe.each_version")
            + ", ".join(_phrase(s, lang, cur) for s in shared)
        )
    channels = list(dict.fromkeys(s.channel for s in slots if s.channel))
    for channel in channels:
        body = ", ".join(_phrase(s, lang, cur) for s in slots if s.channel == channel and not s.arm)
        lines.append(t(lang, "understanding.describe.pair", label=channel, value=body))
    grouped: dict[str, list[str]] = {}
    for s in slots:
        if s.arm or s.channel:
            continue
        if s.type in ("channel", "segment", "delay", "job_title"):
            grouped.setdefault(s.type, []).append(show(s, lang, cur))
        elif s.type != "trigger":
            lines.append(_phrase(s, lang, cur))
    for type_, values in grouped.items():
        lines.append(
            t(
                lang,
                "understanding.describe.pair",
                label=label(type_, lang),
                value=", ".join(values),
            )
        )
    return lines
