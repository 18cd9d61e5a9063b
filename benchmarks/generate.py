"""Write an N-SOP handbook for sopkit and, beside it, the same site written by hand for MkDocs.

    python benchmarks/generate.py N OUT [--seed S]

OUT/sopkit/   mkdocs.yml and handbook/ (roles.yml, tools.yml, index.md, sops/<team>/<area>/*.md)
OUT/plain/    mkdocs.yml and docs/ (the hand-written equivalent, see plain_site.py)
OUT/twin/     mkdocs.yml and docs/ (only the SOP pages written by hand: the headline reference)

Both sites use the same theme (Material, system fonts, the same features, `navigation.prune`
included), the same Markdown extensions and the search plugin; the sopkit site adds the sopkit
plugin. Neither uses mkdocs-macros. The same N and seed always give the same files.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Sequence
from pathlib import Path

import yaml

from corpus import TODAY, Corpus, generate
from plain_site import write_plain_docs, write_twin_docs
from sopkit.load import load_library

SITES = ("sopkit", "plain", "twin")
"""sopkit; the hand-written site with role, tool and index pages; the SOP pages only."""
FEATURES = [
    "navigation.indexes",
    "navigation.sections",
    "navigation.top",
    "navigation.instant",
    # What the docs recommend from about 1,000 SOPs: each page renders only its own branch of
    # the navigation. Set at every size so the sizes compare like with like.
    "navigation.prune",
    "search.suggest",
    "search.highlight",
]
# The Markdown extensions the sopkit plugin turns on, written out for both sites.
EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.tasklist:
      custom_checkbox: true
"""


def mkdocs_yml(title: str, docs_dir: str, plugins: Sequence[object], prune: bool = True) -> str:
    features = [f for f in FEATURES if prune or f != "navigation.prune"]
    head = {
        "site_name": title,
        "docs_dir": docs_dir,
        "site_dir": "site",
        "theme": {"name": "material", "font": False, "features": features},
        "plugins": list(plugins),
    }
    return yaml.safe_dump(head, sort_keys=False) + EXTENSIONS


def home_page(count: int) -> str:
    return (
        "# The operations handbook\n\n"
        f"How our {count:,} procedures run: who does each step, who signs it off, how long it "
        "takes and how we know it worked. Start with [all SOPs](sops/index.md), or find your "
        "role under [Roles](roles/index.md).\n"
    )


def sop_file(front: dict[str, object], body: str) -> str:
    yaml_text = yaml.safe_dump(
        front, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )
    return f"---\n{yaml_text}---\n\n{body}"


def write_sopkit(corpus: Corpus, site: Path, prune: bool = True) -> Path:
    handbook = site / "handbook"
    for name, data in (("roles.yml", corpus.roles), ("tools.yml", corpus.tools)):
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (handbook / name).parent.mkdir(parents=True, exist_ok=True)
        (handbook / name).write_text(text, encoding="utf-8")
    (handbook / "index.md").write_text(home_page(len(corpus.sops)), encoding="utf-8")
    for sop in corpus.sops:
        path = handbook / sop.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sop_file(sop.front, sop.body), encoding="utf-8")
    plugins = ["search", {"sopkit": {"today": TODAY.isoformat()}}]
    title = f"Handbook of {len(corpus.sops)} SOPs (sopkit)"
    config = mkdocs_yml(title, "handbook", plugins, prune)
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    return handbook


def write_plain(handbook: Path, site: Path, count: int, prune: bool = True) -> int:
    library = load_library(handbook)
    pages = write_plain_docs(library, site / "docs", home_page(count))
    config = mkdocs_yml(f"Handbook of {count} SOPs (plain MkDocs)", "docs", ["search"], prune)
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    return pages


def write_twin(handbook: Path, site: Path, count: int, prune: bool = True) -> int:
    library = load_library(handbook)
    pages = write_twin_docs(library, site / "docs", home_page(count))
    title = f"Handbook of {count} SOPs (SOP pages only)"
    (site / "mkdocs.yml").write_text(mkdocs_yml(title, "docs", ["search"], prune), "utf-8")
    return pages


def write_both(
    count: int, out: Path, seed: int = 1, prune: bool = True, areas: bool = True
) -> tuple[Path, Path, Path]:
    """Write OUT/sopkit, OUT/plain and OUT/twin (replacing them); returns their mkdocs.yml paths.

    `prune=False` leaves `navigation.prune` out of both sites; `areas=False` puts each team's
    SOPs in one folder: the two layouts the docs advise against for large handbooks.
    """
    for name in SITES:
        shutil.rmtree(out / name, ignore_errors=True)
    corpus = generate(count, seed, areas)
    handbook = write_sopkit(corpus, out / "sopkit", prune)
    write_plain(handbook, out / "plain", count, prune)
    write_twin(handbook, out / "twin", count, prune)
    return tuple(out / name / "mkdocs.yml" for name in SITES)  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, metavar="N", help="number of SOPs")
    parser.add_argument("out", type=Path, metavar="OUT", help="output folder")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--no-prune", action="store_true", help="leave navigation.prune out of both sites"
    )
    parser.add_argument(
        "--flat", action="store_true", help="one folder per team, no sub-folders by area"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be at least 1")
    configs = write_both(
        args.count, args.out, args.seed, prune=not args.no_prune, areas=not args.flat
    )
    print(f"{args.count} SOPs: " + ", ".join(map(str, configs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
