"""Where each generated page lives (its source path in the site) and links between pages.

Generated pages link to each other with relative Markdown links to `.md` source paths, so MkDocs
validates them and turns them into URLs for either `use_directory_urls` setting.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import quote

from sopkit.model import Sop

ROLES_INDEX = "roles/index.md"
TOOLS_INDEX = "tools/index.md"
RACI_INDEX = "raci/index.md"
LIFECYCLE = "lifecycle/index.md"
ONBOARDING_INDEX = "onboarding/index.md"
HEALTH = "health/index.md"
SOPS_INDEX = "sops/index.md"


def finder_page(sops_dir: str) -> str:
    """The SOP folder's index: the finder, filtered by its URL's query."""
    return f"{sops_dir}/index.md"


def role_page(role_id: str) -> str:
    return f"roles/{role_id}.md"


def tool_page(tool_id: str) -> str:
    return f"tools/{tool_id}.md"


def onboarding_page(role_id: str) -> str:
    return f"onboarding/{role_id}.md"


def raci_page(part: str) -> str:
    return f"raci/{part}.md"


def lifecycle_page(part: str) -> str:
    """The first page of a phase's SOPs on a large handbook's lifecycle map."""
    return f"lifecycle/{part}.md"


def sop_page(sop: Sop) -> str:
    return sop.file


RUN_FOLDER = "run"


def run_page(sop_id: str) -> str:
    """The run page of an SOP: `run/<sop-id>/` in the site (format section 5)."""
    return f"{RUN_FOLDER}/{sop_id}.md"


def step_anchor(step_id: str) -> str:
    return f"step-{step_id}"


# Link helpers are memoised: every page links to the same few hundred targets, and
# `posixpath.relpath` asks the OS for the working directory on each call.
_LINKS_CACHED = 1 << 16


def relpath(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for two paths relative to the same folder, without the
    working directory that `relpath` looks up on every call."""
    if not path or ".." in path or ".." in start or path[0] == "/" or start[:1] == "/":
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    at = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(at)) and to[common] == at[common]:
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


@lru_cache(maxsize=_LINKS_CACHED)
def relative(from_page: str, to_page: str) -> str:
    """A link from one page's source to another's, percent-encoded for a Markdown link."""
    if from_page == to_page:
        return ""
    start = posixpath.dirname(from_page) or "."
    return quote(relpath(to_page, start), safe="/#.-_~")


@lru_cache(maxsize=_LINKS_CACHED)
def page_url(page: str, use_directory_urls: bool = True) -> str:
    """The site URL (relative to the site root) of a page source, as MkDocs computes it."""
    stem, _ = posixpath.splitext(page)
    if not use_directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        parent = posixpath.dirname(stem)
        return parent + "/" if parent else ""
    return stem + "/"


@lru_cache(maxsize=_LINKS_CACHED)
def relative_file_url(from_page: str, site_file: str, use_directory_urls: bool = True) -> str:
    """A browser URL from a rendered page to a file at `site_file` in the built site."""
    source = page_url(from_page, use_directory_urls)
    base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
    return quote(relpath(site_file, base.rstrip("/") or "."), safe="/#.-_~")


@lru_cache(maxsize=_LINKS_CACHED)
def relative_url(from_page: str, to_page: str, use_directory_urls: bool = True) -> str:
    """A browser URL from one rendered page to another (for raw HTML and diagrams)."""
    source = page_url(from_page, use_directory_urls)
    target = page_url(to_page, use_directory_urls)
    base = source if source.endswith("/") or not source else posixpath.dirname(source) + "/"
    if not base or base == "/":
        base = "."
    rel = relpath(target or ".", base.rstrip("/") or ".")
    if (target.endswith("/") or not target) and not rel.endswith("/"):
        rel += "/"
    return quote(rel, safe="/#.-_~")
