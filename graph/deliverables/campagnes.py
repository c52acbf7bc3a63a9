"""Builders of the campagnes orchestrator's specialists (seeds/campagnes-orchestrator.md): planning-
campagne, budget-allocation, coordination-canaux, suivi-performance.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

from datetime import date, timedelta
from graph import data
from graph.calculators import budget as budget_calc
from graph.calendar import campaign_ics
from graph.formatting import bullets, eur, money, num, pct, table, tr
from graph.understanding import Understanding, metrics as stated_metrics
from graph.deliverables import budget_used, builder, date_text, kpi_table


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
def planning_campagne(inputs, lang, request):
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
    rows = [[title, date_text(day, lang) if day else tr(lang, f"chaque semaine jusqu'au {date_text(end, lang)}", f"weekly until {date_text(end, lang)}")]
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
        "start_date": date_text(start, lang), "end_date": date_text(end, lang), "duration": duration,
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
def budget_allocation(inputs, lang, request):
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
        "split_table": [table([tr(lang, "Canal", "Channel"), "Budget", tr(lang, "Part", "Share"), tr(lang, "Résultat attendu", "Expected outcome"),
                               tr(lang, "Rendement du dernier €", "Return of the last €")], rows),
                        tr(lang, f"Résultat total attendu : {num(split.total_outcome, lang)}.", f"Expected total outcome: {num(split.total_outcome, lang)}.")],
        "curves": [tr(lang, "**Courbes de réponse ajustées**", "**Fitted response curves**"),
                   table([tr(lang, "Canal", "Channel"), tr(lang, "Plafond a", "Ceiling a"), tr(lang, "Échelle b", "Scale b"), "R²", tr(lang, "Périodes", "Periods")], curve_rows)],
        "method": tr(lang, f"Historique {file['name']} ; {split.method}. Au budget optimal, le dernier euro rapporte autant sur chaque canal non borné.",
                     f"History {file['name']}; {split.method}. At the optimum, the last euro returns the same on every unbounded channel."),
        "_charts": [{"title": tr(lang, "Courbes de réponse et répartition", "Response curves and split"), "kind": "curves", "filename": "budget",
                     "x": grid, "series": {c.channel: [c.response(x) for x in grid] for c in curves},
                     "points": {c.channel: [split.spend[c.channel], split.outcome[c.channel]] for c in curves}}],
    }
    return values, {}


@builder("coordination-canaux")
def coordination_canaux(inputs, lang, request):
    channels, start = inputs["channels"], date.fromisoformat(inputs["start_date"])
    steps = [("Brief équipes et message clé", "Team brief and key message", -21, "Chef de projet campagne", "Campaign lead"),
             ("Briefs créatifs envoyés", "Creative briefs sent", -18, "Chef de projet campagne", "Campaign lead"),
             ("Assets livrés et validés", "Assets delivered and approved", -7, "Contenu / design", "Content / design"),
             ("Tracking et UTM vérifiés", "Tracking and UTMs checked", -3, "Analytics", "Analytics"),
             ("Lancement synchronisé", "Synchronised launch", 0, "Tous les canaux", "All channels"),
             ("Point de suivi", "Tracking check-in", 7, "Chef de projet + suivi-performance", "Campaign lead + suivi-performance")]
    rows = [[date_text(start + timedelta(days=o), lang), tr(lang, fr, en), tr(lang, wf, we)] for fr, en, o, wf, we in steps]
    briefs = bullets([tr(lang, f"{c} : format, message décliné, date de diffusion, KPI du canal", f"{c}: format, adapted message, go-live date, channel KPI") for c in channels])
    values = {
        "channel_list": ", ".join(channels), "start_date": date_text(start, lang),
        "schedule": table(["Date", tr(lang, "Action", "Action"), tr(lang, "Qui", "Who")], rows), "briefs": briefs,
        "method": tr(lang, "Étapes 4 (coordination) et 5 (exécution) du processus campagne du seed, planifiées à rebours depuis le lancement.",
                     "Steps 4 (coordination) and 5 (execution) of the seed's campaign process, planned backwards from launch."),
    }
    return values, {}


@builder("suivi-performance")
def suivi_performance(inputs, lang, request):
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
