/* sopkit: the words scripts put on the page, in the site's language.
   The page carries them in `<script type="application/json" id="sopkit-labels">` (written by the
   plugin from the message catalogue: `lang` and `messages`). `t(key, values, n)` fills `{name}`
   placeholders and picks the plural form of `n` by `Intl.PluralRules` (null when the page carries
   no such message: a script then keeps the text the page was built with); `date(iso)` writes a
   YYYY-MM-DD date as the language does (the medium style of the pages, from the same CLDR data
   as the build), `weekday(iso)` its weekday's short name, `number(n)` a count. Scripts load
   after this one and read `window.sopkitLabels`. */
(function () {
  "use strict";

  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

  /* The island is a JSON script in the head, or (in a page's body, where `sopkit build-md`
     writes it) the `data-sopkit-labels` attribute of a hidden element. */
  function read(island) {
    if (!island) {
      return {};
    }
    var text = island.tagName === "SCRIPT" ? island.textContent : island.getAttribute("data-sopkit-labels");
    try {
      return JSON.parse(text || "{}");
    } catch (error) {
      return {};
    }
  }

  /* Each page's island carries the messages of its own scripts; Material's instant navigation
     swaps it with the page, so the messages are those of the island in place. */
  var island = document.getElementById("sopkit-labels");
  var data = read(island);
  var messages = data.messages || {};
  var lang = String(data.lang || document.documentElement.lang || "en").replace(/_/g, "-");

  function current() {
    var found = document.getElementById("sopkit-labels");
    if (found && found !== island) {
      island = found;
      messages = read(found).messages || {};
    }
    return messages;
  }

  function intl(make) {
    try {
      return make(lang);
    } catch (error) {
      return make("en");
    }
  }

  var plurals = intl(function (code) {
    return new Intl.PluralRules(code);
  });
  var numbers = intl(function (code) {
    return new Intl.NumberFormat(code);
  });
  var dates = intl(function (code) {
    return new Intl.DateTimeFormat(code, { dateStyle: "medium", timeZone: "UTC" });
  });
  /* With the day: a weekday in a date's own words (German `Mo.`; alone, it would be `Mo`). */
  var weekdays = intl(function (code) {
    return new Intl.DateTimeFormat(code, { weekday: "short", day: "numeric", timeZone: "UTC" });
  });

  function t(key, values, n) {
    var message = current()[key];
    if (message === undefined) {
      return null;
    }
    if (typeof message !== "string") {
      var form = n === undefined ? "other" : plurals.select(n);
      message = message[form] !== undefined ? message[form] : message.other || "";
    }
    var filled = {};
    Object.keys(values || {}).forEach(function (name) {
      filled[name] = values[name];
    });
    if (n !== undefined) {
      filled.n = numbers.format(n);
    }
    return message.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(filled, name) ? String(filled[name]) : whole;
    });
  }

  function utc(iso) {
    var parts = ISO.exec(iso || "");
    return parts ? new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3])) : null;
  }

  function date(iso) {
    var day = utc(iso);
    return day ? dates.format(day) : iso || "";
  }

  /* The short name of a YYYY-MM-DD date's weekday (`Mon`, `Mo.`), "" for anything else. */
  function weekday(iso) {
    var day = utc(iso);
    var parts = day ? weekdays.formatToParts(day) : [];
    for (var i = 0; i < parts.length; i += 1) {
      if (parts[i].type === "weekday") {
        return parts[i].value;
      }
    }
    return "";
  }

  /* A count as the language writes numbers (`1,234`, `1.234`). */
  function number(value) {
    return numbers.format(value);
  }

  window.sopkitLabels = { t: t, date: date, weekday: weekday, number: number, lang: lang };
})();
