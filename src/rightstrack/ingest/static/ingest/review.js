// Keyboard review of suggestions: J/K move between them, A accepts, E edits, R rejects the focused one.
// Every action is also an ordinary button or link, so the page works without this file.
(function () {
  function items() { return Array.prototype.slice.call(document.querySelectorAll("li.suggestion")); }
  function current() {
    var el = document.activeElement;
    return el && el.closest ? el.closest("li.suggestion") : null;
  }
  function move(step) {
    var list = items();
    if (!list.length) return;
    var index = list.indexOf(current());
    var next = list[Math.max(0, Math.min(list.length - 1, index + step))] || list[0];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = (event.key || "").toLowerCase();
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
      return;
    }
    var item = current();
    if (!item) return;
    var control = item.querySelector('[data-key="' + key + '"]');
    if (control) {
      event.preventDefault();
      control.click();
    }
  });
  // The record accepted suggestions go into: every accept form sends the choice shown in the select,
  // even before "Use this one" reloads the page with it (that button is for browsers without this file).
  function syncTarget() {
    var select = document.getElementById("target-choice");
    if (!select) return;
    document.querySelectorAll("input[data-target-value]").forEach(function (input) { input.value = select.value; });
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "target-choice") syncTarget();
  });
  // A refused accept answers 400 (or 403/409) with the card showing why: swap it in like a success,
  // otherwise htmx drops it and the click seems to do nothing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 403 || status === 409) && target && /^suggestion-\d+$/.test(target.id)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // After a card is replaced, keep the keyboard where it was: on the card, or in its edit form.
  document.addEventListener("htmx:afterSwap", function (event) {
    syncTarget();
    var swapped = event.detail && event.detail.target;
    if (!swapped || !swapped.id) return;
    var card = document.getElementById(swapped.id);
    if (!card) return;
    // A refusal puts the keyboard on the field that fixes it.
    var field =
      card.querySelector(".has-error input, .has-error textarea, .has-error select") ||
      card.querySelector("form.suggestion-edit input:not([type=hidden]), form.suggestion-edit textarea");
    (field || card).focus();
  });
})();
