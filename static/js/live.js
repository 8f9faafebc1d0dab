// A participant's phone in a workshop: follows the facilitator by polling the state, and saves
// each tap at once. Without this script every tap is a form post that reloads the page.
(function () {
  "use strict";

  var root = document.getElementById("live");
  var template = document.getElementById("live-item-template");
  if (!root || !template || !window.fetch) {
    return;
  }
  var pollMs = 1200;  // the server sets it from the room's size (poll_ms in the state)
  var RETRY_MS = 2500;
  var MAX_BACKOFF_MS = 15000;
  // An answer is sent again until the server acknowledges it (writing the same answer twice
  // stores it once), waiting at most this long between tries: a vote should land soon.
  var MAX_ANSWER_BACKOFF_MS = 4000;
  var etag = "";  // of the last full state: an unchanged room then answers 304, nothing to do
  var busyPolls = 0;  // polls answered "busy" (503) in a row: each waits longer
  var texts = JSON.parse(document.getElementById("live-texts").textContent);
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = tokenMeta ? tokenMeta.getAttribute("content") : "";
  var stateUrl = root.getAttribute("data-state-url");
  var answerUrl = root.getAttribute("data-answer-url");
  var title = document.getElementById("live-title");
  var subtitle = document.getElementById("live-subtitle");
  var statusEl = document.getElementById("live-status");
  var itemsEl = document.getElementById("live-items");

  var slideId = root.getAttribute("data-slide") || "";
  var answers = {};  // item -> code, as the server last confirmed
  var pending = {};  // item -> code being saved: a poll does not undo a fresh tap
  var retrying = {};  // item -> true while its answer waits to be sent again ("Saving…")
  var revealed = false;

  function say(message) {
    if (statusEl.textContent !== message) {
      statusEl.textContent = message;
    }
  }

  function forms() {
    return Array.prototype.slice.call(itemsEl.querySelectorAll("form.live-item"));
  }

  function press(form, code) {
    form.querySelectorAll("button[name=value]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === code ? "true" : "false");
    });
  }

  function message() {
    var all = forms();
    if (!all.length) {
      return;
    }
    var done = all.every(function (form) {
      var item = form.getAttribute("data-item");
      return answers[item] !== undefined || pending[item] !== undefined;
    });
    var waiting = Object.keys(retrying).length > 0;
    say(waiting ? texts.saving : (revealed ? texts.revealed : (done ? texts.done : texts.voting)));
  }

  function build(slide) {
    var hadFocus = itemsEl.contains(document.activeElement);
    itemsEl.textContent = "";
    slide.items.forEach(function (item) {
      var form = template.content.firstElementChild.cloneNode(true);
      form.setAttribute("data-item", item);
      form.querySelector('input[name="item"]').value = item;
      form.querySelector("legend").textContent = slide.texts[item];
      var source = (slide.sources || {})[item];
      var guidance = (slide.guidance || {})[item];
      form.querySelector(".live-source-text").textContent = source || "";
      form.querySelector(".live-source").hidden = !source;
      form.querySelector(".live-guidance-text").textContent = guidance || "";
      form.querySelector(".live-guidance").hidden = !guidance;
      itemsEl.appendChild(form);
    });
    title.textContent = slide.title;
    subtitle.textContent = slide.subtitle || "";
    subtitle.hidden = !slide.subtitle;
    slideId = slide.id;
    root.setAttribute("data-slide", slideId);
    if (hadFocus) {
      title.setAttribute("tabindex", "-1");
      title.focus();
    }
  }

  function apply(state) {
    root.setAttribute("data-status", state.status);
    if (state.status !== "voting") {
      itemsEl.textContent = "";
      slideId = "";
      root.setAttribute("data-slide", "");
      title.textContent = state.status === "ended" ? texts.endedTitle : texts.workshop;
      subtitle.hidden = true;
      say(texts[state.status]);
      return;
    }
    if (state.slide.id !== slideId) {
      if (!state.slide.texts) {
        slideId = "";  // the page lost track: the next poll asks for the texts
        return;
      }
      // Answers still being saved keep being sent after a move (pending stays): the server
      // takes any statement of the round, and a vote must not be lost to the facilitator's pace.
      answers = {};
      build(state.slide);
    }
    answers = state.answers;
    revealed = state.revealed;
    forms().forEach(function (form) {
      var item = form.getAttribute("data-item");
      press(form, pending[item] !== undefined ? pending[item] : answers[item]);
    });
    message();
  }

  // How long to wait after a 503 ("busy"): what the server asks (retry_ms, else Retry-After),
  // doubled for each busy answer in a row, with a random part so that a shed room does not
  // come back all at once.
  function backoff(response, body, attempt, most) {
    var after = body && body.retry_ms > 0 ? body.retry_ms :
      parseFloat(response.headers.get("Retry-After")) * 1000;
    var base = Math.min(most || MAX_BACKOFF_MS,
      (after > 0 ? after : RETRY_MS) * Math.pow(2, Math.min(attempt, 4)));
    return base * (0.5 + Math.random());
  }

  function busyBody(response) {
    return response.json().catch(function () {
      return {};
    });
  }

  function poll() {
    var url = stateUrl + "?have=" + encodeURIComponent(slideId);
    var headers = {"Accept": "application/json"};
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(url, {credentials: "same-origin", headers: headers, cache: "no-store"})
      .then(function (response) {
        if (response.status === 304) {
          busyPolls = 0;
          return null;
        }
        if (response.status === 503) {
          busyPolls += 1;
          return busyBody(response).then(function (body) {
            return {busy: backoff(response, body, busyPolls - 1)};
          });
        }
        if (!response.ok) {
          throw new Error(response.status);
        }
        busyPolls = 0;
        var tag = response.headers.get("ETag") || "";
        return response.json().then(function (state) {
          etag = tag;
          return state;
        });
      })
      .then(function (state) {
        if (state && state.busy) {
          window.setTimeout(poll, state.busy);  // the page keeps what it shows meanwhile
          return;
        }
        if (!state && statusEl.textContent === texts.offline) {
          // Back online and nothing changed: say again what the page was saying.
          var status = root.getAttribute("data-status");
          if (status === "voting") {
            message();
          } else {
            say(texts[status]);
          }
        }
        if (state) {
          if (state.poll_ms) {
            pollMs = state.poll_ms;
          }
          apply(state);
          if (!slideId && state.status === "voting") {
            etag = "";  // the texts are still missing: ask for the whole state again
          }
        }
        window.setTimeout(poll, pollMs);
      })
      .catch(function () {
        etag = "";
        say(texts.offline);
        window.setTimeout(poll, RETRY_MS);
      });
  }

  // Post one answer until the server acknowledges it: a busy server (503, or a proxy's 502 or
  // 504) or a lost connection is tried again after a growing, random wait, while the phone
  // says "Saving…". Only a refusal (the round closed, a bad link) ends it with a message.
  // A newer tap of the same statement takes over from an older one still waiting.
  var RETRY_STATUSES = {502: true, 503: true, 504: true};

  function retryLater(item, code, attempt, wait) {
    retrying[item] = true;
    message();
    return new Promise(function (resolve) {
      window.setTimeout(resolve, wait);
    }).then(function () {
      return pending[item] === code ? save(item, code, attempt + 1) : {value: code, stale: true};
    });
  }

  function save(item, code, attempt) {
    return fetch(answerUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({item: item, value: code === "dk" ? null : parseInt(code, 10)})
    }).then(function (response) {
      if (RETRY_STATUSES[response.status]) {
        return busyBody(response).then(function (body) {
          return retryLater(item, code, attempt,
            backoff(response, body, attempt, MAX_ANSWER_BACKOFF_MS));
        });
      }
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        if (!response.ok) {
          throw {userMessage: data.error || texts.saveFailed};
        }
        return data;
      });
    }, function () {
      // No answer at all (the connection dropped): the answer may or may not be stored,
      // and sending it again is safe either way.
      var wait = Math.min(MAX_ANSWER_BACKOFF_MS, RETRY_MS * Math.pow(2, Math.min(attempt, 4) - 2));
      return retryLater(item, code, attempt, wait * (0.5 + Math.random()));
    });
  }

  itemsEl.addEventListener("submit", function (event) {
    var form = event.target.closest("form.live-item");
    var button = event.submitter;
    if (!form || !button || button.name !== "value") {
      return;
    }
    event.preventDefault();
    var item = form.getAttribute("data-item");
    var code = button.value;
    pending[item] = code;
    press(form, code);
    message();
    save(item, code, 0)
      .then(function (data) {
        if (data.stale) {
          return;  // a newer tap of the same statement is being saved instead
        }
        if (pending[item] === code) {
          delete pending[item];
          delete retrying[item];
        }
        answers[item] = data.value;
        message();
      })
      .catch(function (error) {
        if (pending[item] === code) {
          delete pending[item];
          delete retrying[item];
        }
        press(form, answers[item]);
        say(error && error.userMessage ? error.userMessage : texts.saveFailed);
      });
  });

  // The page as served shows the current slide: start from its pressed buttons.
  forms().forEach(function (form) {
    var pressed = form.querySelector('button[aria-pressed="true"]');
    if (pressed) {
      answers[form.getAttribute("data-item")] = pressed.value;
    }
  });
  poll();
})();
