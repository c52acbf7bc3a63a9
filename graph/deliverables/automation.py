"""Builders of the automation orchestrator's specialists (seeds/automation-orchestrator.md):
workflow-builder, lead-scoring, triggers-actions, multi-touch-sequences.

Each builder is named after its agent id; what a builder takes and returns is in
graph/deliverables/__init__.py."""

from __future__ import annotations

from graph import data
from graph.calculators import lead_scoring as scoring_calc
from graph.i18n import t
from graph.formatting import num, table, tr
from graph.understanding import Understanding
from graph.understanding.describe import delay_text
from graph.deliverables import builder


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
def workflow_builder(inputs, lang, request):
    name, goal_fr, goal_en, steps_fr, steps_en = WORKFLOW_TYPES[inputs["workflow_type"]]
    steps = list(steps_en if lang == "en" else steps_fr)
    if trigger := _user_trigger(request):
        steps[0] = trigger
    delays = [s.value for s in request.all("delay")]
    segments = [s.value for s in request.all("segment")]
    others = [WORKFLOW_TYPES[k][0] for k in WORKFLOW_TYPES if k != inputs["workflow_type"]][:2]
    values = {
        "type_label": name, "platform": inputs.get("platform") or t(lang, "workflow-builder.be_chosen"),
        "objective": tr(lang, goal_fr, goal_en),
        "audience": ", ".join(segments) if segments else t(lang, "workflow-builder.segment_before_automating"),
        "workflows": table(["Workflow", "Type", t(lang, "workflow-builder.priority")],
                           [[name, tr(lang, goal_fr, goal_en), t(lang, "workflow-builder.high")]] + [[o, o, t(lang, "workflow-builder.medium")] for o in others]),
        "steps": " → ".join(["TRIGGER: " + steps[0], "CONDITION", "ACTION: " + steps[1]]
                            + [f"{delay_text(d, lang)} : {t(lang, 'workflow-builder.follow_up')}" for d in delays] + [steps[2], t(lang, "workflow-builder.measure")]),
        "method": t(lang, "workflow-builder.workflow_type_example_journey"),
    }
    return values, {}


@builder("lead-scoring")
def lead_scoring(inputs, lang, request):
    if inputs.get("files"):
        return _score_leads(data.lead_rows(inputs["files"][-1]), lang)
    model = scoring_calc.load_model()
    stated = scoring_calc.stated_score(request.raw)
    points, hits = scoring_calc.score_lead(request.raw, model)
    score = stated if stated is not None else points
    breakdown = (t(lang, "lead-scoring.score_stated_message_stated", stated=stated) if stated is not None
                 else table([t(lang, "lead-scoring.criterion"), t(lang, "lead-scoring.read_message"), "Points"],
                            [[c.label(lang), f"« {found} »" if lang == "fr" else f"“{found}”", f"{c.points:+d}"] for c, found in hits])
                 if hits else t(lang, "lead-scoring.no_criterion_found_description"))
    status = model.status(score)
    next_step = {"SQL": t(lang, "lead-scoring.hand_off_sales_sales"),
                 "MQL": t(lang, "lead-scoring.targeted_nurturing_sequence_until"),
                 "lead": t(lang, "lead-scoring.educational_nurturing_rescore_on")}[status]
    values = {
        "score": f"{score} pts", "status": status, "mql": str(model.mql), "sql": str(model.sql), "breakdown": breakdown,
        "model": table([t(lang, "lead-scoring.criterion"), "Points"], [[c.label(lang), f"{c.points:+d}"] for c in model.criteria]),
        "next_step": next_step,
        "method": t(lang, "lead-scoring.sum_configured_model_s", mql=model.mql, sql=model.sql),
    }
    return values, {"lead_score": score}


def _score_leads(leads: list[tuple[str, str]], lang: str):
    """Every lead of a shared file scored with the configured model, hottest first."""
    model = scoring_calc.load_model()
    scored = sorted(((name, *scoring_calc.score_lead(description, model)) for name, description in leads), key=lambda r: -r[1])
    rows = [[name, f"{points} pts", model.status(points), ", ".join(c.label(lang) for c, _ in hits) or "—"] for name, points, hits in scored]
    top = scored[0][1]
    values = {
        "score": t(lang, "deliverables.automation.top_pts_max_scored", top=top, scored=len(scored)),
        "status": ", ".join(f"{s} {sum(model.status(p) == s for _, p, _ in scored)}" for s in ("SQL", "MQL", "lead")),
        "mql": str(model.mql), "sql": str(model.sql),
        "breakdown": table(["Lead", "Score", t(lang, "deliverables.automation.status"), t(lang, "deliverables.automation.criteria")], rows),
        "model": table([t(lang, "deliverables.automation.criterion"), "Points"], [[c.label(lang), f"{c.points:+d}"] for c in model.criteria]),
        "next_step": t(lang, "deliverables.automation.sql_hand_off_sales"),
        "method": t(lang, "deliverables.automation.each_row_file_read", mql=model.mql, sql=model.sql),
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
def triggers_actions(inputs, lang, request):
    fr, en, wf, rules = TRIGGERS[inputs["trigger"]]
    rows = [[tr(lang, cf, ce), tr(lang, af, ae)] for cf, af, ce, ae in rules]
    delays = [s.value for s in request.all("delay")]
    if delays:  # the delays the user gave replace the seed example's timing
        label_ = _user_trigger(request) or tr(lang, fr, en)
        rows = [[f"{label_} — {delay_text(d, lang)}",
                 t(lang, "triggers-actions.message_n_series_if", n=n)]
                for n, d in enumerate(delays, 1)]
    values = {
        "trigger_label": _user_trigger(request) or tr(lang, fr, en), "workflow_type": WORKFLOW_TYPES[wf][0],
        "rules": table([t(lang, "triggers-actions.if_condition"), t(lang, "triggers-actions.then_action")], rows),
        "method": t(lang, "triggers-actions.trigger_condition_action_measure"),
    }
    return values, {}


@builder("multi-touch-sequences")
def multi_touch_sequences(inputs, lang, request):
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
        "touches": str(touches), "duration": t(lang, "multi-touch-sequences.days_days", days=days),
        "interval": t(lang, "multi-touch-sequences.interval_days", interval=num(interval, lang, 1)),
        "sequence_table": table([t(lang, "multi-touch-sequences.step"), t(lang, "multi-touch-sequences.delay"), t(lang, "multi-touch-sequences.channel"), t(lang, "multi-touch-sequences.content")], rows),
        "method": (t(lang, "multi-touch-sequences.delays_given_request_d0") if timed else
                   t(lang, "multi-touch-sequences.messages_spread_evenly_over")),
    }
    return values, {}
