"""The default install is what the offline chat and one workspace need; PostgreSQL and the Claude
brain are extras, and a setting that asks for one that is missing says how to install it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

BLOCKED = "import sys; [sys.modules.__setitem__(m, None) for m in {modules!r}]; sys.argv = {argv!r}; from bot.cli import main; main()"


def _run_without(
    modules: list[str], argv: list[str], env: dict, tmp_path
) -> subprocess.CompletedProcess:
    """The CLI in a process where ``modules`` cannot be imported (as when the extra is absent)."""
    code = BLOCKED.format(modules=modules, argv=["marketing-bot", *argv])
    return subprocess.run(
        [sys.executable, "-c", code],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MARKETING_BOT_DB": str(tmp_path / "bot.db"), **env},
        timeout=600,
    )


@pytest.mark.parametrize(
    "modules, env, extra",
    [
        (["langchain_anthropic"], {"ANTHROPIC_API_KEY": "sk-ant-test-key"}, "claude"),
        (
            ["psycopg", "psycopg_pool"],
            {"DATABASE_URL": "postgresql://bot:bot@127.0.0.1:1/none"},
            "postgres",
        ),
    ],
)
def test_a_setting_whose_extra_is_missing_says_the_pip_command(modules, env, extra, tmp_path):
    done = _run_without(modules, ["chat"], env, tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"pip install 'marketing-bot[{extra}]'" in done.stderr
    assert "sk-ant-test-key" not in done.stderr + done.stdout  # the key is never printed
    assert "Traceback" not in done.stderr


def test_the_offline_chat_runs_without_the_extras(tmp_path):
    env = {"ANTHROPIC_API_KEY": "", "DATABASE_URL": ""}
    blocked = ["langchain_anthropic", "anthropic", "psycopg", "psycopg_pool"]
    done = _run_without(blocked, ["chat", "--charts", str(tmp_path / "charts")], env, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "offline brain" in done.stderr


def test_every_package_folder_is_installed():
    """pyproject.toml lists the packages `pip install .` ships: a folder left out works from the
    source tree and fails once installed."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        ".".join(init.parent.relative_to(root).parts)
        for top in ("bot", "graph")
        for init in (root / top).rglob("__init__.py")
    }
    assert folders <= listed, folders - listed
