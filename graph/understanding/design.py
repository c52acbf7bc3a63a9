"""How the user asks a test to be computed: power, alpha (or confidence), sides and split.

Read from the words that name them ("puissance 90 %", "power 0.9", "alpha 1 %", "à 99 % de
confiance", "one-sided", "unilatéral"), in a request or in a follow-up ("et en unilatéral ?"). The
sample-size plan (experimentation) and the A/B readout (ab-testing) compute with them; a follow-up
that names one re-runs the test with it (graph.understanding.followups).
"""

from __future__ import annotations

import re

# a test against a group kept from the channel ("holdout", "groupe témoin", "incrémentalité")
HOLDOUT = re.compile(
    r"(?<![a-z])(hold-?out|groupe (?:temoin|de controle|non expose)|control group|incrementalit\w*|"
    r"incremental\w*)(?![a-z])"
)
_POWER = re.compile(
    r"(?<![a-z])(?:puissance|power)\s*(?:de |of |=|:|a |at |à )?\s*(\d+(?:[.,]\d+)?)\s*(%?)"
    r"|(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(%)\s*(?:de |of )?(?:puissance|power)(?![a-z])"
)  # "puissance 90 %", "80 % de puissance", "80% power"
_ONE_SIDED_WORDS = r"one[- ](?:sided|tailed)|unilaterale?"
_SIDES = rf"{_ONE_SIDED_WORDS}|two[- ](?:sided|tailed)|bilaterale?"
_ALPHA = re.compile(
    r"(?<![a-z])(?:alpha|seuil(?: de significativite)?|significance(?: level)?|risque|"
    rf"{_SIDES})\s*(?:de |of |=|:|a |at |à )?\s*(\d+(?:[.,]\d+)?)\s*(%?)"
    r"|(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(%)\s*(?:de |of )?"
    rf"(?:alpha|significance|significativite|{_SIDES})(?![a-z])"
)  # "alpha 1 %", "two-sided 5%", "bilatéral à 5 %", "5% significance", "1 % alpha"
_CONFIDENCE = re.compile(
    r"(?<![a-z])(?:(?:confiance|confidence)\s*(?:de |of |=|:|a |at |à )?|"
    r"(?:surs?|sure|certains?)\s+(?:a|à|at)\s+)\s*(\d+(?:[.,]\d+)?)\s*%"
    r"|(\d+(?:[.,]\d+)?)\s*%\s*(?:de |of )?(?:confiance|confidence|sure|certain)(?![a-z])"
)  # "confiance 99 %", "95% confidence", "on veut être sûrs à 99 %", "99% sure"; folded "sûr"
# is "sur": "2,9 % sur 7 500 visiteurs", "un test sur 30 % du trafic" are no confidence
# "standard 95/80", "95 % / 80 %": the confidence, then the power, of a test's design
_CONFIDENCE_POWER = re.compile(r"(?<![\d.,/])(9\d)\s*%?\s*/\s*([5-9]\d)\s*%?(?![\d/.,]\d|/)")
_ONE_SIDED = re.compile(rf"(?<![a-z])(?:{_ONE_SIDED_WORDS})(?![a-z])")
_DESIGN_WORDS = re.compile(
    r"(?<![a-z])(puissance|power|alpha|confiance|confidence|significativite|significance|seuil|"
    r"one[- ]sided|one[- ]tailed|two[- ]sided|unilateral\w*|bilateral\w*)(?![a-z])"
)
# "80/20 split", "répartition 90/10", "a 50/50 split": the control's share, then the variant's
# (a pair that does not add up to 100 is a count over a total: "312/10 000")
_SPLIT = re.compile(r"(?<![\d.,/])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/.,]\d|/)")
_TO_VARIANT = re.compile(
    r"[^.;!?\d]{0,30}?(?:toward|towards|in favou?r of|en faveur d\w*|pour)\s+(?:the |la |le )?"
    r"(?:variant|variante|challenger|nouvelle|new)"
)


# "80 % du trafic sur la variante", "70% of traffic to control": one arm's share of the test
_ARM_SHARE = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*%\s*(?:du trafic|of (?:the )?traffic|des visiteurs|of (?:the )?visitors)?"
    r"\s*(?:sur|on|to|pour|dans|in|vers|into)\s+(?:la |le |the )?"
    r"(?P<arm>variante?|variant|challenger|nouvelle version|new version|controle|control)(?![a-z])"
)

# "how many sessions would we have needed?", "combien de visiteurs il aurait fallu ?", "sample
# size": the visitors a test needs, asked of a readout
_SAMPLE_ASKED = re.compile(
    r"(?<![a-z])(?:how (?:many|much) (?:\w+ ){0,2}(?:visitors|sessions|users|traffic|people)"
    r"[^.?!]{0,30}(?:need\w*|require\w*)|sample size|taille d'?echantillon|combien de "
    r"(?:visiteurs|visites|sessions|utilisateurs|trafic)[^.?!]{0,30}(?:fallu|faut|faudrait|besoin))"
)


def asks_sample(folded: str) -> bool:
    """Whether ``folded`` (lower-cased, accents removed) asks how many visitors a test needs
    ("how many sessions would we have needed?", "combien de visiteurs il aurait fallu ?")."""
    return bool(_SAMPLE_ASKED.search(folded))


def names_design(folded: str) -> bool:
    """True when the folded text names a test's power, alpha, confidence or sides."""
    return bool(_DESIGN_WORDS.search(folded))


def _splits(folded: str) -> list[re.Match]:
    """The traffic splits of the folded text, in order: pairs that add up to 100 ("80/20")."""
    return [m for m in _SPLIT.finditer(folded) if int(m[1]) + int(m[2]) == 100]


def names_split(folded: str) -> bool:
    """True when the folded text gives a traffic split ("what if we do 50/50?")."""
    return bool(_splits(folded))


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    """The last match of ``pattern`` in ``text``: a follow-up's setting wins over the request's."""
    return next(reversed(list(pattern.finditer(text))), None)


def _share(value: str | None, percent: bool) -> float | None:
    """A probability written as a percentage or a fraction ("90 %", "0.9", "1 %") in 0-1."""
    if value is None:
        return None
    number = float(value.replace(",", "."))
    return number / 100 if percent or number > 1 else number


def setting_spans(folded: str) -> list[tuple[int, int]]:
    """(start, end) in the folded text of every power, alpha or confidence setting it states
    ("80% power", "alpha 1 %", "à 99 % de confiance", "95/80")."""
    return [
        m.span()
        for p in (_POWER, _ALPHA, _CONFIDENCE, _CONFIDENCE_POWER)
        for m in p.finditer(folded)
    ]


def design_spans(folded: str) -> list[tuple[int, int]]:
    """(start, end) in the folded text of every power, alpha, confidence or split setting it
    states: the figures there are settings of the test, not the page's rates."""
    return (
        setting_spans(folded)
        + [m.span() for m in _splits(folded)]
        + [m.span(1) for m in _ARM_SHARE.finditer(folded)]
    )


def requested_design(folded: str) -> dict:
    """{'power', 'alpha', 'two_sided', 'control_share'} for the ones the folded text says: power
    in 0.5-1, alpha in 0-0.2 (from "alpha 1 %" or "confiance 99 %", value before or after the
    word, or "standard 95/80": confidence then power), two_sided False for "one-sided" /
    "unilatéral", the control's share of the test's
    visitors (%) from a split that adds up to 100 ("80/20 split": 80; "90/10 toward the variant":
    10) or one arm's share ("80 % du trafic sur la variante": 20); the last one said wins. Empty when none is said."""
    out: dict = {}
    power = _last(_POWER, folded)
    if power and (share := _share(power[1] or power[3], bool(power[2] or power[4]))):
        if 0.5 <= share < 1:
            out["power"] = share
    alpha_match, confidence_match = _last(_ALPHA, folded), _last(_CONFIDENCE, folded)
    alpha = (
        _share(alpha_match[1] or alpha_match[3], bool(alpha_match[2] or alpha_match[4]))
        if alpha_match
        else None
    )
    if alpha is not None and alpha > 0.5:  # "seuil à 99 %": a confidence level said as a threshold
        alpha = 1 - alpha
    if alpha is None and confidence_match:
        confidence = _share(confidence_match[1] or confidence_match[2], True)
        alpha = 1 - confidence if confidence and 0.5 < confidence < 1 else None
    pair = _last(_CONFIDENCE_POWER, folded)
    if alpha is None and pair:  # "standard 95/80": 95 % confidence, 80 % power
        alpha = 1 - int(pair[1]) / 100
        out.setdefault("power", int(pair[2]) / 100)
    if alpha is not None and 0 < alpha <= 0.2:
        out["alpha"] = round(alpha, 4)
    if _ONE_SIDED.search(folded):
        out["two_sided"] = False
    splits, arm = _splits(folded), _last(_ARM_SHARE, folded)
    if splits and not (arm and arm.start() > splits[-1].start()):
        # the variant's side when said ("90/10 toward the variant")
        first, second = int(splits[-1][1]), int(splits[-1][2])
        toward = _TO_VARIANT.match(folded, splits[-1].end())
        out["control_share"] = float(min(first, second) if toward else first)
    elif arm and 0 < int(arm[1]) < 100:  # "80 % du trafic sur la variante": 20 on the control
        share = float(arm[1])
        out["control_share"] = share if arm["arm"].startswith("contr") else 100 - share
    return out
