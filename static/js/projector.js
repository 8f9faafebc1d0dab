// The workshop projector: polls the state every second, sends the facilitator's actions with
// fetch (so full screen survives), and takes keys from a keyboard or a presenter remote.
// Without this script every control is a plain form post that reloads the page.
(function () {
  "use strict";

  var root = document.getElementById("projector");
  if (!root || !window.fetch || !window.DOMParser) {
    return;
  }
  var POLL_MS = 1000;
  var RETRY_MS = 2000;
  var REGIONS = ["head", "slide", "join", "controls", "agree"];
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = tokenMeta ? tokenMeta.getAttribute("content") : "";
  var statusEl = root.querySelector("[data-status]");

  // What the page shows now; counts are unknown until the first poll.
  var shown = {
    position: parseInt(root.getAttribute("data-position"), 10),
    revealed: root.getAttribute("data-revealed") === "1",
    show_code: root.getAttribute("data-show-code") === "1",
    items: null,
    respondents: null,
    slides: null
  };
  // A state that comes late must not undo a newer one: the next press would be worked out
  // from where the room was and move nowhere. Actions are numbered as they leave; an action's
  // answer is applied unless a later action's answer already was. A poll's answer is applied
  // only if no action was on its way at any time while the poll was (the server may read the
  // state before or after an action it is given at the same time).
  var sent = 0;
  var applied = 0;
  var pending = 0;
  var refreshing = false;
  var refreshAgain = null;  // null, "some" or "all"
  var target = null;  // where pending moves are heading, so two quick presses move twice

  function say(message) {
    if (statusEl) {
      statusEl.textContent = message || "";
    }
  }

  function region(doc, name) {
    return doc.querySelector('#projector [data-region="' + name + '"]');
  }

  // The largest type (as a multiple of the floor, see app.css) at which the slide still fits
  // without scrolling; at 1 (the floor) a slide that does not fit was split by the server.
  // The type goes up in FIT_STEPS steps from the floor to FIT_MAX (the last never reached).
  var FIT_MAX = 1.6;
  var FIT_STEPS = 128;
  var fitted = null;  // the step of the last fit
  function fits() {
    var slide = root.querySelector('[data-region="slide"]');
    var page = document.documentElement;
    return (!slide || (slide.scrollHeight <= slide.clientHeight && slide.scrollWidth <= slide.clientWidth)) &&
      page.scrollHeight <= page.clientHeight && page.scrollWidth <= page.clientWidth;
  }

  function setStep(step) {
    root.style.setProperty("--fit", String(1 + step * (FIT_MAX - 1) / FIT_STEPS));
  }

  function fitsAt(step) {
    setStep(step);
    return fits();
  }

  // Layout is read synchronously, so the steps tried are never painted. Each try is a layout:
  // the search starts from the last fit, which a new vote count, a resize or the next slide
  // usually keeps or changes by a few steps, so a refit mostly takes two layouts, not eight.
  function fit() {
    var low = 0;  // fits, or is the floor
    var high = FIT_STEPS;  // does not fit, or is out of reach
    var reach;
    if (fitted === null) {
      if (!fitsAt(0)) {
        high = 0;
      }
    } else if (fitsAt(fitted)) {
      low = fitted;
      for (reach = 1; low + reach < FIT_STEPS && fitsAt(low + reach); reach *= 2) {
        low += reach;
      }
      high = Math.min(low + reach, FIT_STEPS);
    } else {
      high = fitted;
      for (reach = 1; high - reach > 0 && !fitsAt(high - reach); reach *= 2) {
        high -= reach;
      }
      low = Math.max(high - reach, 0);
    }
    while (high - low > 1) {
      var mid = Math.floor((low + high) / 2);
      if (fitsAt(mid)) {
        low = mid;
      } else {
        high = mid;
      }
    }
    fitted = low;
    setStep(low);
    root.setAttribute("data-fit", (1 + low * (FIT_MAX - 1) / FIT_STEPS).toFixed(2));
  }

  function setupControls() {
    var full = root.querySelector('[data-key="fullscreen"]');
    if (full && document.fullscreenEnabled) {
      full.hidden = false;
    }
  }

  // Replace the page's regions with a fresh render of the projector page; the agreement form
  // only when the slide or the reveal changed, so a note being typed is never lost.
  function refresh(scope) {
    if (refreshing) {
      refreshAgain = refreshAgain === "all" || scope === "all" ? "all" : "some";
      return;
    }
    refreshing = true;
    var focusedKey = document.activeElement ? document.activeElement.getAttribute("data-key") : null;
    fetch(root.getAttribute("data-page-url"), {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("projector");
        if (!fresh) {
          return;
        }
        REGIONS.forEach(function (name) {
          if (name === "agree" && scope !== "all") {
            return;
          }
          var old = region(document, name);
          var next = region(doc, name);
          if (old && next) {
            old.replaceWith(document.importNode(next, true));
          }
        });
        ["data-position", "data-revealed", "data-show-code"].forEach(function (attr) {
          root.setAttribute(attr, fresh.getAttribute(attr));
        });
        document.title = doc.title;
        setupControls();
        fit();
        if (focusedKey) {
          var again = root.querySelector('[data-key="' + focusedKey + '"]');
          if (again && !again.disabled) {
            again.focus();
          }
        }
      })
      .catch(function () {
        say(root.getAttribute("data-failed"));
      })
      .then(function () {
        refreshing = false;
        if (refreshAgain) {
          var scopeAgain = refreshAgain;
          refreshAgain = null;
          refresh(scopeAgain);
        }
      });
  }

  function updateCounts(state) {
    state.items.forEach(function (item) {
      var el = root.querySelector('[data-count-for="' + CSS.escape(item.id) + '"]');
      if (el) {
        el.textContent = String(item.answered);
      }
    });
    root.querySelectorAll("[data-room]").forEach(function (el) {
      el.textContent = String(state.respondents);
    });
  }

  // Bring the page up to a state from the server (a poll or the answer to an action).
  function apply(state, force) {
    if (root.hasAttribute("data-opening")) {
      // The opening slide only counts the room: the walk starts when the facilitator goes on.
      updateCounts(state);
      shown = state;
      return;
    }
    var moved = state.position !== shown.position || state.revealed !== shown.revealed;
    var codeChanged = state.show_code !== shown.show_code;
    var countsChanged = JSON.stringify(state.items) !== JSON.stringify(shown.items) ||
      state.respondents !== shown.respondents;
    shown = state;
    if (target !== null && target === state.position) {
      target = null;
    }
    if (moved || force === "all") {
      refresh("all");
    } else if (codeChanged || force || (countsChanged && state.revealed)) {
      refresh("some");
    } else if (countsChanged) {
      updateCounts(state);
    }
  }

  // An action's answer counts unless a later action's answer already has.
  function current(number) {
    if (number < applied) {
      return false;
    }
    applied = number;
    return true;
  }

  function poll() {
    var number = sent;
    var quiet = pending === 0;
    fetch(root.getAttribute("data-state-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}, cache: "no-store"})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (statusEl && statusEl.textContent === root.getAttribute("data-failed")) {
          say("");
        }
        if (quiet && number === sent) {  // no action since: nothing newer to undo
          apply(state);
        }
        window.setTimeout(poll, POLL_MS);
      })
      .catch(function () {
        say(root.getAttribute("data-failed"));
        window.setTimeout(poll, RETRY_MS);
      });
  }

  // The value a control sends is worked out now, from the latest state, not from when the
  // page was drawn: two quick presses of "next" move two slides, R toggles what is shown.
  function prepare(form, key) {
    var field;
    if (key === "next" || key === "prev") {
      field = form.querySelector('input[name="to"]');
      var from = target !== null ? target : shown.position;
      var last = shown.slides !== null ? shown.slides : from + 1;
      target = Math.max(0, Math.min(last, from + (key === "next" ? 1 : -1)));
      field.value = String(target);
    } else if (key === "reveal") {
      field = form.querySelector('input[name="value"]');
      field.value = shown.revealed ? "0" : "1";
    } else if (key === "code") {
      field = form.querySelector('input[name="value"]');
      field.value = shown.show_code ? "0" : "1";
    }
  }

  function send(form, submitter) {
    var key = submitter ? submitter.getAttribute("data-key") : null;
    prepare(form, key);
    var body = new FormData(form);
    var number = ++sent;
    pending += 1;
    if (submitter && submitter.name) {
      body.append(submitter.name, submitter.value);
    }
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf}
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return {ok: response.ok, data: data};
        });
      })
      .then(function (result) {
        if (!result.ok) {
          target = null;
          say(result.data.error || root.getAttribute("data-failed"));
          return;
        }
        say(result.data.message || "");
        if (current(number)) {
          apply(result.data, key ? null : "all");
        }
      })
      .catch(function () {
        target = null;
        say(root.getAttribute("data-failed"));
      })
      .then(function () {
        pending -= 1;
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!root.contains(form)) {
      return;
    }
    event.preventDefault();
    send(form, event.submitter || form.querySelector("[data-key]"));
  });

  function toggleFullscreen() {
    if (!document.fullscreenEnabled) {
      return;
    }
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  root.addEventListener("click", function (event) {
    if (event.target.closest('[data-key="fullscreen"]')) {
      toggleFullscreen();
    }
  });

  var KEYS = {
    "ArrowRight": "next", "ArrowDown": "next", "PageDown": "next", " ": "next",
    "ArrowLeft": "prev", "ArrowUp": "prev", "PageUp": "prev",
    "r": "reveal", "R": "reveal", "q": "code", "Q": "code", "f": "fullscreen", "F": "fullscreen"
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var focus = event.target;
    // Typing a note or choosing a stage keeps its keys; space still presses a focused button.
    if (focus.closest && focus.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    var action = KEYS[event.key];
    if (!action) {
      return;
    }
    if (event.key === " " && focus.closest && focus.closest("button, a, summary")) {
      return;
    }
    event.preventDefault();
    if (action === "fullscreen") {
      toggleFullscreen();
      return;
    }
    var button = root.querySelector('[data-key="' + action + '"]');
    if (button && button.tagName === "A") {
      button.click();  // the opening slide leads on to the statements with a link
    } else if (button && !button.disabled && button.form) {
      button.form.requestSubmit(button);
    }
  });

  // A message after a plain page load (e.g. "the workshop has started") would cover the
  // slide for the rest of the session: let it go after a while.
  var flashes = document.querySelector(".flashes");
  if (flashes) {
    window.setTimeout(function () { flashes.hidden = true; }, 8000);
  }

  window.addEventListener("resize", fit);  // a few layouts: cheap enough on every event

  window.addEventListener("load", fit);  // the QR code's width is known once it is loaded
  setupControls();
  fit();
  poll();
})();
