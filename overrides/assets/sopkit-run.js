/* sopkit: run pages (run/<sop-id>/). A start date gives each step its due date (by
   sopkit-schedule.js), ticks and the date are kept in this browser (localStorage, per site and
   SOP), and the run downloads as a Markdown task list or an iCalendar file. Without this script
   the page still lists every step and checklist item. */
(function () {
  "use strict";

  var PREFIX = "sopkit:run:";
  var labels = window.sopkitLabels;

  /* A message of the page's island (`sopkit-labels.js`); "" when the page carries none. */
  function say(key, values, n) {
    var text = labels.t(key, values, n);
    return text === null ? "" : text;
  }

  function load(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(PREFIX + key) || "{}");
      var choices = {};
      if (value.choices && typeof value.choices === "object") {
        Object.keys(value.choices).forEach(function (decision) {
          if (typeof value.choices[decision] === "string") {
            choices[decision] = value.choices[decision];
          }
        });
      }
      return {
        start: typeof value.start === "string" ? value.start : "",
        done: Array.isArray(value.done) ? value.done.filter(function (x) { return typeof x === "string"; }) : [],
        choices: choices
      };
    } catch (error) {
      return { start: "", done: [], choices: {} };
    }
  }

  function save(key, state) {
    try {
      if (!state.start && state.done.length === 0 && Object.keys(state.choices).length === 0) {
        window.localStorage.removeItem(PREFIX + key);
      } else {
        window.localStorage.setItem(PREFIX + key, JSON.stringify(state));
      }
    } catch (error) {
      /* Storage may be full or disabled: progress then lasts for this page view only. */
    }
  }

  /* Visible text of an element, whitespace folded. */
  function plain(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function number(value) {
    return labels.number(value);
  }

  /* A due date as the page shows it, in the language's words: `Mon, Dec 21, 2026`. */
  function shown(date) {
    if (window.sopkitSchedule.parseDate(date) === null) {
      return date;
    }
    return say("run.date", { weekday: labels.weekday(date), date: labels.date(date) });
  }

  /* A date in a download: the weekday in the language's words, the date as ISO writes it. */
  function written(date) {
    var day = labels.weekday(date);
    return day ? day + " " + date : date;
  }

  /* --- escaping: one function per syntax, as plugins/sopkit/render/escape.py ----------------- */

  var MD_BACKSLASH = /[\\`*_{}\[\]()#+\-.!]/g;
  var MD_ENTITY = { "|": "&#124;", "~": "&#126;", "^": "&#94;", "=": "&#61;", ":": "&#58;" };

  /* Text inside a Markdown list item, shown literally (a copy of escape.md_text). */
  function mdText(value) {
    var flat = String(value).replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, "")
      .split(/\s+/).filter(Boolean).join(" ");
    var escaped = flat.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(MD_BACKSLASH, "\\$&");
    return escaped.replace(/[|~^=]|:(?=[\p{L}\p{N}_+-]+:)/gu, function (m) { return MD_ENTITY[m]; });
  }

  /* An iCalendar TEXT value (RFC 5545, 3.3.11). */
  function icsText(value) {
    return String(value).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
      .replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n");
  }

  /* A content line folded at 75 octets (RFC 5545, 3.1), never inside a UTF-8 character. */
  function icsFold(line) {
    var encoder = new TextEncoder();
    var out = [];
    var current = "";
    var size = 0;
    Array.from(line).forEach(function (char) {
      var bytes = encoder.encode(char).length;
      if (size + bytes > 75) {
        out.push(current);
        current = " ";
        size = 1;
      }
      current += char;
      size += bytes;
    });
    out.push(current);
    return out.join("\r\n");
  }

  /* --- reading the page ----------------------------------------------------------------------- */

  function readStep(element) {
    var roles = Array.prototype.map.call(element.querySelectorAll(".sopkit-run__role"), function (role) {
      return plain(role);
    });
    function items(selector) {
      return Array.prototype.map.call(element.querySelectorAll(selector + " input"), function (input) {
        var label = element.querySelector('label[for="' + input.id + '"]');
        return { id: input.dataset.item, text: plain(label) };
      });
    }
    var reject = element.querySelector(".sopkit-run__reject");
    return {
      id: element.dataset.step,
      element: element,
      after: (element.dataset.after || "").split(" ").filter(Boolean),
      branches: (element.dataset.branches || "").split(" ").filter(Boolean),
      minutes: parseInt(element.dataset.minutes || "0", 10) || 0,
      number: plain(element.querySelector(".sopkit-run__number")),
      title: plain(element.querySelector(".sopkit-run__name")),
      roles: roles,
      duration: plain(element.querySelector(".sopkit-run__duration")),
      critical: element.dataset.critical === "true",
      built: element.dataset.critical === "true",
      head: element.querySelector(".sopkit-run__head"),
      checklist: items(".sopkit-run__items:not(.sopkit-run__items--criteria)"),
      criteria: items(".sopkit-run__items--criteria"),
      reject: reject ? plain(reject) : "",
      due: element.querySelector(".sopkit-run__due")
    };
  }

  /* --- exports -------------------------------------------------------------------------------- */

  function markdown(run, state, dates) {
    var done = {};
    state.done.forEach(function (id) { done[id] = true; });
    var box = function (id) { return done[id] ? "- [x] " : "- [ ] "; };
    var lines = ["# " + mdText(say("run.title", { title: run.title })), ""];
    lines.push("- " + mdText(say("run.md_sop", { url: run.sopUrl })));
    var start = state.start ? written(state.start) : say("common.not_set");
    lines.push("- " + mdText(say("run.md_start", { date: start })));
    if (state.start && run.finish(dates)) {
      lines.push("- " + mdText(say("run.md_finish", { date: written(run.finish(dates)) })));
    }
    lines.push("");
    run.steps.forEach(function (step) {
      var facts = [];
      if (run.skipped[step.id]) {
        facts.push(say("run.md_skipped"));
      }
      if (dates[step.id]) {
        facts.push(say("run.md_due", { date: written(dates[step.id]) }));
      }
      facts = facts.concat(step.roles, [step.duration]);
      if (step.critical) {
        facts.push(say("timeline.critical"));
      }
      lines.push(box(step.id) + mdText(step.number + " " + step.title) + " (" + mdText(facts.join("; ")) + ")");
      step.checklist.forEach(function (item) {
        lines.push("    " + box(item.id) + mdText(item.text));
      });
      step.criteria.forEach(function (item) {
        lines.push("    " + box(item.id) + mdText(say("run.criterion", { text: item.text })));
      });
      if (step.reject) {
        lines.push("    - " + mdText(step.reject));
      }
    });
    return lines.join("\n") + "\n";
  }

  function ics(run, state, dates, stamp) {
    var host = (window.location.hostname || "localhost").replace(/[^A-Za-z0-9.-]/g, "");
    var compact = function (date) { return date.replace(/-/g, ""); };
    var lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//sopkit//Run an SOP//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:" + icsText(say("run.title", { title: run.title }))
    ];
    run.steps.forEach(function (step) {
      var due = dates[step.id];
      if (!due) {
        return;
      }
      var next = window.sopkitSchedule.formatDate(window.sopkitSchedule.parseDate(due) + 86400000);
      var details = step.roles.concat([step.duration]);
      if (step.critical) {
        details.push(say("run.on_critical"));
      }
      step.checklist.forEach(function (item) { details.push("[ ] " + item.text); });
      step.criteria.forEach(function (item) {
        details.push("[ ] " + say("run.criterion", { text: item.text }));
      });
      if (step.reject) {
        details.push(step.reject);
      }
      details.push(run.sopUrl);
      lines.push(
        "BEGIN:VEVENT",
        "UID:" + ["sopkit-run", run.sop, step.id, compact(state.start)].join("-") + "@" + (host || "localhost"),
        "DTSTAMP:" + stamp,
        "DTSTART;VALUE=DATE:" + compact(due),
        "DTEND;VALUE=DATE:" + compact(next),
        "SUMMARY:" + icsText(step.number + " " + step.title + " (" + run.title + ")"),
        "DESCRIPTION:" + icsText(details.join("\n")),
        "TRANSP:TRANSPARENT",
        "END:VEVENT"
      );
    });
    lines.push("END:VCALENDAR");
    return lines.map(icsFold).join("\r\n") + "\r\n";
  }

  function download(name, type, content) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  /* --- the page ------------------------------------------------------------------------------- */

  /* A step on the critical path or off it: its class, `data-critical` and its tag. */
  function markCritical(step, critical) {
    step.critical = critical;
    step.element.classList.toggle("sopkit-run__step--critical", critical);
    if (critical) {
      step.element.dataset.critical = "true";
    } else {
      delete step.element.dataset.critical;
    }
    var tag = step.element.querySelector(".sopkit-run__tag--critical");
    if (!tag && critical && step.head) {
      tag = document.createElement("span");
      tag.className = "sopkit-run__tag sopkit-run__tag--critical";
      tag.title = say("run.critical_title");
      tag.textContent = say("run.critical");
      step.head.append(" ", tag);
    }
    if (tag) {
      tag.hidden = !critical;
    }
  }

  function setUp(box) {
    if (box.dataset.sopkitReady) {
      return;
    }
    box.dataset.sopkitReady = "1";
    var key = box.dataset.sopkitRun;
    var holidays = (box.dataset.holidays || "").split(" ").filter(Boolean);
    var steps = Array.prototype.map.call(box.querySelectorAll("[data-step]"), readStep);
    var plan = window.sopkitSchedule.schedule(steps);
    var choosers = Array.prototype.slice.call(box.querySelectorAll("[data-decision]"));
    var sopLink = box.querySelector(".sopkit-run__about a");
    var run = {
      sop: box.dataset.sop,
      title: box.dataset.title || "",
      sopUrl: sopLink ? sopLink.href : window.location.href,
      steps: steps,
      skipped: {},
      finish: function (dates) {
        var last = "";
        steps.forEach(function (step) {
          if (dates[step.id] && dates[step.id] > last) {
            last = dates[step.id];
          }
        });
        return last;
      }
    };
    var controls = box.querySelector(".sopkit-run__controls");
    var input = box.querySelector(".sopkit-run__start");
    var summary = box.querySelector(".sopkit-run__summary");
    var progress = box.querySelector(".sopkit-run__progress");
    var icsButton = box.querySelector(".sopkit-run__ics");
    var ticks = Array.prototype.slice.call(box.querySelectorAll("input.sopkit-run__tick"));
    var state = load(key);
    var dates = {};
    var days = 0;

    function render(announce) {
      /* Decisions (format 1.2): the answers picked so far skip the other branches' steps. */
      var choices = {};
      choosers.forEach(function (chooser) {
        var decision = chooser.dataset.decision;
        var picked = Object.prototype.hasOwnProperty.call(state.choices, decision) ? state.choices[decision] : "";
        chooser.querySelectorAll("input[data-answer]").forEach(function (radio) {
          radio.checked = radio.dataset.answer === picked;
        });
        if (!chooser.querySelector("input[data-answer]:checked")) {
          chooser.querySelector('input[data-answer=""]').checked = true;
          picked = "";
        }
        if (picked) {
          choices[decision] = picked;
        }
      });
      var skippedList = window.sopkitSchedule.skippedSteps(steps, choices);
      var skipped = {};
      skippedList.forEach(function (id) { skipped[id] = true; });
      run.skipped = skipped;
      /* A decision on a branch not taken has nothing to decide. */
      choosers.forEach(function (chooser) {
        chooser.disabled = !!skipped[chooser.dataset.decision];
      });
      plan = window.sopkitSchedule.schedule(steps, skippedList);
      days = plan.order.length ? window.sopkitSchedule.dueDay(plan.leadMinutes) + 1 : 0;
      var valid = window.sopkitSchedule.parseDate(state.start) !== null;
      dates = valid ? window.sopkitSchedule.dueDates(plan, state.start, holidays) : {};
      input.value = valid ? state.start : "";
      var done = {};
      state.done.forEach(function (id) { done[id] = true; });
      ticks.forEach(function (tick) { tick.checked = !!done[tick.dataset.item]; });
      var count = 0;
      var total = 0;
      /* The critical path of the branches picked; with none picked, the build's (the worst case). */
      var decided = Object.keys(choices).length > 0;
      var onPath = {};
      plan.criticalPath.forEach(function (id) { onPath[id] = true; });
      steps.forEach(function (step) {
        var ticked = !!done[step.id];
        var off = !!skipped[step.id];
        markCritical(step, decided ? !!onPath[step.id] : step.built);
        total += off ? 0 : 1;
        count += ticked && !off ? 1 : 0;
        step.element.classList.toggle("sopkit-run__step--done", ticked);
        step.element.classList.toggle("sopkit-run__step--skipped", off);
        if (off) {
          step.element.dataset.skipped = "true";
        } else {
          delete step.element.dataset.skipped;
        }
        var slot = plan.slots[step.id];
        if (off) {
          delete step.element.dataset.due;
          step.due.textContent = say("run.skipped");
        } else if (dates[step.id]) {
          step.element.dataset.due = dates[step.id];
          step.due.textContent = say("run.due", { date: shown(dates[step.id]) });
        } else {
          delete step.element.dataset.due;
          step.due.textContent = slot ? say("run.due_day", { day: number(slot.dueDay + 1) }) : "";
        }
      });
      progress.max = total;
      progress.value = count;
      progress.textContent = say("run.progress", { done: number(count), total: number(total) });
      icsButton.disabled = !valid || Object.keys(dates).length === 0;
      var finish = run.finish(dates);
      var parts = [];
      if (finish) {
        var first = window.sopkitSchedule.workingDays(state.start, 1, holidays)[0];
        var begun = first !== state.start
          ? say("run.work_begins", { start: shown(state.start), first: shown(first) })
          : shown(state.start);
        parts.push(say("run.dated", { start: begun, finish: shown(finish), days: say("lead.days", {}, days) }));
      } else {
        parts.push(say("run.takes", {}, days));
      }
      parts.push(say("run.steps_done", { done: number(count) }, total));
      if (skippedList.length) {
        parts.push(say("run.skipped_count", {}, skippedList.length));
      }
      if (announce !== false) {
        summary.textContent = parts.filter(Boolean).join(" ");
      }
      box.classList.toggle("sopkit-run--dated", !!finish);
    }

    ticks.forEach(function (tick) {
      tick.addEventListener("change", function () {
        var id = tick.dataset.item;
        state.done = state.done.filter(function (other) { return other !== id; });
        if (tick.checked) {
          state.done.push(id);
        }
        save(key, state);
        render();
      });
    });
    choosers.forEach(function (chooser) {
      chooser.addEventListener("change", function (event) {
        var radio = event.target;
        if (!radio || radio.dataset.answer === undefined || !radio.checked) {
          return;
        }
        if (radio.dataset.answer) {
          state.choices[chooser.dataset.decision] = radio.dataset.answer;
        } else {
          delete state.choices[chooser.dataset.decision];
        }
        save(key, state);
        render();
      });
    });
    input.addEventListener("change", function () {
      state.start = window.sopkitSchedule.parseDate(input.value) !== null ? input.value : "";
      save(key, state);
      render();
    });
    box.querySelector(".sopkit-run__reset").addEventListener("click", function () {
      state = { start: "", done: [], choices: {} };
      save(key, state);
      render();
      summary.textContent = say("run.cleared", { summary: summary.textContent });
    });
    box.querySelector(".sopkit-run__markdown").addEventListener("click", function () {
      download(run.sop + "-run" + (state.start ? "-" + state.start : "") + ".md",
        "text/markdown;charset=utf-8", markdown(run, state, dates));
    });
    icsButton.addEventListener("click", function () {
      var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
      download(run.sop + "-run-" + state.start + ".ics", "text/calendar;charset=utf-8",
        ics(run, state, dates, stamp));
    });
    box.querySelector(".sopkit-run__print").addEventListener("click", function () {
      window.print();
    });
    controls.hidden = false;
    progress.hidden = false;
    render();
  }

  function start() {
    document.querySelectorAll("[data-sopkit-run]").forEach(setUp);
  }

  window.sopkitRun = { mdText: mdText, icsText: icsText, icsFold: icsFold };

  /* Material's instant navigation swaps pages without a reload and announces each on document$. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
