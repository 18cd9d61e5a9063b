"""The workflow and lifecycle diagrams as a reader sees them, measured in real Chromium.

Geometry, not pixels: every shipped SOP page and the lifecycle map are read through the
diagrams' `data-*` contract (`data-lane`, `data-step`, `data-sop`, `data-edge`) and checked for
lanes that tile, steps inside their lanes and in flow order, edges that pass through no step,
text of at least 12 px, a fit in the content column at 1280 px, no sideways page scroll at
390 px, a drawing without JavaScript, and links that reach their step or SOP. Needs Debian's
Chromium (`apt-get install chromium`); without it these tests are skipped.
"""

from __future__ import annotations

import json
import os
import re
from itertools import pairwise
from typing import Any

import pytest

pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
)

from playwright.sync_api import Browser, Page, expect

from sopkit.layout.workflow import step_lane
from sopkit.load import load_library

from .browser import DESKTOP, PHONE, REPO, Site, browse, in_viewport, serve, shown_text
from .sites import BASE_CONFIG, SHIPPED, build, copy_handbook

pytestmark = pytest.mark.browser

LIBRARY = load_library(SHIPPED)
SOP_PAGES = {sop.id: sop.file.removesuffix(".md") + "/" for sop in LIBRARY.sops}

# Everything a test needs to know about each diagram of the page, in page (CSS px) coordinates.
MEASURE = """
() => Array.from(document.querySelectorAll("svg.sopkit-diagram__svg")).map((svg) => {
  const rect = (element) => {
    const r = element.getBoundingClientRect();
    return [r.left + scrollX, r.top + scrollY, r.width, r.height];
  };
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const shape = (node) => node.querySelector(".sopkit-node__shape");
  const nodes = Array.from(svg.querySelectorAll("[data-step], [data-sop], [data-folder]"));
  const edges = Array.from(svg.querySelectorAll("[data-edge]")).map((edge) => {
    const path = edge.querySelector("path");
    const matrix = path.getScreenCTM();
    const points = [];
    const length = path.getTotalLength();
    for (let at = 0; at <= length; at += 2) {
      const p = path.getPointAtLength(at);
      points.push([p.x * matrix.a + matrix.e + scrollX, p.y * matrix.d + matrix.f + scrollY]);
    }
    return {key: edge.dataset.edge, kind: edge.dataset.kind, tag: path.localName, points,
            critical: edge.classList.contains("critical")};
  });
  const box = svg.closest(".sopkit-diagram__scroll");
  const column = document.querySelector(".md-content__inner");
  return {
    lanes: Array.from(svg.querySelectorAll("[data-lane]")).map((lane) => ({
      key: lane.dataset.lane, box: rect(lane),
    })),
    nodes: nodes.map((node) => ({
      step: node.dataset.step || null, sop: node.dataset.sop || null,
      kind: node.dataset.kind || null, critical: node.classList.contains("critical"),
      href: node.querySelector("a") ? node.querySelector("a").getAttribute("xlink:href") : null,
      box: rect(shape(node)),
    })),
    edges,
    fonts: Array.from(svg.querySelectorAll("text")).map(
      (text) => parseFloat(getComputedStyle(text).fontSize) * scale),
    width: svg.getBoundingClientRect().width,
    scrolls: box.scrollWidth > box.clientWidth + 1,
    column: column.getBoundingClientRect().width,
    visible: svg.checkVisibility(),
  };
})
"""


def centre(box: list[float]) -> tuple[float, float]:
    return box[0] + box[2] / 2, box[1] + box[3] / 2


def inside(point: tuple[float, float], box: list[float], margin: float = 0.0) -> bool:
    x, y = point
    return (
        box[0] + margin < x < box[0] + box[2] - margin
        and box[1] + margin < y < box[1] + box[3] - margin
    )


def geometry_problems(diagram: dict[str, Any], node_key: str) -> list[str]:
    """What is wrong with one measured diagram, as readable lines (empty: nothing)."""
    problems = []
    lanes = sorted(diagram["lanes"], key=lambda lane: lane["box"][0])
    for left, right in pairwise(lanes):
        end = left["box"][0] + left["box"][2]
        if abs(end - right["box"][0]) > 1:
            problems.append(f"lanes {left['key']} and {right['key']} do not tile ({end})")
    boxes = {node[node_key]: node["box"] for node in diagram["nodes"]}
    for edge in diagram["edges"]:
        if edge["tag"] not in ("path", "polyline", "line"):
            problems.append(f"edge {edge['key']} drawn with {edge['tag']}")
        source, target = edge["key"].split("->")
        for key, box in boxes.items():
            if key in (source, target):
                continue
            hits = [p for p in edge["points"] if inside(p, box, margin=1)]
            if hits:
                problems.append(f"edge {edge['key']} passes through {key} at {hits[0]}")
    small = [size for size in diagram["fonts"] if size < 12 - 0.01]
    if small:
        problems.append(f"{len(small)} text(s) below 12px: {min(small):.1f}px")
    if not diagram["visible"]:
        problems.append("the diagram is not visible")
    return problems


def measure(page: Page, site: Site, path: str) -> list[dict[str, Any]]:
    page.goto(site.url(path), wait_until="load")
    diagrams: list[dict[str, Any]] = page.evaluate(MEASURE)
    return diagrams


def test_every_shipped_sop_workflow_reads_at_a_glance(desktop: Page, shipped_site: Site) -> None:
    problems = []
    for sop in LIBRARY.sops:
        path = SOP_PAGES[sop.id]
        diagrams = measure(desktop, shipped_site, path)
        assert len(diagrams) == 1, path
        diagram = diagrams[0]
        problems += [f"{path}: {p}" for p in geometry_problems(diagram, "step")]
        lanes = {lane["key"]: lane["box"] for lane in diagram["lanes"]}
        assert list(lanes) == list(dict.fromkeys(step_lane(s) for s in sop.steps)), path
        nodes = {node["step"]: node for node in diagram["nodes"]}
        assert list(nodes) == [step.id for step in sop.steps], path
        for step in sop.steps:
            node = nodes[step.id]
            assert node["kind"] == step.kind and node["href"] == f"#step-{step.id}"
            assert node["critical"] == (step.id in sop.critical_path), (path, step.id)
            if not inside(centre(node["box"]), lanes[step_lane(step)]):
                problems.append(f"{path}: step {step.id} is not inside its lane")
            for before in step.after:
                top, bottom = node["box"][1], nodes[before]["box"][1] + nodes[before]["box"][3]
                if not top > bottom:
                    problems.append(f"{path}: step {step.id} is not below {before}")
        kinds = {edge["key"]: edge["kind"] for edge in diagram["edges"]}
        for step in sop.approvals:
            if step.on_reject:
                assert kinds.get(f"{step.id}->{step.on_reject}") == "rejected", (path, step.id)
        if len(lanes) <= 6:
            assert diagram["width"] <= diagram["column"] and not diagram["scrolls"], path
    assert problems == []


def test_the_lifecycle_map_reads_at_a_glance(desktop: Page, shipped_site: Site) -> None:
    diagrams = measure(desktop, shipped_site, "lifecycle/")
    assert len(diagrams) == 1
    diagram = diagrams[0]
    assert geometry_problems(diagram, "sop") == []
    lanes = {lane["key"]: lane["box"] for lane in diagram["lanes"]}
    assert list(lanes) == ["define", "design", "develop", "deploy", "determine"]
    nodes = {node["sop"]: node for node in diagram["nodes"]}
    assert set(nodes) == set(SOP_PAGES)
    for sop in LIBRARY.sops:
        assert inside(centre(nodes[sop.id]["box"]), lanes[sop.phase]), sop.id
        assert nodes[sop.id]["href"] == f"../{SOP_PAGES[sop.id]}"
    kinds = {(edge["key"], edge["kind"]) for edge in diagram["edges"]}
    for sop in LIBRARY.sops:
        for target in sop.next:
            assert (f"{sop.id}->{target}", "next") in kinds
        for required in sop.requires:
            assert {(f"{required}->{sop.id}", "requires"), (f"{required}->{sop.id}", "next")} & (
                kinds
            ), (required, sop.id)
    assert diagram["width"] <= diagram["column"] and not diagram["scrolls"]


def test_clicking_a_step_reaches_its_section(desktop: Page, shipped_site: Site) -> None:
    desktop.goto(shipped_site.url(SOP_PAGES["content-production"]), wait_until="load")
    assert not in_viewport(desktop, "#step-publishing")
    desktop.locator("[data-step=publishing] a").click()
    desktop.wait_for_function("() => location.hash === '#step-publishing'")
    expect(desktop.locator("#step-publishing")).to_be_in_viewport(ratio=1)
    assert "Publish in WordPress" in shown_text(desktop, "#step-publishing")[0]


def test_clicking_a_lifecycle_box_opens_the_sop(desktop: Page, shipped_site: Site) -> None:
    desktop.goto(shipped_site.url("lifecycle/"), wait_until="load")
    desktop.locator("[data-sop=content-production] a").click()
    expect(desktop).to_have_url(shipped_site.url(SOP_PAGES["content-production"]))
    expect(desktop.locator("h1")).to_contain_text("Content production")


def test_lane_headers_link_to_role_pages(desktop: Page, shipped_site: Site) -> None:
    desktop.goto(shipped_site.url(SOP_PAGES["content-production"]), wait_until="load")
    desktop.locator("[data-lane=editor] a").click()
    expect(desktop).to_have_url(shipped_site.url("roles/editor/"))


def test_no_sideways_page_scroll_at_390px(chromium: Browser, shipped_site: Site) -> None:
    wide = []
    with browse(chromium, shipped_site, viewport=PHONE, is_mobile=True) as (page, watch):
        for path in [*SOP_PAGES.values(), "lifecycle/"]:
            page.goto(shipped_site.url(path), wait_until="load")
            scroll, inner, box = page.evaluate(
                """() => {
                  const box = document.querySelector(".sopkit-diagram__scroll")
                    .getBoundingClientRect();
                  return [document.documentElement.scrollWidth, innerWidth,
                          [box.left, box.right]];
                }"""
            )
            if scroll > inner or box[0] < 0 or box[1] > inner:
                wide.append(f"{path}: page {scroll}px, diagram box {box} on a {inner}px screen")
        assert watch.troubles() == []
    assert wide == []


def test_diagrams_are_drawn_with_javascript_off(chromium: Browser, shipped_site: Site) -> None:
    with browse(chromium, shipped_site, viewport=DESKTOP, java_script_enabled=False) as (page, _):
        for path in (SOP_PAGES["content-production"], "lifecycle/"):
            diagrams = measure(page, shipped_site, path)
            assert len(diagrams) == 1 and diagrams[0]["visible"], path
            assert all(node["box"][2] > 40 and node["box"][3] > 20 for node in diagrams[0]["nodes"])
            assert geometry_problems(diagrams[0], "step" if "sops/" in path else "sop") == []


def test_diagrams_in_collapsed_blocks_and_tabs_show_when_opened(
    chromium: Browser, hostile_site: Site
) -> None:
    with browse(chromium, hostile_site, viewport=DESKTOP) as (page, watch):
        page.goto(hostile_site.url("diagrams-in-blocks/"), wait_until="load")
        in_block = page.locator("details .sopkit-diagram svg")
        in_tab = page.locator(".tabbed-block .sopkit-diagram svg")
        expect(in_block).to_be_hidden()
        expect(in_tab).to_be_hidden()
        page.locator("details summary").click()
        expect(in_block).to_be_visible()
        expect(in_block.locator("[data-step=first]")).to_be_visible()
        page.get_by_text("Second workflow", exact=True).click()
        expect(in_tab).to_be_visible()
        in_tab.locator("[data-step=only] a").click()
        expect(page).to_have_url(hostile_site.url("sops/evil/attack-two/#step-only"))
        expect(page.locator("#step-only")).to_be_in_viewport()
        assert watch.troubles() == []


def test_a_default_site_requests_no_mermaid(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Without `mermaid_js`, generated pages ask for no Mermaid script (Material would fetch it
    from its CDN for any `.mermaid` block; the request filter records that)."""
    workdir = tmp_path_factory.mktemp("default-site")
    docs = copy_handbook(SHIPPED, workdir / "docs")
    root = workdir / "site"
    root.mkdir()
    with serve(root) as base_url:
        result = build(docs, workdir, {**BASE_CONFIG, "site_url": base_url})
        assert result.returncode == 0, result.output
        site = Site("default", root, base_url)
        with browse(chromium, site, viewport=DESKTOP) as (page, watch):
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            # (how-we-work/ is not visited: it holds an author's own Mermaid fence.)
            for path in [*SOP_PAGES.values(), "lifecycle/"]:
                page.goto(site.url(path), wait_until="load")
                expect(page.locator(".sopkit-diagram svg")).to_be_visible()
            page.wait_for_timeout(300)
            assert [url for url in requests if re.search("mermaid", url, re.I)] == []
            assert watch.blocked == [] and watch.troubles() == []


def test_diagram_text_from_a_hostile_handbook_is_literal(
    chromium: Browser, hostile_site: Site
) -> None:
    with browse(chromium, hostile_site, viewport=DESKTOP) as (page, watch):
        page.goto(hostile_site.url("sops/evil/attack/"), wait_until="load")
        tooltips = page.locator(".sopkit-diagram svg title").all_text_contents()
        assert any(
            t.startswith("1. First \"]; end; graph LR; A-->B <b onmouseover=alert('step')>x</b>")
            for t in tooltips
        ), tooltips
        assert any(t.startswith("2. subgraph (x) {y} [z] ;|# --> %% 🚀 مرحبا") for t in tooltips)
        lanes = page.eval_on_selector_all(
            "[data-lane]",
            """(lanes) => lanes.map((lane) => Array.from(lane.querySelectorAll("text, title"))
                 .map((text) => text.textContent).join(" "))""",
        )
        assert any("Writer \"quoted\" 'single' <b>bold</b> & amp" in lane for lane in lanes)
        page.goto(hostile_site.url("lifecycle/"), wait_until="load")
        tooltips = page.locator(".sopkit-diagram svg title").all_text_contents()
        assert "Attack <script>alert('title')</script> {{ 7*7 }} end" in tooltips
        assert 'Two: the <end> of "graph" | subgraph' in tooltips
        assert watch.dialogs == []


def test_the_diagram_prints_without_being_clipped(chromium: Browser, shipped_site: Site) -> None:
    with browse(chromium, shipped_site, viewport=DESKTOP) as (page, _):
        page.goto(shipped_site.url(SOP_PAGES["content-production"]), wait_until="load")
        page.emulate_media(media="print")
        clipped = page.evaluate(
            """() => {
              const box = document.querySelector(".sopkit-diagram__scroll");
              const svg = box.querySelector("svg").getBoundingClientRect();
              const right = box.getBoundingClientRect().right;
              return [getComputedStyle(box).overflowX, svg.right <= right + 1];
            }"""
        )
        assert clipped == ["visible", True]


def test_search_indexes_the_step_list_not_the_drawing(shipped_site: Site) -> None:
    index = json.loads((shipped_site.root / "search" / "search_index.json").read_text("utf-8"))
    texts = [doc["text"] for doc in index["docs"]]
    assert not [t for t in texts if "Rounded boxes: tasks" in t or "lanes: SEO Specialist" in t]
    titles = [doc["title"] for doc in index["docs"]]
    assert "7. Final approval" in titles  # the step's own section is found


# --- screenshots (README) ---------------------------------------------------------------------

DIAGRAM_SHOTS = {
    "workflow": (SOP_PAGES["content-production"], "light"),
    "workflow-dark": (SOP_PAGES["content-production"], "dark"),
    "lifecycle": ("lifecycle/", "light"),
}


@pytest.mark.screenshots
@pytest.mark.skipif(
    os.environ.get("SOPKIT_SCREENSHOTS") != "1",
    reason="screenshots are refreshed on demand: SOPKIT_SCREENSHOTS=1 pytest -m screenshots",
)
@pytest.mark.parametrize("name", list(DIAGRAM_SHOTS))
def test_diagram_screenshots(chromium: Browser, shipped_site: Site, name: str) -> None:
    """The diagram with its heading and legend, in the colour scheme the reader's system asks."""
    path, scheme = DIAGRAM_SHOTS[name]
    target = REPO / "docs" / "screenshots" / f"{name}.png"
    with browse(chromium, shipped_site, viewport=DESKTOP, color_scheme=scheme) as (page, watch):
        page.goto(shipped_site.url(path), wait_until="load")
        top = page.evaluate(
            """() => {
              const diagram = document.querySelector(".sopkit-diagram");
              let heading = diagram.previousElementSibling;
              while (heading && !/^H[12]$/.test(heading.tagName)) {
                heading = heading.previousElementSibling;
              }
              return (heading || diagram).getBoundingClientRect().top + scrollY - 16;
            }"""
        )
        box = page.locator(".sopkit-diagram").bounding_box()
        assert box is not None
        bottom = box["y"] + page.evaluate("() => scrollY") + box["height"] + 16
        page.screenshot(
            path=target,
            full_page=True,
            clip={"x": 0, "y": top, "width": DESKTOP["width"], "height": bottom - top},
            animations="disabled",
        )
        assert target.stat().st_size > 10_000
        assert watch.troubles() == []
