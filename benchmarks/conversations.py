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
    python benchmarks/conversations.py --t2 ../shared/corpus/conversations_t2.jsonl [--errors]

``--t2`` reads the corpus's outside conversations instead (``expect_agent``, ``expect_escalation``,
``expect_numbers`` with their own tolerance, ``files`` written in the working directory) and also
prints the share of conversations fully right: specialist, escalation raised exactly when
expected, every reference figure.
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
_NUMBER = re.compile(
    r"-?[1-9]\d{0,2}(?:[ \u202f\u00a0,]\d{3})+(?!\d)(?:[.,]\d+)?|-?\d+(?:[.,]\d+)?"
)


def references(check: dict) -> list[float]:
    """The numbers a check expects in the answer."""
    kind, args = next(iter(check.items()))
    if kind == "ztest":
        ca, na, cb, nb = args
        return [float(proportions_ztest([ca, cb], [na, nb])[1])]
    if kind == "sample_size":
        base, target, daily = args
        n = math.ceil(
            NormalIndPower().solve_power(
                proportion_effectsize(target / 100, base / 100), alpha=0.05, power=0.8
            )
        )
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


def within(value: float, tol: float, written: list[float], percent: bool) -> bool:
    """``value`` is written within the relative ``tol``; a percentage may be written as 7.73 or 0.0773."""
    candidates = [value, value / 100] if percent else [value]
    return any(abs(w - v) <= tol * abs(v) for v in candidates for w in written)


def t2_conversation(row: dict) -> tuple[dict, list[dict]]:
    """Run one conversation of ``conversations_t2.jsonl`` in a fresh working directory and database
    (its files written there first), through the offline brain; returns (the thread's state, the
    last turn's replies)."""
    import os

    from bot.escalations import Desk, EscalationNotifier
    from bot.roles import Directory
    from graph.conversations import Conversations
    from graph.data import load_path
    from graph.threads import Thread

    home = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for name, text in (row.get("files") or {}).items():
                Path(name).write_text(text, encoding="utf-8")
            conv = Conversations(str(Path(tmp) / "t2.db"))
            thread, replies = Thread("T", "t2", "1"), []
            desk = Desk(conv.store, Directory({}), conv.context.hierarchy.escalations)
            notifier = EscalationNotifier(desk, thread, lambda text, blocks, escalation: None)
            for turn in row["turns"]:
                shared = [load_path(n) for n in (row.get("files") or {}) if n in turn]
                replies = conv.handle(thread, turn, notifier, files=shared or None)
            return conv.graph.get_state({"configurable": {"thread_id": thread.key}}).values, replies
        finally:
            os.chdir(home)


def run_t2(path: Path, errors: bool) -> None:
    """Run the corpus's whole conversations (``conversations_t2.jsonl``) and print what a user
    would check: the specialist, the escalation, the reference figures, and all three at once."""
    from bot.render import text_of

    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    agent_ok = esc_ok = nums = nums_ok = full = needed = raised_needed = false_alarms = 0
    for row in rows:
        state, replies = t2_conversation(row)
        expected = [a for a in row["expect_agent"] or [] if a]
        problems = (
            []
            if (state.get("agent") in expected if expected else not state.get("agent"))
            else [f"routed to {state.get('agent')}"]
        )
        agent_ok += not problems
        raised = bool(state.get("escalated"))
        needed += row["expect_escalation"]
        raised_needed += raised and row["expect_escalation"]
        false_alarms += raised and not row["expect_escalation"]
        esc_ok += raised == row["expect_escalation"]
        problems += (
            [] if raised == row["expect_escalation"] else [f"escalations {state.get('escalated')}"]
        )
        written = numbers("\n".join(text_of(r) for r in replies))
        for ref in row["expect_numbers"]:
            nums += 1
            seen = within(
                ref["value"], ref["tol"], written, "pct" in ref["label"] or "rate" in ref["label"]
            )
            nums_ok += seen
            problems += [] if seen else [f"{ref['label']}={ref['value']:g} not in the answer"]
        full += not problems
        if errors and problems:
            print(f"- {row['id']}: {'; '.join(problems)}")
    print(f"{len(rows)} conversations, fully right: {full}/{len(rows)} = {full / len(rows):.1%}")
    print(
        f"specialist: {agent_ok}/{len(rows)}; escalation raised exactly when expected: {esc_ok}/{len(rows)}"
    )
    print(
        f"needed escalations raised: {raised_needed}/{needed}; false alarms: {false_alarms}/{len(rows) - needed}"
    )
    print(f"reference figures stated: {nums_ok}/{nums} = {nums_ok / nums:.1%}")


def main() -> None:
    from bot.escalations import Desk, EscalationNotifier
    from bot.render import text_of
    from bot.roles import Directory
    from graph.conversations import Conversations
    from graph.threads import Thread

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--errors", action="store_true", help="print each conversation that fails a check"
    )
    parser.add_argument("--t2", type=Path, help="run the corpus's conversations_t2.jsonl instead")
    args = parser.parse_args()
    if args.t2:
        return run_t2(args.t2.resolve(), args.errors)
    rows = [
        json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    routed = routed_ok = esc_ok = nums = nums_ok = lang_ok = langs = 0
    with tempfile.TemporaryDirectory() as tmp:
        conv = Conversations(str(Path(tmp) / "bench.db"))
        for n, row in enumerate(rows):
            thread = Thread("T", "bench", str(n))
            notifier = EscalationNotifier(
                Desk(conv.store, Directory({}), conv.context.hierarchy.escalations),
                thread,
                lambda text, blocks, escalation: None,
            )
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
    print(
        f"raised exactly the expected escalations: {esc_ok}/{len(rows)} = {esc_ok / len(rows):.1%}"
    )
    print(f"reference numbers stated within 1 %: {nums_ok}/{nums} = {nums_ok / nums:.1%}")
    if langs:
        print(f"answered in the language asked: {lang_ok}/{langs}")


if __name__ == "__main__":
    main()
