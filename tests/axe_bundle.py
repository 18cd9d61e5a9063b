"""The pinned axe-core bundle for the accessibility audit, fetched once from the npm registry.

`python3 tests/axe_bundle.py` prints its path (fetching it first if needed). Tests call
`axe_bundle()`; `SOPKIT_AXE_JS` points at another copy.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: `python3 tests/axe_bundle.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from npm_pack import packed_file
else:
    from .npm_pack import packed_file

AXE_VERSION = "4.14.1"
MEMBER = "axe.min.js"


def axe_bundle() -> Path | None:
    """The bundle's path, fetching it with `npm pack` when missing; None when that cannot work."""
    given = os.environ.get("SOPKIT_AXE_JS")
    if given:
        return Path(given) if Path(given).is_file() else None
    return packed_file("axe-core", AXE_VERSION, MEMBER)


if __name__ == "__main__":
    path = axe_bundle()
    if path is None:
        sys.exit("could not fetch axe-core: is npm installed and the registry reachable?")
    print(path)
