"""What a user who only runs pip install (or docker compose up) gets.

The wheel carries the Sqitch project, identical to the repository's top level; its
metadata has the license, the project URLs and a README whose links work on PyPI.
docker-compose.yml is checked as data (there is no Docker in CI). The end-to-end check,
a fresh virtualenv with only the wheel that deploys, runs a graph and passes doctor,
installs from the package index and takes about a minute: it runs in CI (CI=true) or with
LANGGRAPH_TEST_WHEEL_VENV=1, and LANGGRAPH_TEST_WHEEL_VENV=0 turns it off.
"""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import textwrap
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from _cluster import throwaway_cluster

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO_ROOT / "python"
BUNDLE = "langgraph/checkpoint/plpgsql/sqitch/"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel ./python`, as a user would build it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--disable-pip-version-check", "-w", str(out), str(PYTHON_DIR)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


def _project_files() -> dict[str, bytes]:
    files = {"sqitch.plan": (REPO_ROOT / "sqitch.plan").read_bytes()}
    for folder in ("deploy", "revert", "verify"):
        for path in sorted((REPO_ROOT / folder).glob("*.sql")):
            files[f"{folder}/{path.name}"] = path.read_bytes()
    return files


def test_the_wheel_ships_the_repositorys_sqitch_project(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        bundled = {
            name.removeprefix(BUNDLE): archive.read(name)
            for name in archive.namelist()
            if name.startswith(BUNDLE) and not name.endswith("/")
        }
    conf = bundled.pop("sqitch.conf").decode()
    assert bundled == _project_files()
    # The parts a deploy reads; not [add], whose templates are not shipped.
    assert "[core]" in conf and "engine = pg" in conf and "schema = langgraph" in conf
    assert "[deploy]" in conf and "verify = true" in conf
    assert "[add]" not in conf and "template_directory" not in conf


def test_the_wheel_has_the_console_script_license_and_project_urls(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA")).rsplit("/", 1)[0]
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        metadata = email.message_from_bytes(archive.read(f"{info}/METADATA"))
        license_text = archive.read(f"{info}/licenses/LICENSE").decode()
    assert "langgraph-plpgsql = langgraph.checkpoint.plpgsql.cli:main" in entry_points
    assert metadata["License-Expression"] == "MIT"
    assert license_text.startswith("MIT License") and "LangGraph Checkpoint Team" in license_text
    assert license_text == (REPO_ROOT / "LICENSE").read_text()
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL"))
    assert urls["Source"] == "https://github.com/langgraph-checkpoint-plpgsql/langgraph-checkpoint-plpgsql"
    assert {"Homepage", "Documentation", "Issues"} <= set(urls)
    requires = metadata.get_all("Requires-Dist")
    assert any(r.startswith("click") for r in requires) and any(r.startswith("rich") for r in requires)
    # On PyPI a relative link leads nowhere: every link of the README is absolute.
    readme = metadata.get_payload()
    links = re.findall(r"\]\(([^)]+)\)", readme)
    assert links, "the README links to the documentation"
    assert all(link.startswith("https://") for link in links), links
    assert "langgraph-plpgsql deploy" in readme


def test_docker_compose_deploys_on_a_local_named_volume() -> None:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    postgres = compose["services"]["postgres"]
    assert postgres["ports"] == ["127.0.0.1:5432:5432"]
    (volume,) = postgres["volumes"]
    name, mount = volume.split(":", 1)
    assert name in compose["volumes"] and mount == "/var/lib/postgresql/data"
    # Pinned images: the base of docker/postgres and the Sqitch image carry a version.
    dockerfile = (REPO_ROOT / postgres["build"] / "Dockerfile").read_text()
    assert re.search(r"^FROM postgres:\d+\.\d+", dockerfile, re.M), "the server image names its minor release"
    sqitch = compose["services"]["sqitch"]
    assert re.fullmatch(r"sqitch/sqitch:v\d+\.\d+\.\d+", sqitch["image"])
    assert sqitch["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert sqitch["command"][0] == "deploy"
    assert "@postgres:5432/langgraph" in sqitch["command"][-1]
    assert sqitch["volumes"] == [".:/repo:ro"] and sqitch["working_dir"] == "/repo"
    assert sqitch.get("restart") == "no"


@pytest.fixture
def empty_cluster() -> Iterator[str]:
    with throwaway_cluster("wheel_test", pg_cron=True, deploy=False) as cluster:
        yield cluster.url


GRAPH = textwrap.dedent(
    """
    import sys
    from typing import Annotated
    from typing_extensions import TypedDict
    from langgraph.graph import START, StateGraph
    from langgraph.graph.message import add_messages
    from langgraph.checkpoint.plpgsql import PostgresCheckpointer

    class State(TypedDict):
        messages: Annotated[list, add_messages]

    builder = StateGraph(State)
    builder.add_node("echo", lambda s: {"messages": [("ai", "echo " + s["messages"][-1].content)]})
    builder.add_edge(START, "echo")
    with PostgresCheckpointer.from_conn_string(sys.argv[1], min_connections=1) as saver:
        saver.setup()
        graph = builder.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "wheel-test"}}
        graph.invoke({"messages": [("user", "hi")]}, config)
        print(graph.get_state(config).values["messages"][-1].content)
    """
)


def _wheel_venv_wanted() -> bool:
    flag = os.environ.get("LANGGRAPH_TEST_WHEEL_VENV")
    return flag == "1" or (flag != "0" and os.environ.get("CI") == "true")


@pytest.mark.skipif(
    not _wheel_venv_wanted(),
    reason="installs the wheel's dependencies from the package index (a minute): LANGGRAPH_TEST_WHEEL_VENV=1",
)
def test_a_fresh_venv_with_only_the_wheel_deploys_runs_a_graph_and_passes_doctor(
    wheel: Path, empty_cluster: str, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python, command = env_dir / "bin" / "python", env_dir / "bin" / "langgraph-plpgsql"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # The wheel, and langgraph to have a graph to run; nothing from this checkout.
    subprocess.run([*pip, str(wheel), "langgraph"], check=True, capture_output=True, cwd=tmp_path)
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL", "VIRTUAL_ENV")}
    clean_env["COLUMNS"] = "200"

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(argv), capture_output=True, text=True, cwd=tmp_path, env=clean_env)

    where = run(str(python), "-c", "import langgraph.checkpoint.plpgsql as p; print(p.__file__)")
    assert str(env_dir) in where.stdout, where.stdout + where.stderr
    before = run(str(python), "-c", GRAPH, empty_cluster)
    assert before.returncode != 0 and "langgraph-plpgsql deploy --dsn" in before.stderr
    deployed = run(str(command), "deploy", "--dsn", empty_cluster)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert str(env_dir) in deployed.stdout  # the plan came from the installed wheel
    graph = run(str(python), "-c", GRAPH, empty_cluster)
    assert graph.returncode == 0, graph.stderr
    assert graph.stdout.strip() == "echo hi"
    doctor = run(str(command), "doctor", "--dsn", empty_cluster)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "0 failed" in doctor.stdout


def _bootstrap_function(name: str, env: dict[str, str] | None = None) -> str:
    """Run one function of scripts/bootstrap (its definitions only, nothing installed)."""
    script = (REPO_ROOT / "scripts" / "bootstrap").read_text()
    start = script.index("installed_pgmajor() {")
    end = script.index('PGMAJOR="${PGMAJOR:-$(default_pgmajor)}"')
    program = "log() { :; }\n" + script[start:end] + f"\n{name}\n"
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("release", "major"),
    [("ID=debian\nVERSION_ID=\"12\"\n", "15"), ("ID=ubuntu\nVERSION_ID=\"22.04\"\n", "14"),
     ("ID=ubuntu\nVERSION_ID=\"24.04\"\n", "16"), ("ID=debian\nVERSION_ID=\"13\"\n", "17")],
)
def test_bootstrap_knows_which_postgresql_each_release_ships(tmp_path: Path, release: str, major: str) -> None:
    os_release = tmp_path / "os-release"
    os_release.write_text(release)
    assert _bootstrap_function("release_pgmajor", {"OS_RELEASE": str(os_release)}) == major


def test_bootstrap_picks_the_installed_server_here() -> None:
    # This machine's server (scripts/test runs on it); what the package lists offer, when
    # they are there, is a major the distribution ships.
    chosen = _bootstrap_function("default_pgmajor")
    assert Path(f"/usr/lib/postgresql/{chosen}/bin/initdb").exists()
    shipped = _bootstrap_function("shipped_pgmajor")
    assert shipped == "" or shipped.isdigit()
