/* sopkit: the working-time rule (docs/sop-format.md, section 3, Schedules) for the browser.
   A copy of plugins/sopkit/schedule.py, tested on the same cases (tests/schedule_cases.json):
   8 working hours a day, Monday to Friday, holidays skipped; a step starts when every step in
   its `after` has finished and is due on working day ceil(finish / 480 min) - 1 from day 0.
   Times are whole minutes; dates are "YYYY-MM-DD" strings, computed in UTC so no time zone or
   daylight-saving change can move a day. */
(function (root) {
  "use strict";

  var MINUTES_PER_DAY = 480;
  var DAY_MS = 86400000;

  /* The working day (0 = the first) a step finishing at minute `finish` is due on. */
  function dueDay(finish) {
    return finish > 0 ? Math.floor((finish - 1) / MINUTES_PER_DAY) : 0;
  }

  /* A cycle among `ids` by `after` (predecessors), self-links included: true or false. */
  function hasCycle(ids, after) {
    var state = {};
    function visit(node) {
      state[node] = 1;
      var preds = after[node];
      for (var i = 0; i < preds.length; i += 1) {
        var pred = preds[i];
        if (state[pred] === 1) {
          return true;
        }
        if (!state[pred] && visit(pred)) {
          return true;
        }
      }
      state[node] = 2;
      return false;
    }
    for (var i = 0; i < ids.length; i += 1) {
      if (!state[ids[i]] && visit(ids[i])) {
        return true;
      }
    }
    return false;
  }

  /* Each step's `after` and the decisions whose `branches` go to it, each once: {id: [ids]}. */
  function waitsFor(steps) {
    var waits = {};
    steps.forEach(function (step) {
      if (!Object.prototype.hasOwnProperty.call(waits, step.id)) {
        waits[step.id] = [];
        (step.after || []).forEach(function (pred) {
          if (waits[step.id].indexOf(pred) < 0) {
            waits[step.id].push(pred);
          }
        });
      }
    });
    var seen = {};
    steps.forEach(function (step) {
      if (seen[step.id]) {
        return;
      }
      seen[step.id] = true;
      (step.branches || []).forEach(function (target) {
        if (Object.prototype.hasOwnProperty.call(waits, target) &&
            waits[target].indexOf(step.id) < 0) {
          waits[target].push(step.id);
        }
      });
    });
    return waits;
  }

  /* The steps a run skips when each decision in `choices` ({decision id: step id}) picked that
     step (format 1.2), as sopkit.schedule.skipped_steps: a step that waits for others runs when
     one of the links into it is live, the link from a step that runs, except that a decision's
     link to a step its branch goes to is live only when the decision picked that step or has not
     picked yet. A graph with a cycle skips nothing. Returns [ids] in written order. */
  function skippedSteps(steps, choices) {
    var picked = choices || {};
    var written = {};
    var ids = [];
    steps.forEach(function (step) {
      if (!Object.prototype.hasOwnProperty.call(written, step.id)) {
        written[step.id] = step;
        ids.push(step.id);
      }
    });
    var waits = waitsFor(ids.map(function (id) { return written[id]; }));
    if (hasCycle(ids, waits)) {
      return [];
    }
    var state = {};
    var skipped = {};
    function visit(id) {
      if (state[id]) {
        return;
      }
      state[id] = true;
      var preds = waits[id].filter(function (p) {
        return p !== id && Object.prototype.hasOwnProperty.call(written, p);
      });
      preds.forEach(visit);
      var live = preds.some(function (pred) {
        if (skipped[pred]) {
          return false;
        }
        if ((written[pred].branches || []).indexOf(id) < 0) {
          return true;
        }
        var has = Object.prototype.hasOwnProperty.call(picked, pred);
        return !has || picked[pred] === id;
      });
      if (preds.length > 0 && !live) {
        skipped[id] = true;
      }
    }
    ids.forEach(visit);
    return ids.filter(function (id) { return skipped[id]; });
  }

  /* steps: [{id, after: [ids], minutes, branches?: [ids]}] in written order (a decision's
     `branches` are steps that also wait for it); skipped: ids left out.
     Returns {slots: {id: {start, finish, dueDay}}, order: [ids], criticalPath, leadMinutes};
     a step graph with a cycle has no slots, no path and a lead time of 0. */
  function schedule(steps, skipped) {
    var skip = {};
    (skipped || []).forEach(function (id) { skip[id] = true; });
    var written = {};
    var ids = [];
    steps.forEach(function (step) {
      if (!skip[step.id] && !Object.prototype.hasOwnProperty.call(written, step.id)) {
        written[step.id] = step;
        ids.push(step.id);
      }
    });
    var rank = {};
    ids.forEach(function (id, index) { rank[id] = index; });
    var known = function (id) { return Object.prototype.hasOwnProperty.call(rank, id); };
    var raw = {};
    var after = {};
    var waits = waitsFor(ids.map(function (id) { return written[id]; }));
    ids.forEach(function (id) {
      var preds = waits[id].filter(known);
      raw[id] = preds;
      after[id] = preds.filter(function (pred) { return pred !== id; });
    });
    var empty = { slots: {}, order: [], criticalPath: [], leadMinutes: 0 };
    if (ids.length === 0 || hasCycle(ids, raw)) {
      return empty;
    }
    var finish = {};
    var start = {};
    var best = {};
    function place(id) {
      if (Object.prototype.hasOwnProperty.call(finish, id)) {
        return;
      }
      var preds = after[id].slice().sort(function (a, b) { return rank[a] - rank[b]; });
      var chosen = null;
      preds.forEach(function (pred) {
        place(pred);
        if (chosen === null || finish[pred] > finish[chosen]) {
          chosen = pred;
        }
      });
      start[id] = chosen === null ? 0 : finish[chosen];
      finish[id] = start[id] + (written[id].minutes || 0);
      best[id] = chosen;
    }
    ids.forEach(place);
    var end = ids[0];
    ids.forEach(function (id) {
      if (finish[id] >= finish[end]) {
        end = id; /* on equal finish the later-written step ends the path */
      }
    });
    var path = [];
    for (var cursor = end; cursor !== null; cursor = best[cursor]) {
      path.unshift(cursor);
    }
    var slots = {};
    ids.forEach(function (id) {
      slots[id] = { start: start[id], finish: finish[id], dueDay: dueDay(finish[id]) };
    });
    return { slots: slots, order: ids, criticalPath: path, leadMinutes: finish[end] };
  }

  function parseDate(text) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || "").trim());
    if (!match) {
      return null;
    }
    var time = Date.UTC(+match[1], +match[2] - 1, +match[3]);
    var date = new Date(time);
    /* 2026-02-31 is not a date: Date.UTC would roll it over into March. */
    if (date.getUTCMonth() !== +match[2] - 1 || date.getUTCDate() !== +match[3]) {
      return null;
    }
    return time;
  }

  function formatDate(time) {
    return new Date(time).toISOString().slice(0, 10);
  }

  function isWorkingDay(time, holidays) {
    var weekday = new Date(time).getUTCDay();
    return weekday !== 0 && weekday !== 6 && !holidays[formatDate(time)];
  }

  /* The dates of working days 0 .. count-1 of a run that starts on `start`. */
  function workingDays(start, count, holidays) {
    var off = {};
    (holidays || []).forEach(function (day) { off[day] = true; });
    var time = parseDate(start);
    var days = [];
    if (time === null) {
      return days;
    }
    while (days.length < count) {
      if (isWorkingDay(time, off)) {
        days.push(formatDate(time));
      }
      time += DAY_MS;
    }
    return days;
  }

  /* {id: "YYYY-MM-DD"} for every scheduled step of `plan` (from `schedule`). */
  function dueDates(plan, start, holidays) {
    var last = -1;
    plan.order.forEach(function (id) { last = Math.max(last, plan.slots[id].dueDay); });
    var calendar = workingDays(start, last + 1, holidays);
    var dates = {};
    if (calendar.length === last + 1) {
      plan.order.forEach(function (id) { dates[id] = calendar[plan.slots[id].dueDay]; });
    }
    return dates;
  }

  root.sopkitSchedule = {
    MINUTES_PER_DAY: MINUTES_PER_DAY,
    dueDay: dueDay,
    schedule: schedule,
    skippedSteps: skippedSteps,
    parseDate: parseDate,
    formatDate: formatDate,
    workingDays: workingDays,
    dueDates: dueDates
  };
})(window);
