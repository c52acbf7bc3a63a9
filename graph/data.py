"""Tables users bring (a CSV or XLSX shared in the thread, or a path in ``marketing-bot chat``),
read with pandas and turned into calculator inputs, with errors that name the file, column and row.
pandas is imported by the functions that read a table: a worker that is never given a file does
not load it (a quarter of a second at every start).

A shared file travels in the graph state as ``{"name": str, "text": str}`` (CSV text; an XLSX is
converted to CSV when it is read in), at most MAX_BYTES.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel

from graph.calculators.attribution import Journey
from graph.i18n import t
from graph.text import fold

if TYPE_CHECKING:
    import pandas as pd

MAX_BYTES = (
    25 * 1024 * 1024
)  # larger files are refused before parsing (a 200,000-row export is 8 MB)
MAX_ROWS = 200_000


class DataError(ValueError):
    """A file the bot cannot use: ``key`` names the reason in the catalogues (``data.*``) and
    ``values`` fill it; ``message(lang)`` says it in French or English."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(t("en", key, **values))

    def message(self, lang: str) -> str:
        return t(lang, self.key, **self.values)


def load_file(name: str, content: bytes) -> dict:
    """A shared file as ``{"name", "text"}`` CSV text: UTF-8 (with or without BOM) or Windows-1252
    CSV/TSV, or the first sheet of an XLSX. Raises DataError for a too large, empty or binary file."""
    import pandas as pd

    if len(content) > MAX_BYTES:
        raise DataError("data.name_larger_than_value", name=name, value=MAX_BYTES // 1024 // 1024)
    if not content.strip():
        raise DataError("data.name_empty", name=name)
    if name.lower().endswith((".xlsx", ".xlsm")):
        try:
            frame = pd.read_excel(io.BytesIO(content), sheet_name=0)
        except Exception as err:  # openpyxl raises many kinds for a damaged workbook
            raise DataError("data.name_not_readable_excel", name=name, err=err) from err
        return {"name": name, "text": frame.to_csv(index=False)}
    if b"\x00" in content[:4096]:
        raise DataError("data.name_not_csv_text", name=name)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return {"name": name, "text": content.decode(encoding)}
        except UnicodeDecodeError:
            continue
    raise DataError("data.name_unreadable_encoding_utf", name=name)


def load_path(path: str) -> dict:
    """``load_file`` for a file on disk (``marketing-bot chat``). Raises DataError when it cannot be read."""
    try:
        return load_file(Path(path).name, Path(path).read_bytes())
    except OSError as err:
        raise DataError("data.cannot_read_path_strerror", path=path, strerror=err.strerror) from err


def frame(file: dict) -> pd.DataFrame:
    """The table of a loaded file, columns folded to lower case without accents. Separator sniffed
    (comma, semicolon, tab). Raises DataError when it is not a table."""
    import pandas as pd

    try:
        table = pd.read_csv(io.StringIO(file["text"]), sep=None, engine="python", nrows=MAX_ROWS)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError, ValueError) as err:
        raise DataError("data.name_not_readable_csv", name=file["name"], err=err) from err
    if table.empty or len(table.columns) < 2:
        raise DataError("data.name_at_least_two", name=file["name"])
    table.columns = [fold(str(c)).strip().replace(" ", "_") for c in table.columns]
    return table


def _maybe_column(table: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that is a column of ``table``, or None."""
    return next((name for name in names if name in table.columns), None)


def _column(table: pd.DataFrame, file: dict, names: tuple[str, ...]) -> str:
    """The first of ``names`` that is a column of ``table``. Raises DataError naming the file,
    the column expected and the columns found."""
    name = _maybe_column(table, names)
    if name is None:
        found = ", ".join(table.columns)
        raise DataError(
            "data.name_missing_column_value", name=file["name"], value=names[0], found=found
        )
    return name


def _numbers(table: pd.DataFrame, column: str, file: dict) -> pd.Series:
    import pandas as pd

    values = pd.to_numeric(
        table[column].astype(str).str.replace(",", ".").str.replace(r"[\s€$]", "", regex=True),
        errors="coerce",
    )
    bad = values[values.isna() | (values < 0)]
    if len(bad):
        row = int(bad.index[0]) + 2  # header is line 1
        raw = table[column].iloc[int(bad.index[0])]
        raise DataError(
            "data.name_line_row_column", name=file["name"], row=row, column=column, raw=raw
        )
    return values


def _times(table: pd.DataFrame, column: str, file: dict) -> pd.Series:
    """``column`` parsed as UTC timestamps. Raises DataError naming the first unreadable row."""
    import pandas as pd

    times = pd.to_datetime(table[column], errors="coerce", utc=True)
    if times.isna().any():
        row = int(times[times.isna()].index[0])
        raise DataError(
            "data.name_line_value_unreadable",
            name=file["name"],
            value=row + 2,
            value2=table[column].iloc[row],
        )
    return times


PATH_COLUMNS = ("path", "touchpoints", "parcours", "chemin", "journey_path")
CHANNEL_COLUMNS = ("channel", "canal", "source", "touchpoint")
TIME_COLUMNS = ("timestamp", "date", "time", "horodatage")
VALUE_COLUMNS = ("value", "valeur", "revenue", "ca")


def journeys(file: dict) -> list[Journey]:
    """Journeys from either shape of CSV.

    Paths: ``path`` ("search > email"), ``conversions`` (or ``converted`` 0/1), optional ``nulls``
    and ``value`` (€). Touches: ``journey_id``, ``channel``, ``timestamp``, ``converted`` (0/1 on the
    journey's rows), optional ``value``. Raises DataError naming the missing column or bad row."""
    import pandas as pd

    table = frame(file)
    path_col = _maybe_column(table, PATH_COLUMNS)
    if path_col:
        conv_col = _column(table, file, ("conversions", "converted", "conversion"))
        conv = _numbers(table, conv_col, file)
        nulls_col = _maybe_column(table, ("nulls", "non_conversions"))
        nulls = _numbers(table, nulls_col, file) if nulls_col else (conv == 0).astype(float)
        value_col = _maybe_column(table, VALUE_COLUMNS)
        value = _numbers(table, value_col, file) if value_col else pd.Series(0.0, index=table.index)
        out = []
        for i, raw in table[path_col].items():
            channels = [
                c.strip()
                for c in str(raw).replace("→", ">").split(">")
                if c.strip() and str(raw) != "nan"
            ]
            if not channels:
                raise DataError("data.name_line_value_empty", name=file["name"], value=int(i) + 2)
            out.append(
                Journey(
                    channels=channels,
                    conversions=float(conv[i]),
                    nulls=float(nulls[i]),
                    value=float(value[i]),
                )
            )
        return out
    id_col = _column(table, file, ("journey_id", "user_id", "user", "id", "parcours_id"))
    channel_col = _column(table, file, CHANNEL_COLUMNS)
    time_col = _column(table, file, TIME_COLUMNS)
    conv_col = _column(table, file, ("converted", "conversion", "conversions"))
    value_col = _maybe_column(table, VALUE_COLUMNS)
    table = table.assign(
        _t=_times(table, time_col, file),
        _c=_numbers(table, conv_col, file),
        _v=_numbers(table, value_col, file) if value_col else 0.0,
    ).sort_values([id_col, "_t"], kind="stable")
    return _touch_journeys(table, id_col, channel_col)


def _touch_journeys(table: pd.DataFrame, id_col: str, channel_col: str) -> list[Journey]:
    """One Journey per ``id_col`` of touches sorted by journey and time (``_t``, ``_c`` converted,
    ``_v`` value): its channels in order, days from each touch to the last, converted when any
    row says so. Group-bys over every journey at once, then one split of the columns."""
    group = table.groupby(id_col, sort=False)
    days = (group["_t"].transform("max") - table["_t"]).dt.total_seconds().to_numpy() / 86400
    converted = (group["_c"].max() > 0).to_numpy()
    value = group["_v"].max().to_numpy()
    bounds = np.flatnonzero(table[id_col].to_numpy()[1:] != table[id_col].to_numpy()[:-1]) + 1
    channels = np.split(table[channel_col].astype(str).str.strip().to_numpy(), bounds)
    return [
        Journey(
            channels=list(names),
            days_before=list(before),
            conversions=float(won),
            nulls=1 - float(won),
            value=float(worth) if won else 0.0,
        )
        for names, before, won, worth in zip(channels, np.split(days, bounds), converted, value)
    ]


OUTCOME_COLUMNS = ("revenue", "ca", "chiffre_d'affaires", "conversions", "ventes", "leads", "value")
REVENUE_COLUMNS = ("revenue", "ca", "chiffre_d'affaires", "value")


def history_outcome(file: dict) -> str:
    """What the outcome of a spend history ``file`` counts (:func:`channel_history`): 'revenue'
    (money) or 'conversions' (conversions, sales or leads). Raises DataError."""
    table = frame(file)
    return "revenue" if _column(table, file, OUTCOME_COLUMNS) in REVENUE_COLUMNS else "conversions"


def channel_history(file: dict) -> dict[str, tuple[list[float], list[float]]]:
    """Per channel, (spend €, outcome) per period from ``channel``, ``spend`` and one of
    ``revenue``/``conversions`` columns (one row per channel and period). Raises DataError."""
    table = frame(file)
    channel_col = _column(table, file, CHANNEL_COLUMNS)
    spend = _numbers(
        table,
        _column(table, file, ("spend", "depense", "depenses", "cost", "cout", "budget")),
        file,
    )
    outcome = _numbers(table, _column(table, file, OUTCOME_COLUMNS), file)
    history: dict[str, tuple[list[float], list[float]]] = {}
    for channel, s, o in zip(table[channel_col].astype(str).str.strip(), spend, outcome):
        history.setdefault(channel, ([], []))
        history[channel][0].append(float(s))
        history[channel][1].append(float(o))
    return history


STEP_COLUMNS = ("step", "etape", "stage", "event", "evenement", "etapes", "steps")
COUNT_COLUMNS = (
    "count",
    "volume",
    "users_count",
    "nombre",
    "visiteurs",
    "visitors",
    "sessions",
    "visites",
    "visits",
    "people",
    "personnes",
    "total",
    "nb",
    "effectif",
    "n",
)


def _count_column(table: pd.DataFrame, step_col: str) -> str | None:
    """The first column besides the step's whose every value is a whole number (``users``,
    ``utilisateurs``, ``leads``…): a table of steps without timestamps gives counts per step."""
    import pandas as pd

    for column in table.columns:
        values = pd.to_numeric(
            table[column].astype(str).str.replace(r"[\s\u00a0\u202f]", "", regex=True),
            errors="coerce",
        )
        if column != step_col and values.notna().all() and (values % 1 == 0).all():
            return column
    return None


def funnel(file: dict) -> tuple[list[tuple[str, int]], dict[str, float]]:
    """(steps as (label, people), median hours from the previous step by step label).

    Either step counts (a ``STEP_COLUMNS`` column and a ``COUNT_COLUMNS`` one, or with no timestamp
    any whole-number column: ``step,users``; no timing), or events (``user``, ``step``, ``timestamp``): steps ordered by how many people reach them, a
    person counted at a step when they did every earlier step before it. Raises DataError."""
    table = frame(file)
    step_col = _column(table, file, STEP_COLUMNS)
    count_col = _maybe_column(table, COUNT_COLUMNS)
    if count_col is None and _maybe_column(table, TIME_COLUMNS) is None:
        count_col = _count_column(
            table, step_col
        )  # "step,users": no timestamps, so counts per step
    if count_col:
        counts = _numbers(table, count_col, file)
        return [(str(s), int(c)) for s, c in zip(table[step_col], counts)], {}
    user_col = _column(table, file, ("user", "user_id", "utilisateur", "visitor_id", "client_id"))
    time_col = _column(table, file, TIME_COLUMNS)
    events = table.assign(
        _t=_times(table, time_col, file), _s=table[step_col].astype(str).str.strip()
    )
    order = list(events.groupby("_s")[user_col].nunique().sort_values(ascending=False).index)
    if len(order) < 2:
        raise DataError("data.name_at_least_two_2", name=file["name"])
    return _reached(events, user_col, order)


def _reached(
    events: pd.DataFrame, user_col: str, order: list[str]
) -> tuple[list[tuple[str, int]], dict[str, float]]:
    """People at each step of ``order`` (a person counts at a step when they did every earlier one
    first: their first time at each step never goes back) and the median hours from the previous
    step, with pandas group-bys over every person at once (not a loop per person)."""
    first = events.groupby([user_col, "_s"])["_t"].min().unstack("_s").reindex(columns=order)
    ok = first[order[0]].notna()
    reached, gaps = [(order[0], int(ok.sum()))], {}
    for before, step in zip(order, order[1:]):
        ok = ok & first[step].notna() & (first[step] >= first[before])
        reached.append((step, int(ok.sum())))
        hours = (first.loc[ok, step] - first.loc[ok, before]).dt.total_seconds() / 3600
        if len(hours):
            gaps[step] = float(hours.median())
    return reached, gaps


def ice_items(file: dict) -> list[dict]:
    """ICE backlog rows [{'idea', 'impact', 'confidence', 'ease'}] from ``idea`` (or ``idee``,
    ``name``), ``impact``, ``confidence`` (``confiance``) and ``ease`` (``facilite``) columns, each
    score 1-10. Raises DataError naming the missing column or the bad row."""
    table = frame(file)
    idea = _column(table, file, ("idea", "idee", "name", "nom", "initiative"))
    scores = {
        key: _numbers(table, _column(table, file, names), file)
        for key, names in (
            ("impact", ("impact",)),
            ("confidence", ("confidence", "confiance")),
            ("ease", ("ease", "facilite")),
        )
    }
    items = []
    for i in table.index:
        row = {key: int(values[i]) for key, values in scores.items()}
        if not all(1 <= v <= 10 for v in row.values()):
            raise DataError("data.name_line_value_ice", name=file["name"], value=int(i) + 2)
        items.append({"idea": str(table[idea][i]), **row})
    return items


def kind_of(file: dict) -> str | None:
    """The specialist a table is for, from its columns: journeys -> 'attribution', spend and
    revenue by channel -> 'budget-allocation', funnel steps or events -> 'funnel-analysis', ICE
    scores -> 'growth-hacking', people or companies -> 'lead-scoring'; None when it is not a
    table or fits none."""
    try:
        columns = set(frame(file).columns)
    except DataError:
        return None
    if columns & set(PATH_COLUMNS) or {"journey_id", "converted"} <= columns:
        return "attribution"
    if columns & {"impact"} and columns & {"ease", "facilite"}:
        return "growth-hacking"
    if columns & set(CHANNEL_COLUMNS) and columns & {
        "spend",
        "depense",
        "depenses",
        "cost",
        "cout",
        "budget",
    }:
        return "budget-allocation"
    if columns & set(STEP_COLUMNS):
        return "funnel-analysis"
    if columns & {
        "email",
        "job_title",
        "title",
        "poste",
        "company",
        "entreprise",
        "company_size",
        "taille",
    }:
        return "lead-scoring"
    return None


SIZE_COLUMNS = (
    "company_size",
    "employees",
    "employes",
    "salaries",
    "effectif",
    "taille",
    "headcount",
    "size",
    "nb_salaries",
)
ASK_COLUMNS = (
    "demo",
    "demo_requested",
    "demande_demo",
    "demande_de_demo",
    "quote",
    "devis",
    "pricing_request",
    "demande_tarif",
    "demande_de_devis",
    "contact_sales",
    "rdv",
    "meeting",
)
_YES, _NO = (
    {"yes", "y", "oui", "true", "vrai", "1", "x", "ok"},
    {"no", "n", "non", "false", "faux", "0", "", "nan", "-"},
)


class LeadRow(BaseModel):
    """One lead of a shared file: ``name``; ``description``, what the scoring rules read (each
    filled cell as "column: value", a yes/no column as its name when yes, nothing when no or 0, a
    company size as "N employees"); ``company_size`` in employees when a size column gives it;
    ``asked``: the yes/no column that says the lead asked for a demo, a quote or pricing."""

    name: str
    description: str
    company_size: float | None = None
    asked: str | None = None


def _cell(column: str, value) -> tuple[str, float | None, bool]:
    """(words for the scoring rules, company size, a yes in an ask column) of one cell."""
    import pandas as pd

    raw = fold(str(value)).strip()
    number = pd.to_numeric(raw.replace(" ", "").replace(",", "."), errors="coerce")
    label = column.replace("_", " ")
    if column in SIZE_COLUMNS and pd.notna(number):
        return f"{int(number)} employees", float(number), False
    if raw in _YES:
        return label, None, column in ASK_COLUMNS
    if raw in _NO or (pd.notna(number) and number == 0):
        return "", None, False
    return f"{label}: {value}", None, False


def lead_rows(file: dict) -> list[LeadRow]:
    """The leads of a shared table, one per row, named by ``name``/``nom``/``email``/``lead`` (else
    the row number); see :class:`LeadRow` for how each row's cells are read. Raises DataError."""
    table = frame(file)
    name_col = _maybe_column(table, ("name", "nom", "email", "lead", "company", "entreprise"))
    rows = []
    for i, row in table.iterrows():
        cells = [(column, *_cell(column, value)) for column, value in row.items()]
        sizes = [size for _, _, size, _ in cells if size is not None]
        rows.append(
            LeadRow(
                name=str(row[name_col]) if name_col else f"#{int(i) + 1}",
                description="; ".join(words for _, words, _, _ in cells if words),
                company_size=max(sizes) if sizes else None,
                asked=next((column for column, _, _, ask in cells if ask), None),
            )
        )
    return rows
