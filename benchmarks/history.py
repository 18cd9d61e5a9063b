"""What git history (SOP page history, the what's-new page) adds to a build.

    python benchmarks/history.py                     # 1,000 SOPs, 300 commits, 3 runs each
    python benchmarks/history.py --sops 200 --commits 100 --repeat 1

Generates the N-SOP handbook of generate.py in a git repository and gives it a history: one
commit adding every SOP 200 days before the benchmark's `today`, then C commits spread over the
following 200 days, each editing one to four SOPs (a duration, a new RACI role, a sentence of
prose) and now and then renaming one. The same N, C and seed give the same repository. The site
is then built with `history: true` and with `history: false`, alternating which goes first, and
the median CPU times compared (git's own processes included). Prints the figures and writes
benchmarks/history.json; the repository stays in benchmarks/out/history/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

from corpus import TODAY, generate
from generate import mkdocs_yml, write_sopkit
from measure import Timing, in_process, machine, median, mkdocs_build
from sopkit.history import read_history, recent_changes
from sopkit.load import load_library
from sopkit.model import Settings

HERE = Path(__file__).resolve().parent
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
AUTHORS = ("Ana Lopez", "Bo Berg", "Cy Diaz", "Dee Ekwueme", "Eli Fontaine")


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
    )


def _commit(repo: Path, message: str, when: dt.datetime, author: str) -> None:
    email = author.lower().replace(" ", ".") + "@example.com"
    stamp = when.isoformat()
    _git(repo, "add", "-A")
    _git(
        repo,
        "commit",
        "-q",
        "-m",
        message,
        env={
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
        },
    )


def _edit(text: str, rng: random.Random) -> str:
    """One realistic edit of an SOP file: a longer step, or a sentence more of prose."""
    if rng.random() < 0.5:
        for old, new in (("duration: 1d", "duration: 2d"), ("duration: 4h", "duration: 6h")):
            if old in text:
                return text.replace(old, new, 1)
    return text.rstrip("\n") + f"\n\nNote {rng.randrange(10**6)}: checked again with the team.\n"


def write_repository(count: int, commits: int, out: Path, seed: int) -> Path:
    """The site folder (mkdocs.yml, handbook/) as a git repository with a history."""
    shutil.rmtree(out, ignore_errors=True)
    corpus = generate(count, seed)
    handbook = write_sopkit(corpus, out)
    plugins_off = ["search", {"sopkit": {"today": TODAY.isoformat(), "history": False}}]
    (out / "mkdocs-no-history.yml").write_text(
        mkdocs_yml("Handbook without history", "handbook", plugins_off), encoding="utf-8"
    )
    _git(out, "init", "-q", "-b", "main")
    (out / ".gitignore").write_text("site/\n", encoding="utf-8")
    start = dt.datetime.combine(TODAY, dt.time(9), dt.UTC) - dt.timedelta(days=200)
    _commit(out, "Start the handbook", start, AUTHORS[0])
    rng = random.Random(seed)
    files = sorted(
        p.relative_to(out).as_posix() for p in handbook.rglob("*.md") if "sops/" in p.as_posix()
    )
    for number in range(commits):
        when = start + dt.timedelta(minutes=(number + 1) * 200 * 24 * 60 // (commits + 1))
        if rng.random() < 0.05:
            old = rng.choice(files)
            # Same file name (the SOP's id) in a folder of its own: a move, not a new SOP.
            parent, name = old.rsplit("/", 1)
            new = f"{parent}/moved-{number}/{name}"
            (out / new).parent.mkdir(parents=True)
            _git(out, "mv", old, new)
            files[files.index(old)] = new
            message = f"Move {Path(old).stem}"
        else:
            picked = rng.sample(files, rng.randint(1, 4))
            for rel in picked:
                path = out / rel
                path.write_text(_edit(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
            message = f"Update {', '.join(Path(p).stem for p in picked)}"
        _commit(out, message, when, rng.choice(AUTHORS))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sops", type=int, default=1000, help="number of SOPs (default 1000)")
    parser.add_argument("--commits", type=int, default=300, help="commits after the first (300)")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    site = write_repository(args.sops, args.commits, HERE / "out" / "history", args.seed)
    configs = {"history": site / "mkdocs.yml", "no history": site / "mkdocs-no-history.yml"}
    runs: dict[str, list[Timing]] = {name: [] for name in configs}
    for run in range(args.repeat):
        order = list(configs) if run % 2 == 0 else list(reversed(configs))
        for name in order:
            timing = mkdocs_build(configs[name])
            runs[name].append(timing)
            print(f"  {name:<10} run {run + 1}: {timing.cpu:6.1f} s CPU {timing.wall:6.1f} s wall")
    docs = site / "handbook"
    library = load_library(docs)
    settings = Settings()
    history_holder: dict[str, Any] = {}

    def read() -> None:
        history = read_history(docs, settings, library.sop_files)
        history_holder["changes"] = len(history.changes)
        summaries, unlisted = recent_changes(
            history, docs, settings, TODAY - dt.timedelta(days=89), TODAY, 200
        )
        history_holder["listed"] = len(summaries)
        history_holder["unlisted"] = unlisted

    alone = in_process(read)
    with_history, without = median(runs["history"]), median(runs["no history"])
    result = {
        "sops": args.sops,
        "commits": args.commits + 1,
        "repeat": args.repeat,
        "machine": machine(),
        "build_cpu_s": {"history": with_history.cpu, "no_history": without.cpu},
        "build_wall_s": {"history": with_history.wall, "no_history": without.wall},
        "ratio_cpu": with_history.cpu / without.cpu,
        "ratio_wall": with_history.wall / without.wall,
        "history_alone_s": {"cpu": alone.cpu, "wall": alone.wall},
        "sop_file_changes": history_holder["changes"],
        "whats_new_listed": history_holder["listed"],
        "runs": {name: [t.__dict__ for t in timings] for name, timings in runs.items()},
    }
    (HERE / "history.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.sops} SOPs, {args.commits + 1} commits: build with history "
        f"{with_history.cpu:.1f} s CPU, without {without.cpu:.1f} s: "
        f"x{result['ratio_cpu']:.3f} CPU, x{result['ratio_wall']:.3f} wall; reading the history "
        f"alone {alone.wall:.2f} s ({history_holder['changes']} SOP file changes, "
        f"{history_holder['listed']} on what's new)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
