"""Number formatting in the user's language: French '19 716', '3,5 %', '12 000 €'; English '19,716', '3.5%', '€12,000'."""

from __future__ import annotations

import math

from graph.document import Table


def tr(lang: str, fr: str, en: str) -> str:
    """The French or English text for ``lang``."""
    return en if lang == "en" else fr


def num(value: float, lang: str, decimals: int = 0) -> str:
    """A number with thousands separators and ``decimals`` decimals."""
    text = f"{value:,.{decimals}f}"
    return text if lang == "en" else text.replace(",", " ").replace(".", ",")


def pvalue(p: float, lang: str) -> str:
    """A p-value: 4 decimals from 0.01 ('0,0773'), 3 significant digits below ('0,00275'), and
    '< 0,0001' under 0.0001."""
    if p >= 0.01:
        return num(p, lang, 4)
    if p >= 1e-4:
        return num(p, lang, 2 - math.floor(math.log10(p)))
    return "< " + num(0.0001, lang, 4)


def pct(value: float, lang: str, decimals: int = 1) -> str:
    """A percentage given in % units (3.5 -> '3,5 %' / '3.5%')."""
    return f"{num(value, lang, decimals)}%" if lang == "en" else f"{num(value, lang, decimals)} %"


def money(value: float, lang: str, currency: str = "€", decimals: int = 0) -> str:
    """An amount in ``currency`` ('€', '$', '£'): '12 000 €' / '€12,000', '18 000 $' / '$18,000'."""
    return f"{currency}{num(value, lang, decimals)}" if lang == "en" else f"{num(value, lang, decimals)} {currency}"


def eur(value: float, lang: str, decimals: int = 0) -> str:
    """An amount in euros."""
    return money(value, lang, "€", decimals)


def table(header: list[str], rows: list[list[str]]) -> Table:
    """A table of a deliverable (cells as given, already formatted)."""
    return Table(columns=header, rows=[[str(c) for c in row] for row in rows])


def bullets(items: list[str]) -> str:
    """A Markdown bullet list."""
    return "\n".join(f"- {item}" for item in items)
