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
