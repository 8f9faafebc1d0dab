// The import page: polls the job's status and moves the progress bar; reloads the page
// when the job ends so the server shows the result (or the file's problems).
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box || box.dataset.state !== "running") return;
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var url = box.dataset.statusUrl;
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { window.setTimeout(poll, 2000); return; }
        if (s.state !== "running") { window.location.reload(); return; }
        bar.value = s.percent;
        bar.textContent = s.percent + " %";
        text.textContent = text.textContent.replace(/^\d+/, String(s.percent));
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
