// The application form redraws (htmx, hx-trigger="live-change") when a choice marked data-live
// changes. htmx could filter "change" itself (change[event.target.matches(...)]), but its filters
// are evaluated with eval, which the Content-Security-Policy forbids; so this tells it instead.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (!(target instanceof Element) || !target.matches("[data-live]")) { return; }
  var form = target.closest("form[hx-trigger]");
  if (form) { form.dispatchEvent(new CustomEvent("live-change", { bubbles: true })); }
});
