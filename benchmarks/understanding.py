"""How well the offline brain understands what marketers write.

Reads ``benchmarks/understanding_set.jsonl``: realistic French and English Slack messages (typos,
no accents, mixed languages, numbers in every shape), written apart from the lexicon and the
routing examples the code learns from. Each line: ``text`` (messages of one request, one a line),
``lang`` (grouping only), ``slots`` (what a careful reader finds, as ``type[@arm][#channel]=value``:
``conversions@B=312``, ``roas#Google Ads=4.2``, ``start_date=2027-07-01``; dates as of 2026-11-23),
``agent`` (the specialist that should answer, 'a|b' when either is right, or null) and
``complete`` (the request gives everything that specialist needs: it should answer without a
question).

Prints slot precision and recall by slot type and overall, time per message, and, through the
whole graph (offline brain, a throwaway SQLite file), routing accuracy and the share of complete
requests answered with a deliverable and no question.

    python benchmarks/understanding.py [--errors] [--no-graph]
    python benchmarks/understanding.py --situations [--errors] [--corpus ../shared/corpus]
    python benchmarks/understanding.py --followups [--errors] [--corpus ../shared/corpus]
    python benchmarks/understanding.py --figures [--errors] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.text import fold  # noqa: E402
from graph.understanding import understand  # noqa: E402

TODAY = date(2026, 11, 23)
SET = Path(__file__).with_name("understanding_set.jsonl")


def parse_gold(spec: str) -> tuple:
    """'conversions@B=312' -> ('conversions', 'B', None, 312.0); 'roas#Google Ads=4.2' -> ('roas', None, 'google ads', 4.2)."""
    left, _, value = spec.partition("=")
    channel = None
    if "#" in left:
        left, channel = left.split("#", 1)
        channel = channel.lower()
    arm = None
    if "@" in left:
        left, arm = left.split("@", 1)
    try:
        parsed: object = float(value)
    except ValueError:
        parsed = value.strip().lower()
    return left.strip(), arm, channel, parsed


def predicted(text: str) -> list[tuple]:
    """The slots the understanding layer reads, in the gold notation's shape."""
    out = []
    for s in understand(text, TODAY).slots:
        value = float(s.value) if isinstance(s.value, (int, float)) else str(s.value).lower()
        out.append((s.type, s.arm, s.channel.lower() if s.channel else None, value))
    return out


def same(a: tuple, b: tuple) -> bool:
    """Same type, arm, channel, and value (numbers within 0.5 %)."""
    if a[:3] != b[:3]:
        return False
    x, y = a[3], b[3]
    if isinstance(x, float) and isinstance(y, float):
        return abs(x - y) <= max(1e-3, 0.005 * abs(y))
    return x == y


def score(rows: list[dict], show_errors: bool) -> None:
    tp, fp, fn = Counter(), Counter(), Counter()
    elapsed = 0.0
    for row in rows:
        gold = [parse_gold(s) for s in row["slots"]]
        start = time.perf_counter()
        found = predicted(row["text"])
        elapsed += time.perf_counter() - start
        missing = list(gold)
        extra = []
        for p in found:
            match = next((g for g in missing if same(p, g)), None)
            if match:
                missing.remove(match)
                tp[p[0]] += 1
            else:
                extra.append(p)
                fp[p[0]] += 1
        for g in missing:
            fn[g[0]] += 1
        if show_errors and (missing or extra):
            print(f"- {row['text']!r}\n    missed: {missing}\n    extra:  {extra}")
    print(f"\nSlots: {len(rows)} messages, {sum(len(r['slots']) for r in rows)} labelled slots")
    print(f"{'slot type':<20} {'gold':>5} {'precision':>10} {'recall':>8}")
    for t in sorted(set(tp) | set(fp) | set(fn), key=lambda t: -(tp[t] + fn[t])):
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 1.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 1.0
        print(f"{t:<20} {tp[t] + fn[t]:>5} {p:>10.1%} {r:>8.1%}")
    P = sum(tp.values()) / (sum(tp.values()) + sum(fp.values()))
    R = sum(tp.values()) / (sum(tp.values()) + sum(fn.values()))
    print(f"{'overall':<20} {sum(tp.values()) + sum(fn.values()):>5} {P:>10.1%} {R:>8.1%}")
    print(f"time per message: {elapsed / len(rows) * 1000:.2f} ms (understanding only)")


def conversations(rows: list[dict], show_errors: bool) -> None:
    from graph.conversations import Conversations
    from graph.threads import Thread

    with tempfile.TemporaryDirectory() as tmp:
        conv = Conversations(str(Path(tmp) / "bench.db"))
        routed = right = complete = answered = turns = 0
        elapsed = 0.0
        for n, row in enumerate(rows):
            if not row["agent"]:
                continue
            thread = Thread("T", "bench", str(n))
            replies: list[dict] = []
            start = time.perf_counter()
            for message in row["text"].split("\n"):
                replies = conv.handle(thread, message)
                turns += 1
            elapsed += time.perf_counter() - start
            state = conv.graph.get_state({"configurable": {"thread_id": thread.key}}).values
            routed += 1
            accepted = row["agent"].split("|")
            right += state.get("agent") in accepted
            if row["complete"]:
                complete += 1
                delivered = any(
                    r["kind"] == "deliverable" and r["agent"] in accepted for r in replies
                ) and not any(r["kind"] in ("question", "choice") for r in replies)
                answered += delivered
                if show_errors and not delivered:
                    kinds = [r["kind"] for r in replies]
                    print(
                        f"- not answered at once: {row['text']!r} -> {state.get('agent')} {kinds}"
                    )
            if show_errors and state.get("agent") not in accepted:
                print(f"- routed to {state.get('agent')}, expected {row['agent']}: {row['text']!r}")
    print(f"\nConversations through the graph: {routed} requests, {turns} turns")
    print(f"routed to the expected specialist: {right / routed:.1%}")
    print(
        f"complete requests answered with a deliverable and no question: {answered}/{complete} = {answered / complete:.1%}"
    )
    print(
        f"time per turn: {elapsed / turns * 1000:.0f} ms (graph, SQLite checkpoints, offline brain)"
    )


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def situations_on_dev(corpus: Path, show_errors: bool) -> None:
    """Escalation situations on the corpus's ``dev`` split (never trained on), through the rules
    (graph.escalation.evaluate: the learned model, or the figure a numeric rule reads): precision,
    recall and F1 per situation, macro-F1, false alarms on messages with no situation, and the
    model's calibration (Brier score; mean probability against observed rate by probability bin)."""
    from graph.escalation import evaluate
    from graph.hierarchy import load_hierarchy
    from graph.understanding.reading import read_message
    from graph.understanding.situations import situation_model

    rows = [
        json.loads(line)
        for line in (corpus / "situations.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    dev = [r for r in rows if r["split"] == "dev"]
    rules = load_hierarchy().escalations
    labels = sorted({r.id for r in rules})
    tp, fp, fn = Counter(), Counter(), Counter()
    alarms = quiet = 0
    for row in dev:
        fired, gold = (
            {rule.id for rule, _ in evaluate(rules, read_message(row["text"]), row["text"], {})},
            set(row["situations"]),
        )
        for label in labels:
            tp[label] += label in fired and label in gold
            fp[label] += label in fired and label not in gold
            fn[label] += label not in fired and label in gold
        if not gold:
            quiet += 1
            alarms += bool(fired)
        if show_errors and fired != gold:
            print(
                f"- {row['id']} expected {sorted(gold)} fired {sorted(fired)}: {row['text'][:120]!r}"
            )
    print(f"\nSituations on the corpus dev split: {len(dev)} messages")
    print(f"{'situation':<22} {'gold':>4} {'precision':>10} {'recall':>7} {'F1':>6}")
    f1s = []
    for label in labels:
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        print(f"{label:<22} {tp[label] + fn[label]:>4} {p:>10.1%} {r:>7.1%} {f1s[-1]:>6.2f}")
    print(
        f"macro-F1 {sum(f1s) / len(f1s):.3f}; false alarms on {quiet} messages with no situation: {alarms} ({alarms / quiet:.1%})"
    )
    model = situation_model()
    probs = model.probabilities([r["text"] for r in dev]).ravel()
    truth = np.array([[label in r["situations"] for label in model.labels] for r in dev]).ravel()
    print(
        f"calibration: Brier {np.mean((probs - truth) ** 2):.4f}; bins (mean probability -> observed rate, count):"
    )
    for low, high in ((0, 0.1), (0.1, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        inside = (probs >= low) & (probs < high)
        if inside.any():
            print(
                f"  [{low:.1f}, {min(high, 1):.1f}): {probs[inside].mean():.2f} -> {truth[inside].mean():.2f} ({inside.sum()})"
            )


def followups_on_dev(corpus: Path, show_errors: bool) -> None:
    """Follow-up operations on the corpus's ``dev`` split (never trained on): accuracy, recall
    per operation, accuracy of the messages read above the confidence the graph acts on
    (graph.understanding.followups.OPERATION_CONFIDENCE) and how many are, and for ``scale`` the factor or
    value read against the label's."""
    from graph.understanding import understand
    from graph.understanding.followups import OPERATION_CONFIDENCE, read_operation

    rows = [
        json.loads(line)
        for line in (corpus / "followups.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    dev = [r for r in rows if r["split"] == "dev"]
    right, per_op, sure, sure_right, scaled, scaled_right = 0, Counter(), 0, 0, 0, 0
    for row in dev:
        op = read_operation(row["message"], understand(row["context"]["request"]))
        ok = op.op == row["operation"]
        right += ok
        per_op[row["operation"], ok] += 1
        if op.probability >= OPERATION_CONFIDENCE:
            sure += 1
            sure_right += ok
        if ok and op.op == "scale":
            gold = row["params"]
            scaled += 1
            scaled_right += (
                op.factor is not None
                and "factor" in gold
                and abs(op.factor - gold["factor"]) < 1e-6
            ) or (op.value is not None and "value" in gold and abs(op.value - gold["value"]) < 1e-6)
        if show_errors and not ok:
            print(
                f"- {row['id']} expected {row['operation']} read {op.op} ({op.probability:.2f}): {row['message'][:100]!r}"
            )
    print(
        f"\nFollow-up operations on the corpus dev split: {len(dev)} messages, accuracy {right / len(dev):.1%}"
    )
    for name in sorted({r["operation"] for r in dev}):
        total = per_op[name, True] + per_op[name, False]
        print(
            f"  {name:<14} {per_op[name, True]:>3}/{total:<3} recall {per_op[name, True] / total:.0%}"
        )
    print(
        f"read at >= {OPERATION_CONFIDENCE}: {sure}/{len(dev)}, of which right {sure_right / max(sure, 1):.1%}"
    )
    print(f"scale: factor or value read as labelled {scaled_right}/{scaled}")
    print(
        f"follow-ups raising an escalation from their own words (the corpus gives them no situation): {_alarms(dev)}/{len(dev)}"
    )


def _alarms(rows: list[dict]) -> int:
    """How many follow-up ``rows`` raise an escalation read from their own words (graph.escalation
    .evaluate): each is a false alarm, as no follow-up of the corpus states a situation."""
    from graph.escalation import evaluate
    from graph.hierarchy import load_hierarchy
    from graph.understanding.reading import read_message

    rules = load_hierarchy().escalations
    return sum(bool(evaluate(rules, read_message(r["message"]), r["message"], {})) for r in rows)


RULE_ROLE = {
    "mde": "mde_relative",
    "change": "lift",
    "planned_sample": "sample_size",
    "churned": "churned_customers",
    "referred": "referred_users",
}  # the lexicon's types named as the corpus names them (first run: the rules alone)


def figures_on_dev(corpus: Path, show_errors: bool) -> None:
    """Figure roles on the corpus's ``dev`` split (never trained on): the share of labelled figures
    the scanner reads, then role accuracy over every labelled figure (a figure not read counts
    wrong) for the lexicon's rules alone (its types named as the corpus names them, generic
    numbers count wrong) and for the learned role model (graph.understanding.roles): exactly the
    corpus's measure, and in the bot's vocabulary (measures folded into the slot types deliverables
    bind, ``TYPE_OF_ROLE``; every other measure is 'other'); then the arm and channel of figures
    that have one, and the role model's calibration."""
    from graph.understanding import understand
    from graph.understanding.roles import TYPE_OF_ROLE, aligned, roles

    rows = [
        json.loads(line)
        for line in (corpus / "figures.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    dev = [r for r in rows if r["split"] == "dev"]
    total = found = rule_right = model_right = folded_right = 0
    arms = channels = arms_right = channels_right = 0
    probs, hits = [], []
    for row in dev:
        understood = understand(row["text"])
        read = {id(s): (role, p) for s, role, p in roles(understood)}
        for figure, slot in aligned(row["text"], row["figures"], understood):
            total += 1
            gold = figure["measure"]
            arms += bool(figure.get("arm"))
            channels += bool(figure.get("channel"))
            if slot is None:
                continue
            found += 1
            role, p = read[id(slot)]
            rule = (
                "mde_absolute"
                if slot.type == "mde" and slot.unit == "pt"
                else RULE_ROLE.get(slot.type, slot.type)
            )
            rule_right += rule == gold
            model_right += role == gold
            folded_right += TYPE_OF_ROLE.get(role, "other") == TYPE_OF_ROLE.get(gold, "other")
            arms_right += bool(figure.get("arm")) and slot.arm == figure["arm"]
            channels_right += (
                bool(figure.get("channel"))
                and bool(slot.channel)
                and fold(slot.channel) == fold(figure["channel"])
            )
            probs.append(p)
            hits.append(role == gold)
            if show_errors and role != gold:
                print(
                    f"- {row['id']} {figure['surface']!r}: {gold} read {role} ({p:.2f}), rules {slot.type}"
                )
    print(
        f"\nFigure roles on the corpus dev split: {len(dev)} messages, {total} labelled figures, read by the scanner {found / total:.1%}"
    )
    print(f"role accuracy, the lexicon's rules alone: {rule_right / total:.1%}")
    print(
        f"role accuracy, learned role model: exact measure {model_right / total:.1%}; in the bot's vocabulary {folded_right / total:.1%}"
    )
    print(f"arm right {arms_right}/{arms}; channel right {channels_right}/{channels}")
    probs_a, hits_a = np.array(probs), np.array(hits, dtype=float)
    print(
        f"calibration: Brier {np.mean((probs_a - hits_a) ** 2):.4f}; bins (top probability -> observed accuracy, count):"
    )
    for low, high in ((0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        inside = (probs_a >= low) & (probs_a < high)
        if inside.any():
            print(
                f"  [{low:.1f}, {min(high, 1):.1f}): {probs_a[inside].mean():.2f} -> {hits_a[inside].mean():.2f} ({inside.sum()})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--errors",
        action="store_true",
        help="print every message whose slots differ from the labels",
    )
    parser.add_argument(
        "--no-graph",
        action="store_true",
        help="slots only, skip the conversations through the graph",
    )
    parser.add_argument(
        "--situations",
        action="store_true",
        help="only the escalation situations on the corpus dev split",
    )
    parser.add_argument(
        "--followups",
        action="store_true",
        help="only the follow-up operations on the corpus dev split",
    )
    parser.add_argument(
        "--figures", action="store_true", help="only the figure roles on the corpus dev split"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        help="the shared corpus folder (default: ../shared/corpus)",
    )
    args = parser.parse_args()
    if args.followups:
        followups_on_dev(args.corpus, args.errors)
        return
    if args.situations:
        situations_on_dev(args.corpus, args.errors)
        return
    if args.figures:
        figures_on_dev(args.corpus, args.errors)
        return
    rows = [
        json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    print(
        f"{len(rows)} messages ({sum(r['lang'] == 'fr' for r in rows)} French, {sum(r['lang'] == 'en' for r in rows)} English)"
    )
    score(rows, args.errors)
    if not args.no_graph:
        conversations(rows, args.errors)


if __name__ == "__main__":
    main()
