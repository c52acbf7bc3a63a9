"""Builders of the marketing-analytics orchestrator's specialists (seeds/analytics-orchestrator.md):
funnel-analysis, kpi-tracking, ab-testing, reporting, attribution.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

from statsmodels.stats.proportion import proportion_confint

from graph import data
from graph.calculators import abtest, kpi
from graph.calculators import attribution as attribution_calc
from graph.formatting import bullets, eur, money, num, pct, pvalue, table, tr
from graph.text import fold
from graph.understanding import Understanding
from graph.understanding.describe import label
from graph.understanding.lexicon import channel_group
from graph.deliverables import budget_used, builder, funnel_values, kpi_table


@builder("funnel-analysis")
def funnel_analysis(inputs, lang, request):
    hours: dict[str, float] = {}
    if inputs.get("files"):
        inputs["steps"], hours = data.funnel(inputs["files"][-1])
    rows, leak, overall, values = funnel_values(inputs, lang)
    values["timing"] = ""
    if hours:
        values["timing"] = tr(lang, "Délai médian depuis l'étape précédente : ", "Median time from the previous step: ") + ", ".join(
            f"{label} {num(h / 24, lang, 1)} j" if h >= 48 else f"{label} {num(h, lang, 1)} h" for label, h in hours.items())
    values["_charts"] = [{"title": tr(lang, "Personnes par étape du funnel", "People at each funnel step"), "kind": "grouped_bars",
                          "labels": [r["label"] for r in rows], "series": {tr(lang, "Personnes", "People"): [r["count"] for r in rows]},
                          "filename": "funnel"}]
    lost = rows[rows.index(leak) - 1]["count"] - leak["count"]
    values["reading"] = tr(lang, f"La plus grosse fuite est à l'étape « {leak['label']} » : {num(lost, lang)} personnes perdues ({pct(leak['drop'], lang)}).",
                           f"The biggest leak is at “{leak['label']}”: {num(lost, lang)} people lost ({pct(leak['drop'], lang)}).")
    values["method"] = tr(lang, "Passage = volume de l'étape / volume de l'étape précédente ; drop-off = 100 % − passage ; conversion globale = dernière étape / première.",
                          "Step conversion = step volume / previous step volume; drop-off = 100% − step conversion; overall = last step / first.")
    return values, {}


@builder("kpi-tracking")
def kpi_tracking(inputs, lang, request):
    cur = request.currency
    metrics = inputs.get("metrics") or {}
    rows, _ = kpi_table(metrics, lang, cur)
    missing = [(k, kpi.missing_for(k, metrics)) for k in kpi.requested(request.raw.split("\n")[0])]
    missing = [(k, needs) for k, needs in missing if needs]
    stages = [("Awareness", "Impressions, Reach, CPM"), ("Acquisition", tr(lang, "Trafic, Clics, CPC, CTR", "Traffic, Clicks, CPC, CTR")),
              ("Activation", "Sign-ups, Leads, CPA"), ("Revenue", "Conversions, AOV, ROAS"), ("Retention", "Churn, LTV, Repeat rate"),
              ("Referral", "NPS, K-factor, Referrals")]
    given = ", ".join(f"{label(k, lang)} {money(v, lang, cur) if k in ('revenue', 'spend', 'arpu') else num(v, lang, 2 if v % 1 else 0)}"
                      for k, v in metrics.items())
    computed = [table(["KPI", tr(lang, "Valeur", "Value"), tr(lang, "Formule", "Formula")], rows) if rows
                else tr(lang, "Aucun KPI calculable avec les chiffres fournis.", "No KPI can be computed from the figures given.")]
    budget = request.value("budget")
    if budget and metrics.get("spend"):
        computed.append(budget_used(metrics["spend"], budget, lang, cur))
    if missing:
        computed.append(bullets([tr(lang, f"{k.fr} non calculé : il manque {', '.join(label(n, lang) for n in needs)}.",
                                       f"{k.en} not computed: {', '.join(label(n, lang) for n in needs)} missing.") for k, needs in missing]))
    values = {
        "computed_count": str(len(rows)), "given": given or tr(lang, "aucun", "none"), "computed": computed,
        "plan": table([tr(lang, "Étape", "Stage"), tr(lang, "Métriques", "Metrics")], [list(s) for s in stages]),
        "method": tr(lang, "Formules des tableaux « Métriques Clés » des seeds performance et analytics, appliquées aux chiffres fournis.",
                     "Formulas from the performance and analytics seeds' “Key Metrics” tables, applied to the figures given."),
    }
    return values, {}


def _planned_sample(request: Understanding) -> int | None:
    """The planned visitors per variant stated in the request ("taille prévue 20 000 par variante",
    "planned sample 20k"), or None."""
    planned = request.all("planned_sample", any_arm=True)
    return int(planned[0].value) if planned else None


@builder("ab-testing")
def ab_testing(inputs, lang, request):
    """A/B readout: A against B, or against the best of k > 2 variants with a Bonferroni-corrected
    alpha (0.05 / (k − 1)) and a chi-square over all versions; Bayesian chance, SRM, peeking."""
    res = inputs["results"]
    if "means" in res:
        return _means_readout(res["means"], lang)
    arms = res.get("arms") or [{"label": "A", "visitors": res["visitors_a"], "conversions": res["conversions_a"]},
                                {"label": "B", "visitors": res["visitors_b"], "conversions": res["conversions_b"]}]
    control, best = arms[0], max(arms[1:], key=lambda a: a["conversions"] / a["visitors"])
    alpha = 0.05 / (len(arms) - 1)
    r = abtest.ztest(abtest.ZTestInput(visitors_a=control["visitors"], conversions_a=control["conversions"],
                                       visitors_b=best["visitors"], conversions_b=best["conversions"]))
    significant = r.p_value < alpha  # the 95 % interval stays as labelled; only the decision is corrected
    chances = {a["label"]: abtest.bayes(control["visitors"], control["conversions"], a["visitors"], a["conversions"]) for a in arms[1:]}
    bayes = chances[best["label"]]
    srm = abtest.srm([a["visitors"] for a in arms])
    planned = _planned_sample(request)
    early = planned is not None and min(a["visitors"] for a in arms) < planned
    label, k = best["label"], len(arms)
    if k == 2:
        checks = [tr(lang, f"Répartition du trafic : p = {pvalue(srm.p_value, lang)} (test du khi-deux) — "
                           + ("DÉSÉQUILIBRE (SRM) : le découpage du trafic est faussé, ne pas se fier au résultat." if srm.mismatch else "conforme au 50/50 prévu."),
                     f"Traffic split: p = {pvalue(srm.p_value, lang)} (chi-square) — "
                     + ("MISMATCH (SRM): the traffic split is broken, do not trust the result." if srm.mismatch else "consistent with the planned 50/50."))]
        alpha_text = tr(lang, "seuil alpha 0,05 bilatéral", "alpha 0.05 two-sided")
    else:
        chi = abtest.chi_square([a["visitors"] for a in arms], [a["conversions"] for a in arms])
        versus = ", ".join(f"{a['label']} {pct(a['conversions'] / a['visitors'] * 100, lang, 2)} ({pct(chances[a['label']].chance_to_beat * 100, lang, 1)})"
                           for a in arms[1:])
        checks = [tr(lang, f"Répartition du trafic entre les {k} versions : p = {pvalue(srm.p_value, lang)}" + (" — DÉSÉQUILIBRE (SRM), ne pas se fier au résultat." if srm.mismatch else " — conforme."),
                     f"Traffic split across the {k} versions: p = {pvalue(srm.p_value, lang)}" + (" — MISMATCH (SRM), do not trust the result." if srm.mismatch else " — consistent.")),
                  tr(lang, f"{k} versions : khi-deux p = {pvalue(chi.p_value, lang)} ({'différence significative' if chi.significant else 'pas de différence significative'}) ; taux et chance de battre A : {versus}.",
                     f"{k} versions: chi-square p = {pvalue(chi.p_value, lang)} ({'significant difference' if chi.significant else 'no significant difference'}); rate and chance to beat A: {versus}.")]
        alpha_text = tr(lang, f"{k - 1} comparaisons à A : seuil alpha corrigé de Bonferroni 0,05 / {k - 1} = {num(alpha, lang, 4)}, bilatéral ; {chi.method}",
                        f"{k - 1} comparisons with A: Bonferroni-corrected alpha 0.05 / {k - 1} = {num(alpha, lang, 4)}, two-sided; {chi.method}")
    if early:
        checks.append(tr(lang, f"Lecture avant la taille d'échantillon prévue ({num(planned, lang)} par variante) : résultat provisoire, « ne pas arrêter trop tôt ».",
                         f"Read before the planned sample size ({num(planned, lang)} per variant): provisional result, do not stop early."))
    threshold = tr(lang, "p < 0,05" if k == 2 else f"p < {num(alpha, lang, 4)}", "p < 0.05" if k == 2 else f"p < {num(alpha, lang, 4)}")
    if early:
        verdict = tr(lang, "Provisoire (échantillon prévu non atteint)", "Provisional (planned sample not reached)")
        rec = tr(lang, f"Laisser tourner jusqu'à {num(planned, lang)} visiteurs par variante, puis relire.",
                 f"Keep the test running to {num(planned, lang)} visitors per variant, then read it again.")
    elif significant:
        verdict, rec = _significant(label, r.diff_pt > 0, threshold, lang)
    else:
        verdict = tr(lang, "Non significatif", "Not significant")
        rec = tr(lang, "Ne pas conclure : vérifier que la taille d'échantillon prévue est atteinte avant toute décision (ne pas arrêter trop tôt).",
                 "Do not conclude: check that the planned sample size is reached before deciding (do not stop early).")
    best_of = tr(lang, f" ; {label} est la meilleure des {k - 1} variantes" if k > 2 else "", f"; {label} is the best of {k - 1} variants" if k > 2 else "")
    values = {
        "label_b": label,
        "arm_a": f"{pct(r.rate_a, lang, 2)} ({num(control['conversions'], lang)} / {num(control['visitors'], lang)})",
        "arm_b": f"{pct(r.rate_b, lang, 2)} ({num(best['conversions'], lang)} / {num(best['visitors'], lang)})",
        "lift": pct(r.lift_pct, lang), "diff": tr(lang, f"{num(r.diff_pt, lang, 2)} pt", f"{num(r.diff_pt, lang, 2)} pt"),
        "ci_low": num(r.ci_low_pt, lang, 2), "ci_high": num(r.ci_high_pt, lang, 2),
        "p_value": pvalue(r.p_value, lang), "verdict": verdict, "chance": pct(bayes.chance_to_beat * 100, lang, 1),
        "checks": bullets(checks),
        "reading": tr(lang, f"{label} convertit à {pct(r.rate_b, lang, 2)} contre {pct(r.rate_a, lang, 2)} pour A (z = {num(r.z, lang, 2)}){best_of}.",
                      f"{label} converts at {pct(r.rate_b, lang, 2)} against {pct(r.rate_a, lang, 2)} for A (z = {num(r.z, lang, 2)}){best_of}."),
        "recommendation": rec,
        "method": f"{r.method} ; {alpha_text}. {bayes.method}. {srm.method}." if lang == "fr" else f"{r.method}; {alpha_text}. {bayes.method}. {srm.method}.",
        "_charts": [_intervals_chart(arms, lang)],
    }
    return values, {"srm_mismatch": srm.mismatch}


def _significant(label: str, better: bool, threshold: str, lang: str) -> tuple[str, str]:
    """(verdict, recommendation) of a significant A/B result: roll out ``label`` when it is better, else keep A."""
    rec = (tr(lang, f"Déployer {label}, documenter le test et ses learnings.", f"Roll out {label}, log the test and its learnings.") if better
           else tr(lang, f"Garder A : {label} fait significativement moins bien.", f"Keep A: {label} performs significantly worse."))
    return tr(lang, f"Significatif ({threshold})", f"Significant ({threshold})"), rec


def _means_readout(arms: list[dict], lang: str) -> tuple[dict, dict]:
    """Readout of a continuous metric (average order value, revenue per visitor, €) from each arm's
    mean, standard deviation and count: Welch's t-test (scipy), 95 % interval of the difference."""
    a, b = arms
    w = abtest.welch(a["mean"], a["sd"], a["n"], b["mean"], b["sd"], b["n"])
    lift = w.diff / a["mean"] * 100 if a["mean"] else 0.0
    if w.significant:
        verdict, rec = _significant("B", w.diff > 0, tr(lang, "p < 0,05", "p < 0.05"), lang)
    else:
        verdict = tr(lang, "Non significatif", "Not significant")
        rec = tr(lang, "Ne pas conclure : une métrique continue est bruitée, attendre l'échantillon prévu (ne pas arrêter trop tôt).",
                 "Do not conclude: a continuous metric is noisy, wait for the planned sample (do not stop early).")
    values = {
        "label_b": "B",
        "arm_a": tr(lang, f"moyenne {eur(a['mean'], lang, 2)} (écart-type {eur(a['sd'], lang, 2)}, n = {num(a['n'], lang)})",
                    f"mean {eur(a['mean'], lang, 2)} (sd {eur(a['sd'], lang, 2)}, n = {num(a['n'], lang)})"),
        "arm_b": tr(lang, f"moyenne {eur(b['mean'], lang, 2)} (écart-type {eur(b['sd'], lang, 2)}, n = {num(b['n'], lang)})",
                    f"mean {eur(b['mean'], lang, 2)} (sd {eur(b['sd'], lang, 2)}, n = {num(b['n'], lang)})"),
        "lift": pct(lift, lang), "diff": eur(w.diff, lang, 2), "ci_low": eur(w.ci_low, lang, 2), "ci_high": eur(w.ci_high, lang, 2),
        "p_value": pvalue(w.p_value, lang), "verdict": verdict, "chance": pct(w.chance_to_beat * 100, lang, 1),
        "checks": bullets([tr(lang, f"Effectifs : {num(a['n'], lang)} contre {num(b['n'], lang)} ; t = {num(w.t, lang, 2)} à {num(w.dof, lang, 0)} degrés de liberté (Welch–Satterthwaite).",
                              f"Counts: {num(a['n'], lang)} against {num(b['n'], lang)}; t = {num(w.t, lang, 2)} with {num(w.dof, lang, 0)} degrees of freedom (Welch–Satterthwaite)."),
                           tr(lang, "Une moyenne de revenu est tirée par quelques gros paniers : vérifier qu'aucune commande extrême ne fait le résultat.",
                              "A revenue mean is pulled by a few large orders: check that no outlier order makes the result.")]),
        "reading": tr(lang, f"B : {eur(b['mean'], lang, 2)} en moyenne contre {eur(a['mean'], lang, 2)} pour A, soit {eur(w.diff, lang, 2)} d'écart.",
                      f"B: {eur(b['mean'], lang, 2)} on average against {eur(a['mean'], lang, 2)} for A, a {eur(w.diff, lang, 2)} difference."),
        "recommendation": rec,
        "method": tr(lang, f"{w.method}, intervalle t à 95 % ; chance de battre A : approximation normale de l'écart, a priori plats.",
                     f"{w.method}, 95% t interval; chance to beat A: normal approximation of the difference, flat priors."),
    }
    return values, {"srm_mismatch": False}


def _intervals_chart(arms: list[dict], lang: str) -> dict:
    """Conversion rate of each version with its 95 % Wilson interval (statsmodels proportion_confint)."""
    bounds = [proportion_confint(a["conversions"], a["visitors"], method="wilson") for a in arms]
    return {"title": tr(lang, "Taux de conversion et intervalle de confiance à 95 %", "Conversion rate and 95% confidence interval"),
            "kind": "intervals", "filename": "ab-test", "labels": [a["label"] for a in arms],
            "series": {tr(lang, "Taux (%)", "Rate (%)"): [a["conversions"] / a["visitors"] * 100 for a in arms],
                       tr(lang, "Bas (%)", "Low (%)"): [lo * 100 for lo, _ in bounds], tr(lang, "Haut (%)", "High (%)"): [hi * 100 for _, hi in bounds]}}


REPORT_PERIODS = {"hebdomadaire": ("hebdomadaire", "Weekly"), "mensuel": ("mensuel", "Monthly"),
                  "trimestriel": ("trimestriel", "Quarterly"), "bilan-campagne": ("bilan de campagne", "Campaign recap")}


@builder("reporting")
def reporting(inputs, lang, request):
    fr, en = REPORT_PERIODS[inputs["period"]]
    structure = bullets([tr(lang, "1. Résumé : 3 chiffres clés et la décision attendue", "1. Summary: 3 key figures and the decision needed"),
                         tr(lang, "2. Performance par canal vs objectif et période précédente", "2. Performance by channel vs goal and previous period"),
                         tr(lang, "3. Ce qui a marché / pas marché, et pourquoi", "3. What worked / did not, and why"),
                         tr(lang, "4. Tests A/B terminés et learnings", "4. Finished A/B tests and learnings"),
                         tr(lang, "5. Décisions et prochaines actions", "5. Decisions and next actions")])
    kpis_table = table([tr(lang, "Étape", "Stage"), tr(lang, "Métriques", "Metrics")],
                       [["Awareness", "Impressions, Reach, CPM"], ["Acquisition", "Trafic, Clics, CPC, CTR"], ["Activation", "Sign-ups, Leads, CPA"],
                        ["Revenue", "Conversions, AOV, ROAS"], ["Retention", "Churn, LTV, Repeat rate"], ["Referral", "NPS, K-factor, Referrals"]])
    values = {"period_label": tr(lang, fr, en), "structure": structure, "kpis": kpis_table,
              "method": tr(lang, "Structure de rapport et métriques par étape du funnel du seed analytics.", "Report structure and funnel-stage metrics from the analytics seed.")}
    return values, {}


MODEL_NAMES = {"first_touch": ("First touch", "First touch"), "last_touch": ("Last touch", "Last touch"),
               "linear": ("Linéaire", "Linear"), "time_decay": ("Time decay (7 j)", "Time decay (7 d)"),
               "position_based": ("Position-based 40/20/40", "Position-based 40/20/40"), "markov": ("Data-driven (Markov)", "Data-driven (Markov)")}


@builder("attribution")
def attribution(inputs, lang, request):
    if inputs.get("files"):
        return _attribution_from_file(inputs["files"][-1], lang, request)
    channels = inputs["channels"]
    # Worked example: one converting journey through the channels in the order given.
    n = len(channels)
    credit = {
        "First touch": [1.0] + [0.0] * (n - 1),
        "Last touch": [0.0] * (n - 1) + [1.0],
        tr(lang, "Linéaire", "Linear"): [1 / n] * n,
        "Position-based": ([1.0] if n == 1 else [0.5, 0.5] if n == 2 else [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4]),
    }
    rows = [[model] + [pct(c * 100, lang, 0) for c in shares] for model, shares in credit.items()]
    needs_data = tr(lang, "export requis", "needs the export")  # time decay needs touch dates, Markov needs journeys
    rows += [[tr(lang, *MODEL_NAMES[m])] + [needs_data] * n for m in ("time_decay", "markov")]
    values = {
        "channel_list": ", ".join(channels), "recommended": tr(lang, "Position-based (40/20/40), puis data-driven dès 300 conversions", "Position-based (40/20/40), then data-driven from 300 conversions"),
        "results_title": tr(lang, "Exemple sur un parcours type", "Example on a typical journey"),
        "results": [tr(lang, f"Parcours {' → '.join(channels)} qui convertit :", f"Converting journey {' → '.join(channels)}:"),
                    table([tr(lang, "Modèle", "Model")] + channels, rows)],
        "data_note": tr(lang, "- Partagez l'export des parcours en CSV dans ce fil (path, conversions, nulls, value ; ou journey_id, channel, timestamp, converted, value) pour le crédit réel de chaque canal, data-driven compris.",
                        "- Share the journeys export as a CSV in this thread (path, conversions, nulls, value; or journey_id, channel, timestamp, converted, value) for each channel's real credit, data-driven included."),
        "method": tr(lang, "Règles de crédit des modèles heuristiques appliquées à un parcours type ; le data-driven (chaîne de Markov, effet de retrait) demande l'export des parcours.",
                     "Credit rules of the heuristic models applied to a typical journey; data-driven (Markov chain, removal effect) needs the journeys export."),
    }
    return values, {}


def _spend_for(spend: dict[str, float], channels: set[str]) -> dict[str, float]:
    """Spend the user gave per channel ("SEA 2 000 €, email 300 €"), keyed by the journeys file's
    channel names (same name or same channel group: 'Google Ads' pays for 'google')."""
    groups = {c: channel_group(c) for c in channels}
    out = {}
    for name, value in spend.items():
        match = next((c for c in channels if fold(c) == fold(name)), None) or \
            next((c for c in channels if groups[c] and groups[c] == channel_group(name)), None)
        if match:
            out[match] = value
    return out


def _attribution_from_file(file: dict, lang: str, request: Understanding):
    journeys = data.journeys(file)
    names = {c for j in journeys for c in j.channels}
    result = attribution_calc.attribute(journeys, spend=_spend_for(request.by_channel("spend"), names))
    channels = list(result.credit["markov"])
    header = [tr(lang, "Modèle", "Model")] + channels
    rows = [[tr(lang, *MODEL_NAMES[m])] + [num(result.credit[m][c], lang, 1) for c in channels] for m in attribution_calc.MODELS]
    effects = table([tr(lang, "Canal", "Channel"), tr(lang, "Effet de retrait", "Removal effect"), tr(lang, "Crédit data-driven", "Data-driven credit")],
                    [[c, pct(result.removal_effects[c] * 100, lang, 1), num(result.credit["markov"][c], lang, 1)] for c in channels])
    sections = [tr(lang, f"Conversions créditées par modèle ({num(result.conversions, lang)} conversions, {file['name']}) :",
                   f"Credited conversions by model ({num(result.conversions, lang)} conversions, {file['name']}):"),
                table(header, rows), tr(lang, "Effet de retrait (chaîne de Markov) :", "Removal effect (Markov chain):"), effects]
    if result.roi:
        sections += [tr(lang, "ROI par canal (data-driven) :", "ROI by channel (data-driven):"),
                     table([tr(lang, "Canal", "Channel"), "ROI"], [[c, pct(v, lang, 0)] for c, v in result.roi["markov"].items()])]
    top = max(channels, key=lambda c: result.credit["markov"][c])
    last = max(channels, key=lambda c: result.credit["last_touch"][c])
    values = {
        "channel_list": ", ".join(channels),
        "recommended": tr(lang, f"Data-driven (Markov) : {top} contribue le plus", f"Data-driven (Markov): {top} contributes most"),
        "results_title": tr(lang, "Crédit par canal et par modèle", "Credit by channel and model"),
        "results": sections,
        "data_note": tr(lang, f"- {file['name']} : {num(len(journeys), lang)} lignes de parcours. Le last touch donne le plus à {last}, le data-driven à {top}.",
                        f"- {file['name']}: {num(len(journeys), lang)} journey rows. Last touch favours {last}, data-driven {top}."),
        "method": result.method + ".",
        "_charts": [{"title": tr(lang, "Conversions créditées par canal", "Credited conversions by channel"), "kind": "grouped_bars",
                     "labels": channels, "series": {tr(lang, *MODEL_NAMES[m]): [result.credit[m][c] for c in channels] for m in attribution_calc.MODELS},
                     "filename": "attribution"}],
    }
    return values, {}
