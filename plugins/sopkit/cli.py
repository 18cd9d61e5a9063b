"""`sopkit`: check, report on and export a handbook from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sopkit import __version__
from sopkit.check import check_library
from sopkit.health import health_report
from sopkit.load import load_library
from sopkit.model import Library, SopError
from sopkit.render.escape import json_text
from sopkit.render.findings import findings_github, findings_json, findings_text
from sopkit.render.health import health_json, health_markdown, health_text
from sopkit.site import Handbook, find_handbook

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad arguments or a missing folder: exit code 2."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, received {text!r}") from None


def _handbook_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "handbook",
        nargs="?",
        metavar="HANDBOOK",
        help="the handbook folder (default: docs_dir of ./mkdocs.yml, else ./sop_library)",
    )


def open_handbook(path: str | None) -> tuple[Handbook, Library]:
    handbook = find_handbook(path)
    if not handbook.root.is_dir():
        raise UsageError(f"handbook folder not found: {handbook.root}")
    try:
        return handbook, load_library(handbook.root, handbook.settings)
    except SopError as exc:
        raise UsageError(str(exc)) from None


def _display_prefix(handbook: Handbook) -> str:
    """Findings name files relative to the handbook; on the terminal, relative to here."""
    try:
        rel = handbook.root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        rel = handbook.root.as_posix()
    return "" if rel in ("", ".") else rel.rstrip("/") + "/"


def cmd_check(args: argparse.Namespace) -> int:
    handbook, library = open_handbook(args.handbook)
    findings = check_library(library, args.today)
    sops = len(library.sop_files)
    prefix = _display_prefix(handbook)
    if args.format == "json":
        sys.stdout.write(findings_json(findings, sops))
    elif args.format == "github":
        sys.stdout.write(findings_github(findings, sops, prefix))
    else:
        sys.stdout.write(findings_text(findings, sops, prefix))
    errors = any(f.severity == "error" for f in findings)
    return EXIT_FINDINGS if errors or (args.strict and findings) else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    _, library = open_handbook(args.handbook)
    report = health_report(library, args.today or dt.date.today())
    if args.format == "json":
        sys.stdout.write(json_text(health_json(report)))
    elif args.format == "md":
        sys.stdout.write(health_markdown(report, library))
    else:
        sys.stdout.write(health_text(report))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sopkit",
        description="Check, report on and export a handbook of structured SOPs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit codes: 0 no errors, 1 errors found, 2 bad arguments or missing folder.",
    )
    parser.add_argument("--version", action="version", version=f"sopkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check",
        help="validate a handbook without building it",
        description="Validate every SOP, roles.yml, tools.yml and onboarding.yml in one pass.",
        epilog="example:\n  sopkit check sop_library --strict --format github",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _handbook_arg(check)
    check.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format"
    )
    check.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    check.add_argument(
        "--today", type=_date, default=None, help="the date reviews are due against (YYYY-MM-DD)"
    )
    check.set_defaults(run=cmd_check)

    report = commands.add_parser(
        "report",
        help="report on reviews, approval bottlenecks, role load, lead times and gaps",
        description="The facts of the site's health page: reviews due, approval bottlenecks, "
        "role load, lead times of SOPs and of chains by `next`, and gaps.",
        epilog="example:\n  sopkit report sop_library --format json --today 2026-11-24",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _handbook_arg(report)
    report.add_argument(
        "--format", choices=("text", "json", "md"), default="text", help="output format"
    )
    report.add_argument(
        "--today", type=_date, default=None, help="the date reviews are due against (YYYY-MM-DD)"
    )
    report.set_defaults(run=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Command = args.run
    try:
        return run(args)
    except UsageError as exc:
        print(f"sopkit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
