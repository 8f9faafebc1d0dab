// Warn before leaving a form page with changes that have not been saved yet.
// Forms opt in with the data-warn-unsaved attribute; saving (submitting) clears the warning.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-warn-unsaved]");
  if (!forms.length) { return; }
  var dirty = false;
  forms.forEach(function (form) {
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return; }
    // Browsers show their own text; returnValue is still needed by some of them.
    event.preventDefault();
    event.returnValue = forms[0].getAttribute("data-warn-message") || "";
    return event.returnValue;
  });
}());
