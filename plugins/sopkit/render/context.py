"""What every page renderer shares: site options, the generated-page record, phase grouping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sopkit.labels import ENGLISH, Labels
from sopkit.model import Library, Sop
from sopkit.render.diagrams import DEFAULT_LIMITS, DiagramLimits
from sopkit.render.paging import Part
from sopkit.render.paging import parts as paging_parts

SLUG_ONLY = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True)
class PageOptions:
    """What every generated page needs to know about the site."""

    today: dt.date
    templates: str | None = None
    use_directory_urls: bool = True
    limits: DiagramLimits = DEFAULT_LIMITS
    onboarding: bool = True
    """Whether the site has onboarding pages to link to."""
    site_key: str = "handbook"
    """Keeps one site's onboarding progress apart from another's in the browser."""
    health: bool = True
    """Whether the site has a health page."""
    material_tags: bool = False
    """Whether Material's tags plugin shows each page's tags (else the SOP page lists them)."""
    raci_split: int = 60
    """SOPs on one RACI matrix page; a larger handbook gets one matrix page per phase."""
    holidays: tuple[dt.date, ...] = ()
    """Days off besides weekends, for the due dates of run pages (sorted, each once)."""
    raci_rows: int = 100
    """SOPs on one page of a phase's RACI matrix; a larger phase continues on numbered pages."""
    list_page: int = 150
    """SOPs on one page of a role's or a tool's list (or of a phase's on the lifecycle map); the
    rest continue on numbered pages."""
    finder_part: int = 500
    """SOPs in the finder's table on one page (`sops/`); a larger handbook continues on numbered
    part pages (`sops/2/`), which the finder's script loads into its one table."""
    lifecycle_split: int = 60
    """SOPs the lifecycle map lists on its page; a larger handbook gets a page per phase."""
    today_pinned: bool = False
    """Whether the site sets `today`: review states then stay as of that date in the browser
    too, instead of following the reader's clock."""
    labels: Labels = ENGLISH
    """The words of the site's pages, in its language (`theme.language`, `labels:`)."""
    steps_heading: str | None = None
    """The `steps_heading` option: the heading of the steps on SOP pages too (unless `labels:`
    sets `steps.heading`)."""
    taken: frozenset[str] = frozenset()
    """The addresses of the site's own pages and folders (`paging.addresses`): a numbered page
    of a long list never takes one of them."""

    def parts(self, first: str, count: int) -> list[Part]:
        """The `count` pages of the list whose first page is `first`, clear of `taken`."""
        return paging_parts(first, count, self.taken, self.use_directory_urls)


@dataclass(frozen=True)
class GeneratedPage:
    """A page's Markdown and the handbook file an "edit" link should open (if any)."""

    markdown: str
    edit_uri: str | None = None
    continues: Part | None = None
    """On page 2, 3, ... of a list split into pages: which page of which list it is. Such a
    page is reached by the list's pager and stays out of the site's navigation."""


def phase_name(phase: str, t: Labels = ENGLISH) -> str:
    """A phase as pages show it: the language's word for a phase sopkit knows, else the id."""
    return t.phase(phase)


def phase_anchor(phase: str) -> str:
    return phase if phase and set(phase) <= SLUG_ONLY else "other"


def all_phases(library: Library) -> list[str]:
    """Configured phases, then any other phase an SOP names (shown, though reported)."""
    phases = list(library.settings.phases)
    for sop in library.sops:
        if sop.phase not in phases:
            phases.append(sop.phase)
    return phases


def sops_by_phase(library: Library) -> dict[str, list[Sop]]:
    """Every SOP under its phase; within a phase, SOPs come after the SOPs they require."""
    grouped: dict[str, list[Sop]] = {phase: [] for phase in all_phases(library)}
    order = {sop_id: i for i, sop_id in enumerate(library.sop_order)}
    for sop in sorted(library.sops, key=lambda s: (order.get(s.id, len(order)), s.file)):
        grouped[sop.phase].append(sop)
    return grouped
