/* sopkit: review states that stay true after the build.
   Every element that shows a review state carries `data-review` (overdue | due-soon | ok, as of
   the build: what a reader sees without JavaScript) and `data-review-due` (YYYY-MM-DD). Here the
   state is recomputed from this browser's date: `data-review`, the class `sopkit-review--<state>`
   and the text, in the wording `data-review-format` names (chip, short, days). An element with
   `data-review-today` (a site that pins its `today` setting) keeps that date instead of the
   clock. Both may sit once on an ancestor instead (the finder's table). `[data-built]` says how
   many days ago the page was built. The rule is the one of sopkit/render/refs.py: overdue after
   the due date, due soon within 30 days of it. */
(function () {
  "use strict";

  var SOON_DAYS = 30;
  var STATES = ["overdue", "due-soon", "ok"];
  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function isoToday() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* Days since 1970-01-01 of a YYYY-MM-DD date, or NaN. */
  function dayNumber(iso) {
    var parts = ISO.exec(iso || "");
    if (!parts) {
      return NaN;
    }
    return Date.UTC(+parts[1], +parts[2] - 1, +parts[3]) / 86400000;
  }

  var labels = window.sopkitLabels;
  var INTERVAL = /^(\d+)(d|w|mo|y)$/;
  var INTERVALS = { d: "interval.days", w: "interval.weeks", mo: "interval.months", y: "interval.years" };

  /* `6mo` in words (`6 months`), as the build writes it; anything else as written. */
  function interval(text) {
    var parts = INTERVAL.exec((text || "").trim());
    return (parts && labels.t(INTERVALS[parts[2]], {}, +parts[1])) || text;
  }

  function stateOf(left) {
    if (left < 0) {
      return "overdue";
    }
    return left <= SOON_DAYS ? "due-soon" : "ok";
  }

  /* `data-review-format` and `data-review-today` are on the element, or once on an ancestor
     for all the states inside it (the finder's table). */
  function shared(node, name) {
    var holder = node.closest("[data-" + name + "]");
    return holder ? holder.getAttribute("data-" + name) : undefined;
  }

  function wording(node, state, due, left) {
    var format = shared(node, "review-format");
    if (format === "days") {
      if (left === 0) {
        return labels.t("review.days_today");
      }
      return left < 0
        ? labels.t("review.days_overdue", {}, -left)
        : labels.t("review.days_left", {}, left);
    }
    var shown = labels.date(due);
    if (format === "short") {
      var short = { overdue: "review.overdue_since", "due-soon": "review.due", ok: "review.ok_until" };
      return labels.t(short[state], { due: shown });
    }
    if (format === "chip") {
      var chip = { overdue: "review.overdue", "due-soon": "review.due_soon", ok: "review.next" };
      return labels.t(chip[state], {
        date: labels.date(node.dataset.reviewed),
        due: shown,
        every: interval(node.dataset.reviewEvery),
      });
    }
    return null;
  }

  function refresh(root, today) {
    var now = today || isoToday();
    (root || document).querySelectorAll("[data-review-due]").forEach(function (node) {
      var due = node.dataset.reviewDue;
      var left = dayNumber(due) - dayNumber(shared(node, "review-today") || now);
      if (isNaN(left)) {
        return;
      }
      var state = stateOf(left);
      if (node.dataset.review !== state) {
        node.dataset.review = state;
      }
      if (node.classList.contains("sopkit-review")) {
        STATES.forEach(function (name) {
          node.classList.toggle("sopkit-review--" + name, name === state);
        });
      }
      var text = wording(node, state, due, left);
      if (text !== null && node.textContent !== text) {
        node.textContent = text;
      }
    });
    (root || document).querySelectorAll("[data-built]").forEach(function (node) {
      var age = dayNumber(now) - dayNumber(node.dataset.built);
      var out = node.querySelector("[data-built-age]");
      if (!out || isNaN(age)) {
        return;
      }
      var said = age === 0 ? labels.t("built.today") : age > 0 ? labels.t("built.ago", {}, age) : null;
      var text = said === null ? "" : " " + said;
      if (out.textContent !== text) {
        out.textContent = text;
      }
      node.dataset.builtAge = String(age);
    });
  }

  /* The finder calls `refresh` before it reads the rows' review states. */
  window.sopkitReviews = { refresh: refresh, today: isoToday };

  function start() {
    refresh(document);
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
