"""KPI formulas of the seeds.

Sources: performance-orchestrator.md "Métriques Clés" (conversion rate, bounce rate, exit rate, AOV,
revenue per visitor, cost per conversion, ROAS) and analytics-orchestrator.md "Métriques Clés par
Étape Funnel" (CPM, CPC, CTR, CPA; churn, LTV, repeat rate; NPS, K-factor). LTV is the simple
subscription form ARPU / churn rate (per period); NPS is the Bain & Company definition
(% promoters − % detractors); K-factor = new users brought by referrals / existing users.
"""

from __future__ import annotations

from typing import Callable, NamedTuple


class Kpi(NamedTuple):
    """One formula: id, French and English names, the metrics it needs, how it is computed from
    them, the formula text, the unit (%, €, x, pts or none) and the seed it comes from."""

    id: str
    fr: str
    en: str
    needs: tuple[str, ...]
    compute: Callable[..., float]
    formula: str
    unit: str
    seed: str


def _ratio(scale: float = 1) -> Callable[..., float]:
    return lambda num, den: num / den * scale


KPIS = [
    Kpi("conversion_rate", "Taux de conversion", "Conversion rate", ("conversions", "visitors"), _ratio(100), "Conversions / Visiteurs × 100", "%", "performance"),
    Kpi("bounce_rate", "Taux de rebond", "Bounce rate", ("bounces", "visitors"), _ratio(100), "Visites d'une page / Visites totales × 100", "%", "performance"),
    Kpi("exit_rate", "Taux de sortie", "Exit rate", ("exits", "pageviews"), _ratio(100), "Sorties / Pages vues × 100", "%", "performance"),
    Kpi("aov", "Panier moyen (AOV)", "Average order value", ("revenue", "orders"), _ratio(), "Revenu / Commandes", "€", "performance"),
    Kpi("revenue_per_visitor", "Revenu par visiteur", "Revenue per visitor", ("revenue", "visitors"), _ratio(), "Revenu / Visiteurs", "€", "performance"),
    Kpi("cost_per_conversion", "Coût par conversion", "Cost per conversion", ("spend", "conversions"), _ratio(), "Dépense / Conversions", "€", "performance"),
    Kpi("roas", "ROAS", "ROAS", ("revenue", "spend"), _ratio(), "Revenu / Dépense publicitaire", "x", "performance"),
    Kpi("cpm", "CPM", "CPM", ("spend", "impressions"), _ratio(1000), "Dépense / Impressions × 1000", "€", "analytics"),
    Kpi("cpc", "CPC", "CPC", ("spend", "clicks"), _ratio(), "Dépense / Clics", "€", "analytics"),
    Kpi("ctr", "CTR", "CTR", ("clicks", "impressions"), _ratio(100), "Clics / Impressions × 100", "%", "analytics"),
    Kpi("cpa", "CPA", "CPA", ("spend", "customers"), _ratio(), "Dépense / Nouveaux clients acquis", "€", "analytics"),
    Kpi("churn_rate", "Taux de churn", "Churn rate", ("churned", "customers"), _ratio(100), "Clients perdus / Clients en début de période × 100", "%", "analytics"),
    Kpi("ltv", "LTV", "LTV", ("arpu", "churn_rate"), lambda arpu, churn: arpu / (churn / 100), "Revenu moyen par client et par période / Taux de churn", "€", "analytics"),
    Kpi("repeat_rate", "Taux de réachat", "Repeat rate", ("repeat_customers", "customers"), _ratio(100), "Clients ayant racheté / Clients × 100", "%", "analytics"),
    Kpi("nps", "NPS", "NPS", ("promoters", "detractors", "respondents"), lambda p, d, r: (p - d) / r * 100,
        "% promoteurs (9-10) − % détracteurs (0-6)", "pts", "analytics"),
    Kpi("k_factor", "K-factor", "K-factor", ("referred", "customers"), _ratio(), "Nouveaux utilisateurs venus par parrainage / Utilisateurs existants", "", "analytics"),
]


def compute_kpis(metrics: dict[str, float]) -> dict[str, float]:
    """Every KPI of :data:`KPIS` whose inputs are in ``metrics`` (keys: visitors, conversions, orders,
    revenue €, spend €, impressions, clicks, bounces, exits, pageviews, customers, churned, arpu €,
    churn_rate %, repeat_customers, promoters, detractors, respondents, referred). A churn rate
    computed here feeds the LTV when none was given. Zero denominators are skipped.
    Returns {kpi id: value in the KPI's unit}."""
    known = dict(metrics)
    out: dict[str, float] = {}
    for kpi in KPIS:
        args = [known.get(k) for k in kpi.needs]
        if all(a is not None for a in args) and args[-1]:
            out[kpi.id] = kpi.compute(*args)
            if kpi.id == "churn_rate":
                known.setdefault("churn_rate", out[kpi.id])
    return out
