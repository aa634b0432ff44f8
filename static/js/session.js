// Session-expiry warning (PIPA 안전성 확보조치 기준 제6조④ idle cut-off; WCAG 2.2.1 Timing Adjustable).
// Before the idle session ends, an accessible dialog offers to continue; continuing pings the
// keep-alive URL without leaving the page, so whatever the person typed stays where it is.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var data = script.dataset;
  var expiresIn = parseInt(data.expiresIn, 10) * 1000;
  var warnBefore = parseInt(data.warnBefore, 10) * 1000;
  var timer = null;
  var dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "session-dialog";
    dialog.setAttribute("aria-labelledby", "session-dialog-title");
    dialog.setAttribute("aria-describedby", "session-dialog-text");
    var title = document.createElement("h2");
    title.id = "session-dialog-title";
    title.className = "h4";
    title.textContent = data.title;
    var text = document.createElement("p");
    text.id = "session-dialog-text";
    text.textContent = data.text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary";
    button.textContent = data.continueLabel;
    button.addEventListener("click", extend);
    dialog.append(title, text, button);
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); extend(); });
    document.body.appendChild(dialog);
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(warn, Math.max(expiresIn - warnBefore, 0));
  }

  function warn() {
    if (!dialog) { build(); }
    if (!dialog.open) { dialog.showModal(); }
  }

  function extend() {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", data.csrf);
    fetch(data.extendUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (json) {
        expiresIn = json.expires_in * 1000;
        dialog.close();
        announce(data.extended);
        schedule();
      })
      .catch(function () { window.location.reload(); });
  }

  function announce(message) {
    var region = document.getElementById("session-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "session-status";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = message;
  }

  schedule();
})();
