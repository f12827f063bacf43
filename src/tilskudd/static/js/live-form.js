// The application form (issue #13, points 1 and 2).
//
// 1. Redraw (htmx, hx-trigger="live-change") when a choice marked data-live changes. htmx could
//    filter "change" itself (change[event.target.matches(...)]), but its filters are evaluated with
//    eval, which the Content-Security-Policy forbids; so this tells it instead.
// 2. Autosave: what is typed is posted to the form's data-autosave address 1.5 s after the last
//    keystroke and when a field is left, with the revision the page has; the answer gives the new
//    revision and a quiet status («Lagret kl. 14:03»). If someone else saved first (409), nothing
//    is saved, what the person typed stays in the form and is listed, and saving stops until the
//    page is reloaded — never overwriting the other's save.
// 3. Touched fields: a field that was left is listed in hidden _touched inputs, so the checks show
//    beside it from then on (a new form opens calm).
// 4. Leaving the page with unsaved changes (or a chosen file not yet uploaded) warns.
// 5. A redraw never draws back what was typed while it was under way. A save or a redraw that failed for
//    the server or the network is tried again (one retry, below); a refusal (4xx) is not, and is said.
(function () {
  "use strict";
  var DELAY = 1500, RETRY = 3000;
  var form = document.getElementById("application-form");
  if (!form) { return; }
  var autosaveUrl = form.getAttribute("data-autosave");
  var statusBox = document.getElementById("autosave-status");
  var dirty = false, fileChosen = false, submitting = false, stale = false;
  var timer = null, inFlight = false, again = false, edits = 0, waitingSubmit = null;
  var changed = {};

  function isField(el) {
    return el instanceof Element && el.name && el.name.charAt(0) !== "_" && form.contains(el) &&
      (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA") &&
      el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
  }

  function say(text) { if (statusBox) { statusBox.textContent = text; } }

  function touch(name) {
    var box = document.getElementById("touched-fields");
    if (!box) { return false; }
    var known = box.querySelectorAll("input[name='_touched']");
    for (var i = 0; i < known.length; i++) { if (known[i].value === name) { return false; } }
    var input = document.createElement("input");
    input.type = "hidden"; input.name = "_touched"; input.value = name;
    box.appendChild(input);
    return true;
  }

  function labelOf(el) {
    if (el.labels && el.labels.length) { return el.labels[0].textContent.trim(); }
    var legend = el.closest("fieldset") && el.closest("fieldset").querySelector("legend");
    return legend ? legend.textContent.trim() : el.name;
  }

  function valueOf(name) {
    var values = [];
    var els = form.elements.namedItem(name);
    if (!els) { return ""; }
    var list = els instanceof RadioNodeList ? Array.prototype.slice.call(els) : [els];
    list.forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.tagName === "SELECT" && el.selectedOptions.length) { values.push(el.selectedOptions[0].textContent.trim()); return; }
      if (el.type === "checkbox" || el.type === "radio") { values.push(labelOf(el)); return; }
      values.push(el.value);
    });
    return values.join(", ");
  }

  function showStale(body) {
    stale = true;
    var alertBox = document.getElementById("autosave-alert");
    if (!alertBox) { return; }
    document.getElementById("autosave-alert-text").textContent = body.error || "";
    var reload = document.getElementById("autosave-alert-reload");
    if (body.reload) { reload.setAttribute("href", body.reload); }
    var typed = document.getElementById("autosave-alert-typed");
    typed.textContent = "";
    Object.keys(changed).forEach(function (name) {
      var item = document.createElement("li");
      item.textContent = changed[name] + ": " + valueOf(name);
      typed.appendChild(item);
    });
    if (typed.childNodes.length) {
      var intro = document.createElement("p");
      intro.className = "ds-paragraph";
      intro.textContent = form.getAttribute("data-typed") || "";
      typed.parentNode.insertBefore(intro, typed);
    }
    alertBox.hidden = false;
    say(body.error || "");
  }

  // The findings beside each field left (not the one being typed in), and the task list, as the server sees them now.
  function showFindings(body) {
    Object.keys(body.fields || {}).forEach(function (id) {
      var input = document.getElementById(id);
      if (!input || input === document.activeElement) { return; }
      var found = body.fields[id];
      var old = document.getElementById(id + "-messages");
      if (old) { old.remove(); }
      var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (token) {
        return token && token !== id + "-messages";
      });
      if (found.messages.trim()) {
        var box = input.closest(".ds-field") || input.parentNode;
        box.insertAdjacentHTML("beforeend", found.messages);
        described.push(id + "-messages");
      }
      if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
      else { input.removeAttribute("aria-describedby"); }
      if (found.invalid) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    });
    var list = document.getElementById("task-list");
    if (list && body.tasks) { list.outerHTML = body.tasks; }
  }

  // What the server said when it did not do it: the autosave's JSON «error», or the reason on the site's refusal
  // page (core/refused.html, #not-allowed: a stale CSRF token, say); else the form's «Kunne ikke lagre automatisk».
  function serverSaid(text) {
    try { var said = JSON.parse(text).error; if (said) { return said; } } catch (notJson) { /* a page, not JSON */ }
    var reason = new DOMParser().parseFromString(text || "", "text/html").getElementById("not-allowed");
    return (reason && reason.textContent.trim()) || form.getAttribute("data-failed") || "";
  }

  // One retry for the save and the redraw (issue #9): what the server (5xx) or the network (no status) failed is
  // tried again by itself, a little later each time (step, 2 × step …), ``attempts`` times at most; a refusal (4xx)
  // is not — asked again, it would be refused again. ``later(ms)`` schedules the next try; ``succeeded`` counts anew.
  function retrying(attempts, step, later) {
    var failures = 0;
    return {
      failed: function (status) {
        if ((status >= 400 && status < 500) || failures >= attempts) { return; }
        failures += 1;
        later(step * failures);
      },
      succeeded: function () { failures = 0; }
    };
  }

  // A save: after 3, 6 and 9 s (then the next keystroke, leaving a field or «Lagre» does).
  var saveRetry = retrying(3, RETRY, function (wait) { clearTimeout(timer); timer = setTimeout(save, wait); });

  // ``left``: a field was left for the first time without a change — nothing to save, but the server
  // keeps it as touched and answers with its findings.
  function save(left) {
    if (!autosaveUrl || stale || submitting || !(dirty || left)) { return; }
    if (inFlight) { again = true; return; }
    clearTimeout(timer);
    inFlight = true;
    var sent = edits, wasDirty = dirty;
    var data = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll("input[type='file']"), function (el) { data.delete(el.name); });
    if (dirty) { say(form.getAttribute("data-saving") || ""); }
    fetch(autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.text().then(function (text) { return { status: response.status, text: text }; });
    }).then(function (answer) {
      if (answer.status === 200) {
        var body = JSON.parse(answer.text);  // not JSON (a proxy's page): as no answer, below
        form.querySelector("input[name='revision']").value = body.revision;
        showFindings(body);
        saveRetry.succeeded();
        if (edits === sent) {
          dirty = false; changed = {};
          if (wasDirty) { say(body.status || ""); }  // a field only left: nothing to say
        } else {
          // Typed while this save was under way: that is not saved yet, and the next save (the timer's,
          // or «again») sends it — never «Lagret» for what the server has not got.
          say(form.getAttribute("data-unsaved") || "");
        }
      } else if (answer.status === 409) {
        showStale(JSON.parse(answer.text));
      } else {
        say(serverSaid(answer.text));
        saveRetry.failed(answer.status);
      }
    }).catch(function () {
      // No answer, or not the JSON it should be (the network, a proxy's page): what was typed is still here.
      say(form.getAttribute("data-failed") || "");
      saveRetry.failed();
    }).then(function () {
      inFlight = false;
      if (waitingSubmit && !stale) {
        // «Lagre» was pressed while this save was under way: send the form now, with the new revision
        // (sent before, it would have carried the old one and met our own save as a conflict).
        var submitter = waitingSubmit;
        waitingSubmit = null; again = false;
        form.requestSubmit(submitter instanceof HTMLElement ? submitter : undefined);
        return;
      }
      waitingSubmit = null;
      if (again) { again = false; save(); }
    });
  }

  function edited(el) {
    if (el.type === "file") { fileChosen = !!(el.files && el.files.length); return; }
    dirty = true; edits += 1;
    changed[el.name] = labelOf(el);
    if (!stale) { say(form.getAttribute("data-unsaved") || ""); }
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  form.addEventListener("input", function (event) { if (isField(event.target)) { edited(event.target); } });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (isField(target)) {
      if (target.type !== "file") { touch(target.name); }
      edited(target);
    }
    if (!(target instanceof Element) || !target.matches("[data-live]")) { return; }
    var liveForm = target.closest("form[hx-trigger]");
    if (liveForm) { liveForm.dispatchEvent(new CustomEvent("live-change", { bubbles: true })); }
  });
  form.addEventListener("focusout", function (event) {
    if (!isField(event.target) || event.target.type === "file") { return; }
    var first = touch(event.target.name);
    if (dirty || first) { save(first); }
  });
  // The preview (htmx) need not carry the chosen files: they are uploaded by «Lagre» or «Last opp».
  document.body.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail || {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type='file']"), function (el) {
      if (detail.formData && detail.formData.delete) { detail.formData.delete(el.name); }
      if (detail.parameters && detail.parameters.delete) { detail.parameters.delete(el.name); }
    });
  });
  // The redraw (htmx) is the form as it was when it was asked for. Typed into after that, a field would be
  // drawn back to what it held then: so that redraw is dropped and a new one asked for with what is there
  // now. A redraw that failed (the server busy, the network gone) is asked for again, twice at most (after
  // 0.5 and 1 s); one refused (4xx) is not, and the page says why, where the save says it.
  var redrawEdits = null;
  function redraw(later) {
    setTimeout(function () { form.dispatchEvent(new CustomEvent("live-change", { bubbles: true })); }, later || 0);
  }
  var redrawRetry = retrying(2, 500, redraw);
  form.addEventListener("htmx:beforeRequest", function () { redrawEdits = edits; });
  form.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail || {};
    var status = detail.xhr ? detail.xhr.status : 0;
    if (status >= 400) {
      if (status < 500) { say(serverSaid(detail.xhr.responseText)); }
      redrawRetry.failed(status);
      return;
    }
    if (redrawEdits !== null && edits !== redrawEdits) { detail.shouldSwap = false; redraw(); return; }
    redrawRetry.succeeded();
  });
  form.addEventListener("htmx:sendError", function () { redrawRetry.failed(); });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inFlight) { event.preventDefault(); waitingSubmit = event.submitter || true; return; }
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !(dirty || fileChosen || inFlight)) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
})();
