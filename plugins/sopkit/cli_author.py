"""The author's commands: `sopkit init`, `new`, `schema`, `export` and `build-md`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sopkit.cli_support import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    display_prefix,
    handbook_arg,
    open_handbook,
    refuse_errors,
    today_arg,
    write_output,
)
from sopkit.markdown_site import (
    OutputError,
    export_texts,
    exports_enabled,
    page_options,
    site_config,
    use_directory_urls,
    write_markdown_site,
)
from sopkit.model import Diagnostic, Library
from sopkit.project import MacroErrors, read_source_config, write_project
from sopkit.render.context import PageOptions
from sopkit.render.findings import finding_text
from sopkit.scaffold import (
    DEFAULT_SCAFFOLD,
    ScaffoldError,
    plan_sop,
    scaffold_names,
    write_new_file,
)
from sopkit.starter import SCHEMA_KINDS, init_site, schema_text

EXIT_CODES = "exit codes: 0 done, 1 the handbook has errors, 2 bad arguments or missing folder"
CREATE_EXIT_CODES = "exit codes: 0 written, 2 bad arguments, a file in the way or a missing folder"


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    try:
        result = init_site(target, args.name, force=args.force)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    print(f"Created a handbook site in {target}:")
    for rel in result.created:
        print(f"  {rel}")
    for rel in result.kept:
        print(f"  {rel} (exists, kept as it was)")
    print(
        f"Next: cd {target}, pip install -r requirements.txt, then sopkit check and mkdocs serve."
        "\nREADME.md explains publishing with GitHub Pages, pre-commit and editor support."
    )
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    handbook, library = open_handbook(args.handbook)
    try:
        new = plan_sop(
            library,
            args.id,
            args.template,
            phase=args.phase,
            owner=args.owner,
            title=args.title,
            folder=args.dir,
        )
        write_new_file(new.path, new.text)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    shown = display_prefix(handbook) + new.rel
    print(f"Created {shown} from the {new.scaffold} scaffold (phase {new.phase}).")
    for note in new.notes:
        print(f"  {note}")
    print("Edit it, then run sopkit check.")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    write_output(schema_text(args.kind), args.output)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    handbook, library = open_handbook(args.handbook)
    if refuse_errors("export", handbook, library, args.force):
        return EXIT_FINDINGS
    config = site_config(args.handbook)
    texts = export_texts(library, use_directory_urls(config))
    write_output(texts["sops.json" if args.format == "json" else "raci.csv"], args.output)
    return EXIT_OK


def cmd_build_md(args: argparse.Namespace) -> int:
    handbook, library = open_handbook(args.handbook)
    if refuse_errors("build-md", handbook, library, force=False):
        return EXIT_FINDINGS
    config = site_config(args.handbook)
    out = Path(args.out)
    try:
        options = page_options(config, args.today, False if args.file_urls else None)
        if args.project:
            return _write_project(
                library, out, options, bool(config), args.force, display_prefix(handbook)
            )
        site = write_markdown_site(
            library, out, options, exports=exports_enabled(config), force=args.force
        )
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    _warn(site.findings, display_prefix(handbook))
    print(
        f"Wrote {_count(site.files, 'file')} to {out}: {_count(len(site.sop_pages), 'SOP page')}, "
        f"{_count(len(site.generated), 'generated page')}, "
        f"{_count(len(site.copied), 'hand-written file')}"
        + (f", {' and '.join(site.exports)}" if site.exports else "")
        + f", and the styles and scripts in {out}/assets/sopkit/."
    )
    return EXIT_OK


def _write_project(
    library: Library, out: Path, options: PageOptions, has_config: bool, force: bool, prefix: str
) -> int:
    source = read_source_config(Path("mkdocs.yml")) if has_config else {}
    try:
        project = write_project(library, out, options, source, force=force)
    except MacroErrors as exc:
        count = len(exc.problems)
        print(
            f"sopkit build-md: {count} macro{'s' if count != 1 else ''} in hand-written pages "
            f"cannot be expanded; nothing was written:\n{exc}",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    site = project.site
    _warn(site.findings, prefix)
    print(
        f"Wrote {out}/{project.config} and {_count(site.files, 'file')} to {out}/docs: "
        f"{_count(len(site.sop_pages), 'SOP page')}, "
        f"{_count(len(site.generated), 'generated page')}, "
        f"{_count(len(site.copied), 'hand-written file')} (macros expanded). "
        f"Build it with `zensical build -f {out}/{project.config}` "
        f"or `mkdocs build -f {out}/{project.config}`."
    )
    return EXIT_OK


def _warn(findings: Sequence[Diagnostic], prefix: str) -> None:
    """Findings about the written pages (not the SOPs), as `sopkit check` prints findings."""
    for finding in findings:
        print(finding_text(finding, prefix), file=sys.stderr)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def add_author_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    init = commands.add_parser(
        "init",
        help="create a new handbook site",
        description="Create a handbook site that builds with `mkdocs build --strict` as created:\n"
        "mkdocs.yml; handbook/ with roles.yml, tools.yml and an example SOP; a README; a GitHub\n"
        "Actions workflow (check on pull requests, publish to GitHub Pages from main); a\n"
        "pre-commit hook; VS Code settings and the JSON Schemas in .sopkit/.\n"
        "Existing files are never overwritten.",
        epilog="example:\n  sopkit init ops-handbook --name 'Operations handbook'\n\n"
        + CREATE_EXIT_CODES,
        formatter_class=raw,
    )
    init.add_argument("dir", metavar="DIR", help="the folder of the new site")
    init.add_argument("--name", default="Handbook", help="the site's name (default: Handbook)")
    init.add_argument(
        "--force",
        action="store_true",
        help="add the missing files to a folder that is not empty (existing files are kept)",
    )
    init.set_defaults(run=cmd_init)

    new = commands.add_parser(
        "new",
        help="write a new SOP from a scaffold",
        description="Write HANDBOOK/sops/ID.md from a scaffold. Every role slot holds a role of\n"
        "roles.yml (--owner, and another role submits the approval), so the new SOP passes\n"
        "`sopkit check` before you edit it. Never overwrites a file or reuses an SOP id.",
        epilog="examples:\n  sopkit new content-refresh --template content --owner content-lead"
        "\n  sopkit new client-kickoff --dir sops/agency --phase define\n\n" + CREATE_EXIT_CODES,
        formatter_class=raw,
    )
    new.add_argument("id", metavar="ID", help="the SOP's id and file name, e.g. content-refresh")
    new.add_argument(
        "--template",
        choices=scaffold_names(),
        default=DEFAULT_SCAFFOLD,
        help=f"the scaffold (default: {DEFAULT_SCAFFOLD})",
    )
    new.add_argument("--phase", help="the SOP's phase (default: the scaffold's, else the first)")
    new.add_argument("--owner", help="role id of the owner (default: the first role in roles.yml)")
    new.add_argument("--title", help="the SOP's title (default: from the id)")
    new.add_argument("--dir", metavar="FOLDER", help="folder below the handbook, e.g. sops/content")
    new.add_argument(
        "--handbook",
        metavar="HANDBOOK",
        help="the handbook folder (default: docs_dir of ./mkdocs.yml, else ./sop_library)",
    )
    new.set_defaults(run=cmd_new)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of SOP front matter, roles.yml, tools.yml or onboarding.yml",
        description="Print the JSON Schema (draft 2020-12) that `sopkit check` validates with.\n\n"
        "Editors: in VS Code with the YAML extension (redhat.vscode-yaml), map schema files to\n"
        "handbook files in .vscode/settings.json:\n"
        '  "yaml.schemas": {"./.sopkit/roles.schema.json": "handbook/roles.yml"}\n'
        "or make this the first line of a YAML file (any editor with the YAML language server):\n"
        "  # yaml-language-server: $schema=../.sopkit/roles.schema.json\n"
        "The YAML language server does not read the front matter of Markdown files: SOPs are\n"
        "validated against the `sop` schema by `sopkit check`.",
        epilog="examples:\n  sopkit schema --for roles --output .sopkit/roles.schema.json"
        "\n  sopkit schema > .sopkit/schema.json",
        formatter_class=raw,
    )
    schema.add_argument(
        "--for",
        dest="kind",
        choices=SCHEMA_KINDS,
        default="sop",
        help="which file the schema describes (default: sop, the front matter of an SOP)",
    )
    schema.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    schema.set_defaults(run=cmd_schema)

    export = commands.add_parser(
        "export",
        help="print sops.json or raci.csv without building the site",
        description="Print the catalogue (sops.json) or the RACI matrix (raci.csv), the same\n"
        "bytes the site gets. A handbook with errors exports nothing (exit 1) unless --force.",
        epilog="examples:\n  sopkit export sop_library --format csv --output raci.csv\n"
        "  sopkit export --format json > sops.json\n\n" + EXIT_CODES,
        formatter_class=raw,
    )
    handbook_arg(export)
    export.add_argument(
        "--format", choices=("json", "csv"), default="json", help="json: sops.json, csv: raci.csv"
    )
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    export.add_argument(
        "--force", action="store_true", help="export even when the handbook has errors"
    )
    export.set_defaults(run=cmd_export)

    build_md = commands.add_parser(
        "build-md",
        help="write every page as plain Markdown for any site generator",
        description="Write every page of the site as plain Markdown into OUT: SOP pages, roles,\n"
        "tools, RACI matrix, lifecycle map, onboarding and health pages, the hand-written pages,\n"
        "sops.json and raci.csv. Any Markdown site generator (Zensical, plain MkDocs, a wiki)\n"
        "can then publish the handbook without the sopkit plugin. Pages keep their front\n"
        "matter, and use raw HTML blocks (diagrams are inline SVG) and attribute lists: the\n"
        "generator needs attr_list, md_in_html, tables, admonition and pymdownx.tasklist, or\n"
        "their equivalents (a mermaid fence only for Mermaid in hand-written pages).\n"
        "With --project, OUT gets a mkdocs.yml and the pages in OUT/docs/, the macros of\n"
        "hand-written pages expanded: `zensical build` or plain `mkdocs build` publishes it.\n"
        "A handbook with errors writes nothing (exit 1); so does a macro that names\n"
        "something the handbook lacks.",
        epilog="examples:\n  sopkit build-md sop_library build/markdown --today 2026-11-24\n"
        "  sopkit build-md sop_library build/project --project\n\n" + EXIT_CODES,
        formatter_class=raw,
    )
    handbook_arg(build_md)
    build_md.add_argument("out", metavar="OUT", help="the output folder (empty or new)")
    today_arg(build_md)
    build_md.add_argument(
        "--force", action="store_true", help="write into OUT even if it is not empty"
    )
    build_md.add_argument(
        "--no-directory-urls",
        dest="file_urls",
        action="store_true",
        help="link raw-HTML parts to page.html instead of page/ (for generators without "
        "directory URLs)",
    )
    build_md.add_argument(
        "--project",
        action="store_true",
        help="write OUT/mkdocs.yml and the pages in OUT/docs/, with macros expanded, ready for "
        "`zensical build` or plain `mkdocs build`",
    )
    build_md.set_defaults(run=cmd_build_md)
