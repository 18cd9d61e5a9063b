/* sopkit: the words scripts put on the page, in the site's language.
   The page carries them in `<script type="application/json" id="sopkit-labels">` (written by the
   plugin from the message catalogue: `lang` and `messages`). `t(key, values, n)` fills `{name}`
   placeholders and picks the plural form of `n` by `Intl.PluralRules` (null when the page carries
   no such message: a script then keeps the text the page was built with); `date(iso)` writes a
   YYYY-MM-DD date as the language does (the medium style of the pages, from the same CLDR data
   as the build). Scripts load after this one and read `window.sopkitLabels`. */
(function () {
  "use strict";

  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
  var island = document.getElementById("sopkit-labels");
  var data = {};
  try {
    data = island ? JSON.parse(island.textContent || "{}") : {};
  } catch (error) {
    data = {};
  }
  var messages = data.messages || {};
  var lang = String(data.lang || document.documentElement.lang || "en").replace(/_/g, "-");

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

  function t(key, values, n) {
    var message = messages[key];
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

  function date(iso) {
    var parts = ISO.exec(iso || "");
    if (!parts) {
      return iso || "";
    }
    return dates.format(new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3])));
  }

  window.sopkitLabels = { t: t, date: date, lang: lang };
})();
