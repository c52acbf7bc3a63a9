"""What a specialist produces, as a typed document: :class:`Deliverable` (title, overview fields,
sections of Markdown prose and :class:`Table`s, method, path, language, charts, files), and the
layout it is filled into: :class:`Template`, read from ``prompts/specialists/<id>.yaml``.

Builders (:mod:`graph.deliverables`) return values (text, tables, or lists of both); :meth:`Template.fill` lays them out; the
renderers (:mod:`bot.render` for Block Kit, :meth:`Deliverable.text` and
:meth:`Deliverable.markdown`) read the document, never Markdown back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from graph.i18n import t

PLACEHOLDER = re.compile(r"\{(\w+)\}")
MISSING = "—"  # a template value no builder gave


class Table(BaseModel):
    """A table: ``columns`` (header cells), ``rows`` (lists of cells, already formatted in the
    user's locale, e.g. '3,5 %'), ``units`` (one per column: '%', '€', 'visitors'…, '' when none)."""

    columns: list[str]
    rows: list[list[str]]
    units: list[str] = []

    def markdown(self) -> str:
        """A GitHub Markdown table."""
        lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        return "\n".join(
            lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in self.rows]
        )

    def text(self) -> str:
        """The table as aligned plain-text columns (for the terminal and Slack's text fallback)."""
        grid = [self.columns] + [[str(c) for c in row] for row in self.rows]
        widths = [
            max(len(r[i]) if i < len(r) else 0 for r in grid) for i in range(len(self.columns))
        ]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in grid]
        return "\n".join([lines[0], "  ".join("-" * w for w in widths)] + lines[1:])


Part = Table | str  # Markdown prose, or a table


class Section(BaseModel):
    """A titled part of a deliverable: ``parts`` are Markdown prose and tables, in order."""

    heading: str = ""
    parts: list[Part] = []


class Chart(BaseModel):
    """A chart of a deliverable, drawn as PNG with its data as CSV (bot/charts.py): ``title``,
    ``filename`` without extension, ``series`` {name: values}."""

    title: str
    filename: str
    series: dict[str, list[float]]


class GroupedBars(Chart):
    """Bars per label (x axis), one bar per series."""

    kind: Literal["grouped_bars"] = "grouped_bars"
    labels: list[str]


class Intervals(Chart):
    """A value per label with its interval: ``series`` holds the values, their lows and their
    highs, in that order."""

    kind: Literal["intervals"] = "intervals"
    labels: list[str]


class Curves(Chart):
    """One curve per series over ``x``, with ``points`` {name: [x, y]} marked on them."""

    kind: Literal["curves"] = "curves"
    x: list[float]
    points: dict[str, list[float]] = {}


AnyChart = Annotated[GroupedBars | Intervals | Curves, Field(discriminator="kind")]
"""Any chart, by its ``kind``."""


class Alert(BaseModel):
    """A warning the reader must not miss (a broken traffic split, a test read before its planned
    sample): Slack shows it in an ``alert`` block, the Markdown and the terminal as a marked line."""

    level: Literal["info", "warning", "error"] = "warning"
    text: str


class Deliverable(BaseModel):
    """A specialist's finished deliverable, in ``lang`` ('fr' or 'en').

    ``fields``: the overview as (label, value) pairs; ``method``: how the figures were computed and
    the assumptions (Markdown); ``note``: what the user gave that the deliverable does not use;
    ``path``: the hierarchy from the root orchestrator to ``agent``; ``charts`` chart specs
    (bot.charts) and ``files`` ({content, filename, title}) posted with it; ``brain`` 'offline' or
    'claude'; ``deliverable_id`` once stored; ``experiment`` what the experiment log records from a
    test plan or readout (graph/experiments.py), and ``experiment_note`` the line saying where it
    went in the log once it did (':test_tube: EXP-7 · en cours …'); ``document``: a document the team
    keeps and edits (prompts' ``template.document``), written as a canvas in Slack; ``launch_date``
    (ISO date): a campaign plan's launch, whose go/no-go checklist its Slack thread carries
    (bot/gate.py); ``alerts``: the warnings shown apart from the sections."""

    kind: Literal["deliverable"] = "deliverable"
    agent: str
    lang: str
    title: str
    fields: list[tuple[str, str]] = []
    sections: list[Section] = []
    method: str = ""
    note: str = ""
    path: list[str] = []
    charts: list[AnyChart] = []
    files: list[dict[str, Any]] = []
    brain: str = "offline"
    streamed: bool = False
    tool_results: list[dict[str, Any]] = []
    deliverable_id: int | None = None
    experiment: dict[str, Any] | None = None
    experiment_note: str = ""
    document: bool = False
    launch_date: str | None = None
    alerts: list[Alert] = []

    def all_sections(self) -> list[Section]:
        """The sections, then the method as a last section when there is one."""
        method = (
            [Section(heading=t(self.lang, "document.method"), parts=[self.method])]
            if self.method.strip()
            else []
        )
        return self.sections + method

    def _render(self, table, heading, field) -> str:
        out = [f"# {self.title}" if heading else f"{self.title}\n{'=' * len(self.title)}"]
        if self.fields:
            out.append("\n".join(field(k, v) for k, v in self.fields))
        out += [f"{'> ' if heading else ''}⚠️ {a.text}" for a in self.alerts]
        for section in self.all_sections():
            body = "\n\n".join(
                table(p) if isinstance(p, Table) else p.strip()
                for p in section.parts
                if isinstance(p, Table) or p.strip()
            )
            out.append(
                (f"## {section.heading}\n" if heading else f"{section.heading}\n")
                * bool(section.heading)
                + body
            )
        if self.note:
            out.append(self.note)
        return "\n\n".join(x for x in out if x.strip())

    def markdown(self) -> str:
        """The whole deliverable as GitHub Markdown (the terminal, the attached file, the
        deliverables table); the overview is a two-column table."""
        text = self._render(Table.markdown, True, lambda k, v: f"| {k} | {v} |")
        if not self.fields:
            return text
        head = f"# {self.title}\n\n"
        overview = Table(
            columns=[t(self.lang, "document.parameter"), t(self.lang, "document.value")],
            rows=[list(f) for f in self.fields],
        ).markdown()
        return (
            head
            + overview
            + text[len(head) + len("\n".join(f"| {k} | {v} |" for k, v in self.fields)) :]
        )

    def text(self) -> str:
        """The whole deliverable as plain text: what ``chat`` prints and Slack's text fallback."""
        width = max((len(k) for k, _ in self.fields), default=0)
        return self._render(Table.text, False, lambda k, v: f"{k.ljust(width)}  {v}")


class SectionTemplate(BaseModel):
    """One section of a template: a heading and either ``text`` (with {placeholders}), a static
    ``table``, or ``parts`` mixing both."""

    heading: str = ""
    text: str | None = None
    table: Table | None = None
    parts: list[dict[str, Any]] = []


class LayoutTemplate(BaseModel):
    """A deliverable's layout in one language."""

    title: str
    fields: list[tuple[str, str]] = []
    sections: list[SectionTemplate] = []
    method: str = ""


class Template(BaseModel):
    """A specialist's output template in French and English (``prompts/specialists/<id>.yaml``);
    ``document``: the deliverable is a document the team keeps and edits (a campaign plan, a
    strategy, a report), written as a canvas in Slack."""

    fr: LayoutTemplate
    en: LayoutTemplate
    document: bool = False

    def __call__(self, lang: str) -> LayoutTemplate:
        return self.en if lang == "en" else self.fr

    def outline(self, lang: str) -> str:
        """The layout as Markdown with its {placeholders} kept (the Claude brain's reference)."""
        names = PLACEHOLDER.findall(self(lang).model_dump_json())
        return self.fill("", lang, {n: "{" + n + "}" for n in names}, []).markdown()

    def fill(self, agent: str, lang: str, values: dict[str, Any], path: list[str]) -> Deliverable:
        """The deliverable of ``agent`` with ``values`` put in the template's placeholders: a text
        value where it is written, a :class:`Table` (or a list of texts and tables) as parts of
        its section; a section whose parts are all empty is left out, and so is a field none of
        whose placeholders has a value. A placeholder without a value shows '—'."""
        layout = self(lang)
        plain = defaultdict(
            lambda: MISSING, {k: v for k, v in values.items() if isinstance(v, str)}
        )
        sections = []
        for s in layout.sections:
            parts: list[Part] = []
            raw = s.parts or ([{"text": s.text}] if s.text is not None else []) + (
                [{"table": s.table}] if s.table else []
            )
            for part in raw:
                if part.get("table") is not None:  # a template's cells may hold placeholders
                    written = Table.model_validate(part["table"])
                    parts.append(
                        written.model_copy(
                            update={
                                "columns": [c.format_map(plain) for c in written.columns],
                                "rows": [
                                    [str(c).format_map(plain) for c in r] for r in written.rows
                                ],
                            }
                        )
                    )
                else:
                    parts += _fill_text(part["text"], values, plain)
            kept = [p for p in parts if isinstance(p, Table) or p.strip()]
            if kept or not raw:  # a section whose every part is empty is left out
                sections.append(Section(heading=s.heading.format_map(plain), parts=kept))
        return Deliverable(
            agent=agent,
            lang=lang,
            title=layout.title.format_map(plain),
            path=path,
            fields=[
                (k.format_map(plain), v.format_map(plain))
                for k, v in layout.fields
                if not (names := PLACEHOLDER.findall(v)) or any(n in values for n in names)
            ],
            sections=[s for s in sections if s.parts],
            method=layout.method.format_map(plain).strip(),
            document=self.document,
        )


def _fill_text(text: str, values: dict[str, Any], plain: dict) -> list[Part]:
    """Text with placeholders, split where a placeholder's value is a table or a list of parts."""
    parts: list[Part] = []
    pos = 0
    for match in PLACEHOLDER.finditer(text):
        value = values.get(match.group(1))
        if isinstance(value, (Table, list)):
            parts.append(text[pos : match.start()].format_map(plain))
            parts += [value] if isinstance(value, Table) else value
            pos = match.end()
    parts.append(text[pos:].format_map(plain))
    return parts
