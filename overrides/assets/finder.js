/* sopkit: the SOP finder (the SOP folder's index page).
   The page is the full table without this script. With it, the URL's query filters the rows:
   `?role=analyst&role=editor&tool=looker-studio` is (analyst OR editor) AND looker-studio, and
   `q` searches titles, objectives and step titles. Changing a control rewrites the query
   (history.replaceState), so a view can be bookmarked and shared.
   Past PAGE matching rows, the first PAGE are on screen and buttons under the table show the
   next PAGE or all of them (`data-finder-more`); the rows held back carry `data-finder-later`,
   which hides them on screen only: a printout has every matching row. Every change of a filter
   starts again at the first PAGE.
   In a large handbook the page holds part 1 of the table, with a pager to the other parts
   (`sops/2/`, ...: `data-finder-parts`); the script loads their rows into the one table first,
   then hides the pager. If a part cannot be loaded (a site opened from a file), the filters
   cover the rows loaded and the status line says so. */
(function () {
  "use strict";

  /* Matching rows put on screen at once: Chromium creates, styles and lays out each row that
     comes back (docs/performance.md, "The SOP finder at 1,000 SOPs"). */
  var PAGE = 200;

  function lower(text) {
    return String(text).trim().toLowerCase();
  }

  /* Material's search also reads `q` from the address: on a full load of `?q=...` it opens its
     search with that text, and deletes `q` when it closes. Here `q` is the finder's, so that
     search is closed again and the address rewritten with the filters (see writeURL). */
  function leaveQueryToFinder() {
    var toggle = document.querySelector("input[data-md-toggle=search]");
    if (!toggle || !toggle.checked || !new URLSearchParams(window.location.search).has("q")) {
      return false;
    }
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    if (document.activeElement && document.activeElement.blur) {
      document.activeElement.blur();
    }
    return true;
  }

  /* `data-rows` (see sopkit/render/finder.py, row_data): rows apart by a space, a row's facets
     apart by a comma, each position in base 36 with as many digits as its facet's checkbox
     count needs. Null when the text does not fit the controls. */
  function readRows(text, sizes) {
    var widths = sizes.map(function (size) {
      var width = 1;
      for (var largest = 36; size > largest; largest *= 36) {
        width += 1;
      }
      return width;
    });
    var rows = typeof text === "string" && text ? text.split(" ") : [];
    var data = [];
    for (var i = 0; i < rows.length; i += 1) {
      var fields = rows[i].split(",");
      if (fields.length !== widths.length) {
        return null;
      }
      var row = [];
      for (var f = 0; f < fields.length; f += 1) {
        var positions = [];
        for (var at = 0; at < fields[f].length; at += widths[f]) {
          var position = parseInt(fields[f].substr(at, widths[f]), 36);
          if (!(position < sizes[f])) {
            return null;
          }
          positions.push(position);
        }
        row.push(positions);
      }
      data.push(row);
    }
    return data;
  }

  /* The other parts of a large handbook's table (`data-finder-parts`: the pager's links to
     `sops/2/`, `sops/3/`, ...), in order; none in a handbook whose table is on one page. */
  function partLinks(root) {
    var seen = {};
    var found = [];
    root.querySelectorAll("[data-finder-parts] a[href]").forEach(function (link) {
      var number = parseInt(link.textContent, 10);
      if (number > 1 && !seen[number]) {
        seen[number] = true;
        var url = new URL(link.getAttribute("href"), window.location.href);
        /* A link into this very page (a copy of the finder in a print view, whose other parts
           are not there) has no part to load. */
        var here = url.origin + url.pathname + url.search === window.location.origin +
          window.location.pathname + window.location.search;
        found.push({ number: number, url: here ? null : url });
      }
    });
    return found.sort(function (a, b) {
      return a.number - b.number;
    });
  }

  /* One part page's rows, moved into this document (their links made absolute paths, since
     they were written relative to the part's address), and its `data-rows`; null if the page
     is not that part. */
  function fetchPart(part) {
    if (!part.url) {
      return Promise.resolve(null);
    }
    return fetch(part.url.href)
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text().then(function (text) {
          return { text: text, url: response.url || part.url.href };
        });
      })
      .then(function (found) {
        var doc = new DOMParser().parseFromString(found.text, "text/html");
        var section = doc.querySelector("[data-finder-part]");
        if (!section || section.getAttribute("data-finder-part") !== String(part.number)) {
          return null;
        }
        var rows = Array.prototype.slice.call(section.querySelectorAll("tbody tr[data-sop]"));
        var data = section.getAttribute("data-rows") || "";
        if (!rows.length || data.split(" ").length !== rows.length) {
          return null;
        }
        return {
          data: data,
          rows: rows.map(function (row) {
            row.querySelectorAll("a[href]").forEach(function (link) {
              var to = new URL(link.getAttribute("href"), found.url);
              link.setAttribute("href", to.pathname + to.search + to.hash);
            });
            return document.adoptNode(row);
          }),
        };
      })
      .catch(function () {
        return null;
      });
  }

  /* In a large handbook the table holds part 1's rows: the others are fetched and added in
     order (up to the first part that cannot be loaded) before the filters apply, so that they
     cover every SOP. `data-sopkit-parts` says "loading", then "loaded" or "partial". */
  function setUp(root) {
    if (root.dataset.sopkitReady || root.dataset.sopkitParts === "loading") {
      return;
    }
    var form = root.querySelector(".sopkit-finder__controls");
    var status = root.querySelector(".sopkit-finder__status");
    var labels = window.sopkitLabels;
    var parts = partLinks(root);
    if (!form || !status || !labels || !parts.length) {
      ready(root, root.dataset.rows, true);
      return;
    }
    var total = parseInt(root.dataset.finderTotal, 10) || 0;
    var before = status.textContent;
    var loading = labels.t("finder.part_loading", {}, total);
    if (loading) {
      status.textContent = loading;
    }
    root.dataset.sopkitParts = "loading";
    Promise.all(parts.map(fetchPart)).then(function (loaded) {
      var tbody = root.querySelector("tbody");
      var added = document.createDocumentFragment();
      var data = [root.dataset.rows];
      var complete = true;
      for (var p = 0; p < loaded.length; p += 1) {
        if (!loaded[p]) {
          complete = false;
          break;
        }
        loaded[p].rows.forEach(function (row) {
          added.appendChild(row);
        });
        data.push(loaded[p].data);
      }
      if (tbody) {
        tbody.appendChild(added);
      }
      root.dataset.sopkitParts = complete ? "loaded" : "partial";
      /* Every row in the one table: the pager would only repeat them. */
      root.querySelectorAll("[data-finder-parts]").forEach(function (pager) {
        pager.hidden = complete;
      });
      ready(root, data.join(" "), complete);
      if (!root.dataset.sopkitReady) {
        status.textContent = before; /* no filters after all: the page as it came */
      }
    });
  }

  /* The filters over the table's rows, `text` their data (`data-rows` of every part loaded);
     `complete` is false when some parts could not be loaded. */
  function ready(root, text, complete) {
    if (root.dataset.sopkitReady) {
      return;
    }
    var form = root.querySelector(".sopkit-finder__controls");
    var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr[data-sop]"));
    if (!form) {
      return;
    }
    var facets = Array.prototype.map.call(form.querySelectorAll("[data-facet]"), function (node) {
      return node.dataset.facet;
    });
    /* Per row, per facet (in the order of the controls): the positions of its choices. */
    var data = readRows(text, facets.map(function (facet) {
      return form.querySelectorAll("input[type=checkbox][name='" + facet + "']").length;
    }));
    /* The words of the status line, in the site's language (the page carries them). */
    var labels = window.sopkitLabels;
    if (!data || rows.length !== data.length || !labels) {
      return; /* no data: the reader keeps the full table */
    }
    root.dataset.sopkitReady = "1";
    function say(key, values, n) {
      var text = labels.t(key, values, n);
      return text === null ? "" : text;
    }
    var query = form.querySelector("input[name=q]");
    var status = root.querySelector(".sopkit-finder__status");
    var none = root.querySelector(".sopkit-finder__none");
    if (!query || !status || !none) {
      return; /* a copy of the page without its controls (a print view): the full table stays */
    }
    /* Every SOP of the handbook, of which the table holds the first `rows.length`. */
    var total = complete ? rows.length : parseInt(root.dataset.finderTotal, 10) || rows.length;
    var titles = rows.map(function (row) {
      var link = row.querySelector("a");
      return lower(link ? link.textContent : row.textContent);
    });
    var texts = null;
    var textState = "";
    var matches = [];
    var limit = PAGE;
    var chosenCount = 0;
    var searched = false;
    var more = null;
    var next = null;
    var all = null;
    var index = {};
    var boxes = {};
    var counts = {};
    var summaries = {};
    var selected = {};
    var unknown = {};
    facets.forEach(function (facet) {
      /* A choice's position among its facet's checkboxes is its index in the rows' data. */
      boxes[facet] = Array.prototype.slice.call(
        form.querySelectorAll("input[type=checkbox][name='" + facet + "']")
      );
      index[facet] = {};
      boxes[facet].forEach(function (box, i) {
        index[facet][lower(box.value)] = i;
      });
      counts[facet] = boxes[facet].map(function (box) {
        return box.parentNode.querySelector(".sopkit-finder__count");
      });
      var details = form.querySelector("[data-facet='" + facet + "']");
      summaries[facet] = details ? details.querySelector(".sopkit-finder__chosen") : null;
      selected[facet] = new Set();
      unknown[facet] = [];
    });

    /* Review states follow the reader's date (sopkit-reviews.js): the review facet of each row
       is its cell's state as recomputed, not the one of the build. */
    var reviewFacet = facets.indexOf("review");
    if (reviewFacet !== -1) {
      if (window.sopkitReviews) {
        window.sopkitReviews.refresh(root);
      }
      rows.forEach(function (row, i) {
        var cell = row.querySelector("[data-review]");
        var at = cell ? index.review[lower(cell.dataset.review)] : undefined;
        if (at !== undefined) {
          data[i][reviewFacet] = [at];
        }
      });
    }

    function readURL() {
      var params = new URLSearchParams(window.location.search);
      facets.forEach(function (facet) {
        selected[facet] = new Set();
        unknown[facet] = [];
        params.getAll(facet).forEach(function (value) {
          var at = index[facet][lower(value)];
          if (at === undefined) {
            if (lower(value) && unknown[facet].indexOf(value) === -1) {
              unknown[facet].push(value);
            }
          } else {
            selected[facet].add(at);
          }
        });
        boxes[facet].forEach(function (box, i) {
          box.checked = selected[facet].has(i);
        });
      });
      query.value = params.get("q") || "";
    }

    function writeURL() {
      var params = new URLSearchParams();
      facets.forEach(function (facet) {
        boxes[facet].forEach(function (box) {
          if (box.checked) {
            params.append(facet, box.value);
          }
        });
        unknown[facet].forEach(function (value) {
          params.append(facet, value);
        });
      });
      if (query.value.trim()) {
        params.set("q", query.value.trim());
      }
      var search = params.toString();
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      try {
        window.history.replaceState(window.history.state, "", url);
      } catch (error) {
        /* A page opened from a file: the filters apply, the address stays as it was. */
      }
    }

    function loadText() {
      if (textState) {
        return;
      }
      textState = "loading";
      var url = new URL(root.dataset.text, window.location.href);
      fetch(url.href)
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (list) {
          if (!Array.isArray(list) || list.length !== total) {
            throw new Error("finder text does not match the table");
          }
          texts = list.slice(0, rows.length).map(lower);
          textState = "ready";
          root.dataset.sopkitText = "ready";
          apply();
        })
        .catch(function () {
          textState = "failed";
          root.dataset.sopkitText = "failed";
          apply();
        });
    }

    function apply() {
      var words = lower(query.value).split(/\s+/).filter(Boolean);
      var active = [];
      var tally = [];
      var chosen = 0;
      facets.forEach(function (facet, f) {
        var count = selected[facet].size + unknown[facet].length;
        chosen += count;
        active.push(count > 0);
        tally.push(new Array(boxes[facet].length).fill(0));
      });
      var shown = 0;
      matches = [];
      for (var i = 0; i < rows.length; i += 1) {
        var values = data[i];
        var visible = true;
        if (words.length) {
          var text = texts ? titles[i] + "\n" + texts[i] : titles[i];
          for (var w = 0; w < words.length; w += 1) {
            if (text.indexOf(words[w]) === -1) {
              visible = false;
              break;
            }
          }
        }
        if (visible) {
          var failed = -1;
          var fails = 0;
          for (var f = 0; f < facets.length && fails < 2; f += 1) {
            if (!active[f]) {
              continue;
            }
            var chosenSet = selected[facets[f]];
            var ok = false;
            for (var k = 0; k < values[f].length; k += 1) {
              if (chosenSet.has(values[f][k])) {
                ok = true;
                break;
              }
            }
            if (!ok) {
              fails += 1;
              failed = f;
            }
          }
          /* A choice's count: the SOPs it would leave, all other filters kept. */
          if (fails === 0) {
            for (f = 0; f < facets.length; f += 1) {
              for (k = 0; k < values[f].length; k += 1) {
                tally[f][values[f][k]] += 1;
              }
            }
          } else if (fails === 1) {
            for (k = 0; k < values[failed].length; k += 1) {
              tally[failed][values[failed][k]] += 1;
            }
          }
          visible = fails === 0;
        }
        if (rows[i].hidden === visible) {
          rows[i].hidden = !visible;
        }
        if (visible) {
          shown += 1;
          matches.push(i);
        } else if (rows[i].hasAttribute("data-finder-later")) {
          rows[i].removeAttribute("data-finder-later");
        }
      }
      facets.forEach(function (facet, f) {
        counts[facet].forEach(function (node, i) {
          if (!node) {
            return;
          }
          var text = String(tally[f][i]);
          if (node.textContent !== text) {
            node.textContent = text;
          }
          node.parentNode.classList.toggle(
            "sopkit-finder__choice--empty",
            tally[f][i] === 0 && !boxes[facet][i].checked
          );
        });
        if (summaries[facet]) {
          var n = selected[facet].size + unknown[facet].length;
          var said = n ? say("finder.chosen", {}, n) : "";
          if (summaries[facet].textContent !== said) {
            summaries[facet].textContent = said;
          }
        }
      });
      chosenCount = chosen;
      searched = words.length > 0;
      none.hidden = shown !== 0;
      root.dataset.sopkitShown = String(shown);
      limit = PAGE;
      page();
    }

    /* The buttons under the table, made the first time more rows match than PAGE. */
    function makeButtons() {
      more = document.createElement("div");
      more.className = "sopkit-finder__more";
      more.setAttribute("data-finder-more", "");
      next = document.createElement("button");
      next.type = "button";
      next.className = "md-button";
      next.setAttribute("data-finder-next", "");
      all = document.createElement("button");
      all.type = "button";
      all.className = "md-button";
      all.setAttribute("data-finder-all", "");
      more.appendChild(next);
      more.appendChild(all);
      none.parentNode.insertBefore(more, none);
      next.addEventListener("click", function () {
        showMore(limit + PAGE);
      });
      all.addEventListener("click", function () {
        showMore(matches.length);
      });
    }

    /* Puts the first `limit` matching rows on screen and holds back the rest. */
    function page() {
      var listed = Math.min(limit, matches.length);
      for (var m = 0; m < matches.length; m += 1) {
        var row = rows[matches[m]];
        var later = m >= listed;
        if (row.hasAttribute("data-finder-later") !== later) {
          if (later) {
            row.setAttribute("data-finder-later", "");
          } else {
            row.removeAttribute("data-finder-later");
          }
        }
      }
      var shown = matches.length;
      var held = rows.length;
      /* No filter over every SOP: "All 650 SOPs". Not when some parts could not be loaded. */
      var everything = !chosenCount && !searched && held === total;
      var message;
      if (listed < shown && limit === PAGE) {
        message = everything
          ? say("finder.all_first", { listed: labels.number(listed) }, held)
          : say("finder.first", { listed: labels.number(listed) }, shown);
      } else if (listed < shown) {
        message = say("finder.listed", { listed: labels.number(listed) }, shown);
      } else if (everything) {
        message = say("finder.all", {}, held);
      } else if (shown === 0) {
        message = say("finder.none_of", {}, held);
      } else {
        message = say("finder.showing", { shown: labels.number(shown) }, held);
      }
      if (searched && textState === "failed") {
        message += " " + say("finder.titles_only");
      }
      if (total > rows.length) {
        message += " " + say("finder.part_partial", { listed: labels.number(held) }, total);
      }
      if (status.textContent !== message) {
        status.textContent = message;
      }
      root.dataset.sopkitListed = String(listed);
      var left = shown - listed;
      if (left > 0 && !more) {
        makeButtons();
      }
      if (more) {
        more.hidden = left === 0;
        if (left > 0) {
          next.textContent = left > PAGE
            ? say("finder.more", {}, PAGE)
            : say("finder.last", {}, left);
          /* When the next page is the last, one button does it. */
          all.hidden = left <= PAGE;
          all.textContent = say("finder.show_all", {}, shown);
        }
      }
    }

    /* A button's click: more matching rows on screen, the first of them focused (its link), so
       the keyboard goes on where the list went on; the status line says how many are shown. */
    function showMore(upTo) {
      var first = Math.min(limit, matches.length);
      limit = Math.max(PAGE, upTo);
      page();
      var row = rows[matches[first]];
      var link = row ? row.querySelector("a") : null;
      if (link) {
        link.focus();
      }
    }

    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") {
        return;
      }
      var facet = box.name;
      selected[facet] = new Set();
      boxes[facet].forEach(function (other, i) {
        if (other.checked) {
          selected[facet].add(i);
        }
      });
      writeURL();
      apply();
    });
    query.addEventListener("input", function () {
      loadText();
      writeURL();
      apply();
    });
    query.addEventListener("focus", loadText);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.querySelector(".sopkit-finder__clear").addEventListener("click", function () {
      facets.forEach(function (facet) {
        selected[facet] = new Set();
        unknown[facet] = [];
        boxes[facet].forEach(function (box) {
          box.checked = false;
        });
      });
      query.value = "";
      writeURL();
      apply();
      query.focus();
    });

    readURL();
    if (leaveQueryToFinder()) {
      writeURL();
    }
    if (query.value.trim()) {
      loadText();
    }
    form.hidden = false;
    apply();
  }

  function start() {
    document.querySelectorAll("[data-sopkit-finder]").forEach(setUp);
  }

  /* Material's instant navigation swaps pages without a reload and announces each on document$. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
