"""The styles and scripts generated pages use, shipped in `overrides/assets/` (in this order)."""

from __future__ import annotations

STYLESHEETS = ("sopkit.css", "sopkit-run.css")
SCRIPTS = ("sopkit.js", "sopkit-reviews.js", "finder.js", "sopkit-schedule.js", "sopkit-run.js")
"""`sopkit-reviews.js` (review states from today's date) comes before `finder.js`, which uses
it; `sopkit-schedule.js` (the working-time rule) before `sopkit-run.js`, which uses it."""
