"""Builders of the acquisition orchestrator's specialists (seeds/marketing-ops.md): email-marketing,
growth-hacking.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

from graph import data
from graph.calculators import ice
from graph.formatting import num, pct, table, tr
from graph.deliverables import builder


@builder("email-marketing")
def email_marketing(inputs, lang, request):
    size, open_rate = inputs["list_size"], inputs.get("open_rate")
    values = {
        "list_size": tr(lang, f"{num(size, lang)} contacts", f"{num(size, lang)} contacts"),
        "open_rate": pct(open_rate, lang) if open_rate else tr(lang, "non fourni", "not given"),
        "expected_opens": num(size * open_rate / 100, lang) if open_rate else "—",
        "kpis": table([tr(lang, "Métrique", "Metric"), tr(lang, "Formule", "Formula")],
                      [["Open rate", tr(lang, "Ouvertures uniques / Emails délivrés × 100", "Unique opens / Delivered × 100")],
                       ["CTR", tr(lang, "Clics uniques / Emails délivrés × 100", "Unique clicks / Delivered × 100")],
                       ["Deliverability", tr(lang, "Emails délivrés / Emails envoyés × 100", "Delivered / Sent × 100")]]),
        "method": tr(lang, "Ouvertures attendues = taille de base × taux d'ouverture actuel. Métriques email du seed marketing-ops.",
                     "Expected opens = list size × current open rate. Email metrics from the marketing-ops seed."),
    }
    return values, {}


@builder("growth-hacking")
def growth_hacking(inputs, lang, request):
    ideas = data.ice_items(inputs["files"][-1]) if inputs.get("files") else inputs["ideas"]
    items = ice.rank([ice.IceItem(**i) for i in ideas])
    rows = [[str(n), it.idea, str(it.impact), str(it.confidence), str(it.ease), str(it.score)] for n, it in enumerate(items, 1)]
    scores = [it.score for it in items]
    tied = sorted({s for s in scores if scores.count(s) > 1}, reverse=True)
    ties = "" if not tied else "- " + tr(lang, f"Égalités ICE ({', '.join(map(str, tied))}) départagées par l'Impact, puis la Facilité.",
                                          f"ICE ties ({', '.join(map(str, tied))}) broken by Impact, then Ease.")
    values = {
        "idea_count": str(len(items)), "top_idea": items[0].idea,
        "ice_table": table(["#", tr(lang, "Idée", "Idea"), "I", "C", "E", "ICE"], rows), "ties": ties,
        "method": tr(lang, "Framework ICE du seed performance : score = Impact × Confiance × Facilité (chacun de 1 à 10), trié du plus haut au plus bas.",
                     "ICE framework from the performance seed: score = Impact × Confidence × Ease (each 1-10), sorted highest first."),
    }
    return values, {}
