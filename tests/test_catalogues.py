"""Interface text lives in the catalogues (prompts/locales/<lang>.yaml, each specialist's labels),
not in the code: both languages say the same things, every key the code asks for exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graph.i18n import catalogue, t

ROOT = Path(__file__).resolve().parents[1]
CODE = sorted((ROOT / "bot").rglob("*.py")) + sorted((ROOT / "graph").rglob("*.py"))
FRENCH = re.compile(r"[éèêàçùîô]|\b(le|la|les|des|du|une|pour|avec|sans|sur)\b", re.I)
# Modules that read what users write: their French and English words are vocabulary, not interface text.
VOCABULARY = {
    "graph/understanding/numbers.py",
    "graph/understanding/dates.py",
    "graph/understanding/reader.py",
    "graph/understanding/entities.py",
    "graph/understanding/lexicon.py",
    "graph/text.py",
    "graph/router.py",
    "graph/calculators/kpi.py",
    "graph/calculators/lead_scoring.py",
    "graph/nodes/routing.py",
    "graph/escalation.py",
    "graph/understanding/binding.py",
    "graph/understanding/slots.py",
    "graph/data.py",
}


def test_both_languages_have_the_same_keys_and_placeholders():
    fr, en = catalogue("fr"), catalogue("en")
    assert set(fr) == set(en), set(fr) ^ set(en)
    for key in fr:
        if isinstance(fr[key], list):
            assert len(fr[key]) == len(en[key]), key
        else:
            assert set(re.findall(r"\{(\w+)", fr[key])) == set(re.findall(r"\{(\w+)", en[key])), key


def test_every_key_the_code_names_exists():
    keys = set(catalogue("fr"))
    named = {
        (path.relative_to(ROOT).as_posix(), node.args[1].value)
        for path in CODE
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in ("t", "items")
        and len(node.args) == 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    }
    assert named and all(key in keys for _, key in named), sorted(
        n for n in named if n[1] not in keys
    )


def test_no_inline_french_english_pairs_in_the_code():
    """No French/English pair of literals side by side (a tuple, a call's arguments), and no
    literal chosen by ``lang == 'fr'`` outside the catalogue reader and the locale formatting."""
    pairs, choices = [], []
    for path in CODE:
        name = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.IfExp)
                and "lang ==" in ast.unparse(node.test)
                and name not in ("graph/i18n.py", "graph/formatting.py")
            ):
                if any(
                    isinstance(x, (ast.Constant, ast.JoinedStr)) for x in (node.body, node.orelse)
                ):
                    choices.append(f"{name}:{node.lineno}")
            if name in VOCABULARY or not isinstance(node, (ast.Tuple, ast.List, ast.Call)):
                continue
            elts = node.args if isinstance(node, ast.Call) else node.elts
            texts = [
                ast.unparse(e)
                for e in elts
                if isinstance(e, ast.JoinedStr)
                or (isinstance(e, ast.Constant) and isinstance(e.value, str))
            ]
            pairs += [
                f"{name}:{node.lineno}"
                for a, b in zip(texts, texts[1:])
                if FRENCH.search(a) and not FRENCH.search(b) and len(b) > 5
            ]
    assert not pairs and not choices, (pairs, choices)


@pytest.mark.parametrize("lang, expected", [("fr", "Routage : a → b"), ("en", "Routing: a → b")])
def test_t_fills_placeholders_in_the_language(lang, expected):
    assert t(lang, "stream.route", path="a → b") == expected
    with pytest.raises(KeyError):
        t(lang, "no.such.key")
