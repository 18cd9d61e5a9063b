"""`sopkit build-md --project`: a mkdocs.yml project that Zensical and plain MkDocs build."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from sopkit.cli import main
from sopkit.load import load_library
from sopkit.page_macros import PageExpander
from sopkit.project import read_source_config
from sopkit.render.assets import SCRIPTS, STYLESHEETS
from sopkit.render.context import PageOptions

from .handbooks import write_handbook
from .sites import SHIPPED, text_of
from .test_cli_export import GOOD

REPO = SHIPPED.parent
ENV = {"NO_MKDOCS_2_WARNING": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped handbook's project, written once, from the repository as a user would."""
    out = tmp_path_factory.mktemp("project") / "handbook"
    here = Path.cwd()
    os.chdir(REPO)
    try:
        args = ["build-md", "sop_library", str(out), "--project", "--today", "2026-11-24"]
        assert main(args) == 0
    finally:
        os.chdir(here)
    yield out


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "-f", str(project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
        env={**ENV, "HOME": str(project.parent)},
        timeout=600,
    )


@pytest.fixture(scope="module")
def zensical_site(project: Path) -> Path:
    result = run(project, sys.executable, "-m", "zensical", "build")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower() and "error" not in output.lower(), output
    return project / "site"


def test_config_carries_the_site_over_and_names_the_pages(project: Path) -> None:
    config = read_source_config(project / "mkdocs.yml")
    source = read_source_config(REPO / "mkdocs.yml")
    assert config["site_name"] == source["site_name"] == "Marketing Operations Handbook"
    assert config["theme"] == source["theme"]
    assert config["docs_dir"] == "docs"
    assert "plugins" not in config
    assert config["extra_css"] == [f"assets/sopkit/{name}" for name in STYLESHEETS]
    scripts = [f"assets/sopkit/{name}" for name in SCRIPTS]
    assert config["extra_javascript"][: len(scripts)] == scripts
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    for name in ("attr_list", "md_in_html", "tables", "admonition", "pymdownx.tasklist"):
        assert name in extensions
    titles = [e if isinstance(e, str) else next(iter(e)) for e in config["nav"]]
    assert titles[0] == "index.md"
    assert titles[-7:] == [
        "SOPs",
        "RACI matrix",
        "Lifecycle map",
        "Handbook health",
        "Onboarding",
        "Roles",
        "Tools",
    ]
    sops = next(e["SOPs"] for e in config["nav"] if isinstance(e, dict) and "SOPs" in e)
    sections = [next(iter(e)) for e in sops if isinstance(e, dict)]
    assert "SEO" in sections and "Seo" not in sections
    assert next(e for e in config["nav"] if isinstance(e, dict) and "Roles" in e) == {
        "Roles": "roles/index.md"
    }


def test_macros_of_hand_written_pages_are_expanded(project: Path) -> None:
    for page in (project / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text, page
    how = (project / "docs/how-we-work/index.md").read_text(encoding="utf-8")
    assert "| SOP | Phase | Owner | Lead time | Review |" in how
    fixing = (project / "docs/fixing-bottlenecks/index.md").read_text(encoding="utf-8")
    assert 'data-step="' in fixing  # the workflow macro, drawn as inline SVG
    assert "onboarding/index.md" in (project / "docs/index.md").read_text(encoding="utf-8")


def test_zensical_builds_every_page_with_working_links(project: Path, zensical_site: Path) -> None:
    site = zensical_site
    for page in (project / "docs").rglob("*.md"):
        rel = page.relative_to(project / "docs").with_suffix("")
        html = site / (rel.parent if rel.name == "index" else rel) / "index.html"
        assert html.is_file(), html
    for name in ("sops.json", "raci.csv", *(f"assets/sopkit/{n}" for n in SCRIPTS)):
        assert (site / name).is_file(), name
    run_pages = sorted((project / "docs/run").glob("*/index.md"))
    assert run_pages
    assert all((site / "run" / p.parent.name / "index.html").is_file() for p in run_pages)
    assert broken_links(site) == []
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = text_of(home.select_one("nav.md-nav--primary") or home)
    for title in ("SOPs", "RACI matrix", "Lifecycle map", "Handbook health", "SEO"):
        assert title in nav, title
    assert "Raci" not in nav and "Sops" not in nav
    assert home.select_one('script[src$="assets/sopkit/finder.js"]') is not None


def test_plain_mkdocs_builds_it_strictly(project: Path, tmp_path: Path) -> None:
    result = run(project, sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    assert broken_links(tmp_path) == []
    raci = BeautifulSoup((tmp_path / "raci/index.html").read_text(encoding="utf-8"), "html.parser")
    assert raci.select_one("h1") is not None
    how = (tmp_path / "how-we-work/index.html").read_text(encoding="utf-8")
    assert "{{" not in how and "<table" in how


def test_an_unknown_macro_or_template_fails_with_page_and_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handbook = write_handbook(
        tmp_path,
        {
            "sops/publish.md": GOOD,
            "guide.md": "# Guide\n\n{{ workflow('no-such-sop') }}\n\n{{ config.site_name }}\n"
            "{{ shout('x') }}\n",
        },
    )
    out = tmp_path / "project"
    assert main(["build-md", str(handbook), str(out), "--project"]) == 1
    err = capsys.readouterr().err
    assert 'guide.md:3: workflow: unknown SOP id "no-such-sop"' in err
    assert "guide.md:5: {{ config.site_name }}: not a sopkit macro call" in err
    assert "guide.md:6: {{ shout('x') }}: unknown macro \"shout\"" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_only_literal_macro_calls_run_and_render_macros_false_is_kept(tmp_path: Path) -> None:
    library = load_library(write_handbook(tmp_path, {"sops/publish.md": GOOD}))
    expander = PageExpander(library, PageOptions(today=dt.date(2026, 11, 24)))
    sop = library.sops[0]
    text, problems = expander.expand("guide.md", f'{{{{ sop_link("{sop.id}") }}}}')
    assert problems == [] and text.startswith(f"[{sop.title}](sops/")
    _, problems = expander.expand("guide.md", "{{ sop_link(__import__('os').name) }}")
    assert [p.message.startswith("expected literal arguments") for p in problems] == [True]
    kept = "---\nrender_macros: false\n---\n\n{{ anything }}\n"
    assert expander.expand("guide.md", kept) == (kept, [])


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, link) of every relative link or image in a page's article that leads nowhere."""
    broken = []
    for html in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        assert "{{" not in text_of(soup.select_one("article") or soup), html
        links = soup.select("article a[href], article a[xlink\\:href], article img[src]")
        assert links or html.name != "index.html" or html.parent == site, html
        for link in links:
            target = link.get("href") or link.get("xlink:href") or link.get("src")
            url = urlsplit(str(target))
            if url.scheme or url.netloc or not url.path:
                continue
            if not resolves(html, url.path, site):
                broken.append((html.relative_to(site).as_posix(), url.path))
    return broken


def resolves(html: Path, path: str, site: Path) -> bool:
    """Whether `path` from `html` leads to a file of `site` (not past its root)."""
    target = (html.parent / unquote(path)).resolve()
    inside = target == site.resolve() or site.resolve() in target.parents
    return inside and (target.is_file() or (target / "index.html").is_file())
