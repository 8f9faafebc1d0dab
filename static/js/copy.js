// Copy buttons: <button data-copy="ID" data-copied="…" data-copy-failed="…"> copies the value of
// the field with that id and announces the outcome in the element named by aria-describedby.
(function () {
  "use strict";

  function announce(button, message) {
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    if (status) {
      status.textContent = message || "";
    }
  }

  function legacyCopy(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    var done = function () { announce(button, button.getAttribute("data-copied")); };
    var failed = function () {
      // Leave the text selected so the user can copy it by hand.
      field.focus();
      field.select();
      announce(button, button.getAttribute("data-copy-failed"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (legacyCopy(field)) { done(); } else { failed(); }
      });
    } else if (legacyCopy(field)) {
      done();
    } else {
      failed();
    }
  });

  // A readonly link field selects itself on focus, so a long press or Ctrl+C copies it whole.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (field) {
      field.addEventListener("focus", function () { field.select(); });
    }
  });
})();
