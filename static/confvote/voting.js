// Voting page: keyboard shortcuts and focus handling. Voting itself works without this file
// (plain form posts) and without htmx; with htmx a vote is saved without a page reload.
(function () {
  "use strict";
  var movedByKey = false;

  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".vote-card")); }
  function cardOf(element) { return element && element.closest ? element.closest(".vote-card") : null; }

  function focusCard(card) {
    if (!card) { return; }
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function step(card, delta) {
    var all = cards();
    var index = all.indexOf(card);
    focusCard(all[Math.min(Math.max(index + delta, 0), all.length - 1)] || all[0]);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") { return; }
    var card = cardOf(event.target) || cardOf(document.activeElement);
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      if (!card) { focusCard(cards()[0]); return; }
      step(card, event.key === "j" ? 1 : -1);
      return;
    }
    if (!card) { return; }
    var button = card.querySelector('[data-key="' + event.key.toLowerCase() + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      movedByKey = true;
      button.click();
    }
  });

  // After htmx swaps in the saved vote form: move on to the next talk when the vote came from a key,
  // otherwise keep the focus on the card that was voted on. The response also updates the progress
  // line out of band, which settles separately: only the form's own event counts.
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = event.detail.elt;
    if (!form || !form.classList || !form.classList.contains("vote-form")) { return; }
    var card = cardOf(form);
    var failed = event.detail.xhr && event.detail.xhr.status >= 400;
    if (movedByKey && !failed) { step(card, 1); } else { focusCard(card); }
    movedByKey = false;
  });

  // A 4xx that is not one of our card fragments (e.g. an expired CSRF token): keep the card and
  // say what happened in its status line instead of swapping in a whole error page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 400 || xhr.getResponseHeader("X-Confvote-Fragment")) { return; }
    event.detail.shouldSwap = false;
    var card = cardOf(event.detail.target);
    var status = card && card.querySelector(".vote-status");
    if (status) {
      status.classList.add("vote-error");
      status.textContent = xhr.status === 403
        ? "Not saved: your session expired or you were logged out. Reload the page and try again."
        : "Not saved (error " + xhr.status + "). Reload the page and try again.";
    }
    movedByKey = false;
  });

  document.addEventListener("htmx:sendError", function (event) {
    var card = cardOf(event.detail.elt);
    var status = card && card.querySelector(".vote-status");
    if (status) { status.classList.add("vote-error"); status.textContent = "Not saved: no connection. Try again."; }
  });
}());
