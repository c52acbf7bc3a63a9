"""Deliverable builders, one per specialist: inputs in, template values and facts out.

Each builder takes (inputs, lang, request) — the validated inputs of the specialist, 'fr' or
'en', and the request as the understanding layer read it (:class:`Understanding`: every slot the
user gave, with channels, arms, dates, delays as written) — and returns (values, facts):
``values`` fill the specialist's output template in ``prompts/specialists/<id>.yaml``; ``facts``
are the computed numbers the escalation rules may read (``lead_score`` in points,
``revenue_impact`` in %). Every figure comes from a calculator here; a figure whose input was not
given is not computed, the deliverable says what is missing.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Callable

from statsmodels.stats.proportion import proportion_confint

from graph import data
from graph.calculators import abtest, ice, kpi, lead_scoring
from graph.calculators import attribution as attribution_calc
from graph.calculators import budget as budget_calc
from graph.calendar import campaign_ics
from graph.formatting import bullets, eur, money, num, pct, pvalue, table, tr
from graph.text import fold
from graph.understanding import Understanding, metrics as stated_metrics
from graph.understanding.describe import delay_text, label, show
from graph.understanding.lexicon import channel_group

Builder = Callable[[dict[str, Any], str, Understanding], tuple[dict[str, Any], dict[str, Any]]]
BUILDERS: dict[str, Builder] = {}


def builder(agent: str):
    """Register a builder for ``agent``."""
    def wrap(fn: Builder) -> Builder:
        BUILDERS[agent] = fn
        return fn
    return wrap


def _written(slot, markdown: str, lang: str) -> bool:
    """True when the deliverable shows ``slot``: its name, or its number in any usual format."""
    text = markdown.lower()
    if not isinstance(slot.value, (int, float)):
        return show(slot, lang).lower() in text or str(slot.value).lower() in text
    value = abs(slot.value) * (24 if slot.type in ("delay", "duration") and slot.value < 1 else 1)
    forms = {show(slot, lang).lower()} | {num(value, lg, d) for lg in ("fr", "en") for d in range(3)}
    if slot.type in ("duration", "delay") and value % 7 == 0 and value >= 7:
        forms.add(num(value / 7, lang))
    return any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", text) for f in forms)


def unused(request: Understanding, markdown: str, lang: str) -> str:
    """A closing line naming what the user gave that the deliverable does not show (and why), so
    that no input is silently ignored; '' when everything given is in it."""
    left = [s for s in request.slots if s.type not in ("trigger", "company_size_word") and not _written(s, markdown, lang)]
    if not left:
        return ""
    items = ", ".join(dict.fromkeys(f"{label(s.type, lang)} {show(s, lang, request.currency)}" + (f" ({s.channel})" if s.channel else "")
                                    + (f" ({s.arm})" if s.arm and s.arm != "*" else "") for s in left))
    return "\n\n" + tr(lang, f"_Également lu dans votre message, sans effet sur ce calcul : {items}._",
                        f"_Also read in your message, not used by this calculation: {items}._")


def _d(value: str | date, lang: str) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.strftime("%Y-%m-%d")


# Seed campagnes-orchestrator.md, "Types de Campagnes": durations in days (min, max).
CAMPAIGN_TYPES = {
    "lancement": ("Lancement", "Launch", "4-8 semaines", "4-8 weeks", 42),
    "saisonniere": ("Saisonnière", "Seasonal", "2-4 semaines", "2-4 weeks", 21),
    "always-on": ("Always-on", "Always-on", "Continue", "Ongoing", 90),
    "flash": ("Flash", "Flash", "1-7 jours", "1-7 days", 7),
    "evenementielle": ("Événementielle", "Event", "Variable", "Variable", 28),
    "brand": ("Brand", "Brand", "8-12 semaines", "8-12 weeks", 70),
}
GATE_CHECKLIST = [
    ("Brief campagne validé", "Campaign brief approved"),
    ("Planning approuvé par les parties prenantes", "Plan approved by stakeholders"),
    ("Budget signé", "Budget signed off"),
    ("Assets créatifs produits et validés", "Creative assets produced and approved"),
    ("Tracking configuré", "Tracking set up"),
    ("Équipes briefées", "Teams briefed"),
]
PHASE_DELIVERABLES = [
    ("Brief campagne : objectifs, cibles, messages", "Campaign brief: goals, targets, messages"),
    ("Planning détaillé : calendrier avec jalons", "Detailed plan: calendar with milestones"),
    ("Budget alloué : répartition par canal", "Allocated budget: split by channel"),
    ("Briefs créatifs : pour chaque canal/format", "Creative briefs: for each channel/format"),
    ("Workflow coordination : qui fait quoi quand", "Coordination workflow: who does what when"),
    ("Dashboard suivi : KPIs temps réel", "Tracking dashboard: real-time KPIs"),
]


def _checklist(items, lang):
    return "\n".join(f"- [ ] {tr(lang, fr, en)}" for fr, en in items)


@builder("planning-campagne")
def planning(inputs, lang, request):
    fr_name, en_name, fr_dur, en_dur, days = CAMPAIGN_TYPES[inputs["campaign_type"]]
    start = date.fromisoformat(inputs["start_date"])
    days = inputs.get("duration_days") or days  # a duration the user gave wins over the seed's typical one
    # Seed "Processus Campagne": steps 1-4 before launch, 5-6 during, 7 after.
    prep = [("1. Brief", "1. Brief", -35), ("2. Planning", "2. Planning", -28), ("3. Budget", "3. Budget", -21),
            ("4. Coordination", "4. Coordination", -14), ("Critères de passage (go/no-go)", "Go/no-go criteria", -3)]
    dated = [(tr(lang, fr, en), start + timedelta(days=o)) for fr, en, o in prep]
    # An end date given in the brief (/campaign modal) wins over the seed's typical duration.
    end = date.fromisoformat(inputs["end_date"]) if inputs.get("end_date") else start + timedelta(days=days)
    dated += [(tr(lang, "5. Exécution (lancement)", "5. Execution (launch)"), start),
              (tr(lang, "6. Suivi (point hebdo)", "6. Tracking (weekly check)"), None),
              (tr(lang, "7. Bilan (reporting, learnings)", "7. Wrap-up (reporting, learnings)"), end + timedelta(days=7))]
    rows = [[title, _d(day, lang) if day else tr(lang, f"chaque semaine jusqu'au {_d(end, lang)}", f"weekly until {_d(end, lang)}")]
            for title, day in dated]
    weekly = [(tr(lang, f"6. Suivi — point hebdo {n}", f"6. Tracking — weekly check {n}"), start + timedelta(days=7 * n))
              for n in range(1, (end - start).days // 7 + 1)]
    ics = campaign_ics(tr(lang, f"Campagne {fr_name}", f"{en_name} campaign"),
                       sorted([(t, d) for t, d in dated if d] + weekly, key=lambda x: x[1]), end)
    given = "end_date" in inputs or "duration_days" in inputs
    span = (end - start).days + (1 if inputs.get("end_date") else 0)  # "du 1er au 21": 21 days on air
    duration = (tr(lang, f"{span // 7} semaines ({span} jours)", f"{span // 7} weeks ({span} days)") if span % 7 == 0 and span >= 14
                else tr(lang, f"{span} jours", f"{span} days"))
    cur = request.currency
    budget_lines = []
    if inputs.get("budget"):
        total, weeks = inputs["budget"], max(span / 7, 1)
        channels = inputs.get("channels") or []
        budget_lines = [tr(lang, f"Budget total : {money(total, lang, cur)} sur {duration}, soit {money(total / weeks, lang, cur)} par semaine de diffusion.",
                           f"Total budget: {money(total, lang, cur)} over {duration}, i.e. {money(total / weeks, lang, cur)} per week on air.")]
        if channels:
            budget_lines.append(tr(lang, f"Canaux : {', '.join(channels)} — répartition détaillée par budget-allocation (10 % gardés pour tester et réallouer : {money(total * 0.1, lang, cur)}).",
                                   f"Channels: {', '.join(channels)} — detailed split by budget-allocation (10% kept to test and reallocate: {money(total * 0.1, lang, cur)})."))
    elif inputs.get("channels"):
        budget_lines = [tr(lang, f"Canaux : {', '.join(inputs['channels'])}. Budget non fourni.", f"Channels: {', '.join(inputs['channels'])}. Budget not given.")]
    values = {
        "type_label": tr(lang, fr_name, en_name), "type_duration": tr(lang, fr_dur, en_dur),
        "start_date": _d(start, lang), "end_date": _d(end, lang), "duration": duration,
        "budget": money(inputs["budget"], lang, cur) if inputs.get("budget") else tr(lang, "non fourni", "not given"),
        "budget_plan": bullets(budget_lines) if budget_lines else tr(lang, "Budget non fourni : à fixer à l'étape 3 (Budget).", "Budget not given: to set at step 3 (Budget)."),
        "milestones": table([tr(lang, "Étape", "Step"), "Date"], rows),
        "gate_checklist": _checklist(GATE_CHECKLIST, lang),
        "deliverables_checklist": _checklist(PHASE_DELIVERABLES, lang),
        "method": tr(lang, f"Processus campagne en 7 étapes du seed campagnes ; durée {'donnée dans la demande' if given else f'type « {fr_name} » du seed'} ; préparation à rebours depuis le lancement (J-35 à J-3), fin de campagne à J+{span}.",
                     f"7-step campaign process of the campaigns seed; duration {'given in the request' if given else f'typical of “{en_name}” in the seed'}; preparation planned backwards from launch (D-35 to D-3), campaign end at D+{span}."),
    }
    values["_files"] = [{"filename": "campagne.ics" if lang == "fr" else "campaign.ics", "content": ics,
                         "title": tr(lang, "Calendrier de la campagne (.ics)", "Campaign calendar (.ics)")}]
    return values, {}


def channel_roas(request: Understanding) -> dict[str, float]:
    """ROAS per channel as the user named it: stated ('ROAS Google 4,2'), else revenue / spend
    given for the channel. Source: performance seed, ROAS = revenue / ad spend."""
    roas = request.by_channel("roas")
    spend, revenue = request.by_channel("spend"), request.by_channel("revenue")
    for channel in spend:
        if channel not in roas and revenue.get(channel) and spend[channel]:
            roas[channel] = revenue[channel] / spend[channel]
    return roas


@builder("budget-allocation")
def budget(inputs, lang, request):
    if inputs.get("files"):
        return _budget_from_history(inputs["total_budget"], inputs["files"][-1], lang)
    total, channels = inputs["total_budget"], inputs["channels"]
    roas = channel_roas(request)
    if roas:
        return _budget_by_roas(total, list(dict.fromkeys(channels + list(roas))), roas, lang, request.currency)
    reserve = round(total * 0.10, 2)
    share = (total - reserve) / len(channels)
    rows = [[c, eur(share, lang), pct(share / total * 100, lang)] for c in channels]
    rows.append([tr(lang, "Réserve test & optimisation", "Test & optimisation reserve"), eur(reserve, lang), pct(10, lang)])
    values = {
        "total_budget": eur(total, lang), "channel_count": str(len(channels)), "reserve": eur(reserve, lang), "curves": "",
        "split_table": table([tr(lang, "Canal", "Channel"), tr(lang, "Budget", "Budget"), tr(lang, "Part", "Share")], rows),
        "method": tr(lang, "Aucun historique par canal fourni : répartition égale entre canaux après une réserve de 10 % pour tester et réallouer. Avec la dépense et les conversions par canal, la répartition se calcule sur le rendement de chaque canal.",
                     "No per-channel history given: equal split across channels after a 10% reserve to test and reallocate. With spend and conversions per channel, the split is computed from each channel's returns."),
    }
    return values, {}


def _budget_by_roas(total: float, channels: list[str], roas: dict[str, float], lang: str, cur: str):
    """Split ``total`` in proportion to each channel's ROAS (a channel without one weighs the mean
    ROAS of the others), with the revenue each share would bring at constant ROAS."""
    mean = sum(roas.values()) / len(roas)
    weights = {c: roas.get(c, mean) for c in channels}
    split = {c: total * w / sum(weights.values()) for c, w in weights.items()}
    rows = [[c, money(split[c], lang, cur), pct(split[c] / total * 100, lang), f"{num(weights[c], lang, 2)}x" + ("" if c in roas else "*"),
             money(split[c] * weights[c], lang, cur)] for c in channels]
    revenue = sum(split[c] * weights[c] for c in channels)
    best, worst = max(roas, key=roas.get), min(roas, key=roas.get)
    note = [] if len(roas) == len(channels) else [tr(lang, "* ROAS non fourni : moyenne des autres canaux.", "* ROAS not given: mean of the other channels.")]
    values = {
        "total_budget": money(total, lang, cur), "channel_count": str(len(channels)), "reserve": tr(lang, "aucune (répartition au ROAS)", "none (split by ROAS)"), "curves": "",
        "split_table": table([tr(lang, "Canal", "Channel"), "Budget", tr(lang, "Part", "Share"), "ROAS", tr(lang, "CA attendu", "Expected revenue")], rows)
        + "\n" + "\n".join(note + [tr(lang, f"CA attendu au total : {money(revenue, lang, cur)} (ROAS moyen pondéré {num(revenue / total, lang, 2)}x). {best} a le meilleur ROAS, {worst} le plus faible : à surveiller et à tester avant de le couper.",
                                         f"Total expected revenue: {money(revenue, lang, cur)} (weighted ROAS {num(revenue / total, lang, 2)}x). {best} has the best ROAS, {worst} the lowest: watch it and test before cutting it.")]),
        "method": tr(lang, "Répartition proportionnelle au ROAS donné par canal (part = ROAS du canal / somme des ROAS ; ROAS = revenu / dépense, seed performance). CA attendu = budget × ROAS, à ROAS constant : hypothèse optimiste, le rendement baisse quand la dépense monte. Partagez l'historique par canal en CSV (channel, spend, revenue) pour une répartition sur courbes de saturation.",
                     "Split in proportion to each channel's ROAS (share = channel ROAS / sum of ROAS; ROAS = revenue / spend, performance seed). Expected revenue = budget × ROAS at constant ROAS: an optimistic assumption, returns fall as spend rises. Share the per-channel history as a CSV (channel, spend, revenue) for a split on saturation curves."),
        "_charts": [{"title": tr(lang, "Répartition du budget au ROAS", "Budget split by ROAS"), "kind": "grouped_bars", "labels": channels,
                     "series": {"Budget": [split[c] for c in channels]}, "filename": "budget"}],
    }
    return values, {}


def _budget_from_history(total: float, file: dict, lang: str):
    history = data.channel_history(file)
    curves = [budget_calc.fit_curve(channel, spend, outcome) for channel, (spend, outcome) in history.items()]
    split = budget_calc.optimise(total, curves)
    rows = [[c.channel, eur(split.spend[c.channel], lang), pct(split.spend[c.channel] / total * 100, lang),
             num(split.outcome[c.channel], lang), num(split.marginal[c.channel], lang, 3)] for c in curves]
    curve_rows = [[c.channel, num(c.a, lang), eur(c.b, lang), num(c.r2, lang, 2) if c.r2 is not None else "—",
                   str(len(history[c.channel][0]))] for c in curves]
    grid = [total * i / 20 for i in range(21)]
    values = {
        "total_budget": eur(total, lang), "channel_count": str(len(curves)), "reserve": tr(lang, "aucune (répartition optimisée)", "none (optimised split)"),
        "split_table": table([tr(lang, "Canal", "Channel"), "Budget", tr(lang, "Part", "Share"), tr(lang, "Résultat attendu", "Expected outcome"),
                              tr(lang, "Rendement du dernier €", "Return of the last €")], rows)
        + "\n" + tr(lang, f"Résultat total attendu : {num(split.total_outcome, lang)}.", f"Expected total outcome: {num(split.total_outcome, lang)}."),
        "curves": tr(lang, "## Courbes de réponse ajustées", "## Fitted response curves") + "\n"
        + table([tr(lang, "Canal", "Channel"), tr(lang, "Plafond a", "Ceiling a"), tr(lang, "Échelle b", "Scale b"), "R²", tr(lang, "Périodes", "Periods")], curve_rows),
        "method": tr(lang, f"Historique {file['name']} ; {split.method}. Au budget optimal, le dernier euro rapporte autant sur chaque canal non borné.",
                     f"History {file['name']}; {split.method}. At the optimum, the last euro returns the same on every unbounded channel."),
        "_charts": [{"title": tr(lang, "Courbes de réponse et répartition", "Response curves and split"), "kind": "curves", "filename": "budget",
                     "x": grid, "series": {c.channel: [c.response(x) for x in grid] for c in curves},
                     "points": {c.channel: [split.spend[c.channel], split.outcome[c.channel]] for c in curves}}],
    }
    return values, {}


@builder("coordination-canaux")
def coordination(inputs, lang, request):
    channels, start = inputs["channels"], date.fromisoformat(inputs["start_date"])
    steps = [("Brief équipes et message clé", "Team brief and key message", -21, "Chef de projet campagne", "Campaign lead"),
             ("Briefs créatifs envoyés", "Creative briefs sent", -18, "Chef de projet campagne", "Campaign lead"),
             ("Assets livrés et validés", "Assets delivered and approved", -7, "Contenu / design", "Content / design"),
             ("Tracking et UTM vérifiés", "Tracking and UTMs checked", -3, "Analytics", "Analytics"),
             ("Lancement synchronisé", "Synchronised launch", 0, "Tous les canaux", "All channels"),
             ("Point de suivi", "Tracking check-in", 7, "Chef de projet + suivi-performance", "Campaign lead + suivi-performance")]
    rows = [[_d(start + timedelta(days=o), lang), tr(lang, fr, en), tr(lang, wf, we)] for fr, en, o, wf, we in steps]
    briefs = bullets([tr(lang, f"{c} : format, message décliné, date de diffusion, KPI du canal", f"{c}: format, adapted message, go-live date, channel KPI") for c in channels])
    values = {
        "channel_list": ", ".join(channels), "start_date": _d(start, lang),
        "schedule": table(["Date", tr(lang, "Action", "Action"), tr(lang, "Qui", "Who")], rows), "briefs": briefs,
        "method": tr(lang, "Étapes 4 (coordination) et 5 (exécution) du processus campagne du seed, planifiées à rebours depuis le lancement.",
                     "Steps 4 (coordination) and 5 (execution) of the seed's campaign process, planned backwards from launch."),
    }
    return values, {}


def budget_used(spend: float, budget: float, lang: str, cur: str) -> str:
    """How much of the budget is spent: '60,7 % du budget de 30 000 € est dépensé (11 800 €
    restants).'"""
    return tr(lang, f"{pct(spend / budget * 100, lang)} du budget de {money(budget, lang, cur)} est dépensé ({money(budget - spend, lang, cur)} restants).",
              f"{pct(spend / budget * 100, lang)} of the {money(budget, lang, cur)} budget is spent ({money(budget - spend, lang, cur)} left).")


def kpi_table(metrics: dict[str, float], lang: str, cur: str) -> tuple[list[list[str]], dict[str, float]]:
    """Rows [KPI, value, formula] of every KPI of the seeds computable from ``metrics`` (in the
    language's names and formulas), and the computed values {kpi id: value}."""
    computed = kpi.compute_kpis(metrics)
    rows = []
    for k in kpi.KPIS:
        if k.id in computed:
            v = computed[k.id]
            shown = (pct(v, lang, 2) if k.unit == "%" else money(v, lang, cur, 2) if k.unit == "€" else f"{num(v, lang, 2)}x" if k.unit == "x"
                     else f"{num(v, lang, 1)} pts" if k.unit == "pts" else num(v, lang, 2))
            formula = k.formula_in(lang)
            if k.id == "cpa" and "customers" not in metrics:
                formula = tr(lang, "Dépense / Conversions (nouveaux clients non fournis)", "Spend / Conversions (new customers not given)")
            rows.append([k.en if lang == "en" else k.fr, shown, formula])
    return rows, computed


@builder("suivi-performance")
def tracking(inputs, lang, request):
    cur = request.currency
    metrics = {**(stated_metrics(request) or {}), "spend": inputs["spend"], "conversions": inputs["conversions"]}
    if inputs.get("revenue"):
        metrics["revenue"] = inputs["revenue"]
    rows, k = kpi_table(metrics, lang, cur)
    cpc = k.get("cost_per_conversion")
    roas = k.get("roas")
    alerts = []
    if roas is not None and roas < 1:
        alerts.append(tr(lang, "ROAS < 1 : la campagne dépense plus qu'elle ne rapporte — revoir ciblage et enchères.", "ROAS < 1: the campaign spends more than it earns — review targeting and bids."))
    budget = request.value("budget")
    pacing = ""
    if budget:
        pacing = " " + budget_used(inputs["spend"], budget, lang, cur)
        if inputs["spend"] > budget:
            alerts.append(tr(lang, "Budget dépassé : arrêter ou réallouer.", "Budget overrun: stop or reallocate."))
    if not alerts:
        alerts.append(tr(lang, "Aucune alerte sur les chiffres fournis.", "No alert on the figures given."))
    reading = tr(lang, f"Chaque conversion coûte {money(cpc, lang, cur, 2)}.", f"Each conversion costs {money(cpc, lang, cur, 2)}.")
    if roas is not None:
        reading += tr(lang, f" Chaque euro dépensé rapporte {num(roas, lang, 2)} de CA.", f" Each unit of spend brings {num(roas, lang, 2)} in revenue.")
    values = {
        "spend": money(inputs["spend"], lang, cur), "conversions": num(inputs["conversions"], lang),
        "cost_per_conversion": money(cpc, lang, cur, 2) if cpc is not None else "—",
        "roas": f"{num(roas, lang, 2)}x" if roas is not None else tr(lang, "CA non fourni : ROAS non calculé", "revenue not given: ROAS not computed"),
        "reading": reading + pacing, "alerts": bullets(alerts),
        "kpis": table(["KPI", tr(lang, "Valeur", "Value"), tr(lang, "Formule", "Formula")], rows),
        "method": tr(lang, "Formules du seed performance (coût par conversion = dépense / conversions ; ROAS = revenu / dépense publicitaire) et du seed analytics (CPM, CPC, CTR, CPA), appliquées aux chiffres fournis.",
                     "Performance seed formulas (cost per conversion = spend / conversions; ROAS = revenue / ad spend) and analytics seed formulas (CPM, CPC, CTR, CPA), applied to the figures given."),
    }
    return values, {}


@builder("email-marketing")
def email(inputs, lang, request):
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
def growth(inputs, lang, request):
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


WORKFLOW_TYPES = {  # seed automation-orchestrator.md, "Types de Workflows"
    "lead-nurturing": ("Lead Nurturing", "Éduquer et qualifier", "Educate and qualify", ["Téléchargement", "Emails éducatifs", "Démo"], ["Download", "Educational emails", "Demo"]),
    "onboarding": ("Onboarding", "Activer les nouveaux", "Activate new users", ["Inscription", "Guide", "Activation"], ["Signup", "Guide", "Activation"]),
    "re-engagement": ("Re-engagement", "Réveiller les inactifs", "Wake up inactive contacts", ["Inactivité 30j", "Série réactivation", "Sortie ou retour actif"], ["30-day inactivity", "Re-activation series", "Exit or back to active"]),
    "upsell-cross-sell": ("Upsell/Cross-sell", "Augmenter la valeur", "Increase value", ["Achat", "Recommandations", "Offre"], ["Purchase", "Recommendations", "Offer"]),
    "event-based": ("Event-based", "Réagir aux comportements", "React to behaviour", ["Visite pricing", "Email personnalisé", "Alerte sales si clic"], ["Pricing visit", "Personalised email", "Sales alert on click"]),
    "sales-handoff": ("Sales Handoff", "Passer au commercial", "Hand off to sales", ["MQL", "Alerte sales + contexte", "Suivi sous 24 h"], ["MQL", "Sales alert + context", "Follow-up within 24 h"]),
}


def _user_trigger(request: Understanding) -> str | None:
    """The trigger as the user wrote it ("abandon de panier"), or None."""
    slot = request.first("trigger")
    return slot.evidence if slot else None


@builder("workflow-builder")
def workflow(inputs, lang, request):
    name, goal_fr, goal_en, steps_fr, steps_en = WORKFLOW_TYPES[inputs["workflow_type"]]
    steps = list(steps_en if lang == "en" else steps_fr)
    if trigger := _user_trigger(request):
        steps[0] = trigger
    delays = [s.value for s in request.all("delay")]
    segments = [s.value for s in request.all("segment")]
    others = [WORKFLOW_TYPES[k][0] for k in WORKFLOW_TYPES if k != inputs["workflow_type"]][:2]
    values = {
        "type_label": name, "platform": inputs.get("platform") or tr(lang, "à préciser", "to be chosen"),
        "objective": tr(lang, goal_fr, goal_en),
        "audience": ", ".join(segments) if segments else tr(lang, "à segmenter avant automation", "to segment before automating"),
        "workflows": table(["Workflow", "Type", tr(lang, "Priorité", "Priority")],
                           [[name, tr(lang, goal_fr, goal_en), tr(lang, "Haute", "High")]] + [[o, o, tr(lang, "Moyenne", "Medium")] for o in others]),
        "steps": " → ".join(["TRIGGER: " + steps[0], "CONDITION", "ACTION: " + steps[1]]
                            + [f"{delay_text(d, lang)} : {tr(lang, 'relance', 'follow-up')}" for d in delays] + [steps[2], tr(lang, "MESURE", "MEASURE")]),
        "method": tr(lang, "Type de workflow, exemple de parcours et cibles KPI du seed automation (Workflow Completion > 60 %, Engagement > 40 %, Lead-to-MQL > 20 %).",
                     "Workflow type, example journey and KPI targets from the automation seed (Workflow Completion > 60%, Engagement > 40%, Lead-to-MQL > 20%)."),
    }
    return values, {}


@builder("lead-scoring")
def scoring(inputs, lang, request):
    if inputs.get("files"):
        return _score_leads(data.lead_rows(inputs["files"][-1]), lang)
    model = lead_scoring.load_model()
    stated = lead_scoring.stated_score(request.raw)
    points, hits = lead_scoring.score_lead(request.raw, model)
    score = stated if stated is not None else points
    breakdown = (tr(lang, f"Score indiqué dans le message : {stated} pts.", f"Score stated in the message: {stated} pts.") if stated is not None
                 else table([tr(lang, "Critère", "Criterion"), tr(lang, "Lu dans le message", "Read in the message"), "Points"],
                            [[c.label(lang), f"« {found} »" if lang == "fr" else f"“{found}”", f"{c.points:+d}"] for c, found in hits])
                 if hits else tr(lang, "Aucun critère reconnu dans la description : décrivez le lead (poste, taille d'entreprise, pages vues, demandes).",
                                 "No criterion found in the description: describe the lead (job title, company size, pages viewed, requests)."))
    status = model.status(score)
    next_step = {"SQL": tr(lang, "Passage au commercial (Sales Handoff) avec le contexte du lead.", "Hand off to sales (Sales Handoff) with the lead's context."),
                 "MQL": tr(lang, "Séquence de nurturing ciblée jusqu'au seuil SQL.", "Targeted nurturing sequence until the SQL threshold."),
                 "lead": tr(lang, "Nurturing éducatif ; rescorer à chaque interaction.", "Educational nurturing; rescore on every interaction.")}[status]
    values = {
        "score": f"{score} pts", "status": status, "mql": str(model.mql), "sql": str(model.sql), "breakdown": breakdown,
        "model": table([tr(lang, "Critère", "Criterion"), "Points"], [[c.label(lang), f"{c.points:+d}"] for c in model.criteria]),
        "next_step": next_step,
        "method": tr(lang, f"Somme des points des critères du modèle configuré (prompts/lead_scoring.yaml) ; MQL ≥ {model.mql}, SQL ≥ {model.sql} ; score > 80 = hot lead (escalade du seed automation).",
                     f"Sum of the configured model's criterion points (prompts/lead_scoring.yaml); MQL ≥ {model.mql}, SQL ≥ {model.sql}; score > 80 = hot lead (automation seed escalation)."),
    }
    return values, {"lead_score": score}


def _score_leads(leads: list[tuple[str, str]], lang: str):
    """Every lead of a shared file scored with the configured model, hottest first."""
    model = lead_scoring.load_model()
    scored = sorted(((name, *lead_scoring.score_lead(description, model)) for name, description in leads), key=lambda r: -r[1])
    rows = [[name, f"{points} pts", model.status(points), ", ".join(c.label(lang) for c, _ in hits) or "—"] for name, points, hits in scored]
    top = scored[0][1]
    values = {
        "score": tr(lang, f"{top} pts (max. sur {len(scored)} leads)", f"{top} pts (max. of {len(scored)} leads)"),
        "status": ", ".join(f"{s} {sum(model.status(p) == s for _, p, _ in scored)}" for s in ("SQL", "MQL", "lead")),
        "mql": str(model.mql), "sql": str(model.sql),
        "breakdown": table(["Lead", "Score", tr(lang, "Statut", "Status"), tr(lang, "Critères", "Criteria")], rows),
        "model": table([tr(lang, "Critère", "Criterion"), "Points"], [[c.label(lang), f"{c.points:+d}"] for c in model.criteria]),
        "next_step": tr(lang, "SQL : passage au commercial avec le contexte ; MQL : nurturing ciblé ; leads : nurturing éducatif.",
                        "SQL: hand off to sales with context; MQL: targeted nurturing; leads: educational nurturing."),
        "method": tr(lang, f"Chaque ligne du fichier lue comme « colonne : valeur » et scorée avec le modèle configuré (prompts/lead_scoring.yaml) ; MQL ≥ {model.mql}, SQL ≥ {model.sql}.",
                     f"Each row of the file read as “column: value” and scored with the configured model (prompts/lead_scoring.yaml); MQL ≥ {model.mql}, SQL ≥ {model.sql}."),
    }
    return values, {"lead_score": top}


TRIGGERS = {
    "visite-pricing": ("Visite de la page pricing", "Pricing page visit", "event-based",
                       [("Visite pricing ≥ 2 fois en 7 j", "Email personnalisé + alerte sales", "Pricing visit ≥ 2 times in 7 days", "Personalised email + sales alert")]),
    "abandon-panier": ("Abandon de panier", "Cart abandonment", "event-based",
                       [("Panier abandonné depuis 1 h", "Email de rappel du panier", "Cart abandoned for 1 h", "Cart reminder email"),
                        ("Toujours pas d'achat à J+1", "Email avec réassurance (livraison, retours)", "Still no purchase at D+1", "Reassurance email (delivery, returns)")]),
    "telechargement": ("Téléchargement de contenu", "Content download", "lead-nurturing",
                       [("Téléchargement d'un livre blanc", "Séquence éducative de 3 emails + scoring +10", "White-paper download", "3-email educational sequence + score +10")]),
    "inscription": ("Inscription", "Signup", "onboarding",
                    [("Compte créé", "Email de bienvenue + guide", "Account created", "Welcome email + guide"),
                     ("Pas d'activation à J+3", "Email d'aide à l'activation", "Not activated by D+3", "Activation help email")]),
    "inactivite": ("Inactivité 30 jours", "30-day inactivity", "re-engagement",
                   [("Aucune ouverture ni visite depuis 30 j", "Série de réactivation (3 emails)", "No open or visit for 30 days", "Re-activation series (3 emails)"),
                    ("Toujours inactif après la série", "Sortie de la base active", "Still inactive after the series", "Move out of the active list")]),
}


@builder("triggers-actions")
def triggers(inputs, lang, request):
    fr, en, wf, rules = TRIGGERS[inputs["trigger"]]
    rows = [[tr(lang, cf, ce), tr(lang, af, ae)] for cf, af, ce, ae in rules]
    delays = [s.value for s in request.all("delay")]
    if delays:  # the delays the user gave replace the seed example's timing
        label_ = _user_trigger(request) or tr(lang, fr, en)
        rows = [[f"{label_} — {delay_text(d, lang)}",
                 tr(lang, f"Message {n} de la série (si pas encore converti)", f"Message {n} of the series (if not converted yet)")]
                for n, d in enumerate(delays, 1)]
    values = {
        "trigger_label": _user_trigger(request) or tr(lang, fr, en), "workflow_type": WORKFLOW_TYPES[wf][0],
        "rules": table([tr(lang, "Si (condition)", "If (condition)"), tr(lang, "Alors (action)", "Then (action)")], rows),
        "method": tr(lang, "Boucle TRIGGER → CONDITION → ACTION → MESURE du seed automation ; types de workflow du seed.",
                     "TRIGGER → CONDITION → ACTION → MEASURE loop from the automation seed; the seed's workflow types."),
    }
    return values, {}


@builder("multi-touch-sequences")
def sequence(inputs, lang, request):
    touches, days = max(2, int(inputs["touches"])), max(1, int(inputs["duration_days"]))
    interval = days / (touches - 1)
    delays = sorted(s.value for s in request.all("delay"))
    timed = len(delays) + 1 >= touches  # the user's delays time every message
    contents = [("Valeur : contenu éducatif", "Value: educational content"), ("Preuve : cas client", "Proof: customer story"),
                ("Objection : FAQ", "Objection: FAQ"), ("Offre : démo ou essai", "Offer: demo or trial"), ("Dernier rappel", "Last reminder")]
    rows = []
    for i in range(touches):
        fr, en = contents[min(i, len(contents) - 1)] if i < touches - 1 else contents[-1]
        channel = "LinkedIn" if i % 3 == 2 else "Email"
        when = ([0.0] + delays)[i] if timed else round(i * interval)
        rows.append([str(i + 1), delay_text(when, lang) if when else ("J0" if lang == "fr" else "D0"), channel, tr(lang, fr, en)])
    if timed:
        interval = delays[-1] / (touches - 1)
    values = {
        "touches": str(touches), "duration": tr(lang, f"{days} jours", f"{days} days"),
        "interval": tr(lang, f"{num(interval, lang, 1)} jours", f"{num(interval, lang, 1)} days"),
        "sequence_table": table([tr(lang, "Étape", "Step"), tr(lang, "Délai", "Delay"), tr(lang, "Canal", "Channel"), tr(lang, "Contenu", "Content")], rows),
        "method": (tr(lang, "Délais donnés dans la demande ; format J0, J+3 du template Séquences Clés du seed automation.",
                      "Delays given in the request; D0, D+3 format of the automation seed's Key Sequences template.") if timed else
                   tr(lang, "Messages répartis à intervalle régulier sur la durée (délai = étape × durée / (messages − 1)) ; format J0, J+3 du template Séquences Clés du seed automation.",
                      "Messages spread evenly over the duration (delay = step × duration / (messages − 1)); D0, D+3 format of the automation seed's Key Sequences template.")),
    }
    return values, {}


@builder("conversion-optimization")
def cro(inputs, lang, request):
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


def funnel_steps(steps: list) -> list[dict]:
    """Per-step conversion from the previous step and drop-off, in % ; first step has none."""
    out = []
    for i, (name, count) in enumerate(steps):
        prev = steps[i - 1][1] if i else None
        conv = count / prev * 100 if prev else None
        out.append({"label": name, "count": count, "conversion": conv, "drop": 100 - conv if conv is not None else None})
    return out


def _funnel_values(inputs, lang):
    rows = funnel_steps(inputs["steps"])
    leak = max(rows[1:], key=lambda r: r["drop"])
    overall = rows[-1]["count"] / rows[0]["count"] * 100
    table_rows = [[r["label"], num(r["count"], lang), pct(r["conversion"], lang) if r["conversion"] is not None else "—",
                   pct(r["drop"], lang) if r["drop"] is not None else "—"] for r in rows]
    return rows, leak, overall, {
        "step_count": str(len(rows)), "overall": pct(overall, lang, 2), "leak_step": leak["label"], "leak_rate": pct(leak["drop"], lang),
        "steps_table": table([tr(lang, "Étape", "Step"), tr(lang, "Volume", "Volume"), tr(lang, "Passage", "Step conversion"), "Drop-off"], table_rows),
    }


@builder("funnel-analysis")
def funnel_analysis(inputs, lang, request):
    hours: dict[str, float] = {}
    if inputs.get("files"):
        inputs["steps"], hours = data.funnel(inputs["files"][-1])
    rows, leak, overall, values = _funnel_values(inputs, lang)
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


@builder("funnel-optimization")
def funnel_optimization(inputs, lang, request):
    rows, leak, overall, values = _funnel_values(inputs, lang)
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


@builder("kpi-tracking")
def kpis(inputs, lang, request):
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
    computed = table(["KPI", tr(lang, "Valeur", "Value"), tr(lang, "Formule", "Formula")], rows) if rows \
        else tr(lang, "Aucun KPI calculable avec les chiffres fournis.", "No KPI can be computed from the figures given.")
    budget = request.value("budget")
    if budget and metrics.get("spend"):
        computed += "\n" + budget_used(metrics["spend"], budget, lang, cur)
    if missing:
        computed += "\n" + bullets([tr(lang, f"{k.fr} non calculé : il manque {', '.join(label(n, lang) for n in needs)}.",
                                       f"{k.en} not computed: {', '.join(label(n, lang) for n in needs)} missing.") for k, needs in missing])
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
def readout(inputs, lang, request):
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
    values = {
        "channel_list": ", ".join(channels), "recommended": tr(lang, "Position-based (40/20/40), puis data-driven dès 300 conversions", "Position-based (40/20/40), then data-driven from 300 conversions"),
        "results_title": tr(lang, "Exemple sur un parcours type", "Example on a typical journey"),
        "results": tr(lang, f"Parcours {' → '.join(channels)} qui convertit :", f"Converting journey {' → '.join(channels)}:") + "\n" +
                   table([tr(lang, "Modèle", "Model")] + channels, rows),
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
                table(header, rows), "", tr(lang, "Effet de retrait (chaîne de Markov) :", "Removal effect (Markov chain):"), effects]
    if result.roi:
        sections += ["", tr(lang, "ROI par canal (data-driven) :", "ROI by channel (data-driven):"),
                     table([tr(lang, "Canal", "Channel"), "ROI"], [[c, pct(v, lang, 0)] for c, v in result.roi["markov"].items()])]
    top = max(channels, key=lambda c: result.credit["markov"][c])
    last = max(channels, key=lambda c: result.credit["last_touch"][c])
    values = {
        "channel_list": ", ".join(channels),
        "recommended": tr(lang, f"Data-driven (Markov) : {top} contribue le plus", f"Data-driven (Markov): {top} contributes most"),
        "results_title": tr(lang, "Crédit par canal et par modèle", "Credit by channel and model"),
        "results": "\n".join(sections),
        "data_note": tr(lang, f"- {file['name']} : {num(len(journeys), lang)} lignes de parcours. Le last touch donne le plus à {last}, le data-driven à {top}.",
                        f"- {file['name']}: {num(len(journeys), lang)} journey rows. Last touch favours {last}, data-driven {top}."),
        "method": result.method + ".",
        "_charts": [{"title": tr(lang, "Conversions créditées par canal", "Credited conversions by channel"), "kind": "grouped_bars",
                     "labels": channels, "series": {tr(lang, *MODEL_NAMES[m]): [result.credit[m][c] for c in channels] for m in attribution_calc.MODELS},
                     "filename": "attribution"}],
    }
    return values, {}
