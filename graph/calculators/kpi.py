"""KPI formulas of the seeds.

Sources: performance-orchestrator.md "Métriques Clés" (conversion rate, bounce rate, exit rate, AOV,
revenue per visitor, cost per conversion, ROAS) and analytics-orchestrator.md "Métriques Clés par
Étape Funnel" (CPM, CPC, CTR, CPA; churn, LTV, repeat rate; NPS, K-factor). LTV is the simple
subscription form ARPU / churn rate (per period), ARPU × gross margin / churn rate when a margin is
given, and for a shop AOV × purchases a year × years a customer stays (× gross margin when given); the highest affordable CAC is LTV / 3 (the common 3:1 LTV/CAC rule of thumb); NPS is the Bain & Company definition
(% promoters − % detractors); K-factor = new users brought by referrals / existing users.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from typing import NamedTuple

from graph.i18n import t
from graph.progress import calculator
from graph.text import fold


def revenue_per_visitor(rate: float, aov: float) -> float:
    """Revenue per visitor (€) from the conversion rate (%) and the average order value (€):
    rate / 100 × AOV (performance seed, "Métriques Clés")."""
    return rate / 100 * aov


class Kpi(NamedTuple):
    """One formula: id, the metrics it needs, how it is computed from them, the unit (%, €, x,
    pts, months or none), the seed it comes from and the names users ask for it by (folded, whole words).
    Its name and formula text are in the catalogues (``kpi.<id>.name``, ``kpi.<id>.formula``)."""

    id: str
    needs: tuple[str, ...]
    compute: Callable[..., float]
    unit: str
    seed: str
    asked: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """The KPI's name in ``lang``: 'Taux de conversion' / 'Conversion rate'."""
        return t(lang, f"kpi.{self.id}.name")

    def formula_in(self, lang: str) -> str:
        """The formula in ``lang``: 'Conversions / Visiteurs × 100'."""
        return t(lang, f"kpi.{self.id}.formula")


def _over_share(cost: float, share: float) -> float:
    """A cost per lead (€) over the share (%) of leads that go on: the cost per lead that does
    (CPL / MQL rate = cost per MQL; CPL / lead-to-customer rate = CAC)."""
    return cost / (share / 100)


def _ratio(scale: float = 1) -> Callable[..., float]:
    return lambda num, den: num / den * scale


def _product(times: float = 1, per: float = 1) -> Callable[..., float]:
    """A KPI that multiplies its two inputs, ``times`` a factor, ``per`` a divisor (clicks × CPC;
    conversions × ARPU × 12; customers × churn % / 100)."""
    return lambda a, b: a * b * times / per


ROI_ASKED = (  # the names a return on investment is asked by, on revenue or on margin
    "roi",
    "retour sur investissement",
    "return on investment",
    "rentable",
    "profitable",
    "valait le coup",
    "vaut le coup",
    "worth it",
)
KPIS = [
    Kpi(  # "2,1M impressions, CTR 0,9 %": the clicks they made
        "clicks_from_ctr",
        ("impressions", "ctr"),
        _product(per=100),
        "",
        "analytics",
    ),
    Kpi(  # "… CPC 0,45 €": what those clicks cost
        "spend_from_cpc",
        ("clicks", "cpc"),
        _product(),
        "€",
        "analytics",
    ),
    Kpi(  # "sms campaign to 35k contacts … cost 0.06€ per sms": what the sends cost
        "spend_from_sends",
        ("visitors", "cost_per_send"),
        _product(),
        "€",
        "analytics",
    ),
    Kpi(  # the orders a volume brings at a rate ("1,9 M d'emails envoyés, 0,12 % de conversion")
        "conversions_from_rate",
        ("visitors", "conversion_rate"),
        _product(per=100),
        "",
        "performance",
    ),
    Kpi(  # the period's revenue when only the orders and the average basket are given
        "revenue_from_aov",
        ("orders", "aov"),
        _product(),
        "€",
        "performance",
    ),
    Kpi(
        "conversion_rate",
        ("conversions", "visitors"),
        _ratio(100),
        "%",
        "performance",
        ("taux de conversion", "tx de conv", "conversion rate", "cvr", "conv rate", "taux de conv"),
    ),
    Kpi(  # no visitors given: the rate of the clicks that converted ("1,240 orders, 41,000 clicks")
        "click_conversion_rate",
        ("conversions", "clicks"),
        _ratio(100),
        "%",
        "performance",
    ),
    Kpi(  # a report that gives signups beside paid conversions (binding.period_pairs)
        "signup_rate",
        ("signups", "visitors"),
        _ratio(100),
        "%",
        "performance",
        ("taux d'inscription", "signup rate", "sign-up rate"),
    ),
    Kpi(
        "signup_to_paid",
        ("conversions", "signups"),
        _ratio(100),
        "%",
        "performance",
        ("signup to paid", "inscription a payant"),
    ),
    Kpi(
        "cost_per_signup",
        ("spend", "signups"),
        _ratio(),
        "€",
        "performance",
        ("cout par inscription", "cost per signup"),
    ),
    Kpi(
        "bounce_rate",
        ("bounces", "visitors"),
        _ratio(100),
        "%",
        "performance",
        ("taux de rebond", "bounce rate", "rebond"),
    ),
    Kpi(
        "exit_rate",
        ("exits", "pageviews"),
        _ratio(100),
        "%",
        "performance",
        ("taux de sortie", "exit rate"),
    ),
    Kpi(
        "aov",
        ("revenue", "orders"),
        _ratio(),
        "€",
        "performance",
        ("panier moyen", "aov", "average order value", "average basket"),
    ),
    Kpi(
        "revenue_per_visitor",
        ("revenue", "visitors"),
        _ratio(),
        "€",
        "performance",
        ("revenu par visiteur", "revenue per visitor", "rpv"),
    ),
    Kpi(  # "conversion 3,4 % → 2,6 %, panier 58 € → 71 €": what a visitor brings on each side
        "rpv_from_rate",
        ("conversion_rate", "aov"),
        lambda rate, aov: revenue_per_visitor(rate, aov),
        "€",
        "performance",
    ),
    Kpi(
        "cost_per_conversion",
        ("spend", "conversions"),
        _ratio(),
        "€",
        "performance",
        ("cout par conversion", "cost per conversion"),
    ),
    Kpi(
        "roas",
        ("revenue", "spend"),
        _ratio(),
        "x",
        "performance",
        ("roas", "retour sur depense publicitaire", "return on ad spend"),
    ),
    Kpi(
        "roi",
        ("revenue", "spend"),
        lambda revenue, spend: (revenue - spend) / spend * 100,
        "%",
        "performance",
        ROI_ASKED,
    ),
    Kpi(  # with a gross margin given, what the spend returns is the margin it brings, not the sales
        "margin_roi",
        ("revenue", "gross_margin", "spend"),
        lambda revenue, margin, spend: (revenue * margin / 100 - spend) / spend * 100,
        "%",
        "performance",
        ROI_ASKED,
    ),
    Kpi(  # a ROAS and a margin alone: each euro spent brings ROAS × margin of margin back
        "roas_margin_roi",
        ("roas", "gross_margin"),
        lambda roas, margin: roas * margin - 100,
        "%",
        "performance",
        ROI_ASKED,
    ),
    Kpi("cpm", ("spend", "impressions"), _ratio(1000), "€", "analytics", ("cpm",)),
    Kpi(
        "cpc",
        ("spend", "clicks"),
        _ratio(),
        "€",
        "analytics",
        ("cpc", "cout par clic", "cost per click"),
    ),
    Kpi(  # a social post's reactions, comments and shares over its impressions
        "engagement_rate",
        ("engagements", "impressions"),
        _ratio(100),
        "%",
        "analytics",
        ("taux d'engagement", "engagement rate", "engagement", "tx d'engagement"),
    ),
    Kpi(
        "ctr",
        ("clicks", "impressions"),
        _ratio(100),
        "%",
        "analytics",
        ("ctr", "taux de clic", "click-through rate", "click rate"),
    ),
    Kpi(
        "cpa",
        ("spend", "customers"),
        _ratio(),
        "€",
        "analytics",
        ("cpa", "cac", "cout d'acquisition", "cost per acquisition", "acquisition cost"),
    ),
    Kpi(  # "CPM €14, CTR 1.1%": 1,000 impressions bring 11 clicks, each at €1.27
        "cpc_from_cpm",
        ("cpm", "ctr"),
        lambda cpm, ctr: cpm / (1000 * ctr / 100),
        "€",
        "analytics",
    ),
    Kpi(  # "CPC $2.60, conversion rate 4%": each conversion takes 25 clicks
        "cpa_from_cpc",
        ("cpc", "conversion_rate"),
        lambda cpc, rate: cpc / (rate / 100),
        "€",
        "analytics",
    ),
    Kpi(  # "CPC $1.65, conversion rate 2.8%, AOV $72. above our target ROAS?": each order
        # brings the AOV for the CPA it costs, so ROAS = AOV / CPA = 1.22x
        "roas_from_aov",
        ("aov", "cpa"),
        _ratio(),
        "x",
        "performance",
    ),
    Kpi(  # "combien de clics pour 200 ventes à 3,5 % de conversion ?": 5 714
        "clicks_needed",
        ("conversions", "conversion_rate"),
        lambda conversions, rate: conversions / (rate / 100),
        "",
        "analytics",
        (
            "combien de clics",
            "how many clicks",
            "clics necessaires",
            "clicks needed",
            "nombre de clics",
        ),
    ),
    Kpi(  # the budget a goal needs at a cost per conversion ("1 200 leads avec un CPL de 45 €"),
        # after the CPA that CPC ÷ conversion rate gives
        "spend_from_cpa",
        ("conversions", "cpa"),
        _product(),
        "€",
        "performance",
        ("quel budget", "what budget", "budget needed", "budget necessaire"),
    ),
    Kpi(
        "churn_rate",
        ("churned", "customers"),
        _ratio(100),
        "%",
        "analytics",
        ("churn", "attrition"),
    ),
    Kpi(
        "mrr",
        ("customers", "arpu"),
        _product(),
        "€",
        "analytics",
    ),
    Kpi(  # "40,000 free users, 2.5% upgrade to the €19/month plan": what the upgrades add
        "converted_mrr",
        ("conversions", "arpu"),
        _product(),
        "€",
        "analytics",
    ),
    Kpi(
        "converted_arr",
        ("conversions", "arpu"),
        _product(times=12),
        "€",
        "analytics",
    ),
    Kpi(
        "lost_customers",
        ("customers", "churn_rate"),
        _product(per=100),
        "",
        "analytics",
    ),
    Kpi(  # "lost 294, gained 610": the customers the period added, net of those it lost
        "net_customers",
        ("gained", "churned"),
        lambda gained, churned: gained - churned,
        "",
        "analytics",
        ("net new", "croissance nette", "net growth"),
    ),
    Kpi(
        "net_mrr_change",
        ("gained", "churned", "arpu"),
        lambda gained, churned, arpu: (gained - churned) * arpu,
        "€",
        "analytics",
        ("net mrr", "mrr net", "variation du mrr", "net mrr change"),
    ),
    Kpi(  # "MRR added $6,512, churned MRR $2,100": what the period grew the MRR by
        "net_new_mrr",
        ("new_mrr", "churned_mrr"),
        lambda new, churned: new - churned,
        "€",
        "analytics",
        ("net new mrr", "nouveau mrr net", "net mrr"),
    ),
    Kpi(  # of the MRR given, else customers × ARPU computed above
        "lost_mrr",
        ("mrr", "churn_rate"),
        _product(per=100),
        "€",
        "analytics",
        ("mrr perdu", "lost mrr", "churned mrr"),
    ),
    Kpi(  # a shop's customer: what they spend over the years they stay (no subscription)
        "purchase_ltv",
        ("aov", "purchase_frequency", "customer_lifetime"),
        lambda aov, frequency, years: aov * frequency * years,
        "€",
        "analytics",
    ),
    Kpi(  # …and the margin those purchases leave, the one compared with a CAC
        "margin_purchase_ltv",
        ("aov", "purchase_frequency", "customer_lifetime", "gross_margin"),
        lambda aov, frequency, years, margin: aov * frequency * years * margin / 100,
        "€",
        "analytics",
    ),
    Kpi(  # with a gross margin given, the LTV is the margin a customer brings, not the revenue
        "margin_ltv",
        ("arpu", "gross_margin", "churn_rate"),
        lambda arpu, margin, churn: arpu * margin / churn,
        "€",
        "analytics",
    ),
    Kpi(
        "ltv",
        ("arpu", "churn_rate"),
        lambda arpu, churn: arpu / (churn / 100),
        "€",
        "analytics",
        ("ltv", "clv", "lifetime value", "valeur vie client"),
    ),
    Kpi("mql_to_sql", ("sqls", "mqls"), _ratio(100), "%", "analytics", ("mql to sql", "mql → sql")),
    Kpi(
        "cost_per_mql",
        ("spend", "mqls"),
        _ratio(),
        "€",
        "analytics",
        ("cost per mql", "cout par mql"),
    ),
    Kpi(  # a cost per lead over the share of leads that become MQLs
        "cost_per_mql_from_rate",
        ("cpa", "mql_rate"),
        _over_share,
        "€",
        "analytics",
    ),
    Kpi(
        "mqls_from_rate",
        ("conversions", "mql_rate"),
        _product(per=100),
        "",
        "analytics",
    ),
    Kpi(
        "cost_per_sql",
        ("spend", "sqls"),
        _ratio(),
        "€",
        "analytics",
        ("cost per sql", "cout par sql"),
    ),
    Kpi("pipeline_to_spend", ("pipeline", "spend"), _ratio(), "x", "analytics", ("pipeline roi",)),
    Kpi("won_to_spend", ("closed_won", "spend"), _ratio(), "x", "analytics", ("marketing roi",)),
    Kpi("pipeline_won", ("closed_won", "pipeline"), _ratio(100), "%", "analytics", ("win rate",)),
    Kpi(  # months of gross margin that pay back the cost of acquiring a customer
        "cac_payback",
        ("cpa", "arpu", "gross_margin"),
        lambda cac, arpu, margin: cac / (arpu * margin / 100),
        "months",
        "analytics",
        (
            "payback",
            "rembourse",
            "rentabilise",
            "retour sur cac",
            "cac payback",
            "mois pour rembourser",
        ),
    ),
    Kpi(  # the payback asked with no margin given: on revenue, the shortest it can be
        "cac_payback_revenue",
        ("cpa", "arpu"),
        _ratio(),
        "months",
        "analytics",
    ),
    Kpi(  # shown per channel ("1 200 leads FB dont 24 clients"): which channel's leads close
        "lead_close_rate",
        ("customers", "conversions"),
        _ratio(100),
        "%",
        "analytics",
    ),
    Kpi(  # a cost per lead over the share of leads that become customers
        "cac_from_cpl",
        ("cpa", "lead_to_customer"),
        _over_share,
        "€",
        "analytics",
    ),
    Kpi(
        "ltv_cac",
        ("ltv", "cpa"),
        _ratio(),
        "x",
        "analytics",
        ("ltv/cac", "ltv cac", "ratio ltv"),
    ),
    Kpi(  # what one customer may cost at the usual 3:1 LTV/CAC ratio
        "max_cac",
        ("ltv",),
        lambda ltv: ltv / 3,
        "€",
        "analytics",
        (
            "cac max",
            "max cac",
            "maximum cac",
            "cac maximum",
            "cac maxi",
            "cac cible",
            "target cac",
            "pay to acquire",
            "afford to acquire",
            "spend to acquire",
            "payer pour acquerir",
            "depenser pour acquerir",
        ),
    ),
    Kpi(  # the most a first order can cost to acquire without a loss on it (no repeat purchase)
        "break_even_cpa",
        ("aov", "gross_margin"),
        _product(per=100),
        "€",
        "performance",
        (
            "cpa max",
            "max cpa",
            "cpa maximum",
            "cpa maxi",
            "jusqu'a quel cpa",
            "up to what cpa",
            "how high a cpa",
            "cpa can we afford",
            "cpa we can afford",
            "break-even cpa",
            "cpa de rentabilite",
            "cpa rentable",
        ),
    ),
    Kpi(  # "30 % des clients rachètent (2 commandes de plus)": the margin of the orders that follow
        "repeat_break_even_cpa",
        ("aov", "gross_margin", "repeat_rate", "repeat_orders"),
        lambda aov, margin, rate, more: aov * margin / 100 * (1 + rate / 100 * more),
        "€",
        "performance",
    ),
    Kpi(  # the lowest ROAS at which ad spend pays for itself out of the margin it brings
        "break_even_roas",
        ("gross_margin",),
        lambda margin: 100 / margin,
        "x",
        "performance",
        (
            "roas minimum",
            "roas min",
            "minimum roas",
            "min roas",
            "break-even roas",
            "breakeven roas",
            "roas de rentabilite",
            "roas rentable",
            "roas seuil",
            "roas point mort",
            "roas d'equilibre",
        ),
    ),
    Kpi(  # what an order leaves once its margin has paid for its acquisition
        "order_profit",
        ("aov", "gross_margin", "cpa"),
        lambda aov, margin, cpa: aov * margin / 100 - cpa,
        "€",
        "performance",
    ),
    Kpi(
        "repeat_rate",
        ("repeat_customers", "customers"),
        _ratio(100),
        "%",
        "analytics",
        ("taux de reachat", "taux de rachat", "repeat rate", "repeat purchase rate"),
    ),
    Kpi(
        "nps",
        ("promoters", "detractors", "respondents"),
        lambda p, d, r: (p - d) / r * 100,
        "pts",
        "analytics",
        ("nps", "net promoter score"),
    ),
    Kpi(
        "k_factor",
        ("referred", "customers"),
        _ratio(),
        "",
        "analytics",
        ("k-factor", "k factor", "viralite", "virality"),
    ),
]


# a volume or cost not given: "CPC 1,20 €, conversion 2,5 %" makes a CPA to set against the margin
MADE = {
    "clicks_from_ctr": "clicks",
    "spend_from_cpc": "spend",
    "spend_from_sends": "spend",
    "cpc_from_cpm": "cpc",
    "cpa_from_cpc": "cpa",
    "roas_from_aov": "roas",
}
# a break-even the margin gives, shown beside the figure it is set against (or when asked)
_BREAK_EVEN = {"break_even_cpa": "cpa", "break_even_roas": "roas", "repeat_break_even_cpa": "cpa"}
# counted on the customers at the start of the period when given beside new customers
_ON_BASE = frozenset({"churn_rate", "mrr", "lost_customers"})
_SHARES = frozenset(
    {"conversion_rate", "click_conversion_rate"}
)  # a part of a whole: 100 % at most
ON_REQUEST = frozenset(
    {"roi", "margin_roi", "max_cac", "lead_close_rate", "clicks_needed"}
)  # shown when asked: ROI says what ROAS says
# a rise is bad news: costs, churn, bounces (a report flags them when they go up)
LOWER_IS_BETTER = frozenset(
    {
        "cpa",
        "cpc",
        "cpm",
        "cost_per_conversion",
        "cost_per_signup",
        "cost_per_mql",
        "cac_from_cpl",
        "cac_payback",
        "cac_payback_revenue",
        "churn_rate",
        "churned",
        "lost_customers",
        "bounce_rate",
        "exit_rate",
        "bounces",
        "exits",
        "churned_mrr",
    }
)
NEUTRAL_MOVES = frozenset({"spend", "budget"})  # more spend is a choice, not good or bad news
PER_CHANNEL = ("lead_close_rate",)  # asked whenever channels are compared: whose leads close


def _only_gained(known: dict[str, float]) -> bool:
    """Whether the customers given are the period's new ones (``gained`` the same count)."""
    return "gained" in known and known.get("customers") == known["gained"]


@calculator("kpis", "seed KPI formulas")
def compute_kpis(metrics: dict[str, float], asked: Collection[str] = ()) -> dict[str, float]:
    """Every KPI of :data:`KPIS` whose inputs are in ``metrics`` (keys: visitors, conversions, conversion_rate %, signups, orders,
    revenue €, spend €, impressions, clicks, bounces, exits, pageviews, customers, churned, arpu €,
    churn_rate %, repeat_customers, promoters, passives, detractors (the three add up to the
    respondents when those are not given), respondents, reactions, comments, shares (they add up
    to a post's engagements), referred, aov €, cpa €,
    gross_margin %, customers_start: the customers at the start of the period, which the churn
    rate, the MRR and the customers lost count on instead of new customers when both are given).
    A KPI computed feeds the ones after it (a churn rate the LTV, the CPA the CAC
    payback); orders (else conversions) × AOV stands for a revenue not given (and feeds ROAS); a KPI given is not
    computed again; a volume times its conversion rate stands for conversions and orders not
    given, and a goal of conversions at a given CPA, with nothing else of a period, gives the
    budget it needs; impressions × CTR stand for the clicks and clicks × CPC for the spend when
    not given, and the conversion rate then applies to the clicks.
    ROI (%) = (revenue − spend) / spend × 100; break-even CPA = AOV × gross margin (with a CPA
    or when asked), and the profit an order leaves = AOV × gross margin − CPA (first order only,
    no repeat purchase); with the share of customers who buy again (repeat_rate %) and the orders
    they add (repeat_orders), the break-even CPA counting them = AOV × gross margin × (1 + repeat
    rate × repeat orders); MRR = customers × ARPU, and what a month's
    churn takes of them (customers × churn rate) and of it (MRR × churn rate). With a gross margin,
    the LTV on margin (ARPU × gross margin / churn) is shown beside the one on revenue and is the
    one compared with a CAC (LTV/CAC, and the highest CAC asked, LTV / 3: the usual 3:1 rule of
    thumb), unless an LTV is given. CAC payback (months) = CAC / (ARPU × gross
    margin), and with no margin given, CAC / ARPU (on revenue: the shortest it can be); without visitors,
    the conversion rate is over clicks; LTV/CAC = LTV / CAC
    (an LTV given is used as given). Zero denominators are skipped.
    Without new customers, the CPA counts conversions as acquisitions (the usual ad-platform CPA).
    A ROAS asked ("roas" in ``asked``) without a spend and a revenue is AOV / CPA (what an order
    brings over what it costs: revenue / spend per order).
    The KPIs of :data:`ON_REQUEST` only when their id is in ``asked`` (:func:`requested`).
    Returns {kpi id: value in the KPI's unit}."""
    known = _with_engagements(_with_respondents(metrics))
    out: dict[str, float] = {}
    for kpi in KPIS:
        if _skipped(kpi.id, known, asked):
            continue
        args = [known.get(k) for k in kpi.needs]
        if kpi.id == "conversions_from_rate" and args[0] is None:
            args[0] = known.get("clicks")  # "CTR 0,9 %, taux de conv 3,2 %": of the clicks
        if "ltv" in kpi.needs and "ltv" not in metrics:
            # ratios to a CAC are on margin; a shop's LTV stands for a subscription's
            for other in ("margin_ltv", "margin_purchase_ltv", "purchase_ltv"):
                if other in known:
                    args[kpi.needs.index("ltv")] = known[other]
                    break
        if kpi.id == "cpa" and args[1] is None:
            args[1] = known.get("conversions")
        if kpi.id in _ON_BASE and "customers_start" not in known and _only_gained(known):
            continue  # "160 nouveaux clients, 35 perdus": no base to count a churn on
        if kpi.id in _ON_BASE and "customers_start" in known:
            args[kpi.needs.index("customers")] = known["customers_start"]
        if kpi.id == "revenue_from_aov" and args[0] is None:
            # "340 leads, 12 % deviennent clients, panier 4 800 €": the customers buy, not the leads;
            # "380 purchases, AOV €72": purchases are orders
            args[0] = known.get("customers") or known.get("conversions")
        if all(a is not None for a in args) and args[-1]:
            value = kpi.compute(*args)
            if kpi.id in _SHARES and value > 100:
                continue  # "10 080 ouvertures, 1 150 clics": opens are no conversions of the clicks
            out[kpi.id] = value
            known.setdefault(kpi.id, out[kpi.id])  # a KPI computed feeds the ones after it
            if kpi.id == "revenue_from_aov":
                known["revenue"] = out[kpi.id]
            if kpi.id in MADE:
                known[MADE[kpi.id]] = out[kpi.id]
            if kpi.id == "conversions_from_rate":  # they count as the orders too
                known["conversions"] = known["orders"] = out[kpi.id]
    return out


def _skipped(kpi_id: str, known: dict[str, float], asked: Collection[str]) -> bool:
    """Whether :func:`compute_kpis` leaves a KPI out: shown on request only and not asked, given,
    or standing for a figure the ``known`` metrics already give."""
    if kpi_id in ON_REQUEST and kpi_id not in asked:
        return True
    if kpi_id == "roas_from_aov" and "roas" not in asked:
        return True  # the ROAS that unit costs give, when a ROAS is asked
    if kpi_id in known or (kpi_id == "revenue_from_aov" and "revenue" in known):
        return True  # given, not computed: "panier moyen 58 €" is the AOV
    if kpi_id == "lost_customers" and "churned" in known:
        return True  # the customers lost are given
    if kpi_id in ("cac_payback_revenue", "roi"):  # on margin when a margin is given
        return "gross_margin" in known
    if kpi_id == "roas_margin_roi":  # the spend and revenue give the ROI on margin itself
        return "spend" in known and "revenue" in known
    if (
        kpi_id in _BREAK_EVEN
    ):  # "panier 300 €, marge 40 %": a CPA or ROAS to set it against, or asked
        # with repeat orders, both break-evens are asked by the names of either ceiling
        named = {"break_even_cpa", "max_cac"} if "repeat_rate" in known else {kpi_id}
        return _BREAK_EVEN[kpi_id] not in known and not named & set(asked)
    if kpi_id == "click_conversion_rate":
        return "conversion_rate" in known
    if kpi_id == "cac_from_cpl":  # customers counted: the CPA is already per customer
        return "customers" in known
    if kpi_id == "rpv_from_rate":  # revenue / visitors, when both are given, is the one
        return "revenue_per_visitor" in known or {"revenue", "visitors"} <= set(known)
    if kpi_id == "conversions_from_rate":
        return "conversions" in known or "orders" in known
    if kpi_id in MADE:  # the clicks, spend or CPA are given (from spend and conversions)
        return MADE[kpi_id] in known
    # a period's figures with its CAC: no budget to size, only a goal at a cost; leads with the
    # share that became MQLs or customers were bought already, unless a budget is asked
    return kpi_id == "spend_from_cpa" and bool(
        {"spend", "revenue", "orders", "visitors"} & set(known)
        or ({"mql_rate", "lead_to_customer"} & set(known) and kpi_id not in asked)
    )


def requested(text: str) -> list[Kpi]:
    """The KPIs a request names ("whats our CVR, CPA and ROAS?"), in the table's order; a name
    inside a longer one of another KPI names only that one ("CAC max" is not the CAC)."""
    folded = fold(text)
    spans = {
        k.id: [
            m.span()
            for name in k.asked
            for m in re.finditer(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded)
        ]
        for k in KPIS
    }
    longer = [(a, b) for found in spans.values() for a, b in found]
    return [
        k
        for k in KPIS
        if any(
            not any(a <= s < e <= b and (a, b) != (s, e) for a, b in longer) for s, e in spans[k.id]
        )
    ]


# a KPI the user calls by another of its names, shown by that name: spend / new customers is the
# CAC of a request that says "CAC" (and never "CPA")
_SAID_AS = {"cpa": ("cac", "CAC", "cpa")}


def said_names(text: str) -> dict[str, str]:
    """{KPI id: the name to show it by} for the KPIs ``text`` calls by another of their names
    ("CAC by channel": {'cpa': 'CAC'}); {} when it says none."""
    folded = fold(text)
    return {
        kpi_id: shown
        for kpi_id, (said, shown, other) in _SAID_AS.items()
        if re.search(rf"(?<![a-z]){said}(?![a-z])", folded)
        and not re.search(rf"(?<![a-z]){other}(?![a-z])", folded)
    }


def missing_for(kpi: Kpi, metrics: dict[str, float]) -> list[str]:
    """The metrics ``kpi`` still needs (the CPA takes conversions for new customers); none when
    the KPI itself is given ("panier moyen 58 €")."""
    if kpi.id in metrics:
        return []
    metrics = _with_respondents(metrics)
    needs = [n for n in kpi.needs if n not in metrics]
    if kpi.id == "cpa" and "customers" in needs:
        needs.remove("customers")
        if "conversions" not in metrics:
            needs.append("conversions")
    if kpi.id == "ltv" and "churn_rate" in needs and {"churned", "customers"} <= set(metrics):
        needs.remove("churn_rate")
    return needs


def _with_respondents(metrics: dict[str, float]) -> dict[str, float]:
    """A copy of ``metrics`` with the respondents of an NPS survey, when not given, as its
    promoters + passives + detractors (the three groups are all who answered), and the one group
    not given as the respondents less the other two; groups given as
    shares of the respondents (``promoters_share`` %, …) count on the respondents given, else on
    100 (the NPS is the same: % promoters − % detractors)."""
    out = dict(metrics)
    groups = ("promoters", "passives", "detractors")
    shares = {g: out.pop(f"{g}_share", None) for g in groups}
    if shares["promoters"] is not None and shares["detractors"] is not None:
        n = out.setdefault("respondents", 100.0)
        out.update({g: v / 100 * n for g, v in shares.items() if v is not None and g not in out})
    if "respondents" not in out and set(groups) <= set(out):
        out["respondents"] = out["promoters"] + out["passives"] + out["detractors"]
    missing = [g for g in groups if g not in out]
    if "respondents" in out and len(missing) == 1:  # "540 promoters, 390 passives, the rest …"
        rest = out["respondents"] - sum(out[g] for g in groups if g in out)
        if rest >= 0:
            out[missing[0]] = rest
    return out


INTERACTIONS = ("reactions", "comments", "shares")  # what a social post's engagement counts


def _with_engagements(metrics: dict[str, float]) -> dict[str, float]:
    """``metrics`` with a social post's engagements, when not given, as the sum of its
    INTERACTIONS given (reactions, comments, shares; clicks are the CTR's)."""
    given = [metrics[k] for k in INTERACTIONS if k in metrics]
    return {"engagements": sum(given), **metrics} if given else metrics


def nps_margin(promoters: float, detractors: float, respondents: float) -> float:
    """Half-width of the 95 % interval of an NPS, in points: 1.96 × 100 × √((p + d − (p − d)²) /
    n) with p and d the shares of promoters and detractors among n respondents (the variance of a
    difference of two shares of one multinomial sample). Raises ValueError without respondents."""
    if respondents <= 0:
        raise ValueError("an NPS needs respondents")
    p, d = promoters / respondents, detractors / respondents
    return 1.96 * 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / respondents)


class NpsChange(NamedTuple):
    """How far apart two NPS scores are at most by chance: ``z`` (at least this), ``p_value``
    (two-sided, at most this) and ``margin`` (the widest 95 % half-width of the difference, pts)."""

    z: float
    p_value: float
    margin: float


@calculator("nps_change", "scipy normal bound")
def nps_change_bound(before: float, after: float, n_before: float, n_after: float) -> NpsChange:
    """Whether an NPS move (pts, -100 to 100) over ``n_before`` and ``n_after`` respondents is
    beyond chance when the promoters and detractors are not given: a respondent scores +1, 0 or
    -1, so an NPS of s has variance p + d − s² ≤ 1 − s² (no passives, the widest case); z = |Δ| /
    √((1 − s₁²)/n₁ + (1 − s₂²)/n₂) is then the smallest z the data allow and its two-sided
    normal p-value (scipy.stats.norm) the largest. Raises ValueError without respondents or for a
    score outside -100..100."""
    from scipy.stats import norm

    if n_before <= 0 or n_after <= 0 or max(abs(before), abs(after)) > 100:
        raise ValueError("an NPS move needs respondents and scores between -100 and 100")
    a, b = before / 100, after / 100
    se = math.sqrt((1 - a * a) / n_before + (1 - b * b) / n_after)
    z = abs(b - a) / se if se else math.inf
    return NpsChange(z, float(2 * norm.sf(z)), 1.96 * se * 100)
