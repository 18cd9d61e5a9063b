"""The pinned Mermaid bundle for tests and CI, fetched once from the npm registry.

`python3 tests/mermaid_bundle.py` prints its path (fetching it first if needed). Tests call
`mermaid_bundle()`; `SOPKIT_MERMAID_JS` points at another copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

MERMAID_VERSION = "11.17.2"
CACHE = Path(__file__).resolve().parent.parent / ".cache" / f"mermaid-{MERMAID_VERSION}"
MEMBER = "package/dist/mermaid.min.js"


def mermaid_bundle() -> Path | None:
    """The bundle's path, fetching it with `npm pack` when missing; None when that cannot work."""
    given = os.environ.get("SOPKIT_MERMAID_JS")
    if given:
        return Path(given) if Path(given).is_file() else None
    target = CACHE / "mermaid.min.js"
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        result = subprocess.run(
            [npm, "pack", f"mermaid@{MERMAID_VERSION}", "--silent"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        tarballs = list(Path(work).glob("mermaid-*.tgz"))
        if result.returncode != 0 or not tarballs:
            return None
        with tarfile.open(tarballs[0]) as archive:
            source = archive.extractfile(MEMBER)
            if source is None:
                return None
            partial = target.with_suffix(".part")
            partial.write_bytes(source.read())
            partial.replace(target)
    return target


if __name__ == "__main__":
    path = mermaid_bundle()
    if path is None:
        sys.exit("could not fetch the Mermaid bundle: is npm installed and the registry reachable?")
    print(path)
