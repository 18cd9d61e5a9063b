"""sopkit beside the plugins handbook sites already run: one `mkdocs build --strict` per plugin.

Every build starts from the same small copy of the shipped handbook (three SOPs, every kind of
generated page), kept in a git repository whose commits have fixed dates, and adds one plugin
to the shipped site's plugins. Each test checks one effect of that plugin a reader sees on an SOP
page. A hook records every page's source path while the site builds: SOP pages keep their file,
generated pages have a copy in a temporary folder, and that folder is gone after the build.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from .sites import SHIPPED, Build, build, text_of
from .test_serve import serve_build

pytestmark = pytest.mark.compat

SOPS = {
    "sops/brand/brand-governance.md": "2024-01-10T09:00:00+00:00",
    "sops/content/approval-workflow.md": "2024-03-05T09:00:00+00:00",
    "sops/agency/client-onboarding.md": "2024-01-10T09:00:00+00:00",
}
"""The SOPs of the small handbook, with the date of their file's last commit."""
LAST_EDITED = "sops/content/approval-workflow.md"
SOP_URL = "sops/content/approval-workflow/"
INDEX = """\
# Marketing handbook

Our standard operating procedures, with [roles](roles/index.md) and the
[RACI matrix](raci/index.md).
"""
EXTRA_BODY = """

## Where the assets live

![The asset library](../../asset-library.png)

Our [brand portal supplier](https://brand.example.com/portal) hosts the library.
"""
REPO_URL = "https://git.example.com/marketing/handbook"
HOOK = '''\
"""Records each page's source path while the site builds (a MkDocs hook of the compat tests)."""

import json
import os

from mkdocs.plugins import event_priority

SEEN = {}


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    path = page.file.abs_src_path
    SEEN[page.file.dest_uri] = {
        "src_uri": page.file.src_uri,
        "path": path,
        "exists": bool(path) and os.path.isfile(path),
        "generated_by": page.file.generated_by,
        "edit_url": page.edit_url,
    }


def on_post_build(config):
    report = os.path.join(os.path.dirname(config.config_file_path), "sources.json")
    with open(report, "w", encoding="utf-8") as out:
        json.dump(SEEN, out, indent=1, sort_keys=True)
'''


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(repo.parent)}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        ["git", "-c", "user.name=Author", "-c", "user.email=author@example.com", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_handbook(tmp_path_factory.mktemp("compat"))


def small_handbook(workdir: Path) -> Path:
    """The small handbook in `workdir/repo/docs`, committed in two commits at fixed dates."""
    if shutil.which("git", path="/usr/bin:/bin") is None:
        pytest.skip("git is not installed: the compatibility builds keep the handbook in git")
    repo = workdir / "repo"
    docs = repo / "docs"
    docs.mkdir(parents=True)
    shutil.copy(SHIPPED / "tags.md", docs / "tags.md")
    for rel in SOPS:
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (SHIPPED / rel).read_text(encoding="utf-8")
        # `next` points at SOPs the small copy leaves out.
        text = re.sub(r"(?m)^next: .*\n", "", text)
        if rel == "sops/brand/brand-governance.md":
            text = text.rstrip("\n") + EXTRA_BODY
        target.write_text(text, encoding="utf-8")
    # Only the roles and tools the three SOPs name: fewer pages to build, the same kinds.
    named = "\n".join((docs / rel).read_text(encoding="utf-8") for rel in SOPS)
    for name in ("roles.yml", "tools.yml"):
        entries = yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8"))
        kept = {key: value for key, value in entries.items() if re.search(rf"\b{key}\b", named)}
        (docs / name).write_text(yaml.safe_dump(kept, sort_keys=False), encoding="utf-8")
    (docs / "index.md").write_text(INDEX, encoding="utf-8")
    (docs / "asset-library.png").write_bytes(_png(64, 32))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Handbook", date=SOPS["sops/brand/brand-governance.md"])
    edited = docs / LAST_EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "Approval workflow: one more line", date=SOPS[LAST_EDITED])
    return docs


def _png(width: int, height: int) -> bytes:
    """A small grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def site_config(
    handbook: Path, plugins: list[Any], sopkit: dict[str, Any] | None = None, **settings: Any
) -> dict[str, Any]:
    """The shipped site's mkdocs.yml, with `plugins` added after sopkit and mkdocs-macros."""
    hook = handbook.parent / "record_sources.py"
    if not hook.exists():
        hook.write_text(HOOK, encoding="utf-8")
    return {
        "site_name": "Marketing handbook",
        "repo_url": REPO_URL,
        "edit_uri": "edit/main/docs/",
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.indexes", "navigation.sections", "content.action.edit"],
        },
        "plugins": [
            "search",
            "tags",
            {"sopkit": {"today": "2026-11-24", **(sopkit or {})}},
            "macros",
            *plugins,
        ],
        "hooks": [str(hook)],
        "markdown_extensions": [
            "admonition",
            "attr_list",
            "md_in_html",
            "tables",
            {"toc": {"permalink": True}},
            "pymdownx.details",
            "pymdownx.superfences",
        ],
        **settings,
    }


def requires(*modules: str) -> None:
    for module in modules:
        if importlib.util.find_spec(module) is None:
            pytest.skip(
                f"{module} is not installed: pip install -e '.[compat]' installs the tested "
                "versions of the plugins"
            )


def compat_build(handbook: Path, name: str, config: dict[str, Any]) -> Build:
    """One strict build into `compat-<name>/`, with no traceback and every page's source."""
    workdir = handbook.parent.parent / f"compat-{name}"
    workdir.mkdir()
    result = build(handbook, workdir, config)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output, result.output
    assert_sources(workdir)
    return result


def assert_sources(workdir: Path) -> None:
    """Every page had a real source file while it built; the generated copies are gone after."""
    seen: dict[str, dict[str, Any]] = json.loads(
        (workdir / "sources.json").read_text(encoding="utf-8")
    )
    assert len(seen) > 10
    missing = {page: info for page, info in seen.items() if not info["exists"]}
    assert not missing, missing
    for info in seen.values():
        path = Path(info["path"])
        if info["generated_by"]:
            assert not path.exists(), f"{path} outlived the build"
        else:
            assert path.is_file()


def sop_url(rel: str) -> str:
    return rel.removesuffix(".md") + "/"


def diagrams(page: BeautifulSoup) -> list[Tag]:
    """The diagrams on a page: drawn SVG, or Mermaid source the browser draws."""
    return page.select(".sopkit-diagram svg, .mermaid")


def sop_page(result: Build, url: str = SOP_URL) -> str:
    return (result.site / url / "index.html").read_text(encoding="utf-8")


# --- sopkit alone: the page sources every other plugin sees ----------------------------------


@pytest.fixture(scope="module")
def plain(handbook: Path) -> Build:
    return compat_build(handbook, "plain", site_config(handbook, []))


def test_every_page_has_its_source_and_edit_link(plain: Build, handbook: Path) -> None:
    seen = json.loads((plain.site.parent / "sources.json").read_text(encoding="utf-8"))
    pages = {info["src_uri"]: info for info in seen.values()}
    sop = pages[LAST_EDITED]
    assert sop["path"] == str(handbook / LAST_EDITED)
    assert sop["generated_by"] is None
    generated = {src for src, info in pages.items() if info["generated_by"] == "sopkit"}
    # Every kind of generated page is among them, whichever writer made it.
    for expected in ("roles/index.md", "raci/index.md", "lifecycle/index.md", "health/index.md"):
        assert expected in generated
    assert any(src.startswith("onboarding/") for src in generated)
    assert any(src.startswith("tools/") for src in generated)
    edit = f"{REPO_URL}/edit/main/docs/"
    assert sop["edit_url"] == edit + LAST_EDITED
    assert pages["roles/brand-manager.md"]["edit_url"] == edit + "roles.yml"
    assert pages["tools/figma.md"]["edit_url"] == edit + "tools.yml"
    assert pages["lifecycle/index.md"]["edit_url"] is None
    assert "One more line." in text_of(plain.html(SOP_URL))


# --- one build per plugin --------------------------------------------------------------------


def test_git_revision_date_shows_the_sop_files_last_commit(handbook: Path) -> None:
    requires("mkdocs_git_revision_date_localized_plugin")
    plugin = {
        "git-revision-date-localized": {
            "type": "iso_date",
            "timezone": "UTC",
            "enable_creation_date": True,
            # Generated pages have no history of their own: they would show the build date.
            "exclude": ["roles/*"],
        }
    }
    result = compat_build(handbook, "git-date", site_config(handbook, [plugin]))
    edited = sop_page(result)
    assert "2024-03-05" in edited  # last commit of approval-workflow.md
    assert "2024-01-10" in edited  # its creation
    older = sop_page(result, "sops/brand/brand-governance/")
    assert "2024-01-10" in older and "2024-03-05" not in older
    role = result.html("roles/brand-manager/")
    assert role.select_one(".git-revision-date-localized-plugin") is None


def test_awesome_nav_orders_the_sop_folders(handbook: Path) -> None:
    requires("mkdocs_awesome_nav")
    (handbook / "sops" / ".nav.yml").write_text(
        "nav:\n  - content\n  - brand\n  - agency\n", encoding="utf-8"
    )
    try:
        result = compat_build(handbook, "awesome-nav", site_config(handbook, ["awesome-nav"]))
    finally:
        (handbook / "sops" / ".nav.yml").unlink()
    links = result.html(SOP_URL).select("nav.md-nav--primary .md-nav__link")
    names = [link.get_text(" ", strip=True) for link in links]
    sections = [name for name in names if name in ("Content", "Brand", "Agency")]
    assert list(dict.fromkeys(sections)) == ["Content", "Brand", "Agency"], names


def test_glightbox_opens_sop_images_in_a_lightbox(handbook: Path) -> None:
    requires("mkdocs_glightbox")
    result = compat_build(handbook, "glightbox", site_config(handbook, ["glightbox"]))
    page = result.html("sops/brand/brand-governance/")
    link = page.select_one("a.glightbox")
    assert link is not None and link.select_one("img[alt='The asset library']") is not None


def test_minify_minifies_sop_pages(handbook: Path) -> None:
    requires("mkdocs_minify_plugin")
    plugin = {"minify": {"minify_html": True}}
    result = compat_build(handbook, "minify", site_config(handbook, [plugin]))
    html = sop_page(result)
    assert html.startswith("<!doctype html><html lang=en ")  # quotes and whitespace dropped
    assert not re.search(r"\n {4,}<", html)
    assert "Approval workflow" in text_of(result.html(SOP_URL))


def test_print_site_puts_the_handbook_on_one_page_with_its_diagrams(handbook: Path) -> None:
    requires("mkdocs_print_site_plugin")
    result = compat_build(handbook, "print-site", site_config(handbook, ["print-site"]))
    printed = result.html("print_page/")
    text = text_of(printed)
    for title in ("Approval workflow", "Brand governance", "Client onboarding", "RACI matrix"):
        assert title in text
    on_sop_pages = sum(len(diagrams(result.html(sop_url(rel)))) for rel in SOPS)
    assert on_sop_pages >= len(SOPS)  # a workflow each
    assert len(diagrams(printed)) >= on_sop_pages


def test_static_i18n_translates_hand_written_pages(handbook: Path) -> None:
    requires("mkdocs_static_i18n")
    (handbook / "index.fr.md").write_text(
        "# Manuel marketing\n\nNos procédures, avec les [rôles](roles/index.md).\n",
        encoding="utf-8",
    )
    plugin = {
        "i18n": {
            "docs_structure": "suffix",
            "languages": [
                {"locale": "en", "default": True, "name": "English", "build": True},
                {"locale": "fr", "name": "Français", "build": True},
            ],
        }
    }
    try:
        result = compat_build(handbook, "i18n", site_config(handbook, [plugin]))
    finally:
        (handbook / "index.fr.md").unlink()
    assert "Manuel marketing" in text_of(result.html("fr/"))
    assert "Marketing handbook" in text_of(result.html(""))
    english = result.html(SOP_URL)
    assert english.select_one("html")["lang"] == "en"
    # The SOP and the generated pages are in the default language under /fr/ too.
    french = result.html(f"fr/{SOP_URL}")
    assert french.select_one("html")["lang"] == "fr"
    assert "Approval workflow" in text_of(french)
    # sopkit's page, not the file's raw text: i18n gives the page a new file object.
    assert french.select_one(".sopkit-facts") is not None
    role = result.html("fr/roles/brand-manager/")
    assert role.select_one("html")["lang"] == "fr"
    assert "Brand Manager" in text_of(role)
    assert result.html("roles/brand-manager/").select_one("html")["lang"] == "en"


def test_material_blog_sits_beside_the_sops(handbook: Path) -> None:
    post = handbook / "blog" / "posts" / "new-approval-sla.md"
    post.parent.mkdir(parents=True)
    (handbook / "blog" / "index.md").write_text("# News\n", encoding="utf-8")
    post.write_text(
        "---\ndate: 2024-03-05\n---\n\n# Approvals get a two-day SLA\n\n"
        "See the [approval workflow](../../sops/content/approval-workflow.md).\n",
        encoding="utf-8",
    )
    try:
        result = compat_build(handbook, "blog", site_config(handbook, ["blog"]))
    finally:
        shutil.rmtree(handbook / "blog")
    nav = text_of(result.html(SOP_URL).select_one("nav.md-nav--primary"))
    assert "Blog" in nav
    assert "Approvals get a two-day SLA" in text_of(result.html("blog/"))


def test_material_privacy_marks_external_links(handbook: Path) -> None:
    # Nothing to fetch: the site has no external assets, and fetching is off all the same.
    plugin = {
        "privacy": {
            "assets_fetch": False,
            # Material's own CDN copy of Mermaid: sopkit's `mermaid_js` serves a local one.
            "assets_exclude": ["unpkg.com/mermaid@*"],
            "links_attr_map": {"target": "_blank"},
            "cache_dir": str(handbook.parent.parent / "privacy-cache"),
        }
    }
    result = compat_build(handbook, "privacy", site_config(handbook, [plugin]))
    link = result.html("sops/brand/brand-governance/").select_one(
        "a[href='https://brand.example.com/portal']"
    )
    assert link is not None
    assert link.get("target") == "_blank" and "noopener" in link.get("rel", [])


def test_material_offline_makes_sop_pages_work_from_files(handbook: Path) -> None:
    result = compat_build(
        handbook, "offline", site_config(handbook, ["offline"], use_directory_urls=False)
    )
    page = (result.site / "sops/content/approval-workflow.html").read_text(encoding="utf-8")
    assert (result.site / "search/search_index.js").is_file()
    assert 'href="../../roles/brand-manager.html"' in page


def test_material_social_makes_a_card_for_sop_pages(handbook: Path) -> None:
    requires("cairosvg", "PIL")
    try:
        import cairosvg  # noqa: F401  (loads the system's libcairo2)
    except OSError as error:
        pytest.skip(f"Material's social cards need libcairo2 (apt-get install libcairo2): {error}")
    font = Path("/usr/share/fonts/truetype/dejavu")
    if not (font / "DejaVuSans.ttf").is_file():
        pytest.skip("the social cards use Debian's DejaVu fonts (fonts-dejavu-core)")
    # The cards' font comes from this cache, never from Google Fonts.
    cache = handbook.parent.parent / "social-cache"
    fonts = cache / "fonts" / "DejaVu Sans"
    fonts.mkdir(parents=True, exist_ok=True)
    shutil.copy(font / "DejaVuSans.ttf", fonts / "Regular.ttf")
    shutil.copy(font / "DejaVuSans-Bold.ttf", fonts / "Bold.ttf")
    plugin = {
        "social": {
            "cache_dir": str(cache),
            "cards_layout_options": {"font_family": "DejaVu Sans"},
            "cards_include": ["sops/*"],
        }
    }
    config = site_config(handbook, [plugin], site_url="https://handbook.example.com/")
    result = compat_build(handbook, "social", config)
    card = result.html(SOP_URL).select_one("meta[property='og:image']")
    assert card is not None
    image = card["content"].removeprefix("https://handbook.example.com/")
    assert image.endswith(".png")
    assert (result.site / image).read_bytes().startswith(b"\x89PNG")


def test_material_tags_lists_sops_by_tag(plain: Build) -> None:
    page = plain.html("sops/brand/brand-governance/")
    tags = [a.get_text(strip=True) for a in page.select("a.md-tag")]
    # Free-text tags (format 1.1) reach Material as written, next to the phase by its name.
    assert {"Brand", "Governance", "Brand assets", "Design"} <= set(tags)
    assert "Brand governance" in text_of(plain.html("tags/"))


def test_serve_rebuilds_write_sources_and_remove_them(
    handbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `mkdocs serve` each rebuild has its sources, and none outlive it."""
    workdir = handbook.parent.parent / "compat-serve"
    workdir.mkdir()
    # A temporary folder of this test's own: other builds on the machine come and go in /tmp.
    private_tmp = workdir / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    site = {"docs_dir": str(handbook), "site_dir": str(workdir / "site")}
    config = {**site_config(handbook, []), **site}
    config_file = workdir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    for _ in range(2):
        serve_build(config_file)
        # Each page had its source while it built; no generated copy outlives the rebuild.
        assert_sources(workdir)


def test_a_dirty_rebuild_refreshes_sop_pages(tmp_path: Path) -> None:
    """`mkdocs serve --dirty` rebuilds only modified files: SOP pages, which show roles.yml
    and the other SOPs, count as modified although their own file did not change."""
    docs = small_handbook(tmp_path)
    site = {"docs_dir": str(docs), "site_dir": str(tmp_path / "site")}
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump({**site_config(docs, []), **site}), encoding="utf-8")
    serve_build(config_file)
    roles = docs / "roles.yml"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace("Brand Manager", "Head of Brand"),
        encoding="utf-8",
    )
    serve_build(config_file, dirty=True)
    page = tmp_path / "site" / "sops/brand/brand-governance/index.html"
    assert "Head of Brand" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("plugins", "holds"),
    [([], True), (["print-site"], False), (["glightbox"], False), (["minify"], True)],
)
def test_parts_search_skips_wait_apart_only_when_no_other_plugin_reads_the_page(
    plugins: list[str], holds: bool, tmp_path: Path
) -> None:
    """Drawings wait apart from a page while search reads it only when no plugin but search
    reads the page's HTML then (print-site and glightbox do, minify works on the written page);
    the site's own hooks (this config has one) see the page as search does."""
    requires("mkdocs_print_site_plugin", "mkdocs_glightbox", "mkdocs_minify_plugin")
    from mkdocs.config import load_config

    from sopkit.mkdocs.plugin import _only_search_reads_html

    docs = tmp_path / "docs"
    docs.mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(site_config(docs, plugins)), encoding="utf-8")
    config = load_config(str(config_file))
    own = config.plugins["sopkit"]
    assert _only_search_reads_html(config, own) is holds
