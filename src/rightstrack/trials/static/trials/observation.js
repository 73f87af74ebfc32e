// Checklist autosave: htmx posts each answer on change; show refusals (400/403/409/413) in place
// instead of dropping them, so the monitor sees why an answer was not saved.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 403 || status === 409 || status === 413) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
