"""What every `sopkit` command shares: exit codes, the HANDBOOK argument, usage errors, output."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from sopkit.check import check_library, not_checked
from sopkit.load import load_library
from sopkit.model import Library, SopError
from sopkit.render.findings import display_prefix as findings_prefix
from sopkit.render.findings import findings_text
from sopkit.rules import SettingsError
from sopkit.site import Handbook, find_handbook

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad arguments or a missing folder: exit code 2."""


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, received {text!r}") from None


def handbook_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "handbook",
        nargs="?",
        metavar="HANDBOOK",
        help="the handbook folder (default: docs_dir of ./mkdocs.yml, else ./sop_library)",
    )


def today_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=parse_date,
        default=None,
        help="the date reviews are due against (YYYY-MM-DD)",
    )


def open_handbook(path: str | None) -> tuple[Handbook, Library]:
    try:
        handbook = find_handbook(path)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    if not handbook.root.is_dir():
        raise UsageError(f"handbook folder not found: {handbook.root}")
    try:
        return handbook, load_library(handbook.root, handbook.settings)
    except SopError as exc:
        raise UsageError(str(exc)) from None


def display_prefix(handbook: Handbook) -> str:
    """Findings name files relative to the handbook; on the terminal, relative to here."""
    return findings_prefix(handbook.root)


def refuse_errors(command: str, handbook: Handbook, library: Library, force: bool) -> bool:
    """Print the handbook's errors to stderr; True when they stop `command`."""
    findings = [f for f in check_library(library) if f.severity == "error"]
    if not findings:
        return False
    sys.stderr.write(
        findings_text(
            findings, len(library.sop_files), display_prefix(handbook), not_checked(library)
        )
    )
    if force:
        print(f"sopkit {command}: writing anyway (--force)", file=sys.stderr)
        return False
    print(
        f"sopkit {command}: the handbook has errors, so nothing was written; fix them, "
        "or pass --force to write anyway",
        file=sys.stderr,
    )
    return True


def write_output(text: str, output: str | None) -> None:
    """UTF-8 with LF line ends, to a file or stdout: the same bytes on every system."""
    data = text.encode("utf-8")
    if output is not None:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"--output: cannot write {output}: {exc.strerror}") from None
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
