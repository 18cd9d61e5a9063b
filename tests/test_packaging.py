"""The built wheel, installed into fresh virtual environments, builds a user's site on its own.

Nothing here imports the repository's `plugins/`: the wheel is built from a clean copy of the
source tree, installed with pip into a new venv per interpreter (and one with ProperDocs), and
every command runs from a folder outside the repository with no PYTHONPATH. So the templates,
overrides, schema and assets a site gets can only come from the installed package.

Each venv is made once per test session. With pip's cache warm the module takes about a minute.
"""

from __future__ import annotations

import configparser
import datetime as dt
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from .handbooks import write_handbook

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
# Folders of the repository whose files ship under another package name (see package-dir).
SHIPPED_TREES = {
    "plugins/sopkit": "sopkit",
    "templates": "sopkit/templates",
    "overrides": "sopkit/overrides",
}
# What a checkout holds besides source: never copied into the build.
NOT_SOURCE_TOP = {".git", ".venv", "build", "dist", "site", "node_modules", ".benchmarks"}
NOT_SOURCE = ("__pycache__", "*.pyc", "*.egg-info", ".cache", ".*_cache", ".hypothesis")
TIMEOUT = 600

# --- the tiny handbook a user would write ----------------------------------------------------
# Reviewed yesterday: the default review interval keeps both SOPs current whenever this runs,
# so mkdocs.yml can stay as minimal as a new user's (no `today` option).
REVIEWED = (dt.date.today() - dt.timedelta(days=1)).isoformat()
PUBLISH = f"""\
---
title: Publish a post
objective: A reviewed post is live on the blog.
phase: deploy
owner: lead
reviewed: {REVIEWED}
tools: [docs]
steps:
  - {{id: draft, title: Draft the post, raci: {{R: writer, A: lead}}, duration: 1d, tools: [docs]}}
  - id: approve
    title: Approve the post
    kind: approval
    raci: {{R: writer, A: lead}}
    criteria: [The facts are checked]
    on_reject: draft
kpis:
  - {{name: Posts published, target: ">= 4 a month"}}
---

## Steps

### Draft the post
Write it in the docs tool.
"""
PLAN = f"""\
---
title: Plan a post
objective: Every post starts from a brief the lead has approved.
phase: define
owner: lead
reviewed: {REVIEWED}
steps:
  - {{id: brief, title: Write the brief, raci: {{R: writer, A: lead}}, duration: 2h}}
  - id: sign
    title: Sign off the brief
    kind: approval
    raci: {{R: writer, A: lead}}
    criteria: [The audience is named]
kpis:
  - {{name: Briefs approved, target: ">= 4 a month"}}
---
"""
INDEX = "# Tiny handbook\n\nHow the blog team works.\n"
SOP_FILES = {"sops/publish.md": PUBLISH, "sops/plan.md": PLAN, "index.md": INDEX}
CONFIG = {
    "site_name": "Tiny handbook",
    "docs_dir": "handbook",
    "theme": {"name": "material", "font": False},
    "plugins": ["search", "sopkit"],
}


# --- the wheel -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build --wheel` of a clean copy of the source tree.

    Building in the checkout would reuse its `build/lib`, which keeps files from earlier builds
    and so could hide a file the package-data globs no longer match.
    """
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=not_source)
    dist = work / "dist"
    result = run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)])
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = dist.glob("sopkit-*.whl")
    return built


def not_source(folder: str, names: list[str]) -> set[str]:
    ignored = set(shutil.ignore_patterns(*NOT_SOURCE)(folder, names))
    if Path(folder) == REPO:
        ignored |= NOT_SOURCE_TOP & set(names)
    return ignored


def repo_files(folder: str) -> set[str]:
    """Every file below a folder of the repository, as a path relative to it."""
    root = REPO / folder
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_wheel_carries_every_source_template_override_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, package in SHIPPED_TREES.items():
        expected = {f"{package}/{rel}" for rel in repo_files(folder)}
        assert expected - names == set(), f"{folder}/ files missing from {wheel.name}"
    # The tree comparison above is only as good as the tree: name what the code reads.
    required = {
        "sopkit/py.typed",
        "sopkit/schema.json",
        "sopkit/catalogue.schema.json",
        "sopkit/overrides/assets/sopkit.css",
        "sopkit/overrides/assets/sopkit.js",
        "sopkit/overrides/assets/sopkit-run.css",
        "sopkit/overrides/assets/sopkit-schedule.js",
        "sopkit/overrides/assets/sopkit-reviews.js",
        "sopkit/overrides/assets/sopkit-labels.js",
        "sopkit/overrides/assets/sopkit-run.js",
        "sopkit/messages/en.yml",
        "sopkit/messages/de.yml",
        "sopkit/messages/fr.yml",
        "sopkit/messages/es.yml",
        "sopkit/overrides/assets/finder.js",
        "sopkit/templates/pages/finder.md.j2",
        "sopkit/templates/pages/sop.md.j2",
        "sopkit/templates/pages/run.md.j2",
        "sopkit/templates/pages/raci.md.j2",
        "sopkit/templates/pages/role.md.j2",
        "sopkit/templates/scaffolds/blank.md",
        "sopkit/templates/init/mkdocs.yml",
    }
    assert required - names == set()
    pages = {name for name in names if name.startswith("sopkit/templates/pages/")}
    assert len([name for name in pages if name.endswith(".md.j2")]) >= 10, sorted(pages)


def test_wheel_holds_only_the_package_and_its_metadata(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {"sopkit", f"sopkit-{PYPROJECT['project']['version']}.dist-info"}
    stray = [n for n in names if n.split("/")[0] not in tops or "__pycache__" in n.split("/")]
    assert stray == []


def test_wheel_declares_the_plugin_for_both_engines_and_the_cli(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (entry_points_txt,) = [
        n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")
    ]
    entry_points = configparser.ConfigParser()
    entry_points.read_string(archive.read(entry_points_txt).decode("utf-8"))
    in_wheel = {group: dict(entry_points[group]) for group in entry_points.sections()}
    plugin = {"sopkit": "sopkit.mkdocs.plugin:SopkitPlugin"}
    assert in_wheel == {
        "console_scripts": {"sopkit": "sopkit.cli:main"},
        "mkdocs.plugins": plugin,
        "properdocs.plugins": plugin,
    }
    declared = {"console_scripts": PYPROJECT["project"]["scripts"]}
    assert in_wheel == declared | PYPROJECT["project"]["entry-points"]


# --- fresh virtual environments ---------------------------------------------------------------


@dataclass(frozen=True)
class Venv:
    """A virtual environment with the wheel installed."""

    root: Path
    python_version: str

    def bin(self, name: str) -> str:
        return str(self.root / "bin" / name)

    def env(self, home: Path) -> dict[str, str]:
        """A bare environment: this venv first on PATH, no PYTHONPATH, a throwaway HOME."""
        return {
            "PATH": f"{self.root / 'bin'}:/usr/bin:/bin",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            # Material's and ProperDocs' notices about MkDocs 2 are not this test's business.
            "NO_MKDOCS_2_WARNING": "1",
            "DISABLE_MKDOCS_2_WARNING": "true",
        }


@dataclass(frozen=True)
class Unavailable:
    """Why a venv could not be made; its tests skip (missing Python) or fail (pip failed)."""

    reason: str
    skip: bool


RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
# Each venv: its Python version and what pip installs besides the wheel.
VENVS: dict[str, tuple[str, tuple[str, ...]]] = {
    "3.11": ("3.11", ()),
    "3.12": ("3.12", ()),
    "properdocs": (RUNNING, ("properdocs",)),
}


def run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=TIMEOUT
    )


def make_venv(name: str, wheel: Path, root: Path) -> Venv | Unavailable:
    """`python -m venv`, then `pip install` of the wheel (and ProperDocs for that venv).

    pip is this machine's own, as configured (index, cache), pointed at the venv with
    `--python`: the venv needs no pip of its own, which saves seeding one per venv.
    """
    version, requirements = VENVS[name]
    python = interpreter(version)
    if python is None:
        return Unavailable(f"no Python {version} here (looked on PATH and under pyenv)", True)
    created = run([python, "-I", "-m", "venv", "--without-pip", str(root)], cwd=root.parent)
    if created.returncode != 0:
        return Unavailable(f"python{version} -m venv failed:\n{created.stderr}", False)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.pop("VIRTUAL_ENV", None)
    target = str(root / "bin" / "python")
    command = [sys.executable, "-I", "-m", "pip", "--python", target, "install", "--no-compile"]
    installed = run([*command, *requirements, str(wheel)], cwd=root, env=env)
    if installed.returncode != 0:
        log = installed.stdout[-4000:] + installed.stderr[-4000:]
        return Unavailable(f"pip could not install {name}'s venv:\n{log}", name == "properdocs")
    probe = run([target, "-I", "-c", "import sys; print(sys.version)"])
    return Venv(root, probe.stdout.strip())


def interpreter(version: str) -> str | None:
    """A Python of this X.Y version: the running one, or one on PATH or under pyenv."""
    if version == RUNNING:
        return sys.executable
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates = [
        shutil.which(f"python{version}"),
        *sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}"), reverse=True),
    ]
    for candidate in filter(None, candidates):
        probe = run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


def venv_parent(factory: pytest.TempPathFactory) -> Path:
    """Where venvs go: a RAM disk if there is a roomy one, else pytest's temporary folder.

    A venv is ~19,000 files, most of them Material's icons. On a disk mounted with `discard`
    (like this project's machines) writing and deleting that many files took longer than
    every other step of this module together; on tmpfs it takes seconds.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2 * 2**30:
        return Path(tempfile.mkdtemp(prefix="sopkit-test-venv-", dir=shm))
    return factory.mktemp("venv")


def fresh_venv(name: str, wheel: Path, factory: pytest.TempPathFactory) -> Iterator[Venv]:
    parent = venv_parent(factory)
    root = parent / f"venv-{name}"
    try:
        venv = make_venv(name, wheel, root)
        if isinstance(venv, Unavailable):
            if venv.skip:
                pytest.skip(venv.reason)
            pytest.fail(venv.reason)
        yield venv
    finally:
        # Now, not in some later pytest run's cleanup: it may be in RAM.
        shutil.rmtree(parent, ignore_errors=True)


# Made one after the other, never side by side: three pip runs at once took longer here than
# the same three in a row.
@pytest.fixture(scope="session", params=["3.11", "3.12"])
def installed(
    request: pytest.FixtureRequest, wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Venv]:
    """A fresh venv of one Python version with the wheel and its dependencies from PyPI."""
    yield from fresh_venv(request.param, wheel, tmp_path_factory)


@pytest.fixture(scope="session")
def properdocs(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Venv]:
    """A fresh venv (the running Python) with ProperDocs and the wheel, which brings Material.

    Skips, with pip's output, if ProperDocs cannot be installed from PyPI.
    """
    yield from fresh_venv("properdocs", wheel, tmp_path_factory)


def user_project(work: Path, config_name: str = "mkdocs.yml") -> Path:
    """A user's folder outside the repository: a minimal config and a tiny handbook."""
    assert REPO not in work.resolve().parents
    write_handbook(work, SOP_FILES)
    (work / config_name).write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    return work


def assert_is_the_tiny_handbook_site(site: Path) -> None:
    def page(url: str) -> BeautifulSoup:
        path = site / url / "index.html"
        assert path.is_file(), f"{url} was not built"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    sop = page("sops/publish")
    assert sop.select_one("h1").get_text(strip=True) == "Publish a post"  # type: ignore[union-attr]
    workflow = sop.select_one(".sopkit-diagram svg")
    assert workflow is not None, "the SOP page has no workflow diagram"
    assert workflow.select("[data-step]")
    assert "Draft the post" in workflow.get_text()
    assert sop.select_one("h3#step-approve") is not None
    page("sops/plan")
    for url in ("roles/lead", "roles/writer", "tools/docs", "raci", "health", "onboarding"):
        page(url)
    # The assets are the package's own files, byte for byte.
    assets = ("sopkit.css", "sopkit.js", "sopkit-run.css", "sopkit-schedule.js", "sopkit-run.js")
    for name in (*assets, "finder.js", "sopkit-reviews.js"):
        shipped = (REPO / "overrides" / "assets" / name).read_bytes()
        assert (site / "assets" / "sopkit" / name).read_bytes() == shipped
    catalogue = json.loads((site / "sops.json").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "plugins/sopkit/catalogue.schema.json").read_text("utf-8"))
    jsonschema.validate(catalogue, schema)
    assert "publish" in json.dumps(catalogue) and "plan" in json.dumps(catalogue)


# --- MkDocs, per Python version ---------------------------------------------------------------


def test_sopkit_imports_from_the_venv_not_the_repository(installed: Venv, tmp_path: Path) -> None:
    code = (
        "import sysconfig, sopkit, sopkit.mkdocs.plugin\n"
        "from importlib import resources\n"
        "print(sysconfig.get_paths()['purelib'])\n"
        "print(sopkit.__file__)\n"
        "print(resources.files('sopkit.templates'))\n"
        "print(resources.files('sopkit.overrides'))\n"
    )
    result = run(
        [installed.bin("python"), "-I", "-c", code], cwd=tmp_path, env=installed.env(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    purelib, *locations = (Path(line) for line in result.stdout.splitlines())
    assert purelib.is_relative_to(installed.root)
    for location in locations:
        assert location.is_relative_to(purelib / "sopkit"), location
        assert not location.resolve().is_relative_to(REPO), location


def test_mkdocs_builds_a_minimal_site_with_only_the_installed_package(
    installed: Venv, tmp_path: Path
) -> None:
    project = user_project(tmp_path)
    command = [installed.bin("mkdocs"), "build", "--strict"]
    result = run(command, cwd=project, env=installed.env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"Python {installed.python_version}:\n{output}"
    assert "WARNING" not in output
    assert_is_the_tiny_handbook_site(project / "site")


def test_sopkit_check_passes_the_handbook(installed: Venv, tmp_path: Path) -> None:
    project = user_project(tmp_path)
    command = [installed.bin("sopkit"), "check", "handbook", "--strict"]
    result = run(command, cwd=project, env=installed.env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 SOPs" in result.stdout


DIRECT_URL = """\
import json, sys
from importlib import metadata
dist = metadata.distribution("sopkit")
json.dump({"version": dist.version, "direct_url": dist.read_text("direct_url.json")}, sys.stdout)
"""


def installed_from(venv: Venv, home: Path) -> dict[str, str]:
    """The version of the venv's sopkit and the PEP 610 record of where pip installed it from."""
    result = run([venv.bin("python"), "-I", "-c", DIRECT_URL], cwd=home, env=venv.env(home))
    assert result.returncode == 0, result.stderr
    found: dict[str, str] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize("installed", [RUNNING], indirect=True)
def test_init_site_installs_its_own_sopkit_in_a_fresh_venv(
    installed: Venv, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`sopkit init` from the wheel's venv, then a new venv as a teammate or CI makes one:
    `pip install -r requirements.txt` gets the same sopkit, and the site builds strictly."""
    made = run(
        [installed.bin("sopkit"), "init", "site", "--name", "Ops"],
        cwd=tmp_path,
        env=installed.env(tmp_path),
    )
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site"
    requirement = (site / "requirements.txt").read_text("utf-8").splitlines()[-1]
    source = installed_from(installed, tmp_path)
    assert source["direct_url"], "the wheel was installed from a file"
    pep610 = json.loads(source["direct_url"])
    assert requirement.startswith(f"sopkit @ {pep610['url']}")
    assert requirement.split("#")[0].endswith(".whl")

    parent = venv_parent(tmp_path_factory)
    try:
        root = parent / "teammate"
        created = run([sys.executable, "-I", "-m", "venv", "--without-pip", str(root)])
        assert created.returncode == 0, created.stderr
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        target = str(root / "bin" / "python")
        pip = [sys.executable, "-I", "-m", "pip", "--python", target, "install", "--no-compile"]
        installed_now = run([*pip, "-r", "requirements.txt"], cwd=site, env=env)
        assert installed_now.returncode == 0, installed_now.stdout[-3000:] + installed_now.stderr
        teammate = Venv(root, installed.python_version)
        assert installed_from(teammate, tmp_path) == source
        built = run(
            [teammate.bin("mkdocs"), "build", "--strict"], cwd=site, env=teammate.env(tmp_path)
        )
        assert built.returncode == 0, built.stdout + built.stderr
        assert (site / "site/sops/example-sop/index.html").is_file()
        assert (site / "site/assets/sopkit/sopkit-reviews.js").is_file()
    finally:
        shutil.rmtree(parent, ignore_errors=True)


# --- ProperDocs -------------------------------------------------------------------------------


def test_properdocs_builds_the_site_with_the_plugin(properdocs: Venv, tmp_path: Path) -> None:
    project = user_project(tmp_path, "properdocs.yml")
    command = [properdocs.bin("properdocs"), "build", "--strict"]
    result = run(command, cwd=project, env=properdocs.env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output
    assert_is_the_tiny_handbook_site(project / "site")


def test_under_properdocs_the_plugin_is_built_on_properdocs_classes(
    properdocs: Venv, tmp_path: Path
) -> None:
    # `properdocs` imports properdocs.replacement first: from then on every `mkdocs.*` import,
    # ours and Material's, is properdocs' module, even with MkDocs itself installed beside it
    # (sopkit and Material both require it, so pip always brings it).
    code = (
        "import sys, properdocs.replacement, properdocs.plugins, properdocs.exceptions\n"
        "from sopkit.mkdocs import plugin\n"
        "import material.plugins.search.plugin\n"
        "assert issubclass(plugin.SopkitPlugin, properdocs.plugins.BasePlugin)\n"
        "assert plugin.PluginError is properdocs.exceptions.PluginError\n"
        "files = [getattr(m, '__file__', None) or '' for m in list(sys.modules.values())]\n"
        "real = [f for f in files if '/site-packages/mkdocs/' in f]\n"
        "assert real == [], real\n"
    )
    command = [properdocs.bin("python"), "-I", "-c", code]
    result = run(command, cwd=tmp_path, env=properdocs.env(tmp_path))
    assert result.returncode == 0, result.stderr


def test_properdocs_strict_build_fails_on_a_handbook_warning(
    properdocs: Venv, tmp_path: Path
) -> None:
    project = user_project(tmp_path, "properdocs.yml")
    plan = project / "handbook" / "sops" / "plan.md"
    plan.write_text(plan.read_text("utf-8").replace(f"reviewed: {REVIEWED}\n", ""), "utf-8")
    command = [properdocs.bin("properdocs"), "build", "--strict"]
    result = run(command, cwd=project, env=properdocs.env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "sops/plan.md" in output and "missing-review" in output
    assert "in strict mode" in output
    assert "Traceback" not in output
