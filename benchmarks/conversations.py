"""Whole conversations the project never learned from, checked as a user would: the specialist
that answered, the escalations raised (exactly those), and the reference numbers in the answer.

Reads ``benchmarks/conversations.jsonl``: ``turns`` (the user's messages), ``agent`` (the
specialist that should answer, 'a|b' when either is right, null when only escalations matter),
``escalations`` (rule ids of ``prompts/escalations.yaml``), ``check`` (reference values computed
here, independently of the bot, with statsmodels/scipy: ``ztest`` [conv A, visitors A, conv B,
visitors B] -> two-sided p-value of statsmodels ``proportions_ztest``; ``sample_size`` [baseline %,
target %, daily visitors] -> visitors per variant of statsmodels ``NormalIndPower`` (alpha 0.05,
power 0.8) and the test's days; ``welch`` [mean, sd, n of A then B] -> scipy's Welch p-value;
``value`` -> a figure to find as is), and ``lang`` (the language of the last answer, when it
matters). Every reference number must appear in the bot's last answer within 1 %.

    python benchmarks/conversations.py [--errors]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scipy.stats import ttest_ind_from_stats  # noqa: E402
from statsmodels.stats.power import NormalIndPower  # noqa: E402
from statsmodels.stats.proportion import proportion_effectsize, proportions_ztest  # noqa: E402

SET = Path(__file__).with_name("conversations.jsonl")
_NUMBER = re.compile(r"-?[1-9]\d{0,2}(?:[ \u202f\u00a0,]\d{3})+(?!\d)(?:[.,]\d+)?|-?\d+(?:[.,]\d+)?")


def references(check: dict) -> list[float]:
    """The numbers a check expects in the answer."""
    kind, args = next(iter(check.items()))
    if kind == "ztest":
        ca, na, cb, nb = args
        return [float(proportions_ztest([ca, cb], [na, nb])[1])]
    if kind == "sample_size":
        base, target, daily = args
        n = math.ceil(NormalIndPower().solve_power(proportion_effectsize(target / 100, base / 100), alpha=0.05, power=0.8))
        return [n, math.ceil(2 * n / daily)]
    if kind == "welch":
        m1, s1, n1, m2, s2, n2 = args
        return [float(ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue)]
    return [float(args)]


def numbers(text: str) -> list[float]:
    """Every number written in ``text``, French or English formatting."""
    out = []
    for raw in _NUMBER.findall(text):
        raw = re.sub(r"[ \u202f\u00a0]", "", raw)
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", raw):
            raw = raw.replace(",", "")
        out.append(float(raw.replace(",", ".")))
    return out


def found(value: float, written: list[float]) -> bool:
    """``value`` is written within 1 % (a p-value under 0.0001 is written '< 0.0001')."""
    return any(abs(w - value) <= 0.01 * abs(value) or (value < 1e-4 and w == 1e-4) for w in written)


def main() -> None:
    from graph.conversations import Conversations, Thread
    from bot.escalations import Desk, EscalationNotifier
    from bot.roles import Directory
    from bot.render import text_of

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print each conversation that fails a check")
    args = parser.parse_args()
    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    routed = routed_ok = esc_ok = nums = nums_ok = lang_ok = langs = 0
    with tempfile.TemporaryDirectory() as tmp:
        conv = Conversations(str(Path(tmp) / "bench.db"))
        for n, row in enumerate(rows):
            thread = Thread("T", "bench", str(n))
            notifier = EscalationNotifier(Desk(conv.store, Directory({}), conv.context.hierarchy.escalations), thread, lambda text, blocks, escalation: None)
            replies = []
            for turn in row["turns"]:
                replies = conv.handle(thread, turn, notifier)
            state = conv.graph.get_state({"configurable": {"thread_id": thread.key}}).values
            problems = []
            if row["agent"]:
                routed += 1
                if state.get("agent") in row["agent"].split("|"):
                    routed_ok += 1
                else:
                    problems.append(f"routed to {state.get('agent')}")
            raised = set(state.get("escalated") or [])
            if raised == set(row["escalations"]):
                esc_ok += 1
            else:
                problems.append(f"escalations {sorted(raised)}")
            written = numbers("\n".join(text_of(r) for r in replies))
            for check in row["check"]:
                for value in references(check):
                    nums += 1
                    if found(value, written):
                        nums_ok += 1
                    else:
                        problems.append(f"{value:g} not in the answer")
            if row.get("lang"):
                langs += 1
                deliverables = [r for r in replies if r["kind"] == "deliverable"]
                if deliverables and deliverables[-1]["lang"] == row["lang"]:
                    lang_ok += 1
                else:
                    problems.append("wrong language")
            if args.errors and problems:
                print(f"- {row['turns'][-1]!r}: {'; '.join(problems)}")
    print(f"{len(rows)} conversations")
    print(f"routed to the expected specialist: {routed_ok}/{routed} = {routed_ok / routed:.1%}")
    print(f"raised exactly the expected escalations: {esc_ok}/{len(rows)} = {esc_ok / len(rows):.1%}")
    print(f"reference numbers stated within 1 %: {nums_ok}/{nums} = {nums_ok / nums:.1%}")
    if langs:
        print(f"answered in the language asked: {lang_ok}/{langs}")


if __name__ == "__main__":
    main()
