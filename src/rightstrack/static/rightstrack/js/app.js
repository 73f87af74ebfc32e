// Small progressive enhancements; every page works without them.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// On wide screens the menu is always open (CSS hides its toggle); on phones it starts closed.
(function () {
  var menu = document.querySelector("details.menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 56rem)");
  function sync() { menu.open = wide.matches; }
  sync();
  wide.addEventListener("change", sync);
})();

// On phones tables become stacked cards and their header row is hidden: each cell takes its column's
// heading as data-label (CSS shows it beside the value). Cells a template labels itself keep their label.
(function () {
  function label(root) {
    var tables = (root.querySelectorAll ? root : document).querySelectorAll("table.table");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          var text = heads[i] ? heads[i].textContent.trim() : "";
          // A cell spanning columns ("nothing recorded yet") belongs to no one column.
          if (text && cell.colSpan === 1 && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", text);
        });
      });
    });
  }
  label(document);
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target.closest("table") || document); });
})();

// Beside each date picker, the picked date written as the page's language writes dates (the picker itself
// follows the browser's locale). The pattern and month names come from the server (core/dates.py).
document.addEventListener("input", function (event) {
  var input = event.target;
  if (input.type !== "date" || !input.id) return;
  var note = document.querySelector('.date-written[data-date-for="' + input.id + '"]');
  if (!note) return;
  var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
  if (!parts) { note.textContent = ""; return; }
  var months = note.getAttribute("data-months").split("|");
  note.textContent = note.getAttribute("data-pattern")
    .replace("{d}", String(parseInt(parts[3], 10)))
    .replace("{m}", months[parseInt(parts[2], 10) - 1])
    .replace("{y}", parts[1]);
});
