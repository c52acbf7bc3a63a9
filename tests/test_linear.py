"""The offline models kept as arrays (graph.linear) give scikit-learn's probabilities, and
routing a message imports no scikit-learn."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

from graph.linear import dict_model, text_model
from graph.router import corpus_rows, text_features
from graph.understanding import roles
from graph.understanding.situations import CORPUS_FILES

MESSAGES = [
    "on a fait +18 % de CA sur la home depuis le nouveau hero, je ship ?",
    "lead : CFO d'une boite de 12 000 salariés, a demandé une démo",
    "Quels KPIs suivre ? visiteurs 20000, conversions 400, CA 30000 €",
    "ok merci",
    "",
    "  x  ",
]


def test_text_models_give_scikit_learns_probabilities():
    """Multinomial (three classes), one binary model and several binary models stacked: every
    probability equals predict_proba's on the training texts and on unseen ones."""
    rows = [(r["text"], r.get("situations") or []) for r in corpus_rows(CORPUS_FILES[:1])][-400:]
    texts = [text for text, _ in rows]
    features = text_features(char_grams=(2, 5), negation=True)  # the situation model's
    matrix = features.fit_transform(texts)
    labels = [s[0] if s else "none" for _, s in rows]
    several = [lab if lab in ("none", "revenue-impact") else "other" for lab in labels]
    multinomial = LogisticRegression(C=20.0, max_iter=2000).fit(matrix, several)
    binaries = [
        LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced").fit(
            matrix, [lab == target for lab in labels]
        )
        for target in ("revenue-impact", "hot-lead")
    ]
    probe = texts[:60] + MESSAGES
    expected = multinomial.predict_proba(features.transform(probe))
    assert np.allclose(text_model(features, [multinomial]).predict_proba(probe), expected)
    one = text_model(features, binaries[:1]).predict_proba(probe)
    assert np.allclose(one, binaries[0].predict_proba(features.transform(probe)))
    stacked = text_model(features, binaries, softmax=False).predict_proba(probe)
    for j, model in enumerate(binaries):
        assert np.allclose(stacked[:, j], model.predict_proba(features.transform(probe))[:, 1])


def test_the_role_model_gives_scikit_learns_probabilities():
    feats, labels, _ = roles.examples()
    pipeline = roles.train(feats[:400], labels[:400])
    probe = feats[400:460] + [{}, {"unseen feature": 1.0}]
    kept = dict_model(pipeline[0], pipeline[-1])
    assert list(kept.classes_) == [str(c) for c in pipeline.classes_]
    assert np.allclose(kept.predict_proba(probe), pipeline.predict_proba(probe))


def test_routing_a_message_imports_no_scikit_learn():
    """`marketing-bot route` loads the cached router and answers with numpy alone."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from bot.cli import cli\n"
        "result = CliRunner().invoke(cli, ['route', 'combien de visiteurs pour mon test A/B ?'])\n"
        "assert result.exit_code == 0 and 'experimentation' in result.output, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'langgraph')))\n"
    )
    # the router is in the disk cache: tests/conftest.py trains the models before the tests
    warm = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert warm.stdout.strip().splitlines()[-1] == "[]", warm.stdout


def test_processes_starting_together_train_a_model_once(tmp_path, monkeypatch):
    """Four starts at once on an empty cache (threads: each opens the lock file, as processes
    do): one trains, the others wait and load what it saved."""
    import threading
    import time

    from graph.router import cached

    monkeypatch.setenv("MARKETING_BOT_CACHE", str(tmp_path))
    trained, start = [], threading.Barrier(4)

    def train() -> dict:
        trained.append(threading.get_ident())
        time.sleep(0.3)  # stands for the seconds training takes: the others start meanwhile
        return {"weights": [1.0, 2.0]}

    def start_up(out: list) -> None:
        start.wait()
        out.append(cached("probe", train))

    loaded: list = []
    threads = [threading.Thread(target=start_up, args=(loaded,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(trained) == 1 and loaded == [{"weights": [1.0, 2.0]}] * 4


def test_a_model_is_trained_again_when_any_of_the_modules_it_reads_changes(tmp_path, monkeypatch):
    """The role model reads figures through the reader: a reader changed by a developer must not
    leave the model trained on the old reader's features in the disk cache."""
    from graph.router import cached

    monkeypatch.setenv("MARKETING_BOT_CACHE", str(tmp_path / "cache"))
    model, reader = tmp_path / "model.py", tmp_path / "reader.py"
    model.write_text("features = 1\n")
    reader.write_text("measure = 'spend'\n")
    trained: list[int] = []

    def train() -> int:
        trained.append(1)
        return len(trained)

    assert cached("probe", train, str(model), str(reader)) == 1
    assert cached("probe", train, str(model), str(reader)) == 1  # loaded from the cache
    reader.write_text("measure = 'revenue'\n")
    assert cached("probe", train, str(model), str(reader)) == 2
