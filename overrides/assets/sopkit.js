/* sopkit: onboarding progress and knowledge checks, kept in this browser (localStorage), per
   site. Pages work without it: the progress bar stays hidden, the path is a plain list (tasks
   included), and a quiz shows its questions with the answers in a collapsed block. */
(function () {
  "use strict";

  var PREFIX = "sopkit:progress:";
  var labels = window.sopkitLabels;

  /* A message of the page's island (`sopkit-labels.js`); "" when the page carries none. */
  function say(key, values, n) {
    var text = labels.t(key, values, n);
    return text === null ? "" : text;
  }

  function number(value) {
    return labels.number(value);
  }

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

  /* --- knowledge checks --------------------------------------------------------------------
     Stored under "sopkit:quiz:<site>/<sop id>" as {version, answers: {number: choice text},
     right, total, passed}. `version` is a digest of the quiz: answers to an earlier wording
     of a quiz are not used. Texts only ever go into the page as text (textContent). */

  var QUIZ_PREFIX = "sopkit:quiz:";

  function loadQuiz(key, version) {
    try {
      var value = JSON.parse(window.localStorage.getItem(QUIZ_PREFIX + key) || "null");
      if (value && typeof value === "object" && value.version === version &&
          value.answers && typeof value.answers === "object") {
        return value;
      }
    } catch (error) {
      /* Unreadable or foreign data: start afresh. */
    }
    return null;
  }

  function saveQuiz(key, record) {
    try {
      if (record) {
        window.localStorage.setItem(QUIZ_PREFIX + key, JSON.stringify(record));
      } else {
        window.localStorage.removeItem(QUIZ_PREFIX + key);
      }
    } catch (error) {
      /* Storage may be full or disabled: answers then last for this page view only. */
    }
  }

  function setUpQuiz(quiz) {
    if (quiz.dataset.sopkitReady) {
      return;
    }
    quiz.dataset.sopkitReady = "1";
    var key = quiz.dataset.quizKey;
    var version = quiz.dataset.quizVersion;
    var questions = Array.prototype.slice.call(quiz.querySelectorAll("[data-quiz-question]"));
    var footer = quiz.querySelector("[data-quiz-footer]");
    var score = quiz.querySelector("[data-quiz-score]");
    var stored = loadQuiz(key, version);
    var answers = stored ? stored.answers : {};

    function radios(question) {
      return Array.prototype.slice.call(question.querySelectorAll("input[type=radio]"));
    }

    function show() {
      var right = 0;
      var answered = 0;
      questions.forEach(function (question) {
        var number = question.dataset.quizQuestion;
        var chosen = Object.prototype.hasOwnProperty.call(answers, number) ? answers[number] : null;
        var feedback = question.querySelector("[data-quiz-feedback]");
        var state = "";
        radios(question).forEach(function (radio) {
          radio.checked = chosen !== null && radio.value === chosen;
        });
        if (chosen !== null) {
          answered += 1;
          if (chosen === question.dataset.quizAnswer) {
            right += 1;
            state = "right";
            var explain = question.dataset.quizExplain;
            feedback.textContent = explain
              ? say("quiz.right_explained", { explain: explain })
              : say("quiz.right");
          } else {
            state = "wrong";
            feedback.textContent = say("quiz.wrong", { choice: chosen });
          }
        } else {
          feedback.textContent = "";
        }
        question.dataset.quizState = state;
      });
      var passed = questions.length > 0 && right === questions.length;
      quiz.dataset.passed = passed ? "true" : "false";
      var counts = { right: number(right), total: number(questions.length), wrong: number(answered - right) };
      score.textContent = passed
        ? say("quiz.all_right", {}, questions.length)
        : say(answered > right ? "quiz.score_retry" : "quiz.score", counts);
      return { right: right, total: questions.length, passed: passed };
    }

    function store() {
      var result = show();
      saveQuiz(key, {
        version: version,
        answers: answers,
        right: result.right,
        total: result.total,
        passed: result.passed
      });
    }

    questions.forEach(function (question) {
      radios(question).forEach(function (radio) {
        radio.addEventListener("change", function () {
          if (radio.checked) {
            answers[question.dataset.quizQuestion] = radio.value;
            store();
          }
        });
      });
    });
    quiz.querySelector("[data-quiz-reset]").addEventListener("click", function () {
      answers = {};
      saveQuiz(key, null);
      show();
      score.textContent = say("quiz.cleared");
    });
    /* With the questions answerable here, the printed answers would only give them away. */
    var printed = quiz.querySelector("[data-quiz-answers]");
    if (printed) {
      printed.hidden = true;
    }
    footer.hidden = false;
    show();
  }

  /* An onboarding item or tally: `data-quiz` (SOP id) with the key, version and question count
     of the SOP's quiz; gets data-passed="true" once every question was answered right. */
  function quizState(element) {
    var record = loadQuiz(element.dataset.quizKey, element.dataset.quizVersion);
    var total = parseInt(element.dataset.quizCount, 10) || 0;
    var right = record && typeof record.right === "number" ? Math.min(record.right, total) : 0;
    var passed = Boolean(record && record.passed === true && right === total);
    element.dataset.passed = passed ? "true" : "false";
    return { right: right, total: total, passed: passed, taken: Boolean(record) };
  }

  function showQuizStates(root) {
    var states = Array.prototype.slice.call(root.querySelectorAll("[data-quiz]"));
    var passed = 0;
    states.forEach(function (element) {
      var state = quizState(element);
      if (state.passed) {
        passed += 1;
      }
      var status = element.querySelector(".sopkit-quiz-state__status");
      if (status) {
        status.textContent = state.passed
          ? say("quiz.state_passed")
          : state.taken
            ? say("quiz.state_score", { right: number(state.right), total: number(state.total) })
            : say("quiz.state_untaken");
      }
    });
    return { passed: passed, total: states.length };
  }

  function setUpTally(tally) {
    var result = showQuizStates(tally);
    var label = tally.querySelector(".sopkit-quiz-tally__label");
    if (label && result.total) {
      label.textContent = say("quiz.tally", { passed: number(result.passed), total: number(result.total) });
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
    var quizzes = box.querySelector(".sopkit-progress__quizzes");
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
      label.textContent = say("onboarding.progress", { done: number(count), total: number(items.length) });
      if (quizzes) {
        var result = showQuizStates(document);
        quizzes.textContent = result.total
          ? say("onboarding.quizzes_passed", { passed: number(result.passed) }, result.total)
          : "";
      }
    }

    items.forEach(function (item) {
      var input = document.createElement("input");
      input.type = "checkbox";
      input.className = "sopkit-tick";
      var tick = null;
      /* A task (format 1.2): its text becomes the label of its own tick box. */
      var text = item.querySelector(".sopkit-task__text[data-sopkit-tick-id]");
      if (text) {
        input.id = text.dataset.sopkitTickId;
        var label = document.createElement("label");
        label.className = "sopkit-task__text";
        label.htmlFor = input.id;
        while (text.firstChild) {
          label.appendChild(text.firstChild);
        }
        text.replaceWith(input, " ", label);
      } else {
        tick = document.createElement("label");
        tick.className = "sopkit-tick-label";
      }
      input.addEventListener("change", function () {
        var id = item.dataset.sopkitItem;
        done = done.filter(function (other) { return other !== id; });
        if (input.checked) {
          done.push(id);
        }
        save(key, done);
        update();
      });
      if (tick) {
        tick.appendChild(input);
        tick.appendChild(document.createTextNode(" " + say("onboarding.done")));
        /* Every box reads "Done" on screen; its name says which item it ticks off. */
        var title = item.querySelector("a");
        input.setAttribute("aria-label", say("onboarding.done_item", {
          item: title ? title.textContent : item.dataset.sopkitItem
        }));
        item.insertBefore(tick, item.firstChild);
      }
    });

    box.sopkitUpdate = update;
    box.querySelector(".sopkit-progress__reset").addEventListener("click", function () {
      done = [];
      save(key, done);
      update();
    });
    box.hidden = false;
    update();
  }

  /* --- scroll boxes and task lists for the keyboard and screen readers ----------------------
     A table or timeline wider than the column scrolls sideways inside its box: while it does,
     the box takes a Tab stop (so the arrow keys scroll it) and a name; once it fits, neither
     (`markScroll` below tells). Diagrams and the RACI matrix carry both in their HTML. */

  function boxName(box) {
    var caption = box.querySelector("caption");
    if (caption) {
      return caption.textContent.trim();
    }
    if (box.classList.contains("sopkit-timeline")) {
      return say("sop.timeline");
    }
    var heading = null;
    for (var node = box; node && !heading; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) {
          heading = prev;
          break;
        }
      }
      if (node.classList && node.classList.contains("md-content__inner")) {
        break;
      }
    }
    if (!heading) {
      return say("script.table");
    }
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    /* A page without the words (a hand-written page `sopkit build-md` copied): the heading. */
    var title = copy.textContent.trim();
    return say("script.table_named", { name: title }) || title;
  }

  function reachable(box, scrolls) {
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.dataset.sopkitScrollbox = "1";
      box.setAttribute("tabindex", "0");
      var name = boxName(box);
      if (name) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name);
      }
    } else if (!scrolls && box.dataset.sopkitScrollbox) {
      delete box.dataset.sopkitScrollbox;
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  /* A task list written in Markdown draws its box apart from the item's text: the box takes the
     text as its name. (Generated checklists put the text inside the box's label.) */
  function nameTaskBoxes() {
    var boxes = document.querySelectorAll(".md-typeset .task-list-item > .task-list-control > input");
    Array.prototype.forEach.call(boxes, function (input) {
      var label = input.parentElement;
      if (input.hasAttribute("aria-label") || label.textContent.trim()) {
        return;
      }
      var copy = label.parentElement.cloneNode(true);
      copy.querySelectorAll("ul, ol").forEach(function (list) { list.remove(); });
      var text = copy.textContent.replace(/\s+/g, " ").trim();
      if (text) {
        input.setAttribute("aria-label", text);
      }
    });
  }

  /* Boxes that scroll sideways say so: `data-sopkit-scroll` is "start", "end" or "both" for the
     side(s) where more is hidden, and absent when everything shows. */
  var SCROLLERS = ".md-typeset__scrollwrap, .sopkit-matrix, .sopkit-diagram__scroll, .sopkit-timeline";

  function markScroll(box) {
    var hidden = box.scrollWidth - box.clientWidth;
    var before = box.scrollLeft > 1;
    var after = hidden - box.scrollLeft > 1;
    var side = before && after ? "both" : before ? "start" : after ? "end" : "";
    if (side) {
      box.setAttribute("data-sopkit-scroll", side);
    } else {
      box.removeAttribute("data-sopkit-scroll");
    }
    reachable(box, hidden > 1);
  }

  var resized = window.ResizeObserver
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { markScroll(entry.target.sopkitScroller); });
      })
    : null;

  function setUpScroll(box) {
    if (box.sopkitScroll) {
      return;
    }
    box.sopkitScroll = true;
    box.addEventListener("scroll", function () { markScroll(box); }, { passive: true });
    if (resized) {
      /* The box for its own width, its content for what it holds (tables settle late). */
      [box, box.firstElementChild].forEach(function (element) {
        if (element) {
          element.sopkitScroller = box;
          resized.observe(element);
        }
      });
    }
    markScroll(box);
  }

  function start() {
    nameTaskBoxes();
    document.querySelectorAll(SCROLLERS).forEach(setUpScroll);
    document.querySelectorAll(".sopkit-quiz[data-quiz-key]").forEach(setUpQuiz);
    document.querySelectorAll("[data-sopkit-progress]").forEach(setUp);
    document.querySelectorAll("[data-quiz-tally]").forEach(setUpTally);
  }

  /* Quiz states answered elsewhere: in another tab (storage), or while this page waited in the
     browser's back/forward cache (pageshow). */
  function refreshQuizStates() {
    document.querySelectorAll("[data-sopkit-progress]").forEach(function (box) {
      if (box.sopkitUpdate) {
        box.sopkitUpdate();
      }
    });
    document.querySelectorAll("[data-quiz-tally]").forEach(setUpTally);
  }

  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(QUIZ_PREFIX) === 0) {
      refreshQuizStates();
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      refreshQuizStates();
    }
  });

  /* Material's instant navigation swaps pages without a reload and announces each on document$. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
