"""The styles and scripts generated pages use, shipped in `overrides/assets/` (in this order)."""

from __future__ import annotations

import json

from sopkit.labels import Labels, script_keys
from sopkit.render.escape import md_html_text

STYLESHEETS = ("sopkit.css", "sopkit-run.css")
SCRIPTS = (
    "sopkit-labels.js",
    "sopkit.js",
    "sopkit-reviews.js",
    "finder.js",
    "sopkit-schedule.js",
    "sopkit-run.js",
)
"""`sopkit-labels.js` (the words scripts show, from the page's JSON island) comes first;
`sopkit-reviews.js` (review states from today's date) comes before `finder.js`, which uses
it; `sopkit-schedule.js` (the working-time rule) before `sopkit-run.js`, which uses it."""


LABELS_ID = "sopkit-labels"


def labels_island(t: Labels, keys: tuple[str, ...] | None = None) -> str:
    """The JSON island a page carries for its scripts: the language and the messages of `keys`
    (`script_keys` of the page), every message the scripts show without them.

    `<`, `>` and `&` are JSON escapes, so no message (a site's `labels:` included) can close the
    script element or start markup.
    """
    text = _labels_json(t, keys)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{LABELS_ID}">{text}</script>'


def labels_in_body(t: Labels, keys: tuple[str, ...] | None = None) -> str:
    """The island for a page's body (`sopkit build-md`, where no plugin writes the head): the
    same JSON in the `data-sopkit-labels` attribute of a hidden element.

    Not a `<script>`: Material's instant navigation re-creates every script of the content it
    swaps in without its `type`, so the browser would run the JSON as code.
    """
    text = md_html_text(_labels_json(t, keys))
    return f'<div id="{LABELS_ID}" data-sopkit-labels="{text}" hidden></div>'


def _labels_json(t: Labels, keys: tuple[str, ...] | None) -> str:
    data = {"lang": t.language, "messages": t.script_messages(keys or script_keys())}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
