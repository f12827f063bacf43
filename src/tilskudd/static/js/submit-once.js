// Progressive enhancement: a second click on a button that sends a form does nothing (the server is
// idempotent too). A file of its own, not inline: the Content-Security-Policy allows no inline script.
document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var button = form.querySelector("button[type=submit]");
    if (button) {
      setTimeout(function () {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
        if (button.dataset.busy) { button.textContent = button.dataset.busy; }
      }, 0);
    }
  });
});
