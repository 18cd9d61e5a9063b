/* sopkit: onboarding progress, kept in this browser (localStorage), per site and role.
   Pages work without it: the progress bar stays hidden and the path is a plain list. */
(function () {
  "use strict";

  var PREFIX = "sopkit:progress:";

  function load(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(PREFIX + key) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (error) {
      return [];
    }
  }

  function save(key, done) {
    try {
      window.localStorage.setItem(PREFIX + key, JSON.stringify(done));
    } catch (error) {
      /* Storage may be full or disabled: progress then lasts for this page view only. */
    }
  }

  function setUp(box) {
    if (box.dataset.sopkitReady) {
      return;
    }
    box.dataset.sopkitReady = "1";
    var key = box.dataset.sopkitProgress;
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-sopkit-item]"));
    var bar = box.querySelector("progress");
    var label = box.querySelector(".sopkit-progress__label");
    var done = load(key);

    function update() {
      var count = 0;
      items.forEach(function (item) {
        var ticked = done.indexOf(item.dataset.sopkitItem) !== -1;
        item.classList.toggle("sopkit-path-item--done", ticked);
        var input = item.querySelector("input.sopkit-tick");
        if (input) {
          input.checked = ticked;
        }
        if (ticked) {
          count += 1;
        }
      });
      bar.value = count;
      label.textContent = count + " of " + items.length + " done";
    }

    items.forEach(function (item) {
      var tick = document.createElement("label");
      tick.className = "sopkit-tick-label";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.className = "sopkit-tick";
      input.addEventListener("change", function () {
        var id = item.dataset.sopkitItem;
        done = done.filter(function (other) { return other !== id; });
        if (input.checked) {
          done.push(id);
        }
        save(key, done);
        update();
      });
      tick.appendChild(input);
      tick.appendChild(document.createTextNode(" Done"));
      item.insertBefore(tick, item.firstChild);
    });

    box.querySelector(".sopkit-progress__reset").addEventListener("click", function () {
      done = [];
      save(key, done);
      update();
    });
    box.hidden = false;
    update();
  }

  function start() {
    document.querySelectorAll("[data-sopkit-progress]").forEach(setUp);
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
