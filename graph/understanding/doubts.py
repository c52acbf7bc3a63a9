"""Figures the bot is not sure it read right: a number no word names that the binding placed in a
specialist's input (graph.understanding.binding.bind, its second pass) and that the learned role
model (graph.understanding.roles) does not confirm as that input's measure.

Such a figure is not used as if it were certain: the deliverable says what it read, and the
thread asks one targeted question ("12 000 : visiteurs par jour ou visiteurs du test ?"); in Slack
each doubtful figure is a small pre-filled form (graph.nodes.specialists.check_reading,
bot/render.py), and a correction re-runs the specialist with the figure retyped
(graph.understanding.followups.apply).
"""

from __future__ import annotations

from graph.hierarchy import InputSpec
from graph.i18n import t
from graph.messages import Doubt
from graph.text import fold
from graph.understanding.describe import label
from graph.understanding.reader import understand
from graph.understanding.roles import TYPE_OF_ROLE, role_probabilities
from graph.understanding.slots import Slot, Understanding

ROLE_SURE = 0.6  # the role model confirms a guessed figure when the input's measures have this probability together
IGNORED = "ignored"  # the slot type of a figure the user says no input takes
NONE_OPTION = "none"  # the form's "none of these" option
UNNAMED = {
    "count",
    "amount",
    "rate",
    "change",
    "ratio",
    "mean",
    "delays",
    "gap_to_target",
}  # measures no word names


def slot_type(spec: InputSpec) -> str:
    """The measure a figure feeding ``spec`` is taken as: its first measure that names something."""
    named = [m for m in spec.measure_types if m not in UNNAMED]
    return (named or [spec.name])[0]


def measure_of(type_: str) -> str:
    """The shared corpus's measure (figures.jsonl) for a slot type: the measure of the same name,
    else the first that folds into it (TYPE_OF_ROLE), else ``other:<type>``."""
    if TYPE_OF_ROLE.get(type_) == type_:
        return type_
    return next((m for m, folded in TYPE_OF_ROLE.items() if folded == type_), f"other:{type_}")


def doubtful(
    specs: list[InputSpec], understood: Understanding, guessed: dict[str, Slot], lang: str
) -> list[Doubt]:
    """The figures of ``guessed`` ({input name: slot}, from bind) read in the request's first message
    that the role model does not confirm: its most probable measure does not fold into one of the
    input's, and those that do have together a probability under ROLE_SURE. Answers to the bot's
    own questions are not doubted. The options
    are the measures of the input and of the specialist's other inputs of the same kind."""
    if not guessed:
        return []
    predicted = {id(s): dist for s, dist in role_probabilities(understood)}
    by_name = {s.name: s for s in specs}
    out = []
    for name, slot in guessed.items():
        spec, dist = by_name[name], predicted.get(id(slot), {"": 0.0})
        role, probability = max(dist, key=lambda m: dist[m]), max(dist.values())
        types = set(spec.measure_types)
        fits = sum(p for measure, p in dist.items() if TYPE_OF_ROLE.get(measure) in types)
        if slot.message or fits >= ROLE_SURE or TYPE_OF_ROLE.get(role) in types:
            continue
        current = slot_type(spec)
        kin = [
            m
            for s in [spec] + [o for o in specs if o.kind == spec.kind and o is not spec]
            for m in s.measure_types
        ]
        named = [m for m in dict.fromkeys(kin) if m not in UNNAMED and m != current]
        likely = [m for m in named if m == TYPE_OF_ROLE.get(role)]
        options = [current, *likely, *[m for m in named if m not in likely]][:5] + [NONE_OPTION]
        labels = {m: label(m, lang) for m in options[:-1]} | {NONE_OPTION: t(lang, "doubts.none")}
        out.append(
            Doubt(
                start=slot.start,
                end=slot.end,
                evidence=slot.evidence,
                value=float(slot.value),
                input=name,
                type=current,
                options=options,
                labels=labels,
                role=role,
                role_probability=round(probability, 3),
            )
        )
    return out


def typed_fix(answer: str, doubts: list[Doubt]) -> tuple[Doubt, str] | None:
    """A correction of one doubtful figure typed in the thread: (the doubt, the measure chosen) when
    ``answer`` names the figure (its value; with one doubt, it may not) and another of its options
    (its name as the form shows it, "visiteurs/mois", or a figure of that measure, "12000 par
    mois"); else None."""
    folded, said = fold(answer), understand(answer).slots
    for doubt in doubts:
        if len(doubts) > 1 and not any(s.value == doubt.value for s in said):
            continue
        by_label = next((m for m in doubt.options[1:] if fold(doubt.labels[m]) in folded), None)
        by_figure = next(
            (s.type for s in said if s.value == doubt.value and s.type in doubt.options[1:]), None
        )
        chosen = by_label or by_figure
        if chosen:
            return doubt, chosen
    return None
