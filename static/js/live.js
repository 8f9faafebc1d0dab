// A participant's phone in a workshop: follows the facilitator by polling the state, and saves
// each tap at once. Without this script every tap is a form post that reloads the page.
(function () {
  "use strict";

  var root = document.getElementById("live");
  var template = document.getElementById("live-item-template");
  if (!root || !template || !window.fetch) {
    return;
  }
  var POLL_MS = 1200;
  var RETRY_MS = 2500;
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
    say(revealed ? texts.revealed : (done ? texts.done : texts.voting));
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
      answers = {};
      pending = {};
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

  function poll() {
    var url = stateUrl + "?have=" + encodeURIComponent(slideId);
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}, cache: "no-store"})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        apply(state);
        window.setTimeout(poll, POLL_MS);
      })
      .catch(function () {
        say(texts.offline);
        window.setTimeout(poll, RETRY_MS);
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
    fetch(answerUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({item: item, value: code === "dk" ? null : parseInt(code, 10)})
    })
      .then(function (response) {
        return response.json().catch(function () {
          return {};
        }).then(function (data) {
          if (!response.ok) {
            throw {userMessage: data.error || texts.saveFailed};
          }
          return data;
        });
      })
      .then(function (data) {
        if (pending[item] === code) {
          delete pending[item];
        }
        answers[item] = data.value;
        message();
      })
      .catch(function (error) {
        if (pending[item] === code) {
          delete pending[item];
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
