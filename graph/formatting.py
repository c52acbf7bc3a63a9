"""Numbers, percentages, amounts and dates in the user's locale, formatted with Babel (CLDR
data): French '19 716', '3,5 %', '12 000 €', '01/03/2027'; English '19,716', '3.5%', '€12,000',
'2027-03-01'.

Babel writes French digit groups with a narrow no-break space (U+202F) and '%' / '€' after a
no-break space; both become plain spaces here, because our own number reader, Slack's search and
the spreadsheets users paste figures into read plain spaces.
"""

from __future__ import annotations

import math
from datetime import date

from babel.dates import format_date, get_day_names
from babel.numbers import format_currency, format_decimal, format_percent

from graph.document import Table
from graph.i18n import t

LOCALES = {"fr": "fr_FR", "en": "en_US"}
CURRENCIES = {"€": "EUR", "$": "USD", "£": "GBP"}  # the symbols the understanding layer reads


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "fr_FR")


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def num(value: float, lang: str, decimals: int = 0) -> str:
    """A number with the locale's digit grouping and exactly ``decimals`` decimals (Babel
    format_decimal): 19716 -> '19 716' / '19,716'."""
    return _plain(
        format_decimal(
            value, format=_pattern(decimals), locale=_locale(lang), decimal_quantization=True
        )
    )


def pvalue(p: float, lang: str) -> str:
    """A p-value: 4 decimals from 0.01 ('0,0773'), 3 significant digits below ('0,00275'), and
    '< 0,0001' under 0.0001."""
    if p >= 0.01:
        return num(p, lang, 4)
    if p >= 1e-4:
        return num(p, lang, 2 - math.floor(math.log10(p)))
    return "< " + num(0.0001, lang, 4)


def p_is(p: float, lang: str) -> str:
    """A p-value in a sentence: 'p = 0,0300', or 'p < 0,0001' under 0.0001 (:func:`pvalue`)."""
    shown = pvalue(p, lang)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def pct(value: float, lang: str, decimals: int = 1) -> str:
    """A percentage given in % units (3.5 -> '3,5 %' / '3.5%'), with the locale's percent pattern
    (Babel format_percent)."""
    pattern = _pattern(decimals) + (" %" if lang != "en" else "%")
    return _plain(
        format_percent(value / 100, format=pattern, locale=_locale(lang), decimal_quantization=True)
    )


def money(value: float, lang: str, currency: str = "€", decimals: int = 0) -> str:
    """An amount in ``currency`` (a symbol, '€', '$', '£', or an ISO code) with the locale's
    currency pattern and symbol (Babel format_currency): '12 000 €' / '€12,000', '18 000 $US' /
    '$18,000'."""
    code = CURRENCIES.get(currency, currency)
    pattern = _pattern(decimals) + " ¤" if lang != "en" else "¤" + _pattern(decimals)
    return _plain(
        format_currency(
            value,
            code,
            format=pattern,
            locale=_locale(lang),
            currency_digits=False,
            decimal_quantization=True,
        )
    )


def eur(value: float, lang: str, decimals: int = 0) -> str:
    """An amount in euros."""
    return money(value, lang, "€", decimals)


def date_text(value: str | date, lang: str) -> str:
    """A date with the language's pattern (catalogue key ``formats.date``; Babel format_date):
    '01/03/2027' / '2027-03-01'."""
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(value, format=t(lang, "formats.date"), locale=_locale(lang))


def weekday_name(iso_day: int, lang: str) -> str:
    """The name of ISO weekday ``iso_day`` (1 Monday … 7 Sunday) in the language (Babel
    get_day_names, wide): 'mardi' / 'Tuesday'."""
    return str(get_day_names("wide", locale=_locale(lang))[iso_day - 1])


def table(header: list[str], rows: list[list[str]]) -> Table:
    """A table of a deliverable (cells as given, already formatted)."""
    return Table(columns=header, rows=[[str(c) for c in row] for row in rows])


def bullets(items: list[str]) -> str:
    """A Markdown bullet list."""
    return "\n".join(f"- {item}" for item in items)
