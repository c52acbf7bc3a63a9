"""KPI formulas of the seeds.

Sources: performance-orchestrator.md "Métriques Clés" (conversion rate, bounce rate, exit rate, AOV,
revenue per visitor, cost per conversion, ROAS) and analytics-orchestrator.md "Métriques Clés par
Étape Funnel" (CPM, CPC, CTR, CPA; churn, LTV, repeat rate; NPS, K-factor). LTV is the simple
subscription form ARPU / churn rate (per period); NPS is the Bain & Company definition
(% promoters − % detractors); K-factor = new users brought by referrals / existing users.
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple

from graph.text import fold
from graph.progress import calculator


class Kpi(NamedTuple):
    """One formula: id, French and English names, the metrics it needs, how it is computed from
    them, the formula text in French and English, the unit (%, €, x, pts or none), the seed it
    comes from and the names users ask for it by (folded, whole words)."""

    id: str
    fr: str
    en: str
    needs: tuple[str, ...]
    compute: Callable[..., float]
    formula: str
    unit: str
    seed: str
    formula_en: str = ""
    asked: tuple[str, ...] = ()

    def formula_in(self, lang: str) -> str:
        """The formula in ``lang``."""
        return self.formula_en if lang == "en" and self.formula_en else self.formula


def _ratio(scale: float = 1) -> Callable[..., float]:
    return lambda num, den: num / den * scale


KPIS = [
    Kpi("conversion_rate", "Taux de conversion", "Conversion rate", ("conversions", "visitors"), _ratio(100), "Conversions / Visiteurs × 100", "%", "performance",
        "Conversions / Visitors × 100", ("taux de conversion", "tx de conv", "conversion rate", "cvr", "conv rate", "taux de conv")),
    Kpi("bounce_rate", "Taux de rebond", "Bounce rate", ("bounces", "visitors"), _ratio(100), "Visites d'une page / Visites totales × 100", "%", "performance",
        "Single-page visits / Total visits × 100", ("taux de rebond", "bounce rate", "rebond")),
    Kpi("exit_rate", "Taux de sortie", "Exit rate", ("exits", "pageviews"), _ratio(100), "Sorties / Pages vues × 100", "%", "performance",
        "Exits / Pageviews × 100", ("taux de sortie", "exit rate")),
    Kpi("aov", "Panier moyen (AOV)", "Average order value", ("revenue", "orders"), _ratio(), "Revenu / Commandes", "€", "performance",
        "Revenue / Orders", ("panier moyen", "aov", "average order value", "average basket")),
    Kpi("revenue_per_visitor", "Revenu par visiteur", "Revenue per visitor", ("revenue", "visitors"), _ratio(), "Revenu / Visiteurs", "€", "performance",
        "Revenue / Visitors", ("revenu par visiteur", "revenue per visitor", "rpv")),
    Kpi("cost_per_conversion", "Coût par conversion", "Cost per conversion", ("spend", "conversions"), _ratio(), "Dépense / Conversions", "€", "performance",
        "Spend / Conversions", ("cout par conversion", "cost per conversion")),
    Kpi("roas", "ROAS", "ROAS", ("revenue", "spend"), _ratio(), "Revenu / Dépense publicitaire", "x", "performance",
        "Revenue / Ad spend", ("roas", "retour sur depense publicitaire", "return on ad spend")),
    Kpi("cpm", "CPM", "CPM", ("spend", "impressions"), _ratio(1000), "Dépense / Impressions × 1000", "€", "analytics",
        "Spend / Impressions × 1000", ("cpm",)),
    Kpi("cpc", "CPC", "CPC", ("spend", "clicks"), _ratio(), "Dépense / Clics", "€", "analytics",
        "Spend / Clicks", ("cpc", "cout par clic", "cost per click")),
    Kpi("ctr", "CTR", "CTR", ("clicks", "impressions"), _ratio(100), "Clics / Impressions × 100", "%", "analytics",
        "Clicks / Impressions × 100", ("ctr", "taux de clic", "click-through rate", "click rate")),
    Kpi("cpa", "CPA", "CPA", ("spend", "customers"), _ratio(), "Dépense / Nouveaux clients acquis", "€", "analytics",
        "Spend / New customers acquired", ("cpa", "cac", "cout d'acquisition", "cost per acquisition", "acquisition cost")),
    Kpi("churn_rate", "Taux de churn", "Churn rate", ("churned", "customers"), _ratio(100), "Clients perdus / Clients en début de période × 100", "%", "analytics",
        "Churned customers / Customers at the start of the period × 100", ("churn", "attrition")),
    Kpi("ltv", "LTV", "LTV", ("arpu", "churn_rate"), lambda arpu, churn: arpu / (churn / 100), "Revenu moyen par client et par période / Taux de churn", "€", "analytics",
        "Average revenue per customer per period / Churn rate", ("ltv", "clv", "lifetime value", "valeur vie client")),
    Kpi("repeat_rate", "Taux de réachat", "Repeat rate", ("repeat_customers", "customers"), _ratio(100), "Clients ayant racheté / Clients × 100", "%", "analytics",
        "Repeat customers / Customers × 100", ("taux de reachat", "taux de rachat", "repeat rate", "repeat purchase rate")),
    Kpi("nps", "NPS", "NPS", ("promoters", "detractors", "respondents"), lambda p, d, r: (p - d) / r * 100,
        "% promoteurs (9-10) − % détracteurs (0-6)", "pts", "analytics",
        "% promoters (9-10) − % detractors (0-6)", ("nps", "net promoter score")),
    Kpi("k_factor", "K-factor", "K-factor", ("referred", "customers"), _ratio(), "Nouveaux utilisateurs venus par parrainage / Utilisateurs existants", "", "analytics",
        "New users from referrals / Existing users", ("k-factor", "k factor", "viralite", "virality")),
]


@calculator("kpis", "seed KPI formulas")
def compute_kpis(metrics: dict[str, float]) -> dict[str, float]:
    """Every KPI of :data:`KPIS` whose inputs are in ``metrics`` (keys: visitors, conversions, orders,
    revenue €, spend €, impressions, clicks, bounces, exits, pageviews, customers, churned, arpu €,
    churn_rate %, repeat_customers, promoters, detractors, respondents, referred). A churn rate
    computed here feeds the LTV when none was given. Zero denominators are skipped.
    Without new customers, the CPA counts conversions as acquisitions (the usual ad-platform CPA).
    Returns {kpi id: value in the KPI's unit}."""
    known = dict(metrics)
    out: dict[str, float] = {}
    for kpi in KPIS:
        args = [known.get(k) for k in kpi.needs]
        if kpi.id == "cpa" and args[1] is None:
            args[1] = known.get("conversions")
        if all(a is not None for a in args) and args[-1]:
            out[kpi.id] = kpi.compute(*args)
            if kpi.id == "churn_rate":
                known.setdefault("churn_rate", out[kpi.id])
    return out


def requested(text: str) -> list[Kpi]:
    """The KPIs a request names ("whats our CVR, CPA and ROAS?"), in the table's order."""
    folded = fold(text)
    return [k for k in KPIS if any(re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded) for name in k.asked)]


def missing_for(kpi: Kpi, metrics: dict[str, float]) -> list[str]:
    """The metrics ``kpi`` still needs (the CPA takes conversions for new customers)."""
    needs = [n for n in kpi.needs if n not in metrics]
    if kpi.id == "cpa" and "customers" in needs:
        needs.remove("customers")
        if "conversions" not in metrics:
            needs.append("conversions")
    if kpi.id == "ltv" and "churn_rate" in needs and {"churned", "customers"} <= set(metrics):
        needs.remove("churn_rate")
    return needs
