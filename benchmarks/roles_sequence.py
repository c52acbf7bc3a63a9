"""Per-figure classification against a sequence model for figure roles (issue: understanding).

The role model (graph.understanding.roles) gives each number of a message its measure on its own,
with a logistic regression. A linear-chain CRF reads a message's numbers as one sequence with the
same features, and could learn that "respectivement" lists, A/B tables and channel lists follow
patterns. This compares both on the corpus's figures: the CRF's regularisation (c1, c2) is chosen
by 5-fold cross-validation on ``train`` (folds by message), then both are measured once on ``dev``.
Accuracy is the exact corpus measure over the labelled figures the scanner reads.

    pip install python-crfsuite   # the CRF (not a dependency of the bot)
    python benchmarks/roles_sequence.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.text import stem  # noqa: E402
from graph.understanding.lexicon import words  # noqa: E402
from graph.understanding.reader import understand  # noqa: E402
from graph.understanding.roles import aligned, features, train  # noqa: E402

Sequence = tuple[list[dict[str, float]], list[str]]
SETTINGS = ((0.05, 0.05), (0.1, 0.01), (0.2, 0.01), (0.1, 0.1))  # CRF (c1, c2) tried on train


def sequences(rows: list[dict]) -> list[Sequence]:
    """(features of each figure the scanner reads, its corpus measure) per message, in text order."""
    out = []
    for row in rows:
        understood = understand(row["text"])
        message = {stem(w) for w in words(understood.text)}
        pairs = [
            (features(understood, slot, message), figure["measure"])
            for figure, slot in aligned(row["text"], row["figures"], understood)
            if slot is not None
        ]
        if pairs:
            out.append(([x for x, _ in pairs], [y for _, y in pairs]))
    return out


def per_figure(fit: list[Sequence], test: list[Sequence]) -> list[str]:
    """The role model's logistic regression, trained on ``fit``: its measures for ``test``."""
    model = train([x for xs, _ in fit for x in xs], [y for _, ys in fit for y in ys])
    return [str(m) for m in model.predict([x for xs, _ in test for x in xs])]


def crf(c1: float, c2: float):
    """A fit-and-predict function for a linear-chain CRF (CRFsuite, L-BFGS) with L1 ``c1`` and L2 ``c2``."""
    import pycrfsuite

    def fit_predict(fit: list[Sequence], test: list[Sequence]) -> list[str]:
        trainer = pycrfsuite.Trainer(verbose=False)
        for xs, ys in fit:
            trainer.append(xs, ys)
        trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 300})
        with tempfile.NamedTemporaryFile(suffix=".crfsuite") as path:
            trainer.train(path.name)
            tagger = pycrfsuite.Tagger()
            tagger.open(path.name)
            return [y for xs, _ in test for y in tagger.tag(xs)]

    return fit_predict


def accuracy(predicted: list[str], test: list[Sequence]) -> float:
    """Share of ``test``'s figures whose measure is ``predicted`` exactly (0-1)."""
    gold = [y for _, ys in test for y in ys]
    return sum(p == g for p, g in zip(predicted, gold)) / len(gold)


def cross_validated(fit_predict, rows: list[Sequence], folds: int = 5) -> float:
    """Accuracy (0-1) over ``folds`` folds of ``rows`` by message (a fixed shuffle)."""
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    predicted, tested = [], []
    for k in range(folds):
        fit = [rows[i] for j, i in enumerate(order) if j % folds != k]
        test = [rows[i] for j, i in enumerate(order) if j % folds == k]
        predicted += fit_predict(fit, test)
        tested += test
    return accuracy(predicted, tested)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).parents[2] / "shared/corpus")
    corpus = parser.parse_args().corpus
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        sys.exit("the CRF needs python-crfsuite: pip install python-crfsuite")
    rows = [json.loads(x) for x in (corpus / "figures.jsonl").read_text("utf-8").splitlines() if x]
    fit = sequences([r for r in rows if r["split"] == "train"])
    dev = sequences([r for r in rows if r["split"] == "dev"])
    print(f"figures read: train {sum(len(y) for _, y in fit)}, dev {sum(len(y) for _, y in dev)}")
    print(f"5-fold CV on train: logistic regression {cross_validated(per_figure, fit):.1%}")
    scores = {s: cross_validated(crf(*s), fit) for s in SETTINGS}
    for (c1, c2), score in scores.items():
        print(f"5-fold CV on train: CRF c1={c1} c2={c2} {score:.1%}")
    best = max(scores, key=lambda s: scores[s])
    print(f"dev: logistic regression {accuracy(per_figure(fit, dev), dev):.1%}")
    print(
        f"dev: CRF c1={best[0]} c2={best[1]} (best on train) {accuracy(crf(*best)(fit, dev), dev):.1%}"
    )


if __name__ == "__main__":
    main()
