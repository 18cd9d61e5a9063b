"""The pinned Mermaid bundle for tests and CI, fetched once from the npm registry.

`python3 tests/mermaid_bundle.py` prints its path (fetching it first if needed). Tests call
`mermaid_bundle()`; `SOPKIT_MERMAID_JS` points at another copy.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: `python3 tests/mermaid_bundle.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from npm_pack import packed_file
else:
    from .npm_pack import packed_file

MERMAID_VERSION = "11.17.2"
MEMBER = "dist/mermaid.min.js"


def mermaid_bundle() -> Path | None:
    """The bundle's path, fetching it with `npm pack` when missing; None when that cannot work."""
    given = os.environ.get("SOPKIT_MERMAID_JS")
    if given:
        return Path(given) if Path(given).is_file() else None
    return packed_file("mermaid", MERMAID_VERSION, MEMBER)


if __name__ == "__main__":
    path = mermaid_bundle()
    if path is None:
        sys.exit("could not fetch the Mermaid bundle: is npm installed and the registry reachable?")
    print(path)
