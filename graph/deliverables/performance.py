"""Builders of the performance orchestrator's specialists (seeds/performance-orchestrator.md):
conversion-optimization, funnel-optimization, personalization, experimentation.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

import re
from graph.calculators import abtest
from graph.formatting import bullets, eur, num, pct, table, tr
from graph.understanding import Understanding
from graph.deliverables import builder, funnel_values


@builder("conversion-optimization")
def conversion_optimization(inputs, lang, request):
    traffic, rate, aov = inputs["monthly_traffic"], inputs["conversion_rate"], inputs.get("aov")
    target = rate * 1.2
    extra = traffic * (target - rate) / 100
    potential = (tr(lang, f"+{eur(extra * aov, lang)}/mois", f"+{eur(extra * aov, lang)}/month") if aov
                 else tr(lang, f"+{num(extra, lang)} conversions/mois", f"+{num(extra, lang)} conversions/month"))
    tests = table([tr(lang, "Test", "Test"), tr(lang, "Hypothèse", "Hypothesis"), tr(lang, "Priorité", "Priority")],
                  [[tr(lang, "CTA principal", "Main CTA"), tr(lang, "Un bénéfice explicite augmente les clics", "An explicit benefit raises clicks"), "P1"],
                   [tr(lang, "Formulaire court", "Short form"), tr(lang, "Moins de champs = plus de complétion", "Fewer fields = more completions"), "P1"],
                   [tr(lang, "Preuve sociale", "Social proof"), tr(lang, "Des avis rassurent avant l'achat", "Reviews reassure before purchase"), "P2"]])
    values = {
        "site": tr(lang, "site", "site"), "monthly_traffic": tr(lang, f"{num(traffic, lang)} visiteurs", f"{num(traffic, lang)} visitors"),
        "conversion_rate": pct(rate, lang, 2), "target_rate": pct(target, lang, 2), "revenue_potential": potential,
        "audit": tr(lang, f"Au taux actuel, {num(traffic * rate / 100, lang)} conversions/mois. Priorité aux pages à fort trafic ; combiner analytics, heatmaps et sondages pour comprendre le « pourquoi ».",
                    f"At the current rate, {num(traffic * rate / 100, lang)} conversions/month. Start with high-traffic pages; combine analytics, heatmaps and surveys to understand the “why”."),
        "tests": tests,
        "method": tr(lang, "Objectif = taux actuel × 1,2 (+20 % relatif) ; potentiel = trafic mensuel × (objectif − actuel)" + (" × panier moyen" if aov else "") + ". Priorisation ICE du seed performance.",
                     "Goal = current rate × 1.2 (+20% relative); potential = monthly traffic × (goal − current)" + (" × average order value" if aov else "") + ". ICE prioritisation from the performance seed."),
    }
    return values, {}


@builder("funnel-optimization")
def funnel_optimization(inputs, lang, request):
    rows, leak, overall, values = funnel_values(inputs, lang)
    i = rows.index(leak)
    # Gain: the leak's drop-off cut by 10 % relative, everything downstream converting as today.
    new_conv = 100 - leak["drop"] * 0.9
    end_ratio = rows[-1]["count"] / leak["count"] if leak["count"] else 0
    gain = rows[i - 1]["count"] * (new_conv - leak["conversion"]) / 100 * end_ratio
    values["gain"] = tr(lang, f"+{num(gain, lang)} conversions finales", f"+{num(gain, lang)} final conversions")
    values["actions"] = bullets([
        tr(lang, "Mesurer le pourquoi : enregistrements de session et sondage de sortie sur cette étape.", "Find the why: session recordings and an exit survey on this step."),
        tr(lang, "Supprimer les frictions : champs inutiles, coûts cachés, création de compte obligatoire.", "Remove friction: useless fields, hidden costs, forced account creation."),
        tr(lang, "Réassurance à l'étape : paiement sécurisé, retours, avis.", "Reassurance at the step: secure payment, returns, reviews."),
    ])
    values["method"] = tr(lang, "Diagnostic par étape (méthode funnel-analysis) ; gain = volume entrant × (baisse de 10 % du drop-off) × passage actuel jusqu'à la fin.",
                          "Per-step diagnostic (funnel-analysis method); gain = incoming volume × (10% lower drop-off) × current conversion to the end.")
    return values, {}


@builder("personalization")
def personalization(inputs, lang, request):
    segments = [s.strip() for s in str(inputs["segments"]).replace(" et ", ",").replace(" and ", ",").split(",") if s.strip()]
    rows = [[s, tr(lang, "Message et offre adaptés au segment", "Message and offer tailored to the segment"),
             tr(lang, "Taux de conversion du segment", "Segment conversion rate")] for s in segments]
    values = {
        "segments": ", ".join(segments), "experience_count": str(len(segments)),
        "experiences": table(["Segment", tr(lang, "Expérience", "Experience"), "KPI"], rows),
        "method": tr(lang, "Un segment = une expérience mesurée contre un groupe témoin ; segmentation avant automation (seed automation).",
                     "One segment = one experience measured against a holdout; segmentation before automation (automation seed)."),
    }
    return values, {}


def _test_setup(request: Understanding) -> tuple[int, float]:
    """(variants including control, % of the page's traffic in the test) stated in the request
    ("3 variantes", "A/B/C", "50 % du trafic"); (2, 100) when not said."""
    variants = int(request.value("variants") or 2)
    share = request.value("traffic_share") or 100.0
    if re.search(r"\ba/b/c/d\b", request.text):
        variants = max(variants, 4)
    elif re.search(r"\ba/b/c\b", request.text):
        variants = max(variants, 3)
    return variants, share


@builder("experimentation")
def experimentation(inputs, lang, request):
    mde = inputs["mde"]
    variants, share = _test_setup(request)
    result = abtest.sample_size(abtest.SampleSizeInput(
        baseline_rate=inputs["baseline_rate"], mde=mde["value"], mde_unit=mde["unit"], daily_traffic=inputs["daily_traffic"],
        variants=variants, traffic_share=share))
    mde_text = (tr(lang, f"+{num(mde['value'], lang, 2)} point", f"+{num(mde['value'], lang, 2)} point") if mde["unit"] == "pt"
                else tr(lang, f"+{num(mde['value'], lang, 1)} % relatif", f"+{num(mde['value'], lang, 1)}% relative"))
    weeks = result.duration_days / 7
    exposed = inputs["daily_traffic"] * share / 100
    split = "/".join([str(round(100 / variants))] * variants)
    schedule = bullets([
        tr(lang, f"J0 : lancement, trafic réparti {split} entre {variants} versions ({num(exposed, lang)} visiteurs/jour dans le test).",
           f"D0: launch, traffic split {split} across {variants} versions ({num(exposed, lang)} visitors/day in the test)."),
        tr(lang, f"J+{result.duration_days} : échantillon atteint ({num(weeks, lang, 1)} semaines) — lecture du résultat.",
           f"D+{result.duration_days}: sample reached ({num(weeks, lang, 1)} weeks) — read the result."),
    ])
    values = {
        "baseline": pct(result.baseline_rate, lang, 2), "target": pct(result.target_rate, lang, 2), "mde": mde_text,
        "n_per_variant": num(result.n_per_variant, lang), "n_total": num(result.n_total, lang), "variants": str(variants),
        "duration_days": str(result.duration_days), "schedule": schedule,
        "method": tr(lang, f"Taille d'échantillon : {result.method}. Durée = total / visiteurs quotidiens dans le test ({num(share, lang)} % du trafic), arrondie au jour supérieur.",
                     f"Sample size: {result.method}. Duration = total / daily visitors in the test ({num(share, lang)}% of traffic), rounded up to whole days."),
    }
    return values, {}
