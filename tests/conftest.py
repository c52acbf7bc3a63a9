"""No test may reach Anthropic: an empty ANTHROPIC_API_KEY (it wins over a developer's .env) keeps
every `marketing-bot` subprocess on the offline brain unless a test points it at a local stand-in."""

import os

os.environ["ANTHROPIC_API_KEY"] = ""
os.environ.pop("ANTHROPIC_BASE_URL", None)


import compileall  # noqa: E402
import glob  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL server (the distribution's initdb and pg_ctl, a temporary data folder,
    a free port on 127.0.0.1, trust authentication), stopped at the end of the session. Skips with
    a clear message where no PostgreSQL binaries exist (`apt-get install postgresql`)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
    folder = tempfile.mkdtemp(prefix="marketing-bot-pg-")
    as_user = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the distribution's postgres user
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = os.path.join(folder, "data")
    subprocess.run(
        as_user + [initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        as_user
        + [
            pg_ctl,
            "-D",
            data,
            "-l",
            os.path.join(folder, "log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    subprocess.run(as_user + [pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture()
def postgres_db(postgres_url):
    """A fresh database on the throwaway server, for one test: its URL."""
    import psycopg

    name = f"t{os.getpid()}_{abs(hash(os.urandom(8))) % 10**8}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + "/" + name


MODEL_GROUPS = (
    "from graph.router import default_router; default_router();"
    "from graph.understanding.followups import operation_model; operation_model()",
    "from graph.understanding.roles import role_model; role_model();"
    "from graph.understanding.situations import situation_model; situation_model()",
)  # the offline brain's four models, in two groups that take about as long to train


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before the workers start (in the controller only): the offline brain's models trained, or
    found in the disk cache, by two processes at once. On a fresh machine the first tests would
    otherwise train them one after the other (graph.router.cached's lock) while both wait."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    trainings = [subprocess.Popen([sys.executable, "-c", code]) for code in MODEL_GROUPS]
    # The servers and workers the tests start (about 50) import the project from this folder: with
    # PYTHONDONTWRITEBYTECODE set (as on the CI machine) each would compile it again (0.3 s of CPU).
    root = Path(__file__).resolve().parent.parent
    for package in ("bot", "graph"):
        compileall.compile_dir(root / package, quiet=1)
    for training in trainings:
        training.wait()


LONGEST_FILES = (
    "test_reliability.py",
    "test_escalations.py",
    "test_claude.py",
    "test_streaming.py",
    "test_replicas.py",
    "test_slack.py",
    "test_slack_native.py",
    "test_understood_conversations.py",
    "test_installs.py",
    "test_experiments.py",
)  # the files that take longest (pytest --durations=0), longest first


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest files first: with ``--dist loadfile`` a file runs whole on one worker, and
    a long file handed out last would keep one core busy while the other idles at the end."""

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FILES.index(name) if name in LONGEST_FILES else len(LONGEST_FILES)

    items.sort(key=rank)
