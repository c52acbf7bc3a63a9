"""Builders of the acquisition orchestrator's specialists (seeds/marketing-ops.md): email-marketing,
growth-hacking.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

from graph import data
from graph.calculators import ice
from graph.deliverables import builder
from graph.formatting import num, pct, table
from graph.i18n import t


@builder("email-marketing")
def email_marketing(inputs, lang, request):
    size, open_rate = inputs["list_size"], inputs.get("open_rate")
    values = {
        "list_size": t(lang, "email-marketing.size_contacts", size=num(size, lang)),
        "open_rate": pct(open_rate, lang) if open_rate else t(lang, "email-marketing.not_given"),
        "expected_opens": num(size * open_rate / 100, lang) if open_rate else "—",
        "kpis": table([t(lang, "email-marketing.metric"), t(lang, "email-marketing.formula")],
                      [["Open rate", t(lang, "email-marketing.unique_opens_delivered_100")],
                       ["CTR", t(lang, "email-marketing.unique_clicks_delivered_100")],
                       ["Deliverability", t(lang, "email-marketing.delivered_sent_100")]]),
        "method": t(lang, "email-marketing.expected_opens_list_size"),
    }
    return values, {}


@builder("growth-hacking")
def growth_hacking(inputs, lang, request):
    ideas = data.ice_items(inputs["files"][-1]) if inputs.get("files") else inputs["ideas"]
    items = ice.rank([ice.IceItem(**i) for i in ideas])
    rows = [[str(n), it.idea, str(it.impact), str(it.confidence), str(it.ease), str(it.score)] for n, it in enumerate(items, 1)]
    scores = [it.score for it in items]
    tied = sorted({s for s in scores if scores.count(s) > 1}, reverse=True)
    ties = "" if not tied else "- " + t(lang, "growth-hacking.ice_ties_value_broken", value=', '.join(map(str, tied)))
    values = {
        "idea_count": str(len(items)), "top_idea": items[0].idea,
        "ice_table": table(["#", t(lang, "growth-hacking.idea"), "I", "C", "E", "ICE"], rows), "ties": ties,
        "method": t(lang, "growth-hacking.ice_framework_from_performance"),
    }
    return values, {}
