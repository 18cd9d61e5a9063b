"""The `sopkit` plugin's options in mkdocs.yml."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c

from sopkit.cadence import RunsPerYear, runs_per_year_setting
from sopkit.model import DEFAULT_PHASES
from sopkit.rules import RuleSettings, SettingsError, rule_settings
from sopkit.schedule import holiday_dates


class _Dates(base.BaseConfigOption[tuple[dt.date, ...]]):
    """A list of dates, written unquoted (YAML dates) or as `YYYY-MM-DD` strings."""

    def run_validation(self, value: object) -> tuple[dt.date, ...]:
        try:
            return holiday_dates(value)
        except ValueError as error:
            raise base.ValidationError(str(error)) from None


class _Rules(base.BaseConfigOption[RuleSettings]):
    """Rule name -> off, warning or error (an unquoted YAML `off` reads as false: off)."""

    def run_validation(self, value: object) -> RuleSettings:
        try:
            return rule_settings(value)
        except SettingsError as error:
            raise base.ValidationError(str(error)) from None


class _RunsPerYear(base.BaseConfigOption[RunsPerYear]):
    """Cadence -> runs a year, a number above 0."""

    def run_validation(self, value: object) -> RunsPerYear:
        try:
            return runs_per_year_setting(value)
        except SettingsError as error:
            raise base.ValidationError(str(error)) from None


class SopkitConfig(base.Config):  # type: ignore[no-untyped-call]
    sops_dir = c.Type(str, default="sops")
    """Folder below `docs_dir` that holds one Markdown file per SOP (sub-folders group the nav)."""

    phases = c.ListOfItems(c.Type(str), default=list(DEFAULT_PHASES))
    """The ordered lifecycle phases an SOP's `phase` must be one of (default: the 5D lifecycle)."""

    review_every = c.Type(str, default="6mo")
    """Review interval for SOPs that set no `review_every`: 90d, 12w, 6mo, 1y."""

    mermaid_js = c.Optional(c.Type(str))
    """Where the Mermaid bundle comes from. Unset: Material's own behaviour (its CDN). A URL:
    loaded from there. A local path (relative to mkdocs.yml): copied into the site as
    `assets/sopkit/mermaid.min.js` and loaded from it, so the site works offline."""

    templates = c.Optional(c.Dir(exists=True))
    """A folder of Jinja templates that replace the shipped ones by file name (`sop.md.j2`, ...)."""

    raci_split = c.Type(int, default=60)
    """With more SOPs than this, the RACI matrix gets one page per phase."""

    holidays = _Dates()
    """Days off besides Saturdays and Sundays (`[2026-12-25, 2026-12-26]`): run pages skip them
    when they give due dates, as they skip weekends."""

    today = c.Optional(c.Type((str, dt.date)))
    """The date reviews are due against (YYYY-MM-DD, quoted or not); default: the day of the
    build. It also ends the what's-new period."""

    rules = _Rules()
    """Severities of the checker's rules for this site: `{no-approval: off, too-many-consulted:
    error}`. `off`, `warning` or `error`; only rules that are warnings by default may be turned
    off or down. `sopkit check` reads them from mkdocs.yml too."""

    runs_per_year = _RunsPerYear()
    """Runs a year by cadence, for the role load on the health page: `{on-demand: 6}`. Default:
    daily 250, weekly 50, monthly 12, quarterly 4, yearly 1, on-demand 1 (and an SOP without a
    cadence counts as on demand)."""

    exports = c.Type(bool, default=True)
    """Write `sops.json` and `raci.csv` into the site."""

    health = c.Type(bool, default=True)
    """Generate the `health/` page."""

    onboarding = c.Type(bool, default=True)
    """Generate the `onboarding/` pages."""

    history = c.Type(bool, default=True)
    """Show each SOP's git history on its page and generate the `whats-new/` page. Outside a git
    repository (or without git) the site builds without them and says so once."""

    labels = c.Type(dict, default={})
    """Replacements of the words sopkit puts on pages, by key
    (`sop.owner: "Process owner: {role}"`). The keys and their English text are in
    `messages/en.yml` of the package; an unknown key or placeholder is a configuration error."""

    steps_heading = c.Optional(c.Type(str))
    """The heading that opens an SOP's steps (`## Ablauf`), accepted besides `## Steps` and its
    translation in the site's language (`## Schritte`, `## Étapes`, `## Pasos`), and shown on
    SOP pages."""

    whats_new_days = c.Type(int, default=90)
    """How many days back the `whats-new/` page lists SOP changes, up to `today` if set, else up
    to the newest commit (so the same repository builds the same page)."""
