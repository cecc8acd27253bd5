// Live updates: one EventSource per page turns worker events into htmx refreshes. Elements
// that want them listen with hx-trigger="reflect-event from:body". Polling in those same
// triggers keeps pages current when a proxy buffers or blocks the stream.
(function () {
  const baseTitle = document.title.replace(/^\(\d+\) /, "");

  function updateTitle() {
    const bell = document.getElementById("bell");
    const unread = bell ? Number(bell.dataset.unread || 0) : 0;
    document.title = (unread ? "(" + unread + ") " : "") + baseTitle;
  }

  // "Ready: What is the most important…": the event carries the question, shortened.
  function notificationText(event) {
    const outcome = event.status === "succeeded" ? "Ready" : "Failed";
    return event.question ? outcome + ": " + event.question : "Your reflection: " + outcome.toLowerCase();
  }
  window.reflectNotificationText = notificationText;

  function notifyBrowser(event) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    if (event.type !== "reflection" || !["succeeded", "failed"].includes(event.status)) return;
    if (!document.hidden && document.body.dataset.reflection === String(event.id)) return;
    const note = new Notification("Reflect", { body: notificationText(event), tag: "reflection-" + event.id });
    note.onclick = function () { window.focus(); window.location.href = "/reflections/" + event.id + "/"; };
  }

  function dispatch(event) {
    document.body.dispatchEvent(new CustomEvent("reflect-event", { detail: event }));
    document.body.dispatchEvent(new CustomEvent("reflect-" + event.type, { detail: event }));
  }

  if ("EventSource" in window && document.body.dataset.events) {
    // The stream may be on another port of this host (uvicorn beside gunicorn): credentials
    // carry the session cookie there.
    const source = new EventSource(document.body.dataset.events, { withCredentials: true });
    ["reflection", "document", "notification"].forEach(function (type) {
      source.addEventListener(type, function (message) {
        let event;
        try { event = JSON.parse(message.data); } catch (err) { return; }
        dispatch(event);
        notifyBrowser(event);
      });
    });
  }

  // Asked when a person starts a reflection, never on page load.
  window.reflectAskNotificationPermission = function () {
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission();
    }
  };

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-ask-notifications]")) window.reflectAskNotificationPermission();
  });

  // A form that starts paid work is sent once: its buttons are disabled after the first
  // submit (the server also ignores a repeat of the same one-time token).
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("[data-submit-once]") || (event.submitter && event.submitter.hasAttribute("hx-post"))) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  // Destructive forms ask first (data-confirm holds the question): no inline handlers, so
  // the Content-Security-Policy can forbid them.
  document.addEventListener("submit", function (event) {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // The reflection page's live region (role="status") stays in place while htmx swaps the
  // body under it; it is rewritten only when the status line changes, so a screen reader
  // hears each phase once rather than every poll.
  function updateStatusRegion() {
    const region = document.getElementById("reflection-status");
    const line = document.querySelector("[data-status-line]");
    if (!region || !line) return;
    if (region.textContent.trim() !== line.textContent.trim()) region.innerHTML = line.innerHTML;
  }

  document.addEventListener("htmx:afterSwap", updateTitle);
  document.addEventListener("htmx:afterSwap", updateStatusRegion);
  document.addEventListener("DOMContentLoaded", updateTitle);
})();
