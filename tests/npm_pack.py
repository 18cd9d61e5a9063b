"""One file out of a pinned npm package, fetched once with `npm pack` into the repository's
.cache/ (never committed): the test bundles (Mermaid, axe-core) come from the npm registry."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / ".cache"


def packed_file(package: str, version: str, member: str) -> Path | None:
    """`.cache/<package>-<version>/<file name>`, extracted from `npm pack <package>@<version>`
    when missing; None when npm or the registry is not there."""
    target = CACHE / f"{package}-{version}" / Path(member).name
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        result = subprocess.run(
            [npm, "pack", f"{package}@{version}", "--silent"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        tarballs = list(Path(work).glob(f"{package}-*.tgz"))
        if result.returncode != 0 or not tarballs:
            return None
        with tarfile.open(tarballs[0]) as archive:
            source = archive.extractfile(f"package/{member}")
            if source is None:
                return None
            partial = target.with_suffix(".part")
            partial.write_bytes(source.read())
            partial.replace(target)
    return target
