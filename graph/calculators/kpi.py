"""KPI formulas of the seeds.

Sources: performance-orchestrator.md "Métriques Clés" (conversion rate, bounce rate, exit rate, AOV,
revenue per visitor, cost per conversion, ROAS) and analytics-orchestrator.md "Métriques Clés par
Étape Funnel" (CPM, CPC, CTR, CPA).
"""

from __future__ import annotations

from typing import NamedTuple


class Kpi(NamedTuple):
    """One formula: id, French and English names, the metrics it needs, the formula text, the unit."""

    id: str
    fr: str
    en: str
    needs: tuple[str, ...]
    formula: str
    unit: str
    seed: str


KPIS = [
    Kpi("conversion_rate", "Taux de conversion", "Conversion rate", ("conversions", "visitors"), "Conversions / Visiteurs × 100", "%", "performance"),
    Kpi("bounce_rate", "Taux de rebond", "Bounce rate", ("bounces", "visitors"), "Visites d'une page / Visites totales × 100", "%", "performance"),
    Kpi("exit_rate", "Taux de sortie", "Exit rate", ("exits", "pageviews"), "Sorties / Pages vues × 100", "%", "performance"),
    Kpi("aov", "Panier moyen (AOV)", "Average order value", ("revenue", "orders"), "Revenu / Commandes", "€", "performance"),
    Kpi("revenue_per_visitor", "Revenu par visiteur", "Revenue per visitor", ("revenue", "visitors"), "Revenu / Visiteurs", "€", "performance"),
    Kpi("cost_per_conversion", "Coût par conversion", "Cost per conversion", ("spend", "conversions"), "Dépense / Conversions", "€", "performance"),
    Kpi("roas", "ROAS", "ROAS", ("revenue", "spend"), "Revenu / Dépense publicitaire", "x", "performance"),
    Kpi("cpm", "CPM", "CPM", ("spend", "impressions"), "Dépense / Impressions × 1000", "€", "analytics"),
    Kpi("cpc", "CPC", "CPC", ("spend", "clicks"), "Dépense / Clics", "€", "analytics"),
    Kpi("ctr", "CTR", "CTR", ("clicks", "impressions"), "Clics / Impressions × 100", "%", "analytics"),
]

_SCALE = {"conversion_rate": 100, "bounce_rate": 100, "exit_rate": 100, "cpm": 1000, "ctr": 100}


def compute_kpis(metrics: dict[str, float]) -> dict[str, float]:
    """Every KPI of :data:`KPIS` whose inputs are in ``metrics`` (keys: visitors, conversions, orders,
    revenue €, spend €, impressions, clicks, bounces, exits, pageviews). Zero denominators are skipped.
    Returns {kpi id: value in the KPI's unit}."""
    out = {}
    for kpi in KPIS:
        num, den = (metrics.get(k) for k in kpi.needs)
        if num is not None and den:
            out[kpi.id] = num / den * _SCALE.get(kpi.id, 1)
    return out
