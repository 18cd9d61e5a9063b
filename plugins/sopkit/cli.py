"""`sopkit`: start, check, report on and export a handbook from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from sopkit import __version__
from sopkit.check import check_library, not_checked
from sopkit.cli_author import add_author_commands
from sopkit.cli_diff import add_diff_command
from sopkit.cli_support import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    UsageError,
    display_prefix,
    handbook_arg,
    open_handbook,
    today_arg,
)
from sopkit.health import health_report
from sopkit.markdown_site import site_config, use_directory_urls
from sopkit.render.escape import json_text
from sopkit.render.findings import findings_github, findings_json, findings_text
from sopkit.render.health import health_json, health_markdown, health_text
from sopkit.render.reminders import Site, reminder_json, reminder_markdown, reminder_text


def cmd_check(args: argparse.Namespace) -> int:
    handbook, library = open_handbook(args.handbook)
    findings = check_library(library, args.today)
    sops = len(library.sop_files)
    prefix = display_prefix(handbook)
    skipped = not_checked(library)
    if args.format == "json":
        sys.stdout.write(findings_json(findings, sops, skipped))
    elif args.format == "github":
        sys.stdout.write(findings_github(findings, sops, prefix, skipped))
    else:
        sys.stdout.write(findings_text(findings, sops, prefix, skipped))
    errors = any(f.severity == "error" for f in findings)
    return EXIT_FINDINGS if errors or (args.strict and findings) else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    handbook, library = open_handbook(args.handbook)
    today = args.today or dt.date.today()
    markdown = args.format in ("md", "markdown")
    if args.due_within is not None:
        report = health_report(library, today, review_window_days=args.due_within)
        config = site_config(args.handbook)
        url = config.get("site_url")
        site = Site(
            url if isinstance(url, str) else None,
            use_directory_urls(config),
            display_prefix(handbook),
        )
        if args.format == "json":
            sys.stdout.write(json_text(reminder_json(report, library, site)))
        else:
            writer = reminder_markdown if markdown else reminder_text
            sys.stdout.write(writer(report, library, site))
        return EXIT_OK
    report = health_report(library, today)
    if args.format == "json":
        sys.stdout.write(json_text(health_json(report)))
    elif markdown:
        sys.stdout.write(health_markdown(report, library))
    else:
        sys.stdout.write(health_text(report))
    return EXIT_OK


def days_arg(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(
            f"expected a number of days (0 or more), received {text!r}"
        )
    return days


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sopkit",
        description="Start, check, report on and export a handbook of structured SOPs.",
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
    handbook_arg(check)
    check.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format"
    )
    check.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    today_arg(check)
    check.set_defaults(run=cmd_check)

    report = commands.add_parser(
        "report",
        help="report on reviews, approval bottlenecks, role load, lead times and gaps",
        description="The facts of the site's health page: reviews due, approval bottlenecks, "
        "role load, lead times of SOPs and of chains by `next`, and gaps.",
        epilog="examples:\n  sopkit report sop_library --format json --today 2026-11-24\n"
        "  sopkit report --format markdown --due-within 30 > reviews.md",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    handbook_arg(report)
    report.add_argument(
        "--format",
        choices=("text", "json", "markdown", "md"),
        default="text",
        help="output format (md is short for markdown)",
    )
    report.add_argument(
        "--due-within",
        type=days_arg,
        metavar="DAYS",
        default=None,
        help="only the reviews overdue or due within DAYS days, by owner, with each owner's "
        "GitHub handle and contact: a review reminder (the issue the init workflow keeps)",
    )
    today_arg(report)
    report.set_defaults(run=cmd_report)
    add_author_commands(commands)
    add_diff_command(commands)
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
