"""`marketing-bot …` run in the test's own process through typer's CliRunner: the commands a user
types, parsed and run by the same code, without starting an interpreter that loads the graph
again (about 6 s each). What only a new process shows (the console script, a missing extra)
is tested with a subprocess in tests/test_install.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import cli


@dataclass
class Ran:
    """What a command printed and its exit status."""

    stdout: str
    stderr: str
    returncode: int


def run_cli(
    *args: str, input: str | None = None, env: dict | None = None, check: bool = True
) -> Ran:
    """Run ``marketing-bot ARGS`` with ``input`` on stdin and ``env`` set on top of this process's
    environment (a None value unsets a variable). ``check``: raise AssertionError, with what the
    command wrote on stderr, when it exits with a status other than 0."""
    result = CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)
    if check and result.exit_code != 0:
        raise AssertionError(
            f"marketing-bot {' '.join(args)} exited {result.exit_code}: {result.stderr[-3000:]}"
        )
    return Ran(result.stdout, result.stderr, result.exit_code)


def run_chat(lines: list[str], db: str, env: dict | None = None) -> str:
    """`marketing-bot chat` on ``db``, one message per item of ``lines``, its charts in a folder
    beside ``db`` (not in the repository), with ``env`` as in :func:`run_cli`; what it printed."""
    charts = str(Path(db).parent / "charts")
    return run_cli(
        "chat", "--db", db, "--charts", charts, input="\n".join(lines) + "\n", env=env
    ).stdout
