"""`sopkit diff BASE [HEAD]`: what a change does to the process, for a reviewer."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from sopkit.check import check_library
from sopkit.cli_support import EXIT_OK, UsageError, today_arg, write_output
from sopkit.diff import handbook_diff
from sopkit.load import load_library
from sopkit.model import Diagnostic, Library, SopError
from sopkit.render.diff import diff_json, diff_markdown, diff_text
from sopkit.revisions import HandbookSource, RevisionError, handbook_source

RENDERERS = {"text": diff_text, "markdown": diff_markdown, "json": diff_json}


def cmd_diff(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    today = args.today or dt.date.today()
    with tempfile.TemporaryDirectory(prefix="sopkit-diff-") as scratch:
        sides = []
        for name, spec in (("BASE", args.base), ("HEAD", args.head)):
            try:
                source = handbook_source(spec, args.handbook, cwd, Path(scratch))
            except RevisionError as exc:
                raise UsageError(f"{name}: {exc}") from None
            sides.append(_loaded(name, source, today))
        (base_source, base, base_findings), (head_source, head, head_findings) = sides
        diff = handbook_diff(
            base, head, base_findings, head_findings, base_source.label, head_source.label
        )
    write_output(RENDERERS[args.format](diff), None)
    return EXIT_OK


def _loaded(
    name: str, source: HandbookSource, today: dt.date
) -> tuple[HandbookSource, Library, list[Diagnostic]]:
    if not source.root.is_dir():
        raise UsageError(f"{name}: handbook folder not found: {source.root}")
    try:
        library = load_library(source.root, source.settings)
    except SopError as exc:
        raise UsageError(f"{name}: {exc}") from None
    return source, library, check_library(library, today)


def add_diff_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="show what a change does to the process (steps, RACI, lead times, findings)",
        description="Compare two versions of a handbook SOP by SOP and step by step: steps "
        "added, removed and changed, RACI changes, lead times, roles, tools, and new and fixed "
        "findings. BASE and HEAD are handbook folders or git revisions of the repository here; "
        "in a revision the handbook is the docs_dir of its mkdocs.yml (or --handbook).",
        epilog="examples:\n"
        "  sopkit diff main                      # main against the working tree\n"
        '  sopkit diff origin/main HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"\n'
        "  sopkit diff old-handbook/ sop_library/ --format json\n"
        "exit codes: 0 compared (whatever changed), 2 bad arguments",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("base", metavar="BASE", help="a handbook folder or a git revision")
    diff.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        help="a handbook folder or a git revision (default: the working tree)",
    )
    diff.add_argument(
        "--handbook",
        metavar="PATH",
        help="the handbook folder inside a revision and here (default: docs_dir of mkdocs.yml)",
    )
    diff.add_argument(
        "--format",
        choices=tuple(RENDERERS),
        default="text",
        help="text for the terminal, markdown for a pull request, json for tools",
    )
    today_arg(diff)
    diff.set_defaults(run=cmd_diff)
