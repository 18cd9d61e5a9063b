"""Where the memory of a build goes: resident size at each stage of one `mkdocs build`.

    python benchmarks/memory.py N [--site sopkit|twin|plain]

Generates the N-SOP handbooks into benchmarks/out/nN when they are not there yet and builds one
site in this process, printing the resident size (after a garbage collection) and the peak so far
at each stage MkDocs goes through: configuration loaded, files gathered (`on_files`: for sopkit,
reading, checking and generating), every page converted (MkDocs holds each page's Markdown and
HTML until the end), every page written, `on_post_build` done (search index, sops.json). Also the
characters MkDocs holds in pages' Markdown and HTML, and in files' in-memory content. Run the
twin the same way for the reference; compare peaks of one machine and one session.
"""

from __future__ import annotations

import argparse
import gc
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from generate import write_both

HERE = Path(__file__).resolve().parent


def resident_mb() -> float:
    gc.collect()
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def stage(name: str) -> None:
    print(f"  {name:<44} resident {resident_mb():6.0f} MB   peak {peak_mb():6.0f} MB", flush=True)


def held(files: Files) -> str:
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    markdown = sum(len(page.markdown or "") for page in pages)
    html = sum(len(page.content or "") for page in pages)
    content = sum(len(f._content) for f in files if isinstance(f._content, str | bytes))
    return (
        f"  {len(pages)} pages hold {markdown / 1e6:.1f} M characters of Markdown and "
        f"{html / 1e6:.1f} M of HTML; files hold {content / 1e6:.1f} M in memory"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, metavar="N", help="number of SOPs")
    parser.add_argument("--site", choices=("sopkit", "twin", "plain"), default="sopkit")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    folder = args.out / f"n{args.count}"
    config_file = folder / args.site / "mkdocs.yml"
    if not config_file.is_file():
        write_both(args.count, folder, args.seed)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    print(f"{args.site} build of {args.count:,} SOPs")
    config = load_config(str(config_file), site_dir=str(folder / f"{args.site}-memory-site"))
    stage("configuration loaded")
    config.plugins.on_startup(command="build", dirty=False)
    state: dict[str, Any] = {"populated": 0, "built": 0}
    populate, build_page = mkdocs_build._populate_page, mkdocs_build._build_page

    def populated(page: Any, config: Any, files: Files, *args: Any, **kwargs: Any) -> Any:
        if not state["populated"]:
            stage("files gathered, nav built (after on_files)")
            state["files"] = files
        state["populated"] += 1
        return populate(page, config, files, *args, **kwargs)

    def built(page: Any, *args: Any, **kwargs: Any) -> Any:
        if not state["built"]:
            stage("every page converted")
            print(held(state["files"]))
        state["built"] += 1
        return build_page(page, *args, **kwargs)

    mkdocs_build._populate_page = populated
    mkdocs_build._build_page = built
    post_build = config.plugins.on_post_build

    def before_post_build(*, config: Any) -> None:
        stage("every page written")
        post_build(config=config)

    config.plugins.on_post_build = before_post_build  # type: ignore[method-assign]
    start = time.process_time()
    mkdocs_build.build(config)
    stage("done (after on_post_build)")
    print(f"  {time.process_time() - start:.1f} s CPU; peak {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
