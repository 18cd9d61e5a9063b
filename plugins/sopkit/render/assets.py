"""The styles and scripts generated pages use, shipped in `overrides/assets/` (in this order)."""

from __future__ import annotations

STYLESHEETS = ("sopkit.css", "sopkit-run.css")
SCRIPTS = ("sopkit.js", "finder.js", "sopkit-schedule.js", "sopkit-run.js")
"""`sopkit-schedule.js` (the working-time rule) comes before `sopkit-run.js`, which uses it."""
