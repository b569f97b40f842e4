// Progressive enhancement only: the form works without this file (the server checks everything).
// 1. An exercise's or device's settings show only while it is ticked.
// 2. The order things are ticked in is kept (hidden field "order"): the handout prints them in it.
// 3. Before the handout is made, the server is asked for every problem (POST /check, which makes
//    nothing); they are shown in place, so the form is never left and nothing typed is lost. A cane
//    without a stronger side is shown at once, in the server's words. When the check passes, the
//    problems shown before are cleared. A token that a server restart made stale is renewed first.
// 4. One patient at a time: see patient.js (the questions asked before printing).
// 5. A handout for the same patient with fewer doses than the last one made from this tab is only made
//    after the therapist has seen a warning.
// 6. The handout is printed from this page: its PDF is fetched and printed from a hidden frame, so no
//    tab opens and no patient's name reaches the browser's history.
// 7. A previous handout's differences are listed before printing (see showChanges).
"use strict";
(function () {
  document.documentElement.classList.add("js");
  var Keep = window.HandoutsKeep;
  var LAST = "handouts.last";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function sync(box) {
    var id = box.getAttribute("aria-controls");
    var region = id ? document.getElementById(id) : null;
    if (region) region.hidden = !box.checked;
    if (id) box.setAttribute("aria-expanded", box.checked ? "true" : "false");
  }

  function keepOrder(form, boxes) {
    var field = form.querySelector('input[name="order"]');
    if (!field) return function () {};
    var order = field.value.split(/\s+/).filter(Boolean);
    each(boxes, function (box) {
      if (box.checked && order.indexOf(box.value) < 0) order.push(box.value);
    });
    function write() { field.value = order.join(" "); }
    write();
    return function (box) {
      order = order.filter(function (id) { return id !== box.value; });
      if (box.checked) order.push(box.value);
      write();
    };
  }

  function showSideMessage(group, slot, needs) {
    slot.textContent = "";
    var p = document.createElement("p");
    var tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = "Error:";
    p.appendChild(tag);
    p.appendChild(document.createTextNode(" " + group.getAttribute("data-label") + ": " +
      needs.getAttribute("data-side-message")));
    slot.appendChild(p);
    slot.hidden = false;
    group.classList.add("has-error");
    group.setAttribute("aria-invalid", "true");
  }

  // The server's page of problems replaces this one's main part: the same markup a refused submit
  // without the script gets, with everything typed kept (the server sends it back).
  function showServerPage(text) {
    var fresh = new DOMParser().parseFromString(text, "text/html");
    var main = fresh.querySelector("main");
    var old = document.querySelector("main");
    if (!main || !old || !main.querySelector("#main-form")) return false;
    old.replaceWith(document.importNode(main, true));
    document.title = fresh.title;
    start();
    return true;
  }

  // A post too big to read comes back as an empty form with one problem: show the problem, keep the form.
  function showSummaryOnly(text) {
    var fresh = new DOMParser().parseFromString(text, "text/html");
    var summary = fresh.getElementById("error-summary");
    var main = document.querySelector("main");
    if (!summary || !main) return false;
    var old = document.getElementById("error-summary");
    if (old) old.remove();
    main.insertBefore(document.importNode(summary, true), document.getElementById("main-form"));
    document.getElementById("error-summary").focus();
    return true;
  }

  // Problems shown before, once the server finds none: nothing fixed stays on screen as an error.
  function clearErrors(form) {
    var summary = document.getElementById("error-summary");
    if (summary) summary.remove();
    each(form.querySelectorAll(".error"), function (el) {
      if (el.id === "e-stronger_side") { el.hidden = true; el.textContent = ""; } else { el.remove(); }
    });
    each(form.querySelectorAll(".has-error"), function (el) { el.classList.remove("has-error"); });
    each(form.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
    each(form.querySelectorAll("[aria-describedby]"), function (el) {
      var ids = el.getAttribute("aria-describedby").split(/\s+/).filter(function (id) {
        return document.getElementById(id) && id.indexOf("e-") !== 0;
      });
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    document.title = document.title.replace(/^Please fix the form: /, "");
  }

  function doseCount(form) {
    var n = 0;
    each(form.querySelectorAll(".doses input"), function (input) {
      var region = input.closest(".settings");
      if (input.value.trim() && !(region && region.hidden)) n++;
    });
    return n;
  }

  function readLast() {
    try { return JSON.parse(window.sessionStorage.getItem(LAST) || "null"); } catch (e) { return null; }
  }

  function writeLast(value) {
    try { window.sessionStorage.setItem(LAST, JSON.stringify(value)); } catch (e) { /* storage off */ }
  }

  // A fresh token from the form's own page (the server restarted, or the session ended). If the
  // server asks for the password again, the tab's kept fields come back after logging in.
  function renewToken(form) {
    Keep.save(form);
    var home = document.getElementById("new-patient");  // the form's own address, wherever this page is
    return fetch(home ? home.href : "/", { credentials: "same-origin" }).then(function (response) {
      if (/\/login$/.test(new URL(response.url).pathname)) {
        window.location.assign(response.url);
        return false;
      }
      return response.text().then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.querySelector('input[name="csrf_token"]');
        if (!fresh) return false;
        each(document.querySelectorAll('input[name="csrf_token"]'), function (input) { input.value = fresh.value; });
        return true;
      });
    });
  }

  // POST the form to `url`; a 403 (a stale token) is answered once by renewing the token and sending again.
  function post(form, url, renewed) {
    return fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" }).then(function (r) {
      if (r.status !== 403 || renewed) return r;
      return renewToken(form).then(function (ok) { return ok ? post(form, url, true) : r; });
    });
  }

  function printPdf(blob) {
    var old = document.getElementById("printer");
    if (old) {
      URL.revokeObjectURL(old.src);
      old.remove();
    }
    var frame = document.createElement("iframe");
    frame.id = "printer";
    frame.className = "printer";
    frame.title = "The handout, for printing";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.addEventListener("load", function () {
      frame.contentWindow.focus();
      frame.contentWindow.print();
    });
    frame.src = URL.createObjectURL(blob);
    document.body.appendChild(frame);
  }

  function say(text) {
    var status = document.getElementById("print-status");
    if (status) status.textContent = text;
  }

  var Patient = window.HandoutsPatient;

  // A handout for the same patient with fewer doses than the last one made from this tab waits for a
  // second press, after a warning (`warned` remembers which count was warned about).
  function fewerDoses(form, warned) {
    var warning = document.getElementById("dose-warning");
    if (!warning) return false;
    var last = readLast();
    var now = { who: Patient.patientKey(form), doses: doseCount(form) };
    var worry = last && last.who === now.who && now.doses < last.doses;
    if (!worry || warned.doses === now.doses) return false;
    warned.doses = now.doses;
    warning.textContent = "Warning: the last handout for this patient, made from this tab, had " + last.doses +
      " dose" + (last.doses === 1 ? "" : "s") + " filled in; this one has " + now.doses + ". " +
      "Check the doses, then press Make handout again to print it as it is.";
    warning.hidden = false;
    warning.setAttribute("tabindex", "-1");
    warning.focus();
    return true;
  }

  function sideFirst(form) {
    var group = document.getElementById("stronger-side");
    var slot = document.getElementById("e-stronger_side");
    var side = form.querySelector('input[name="stronger_side"]:checked');
    var needs = form.querySelector("input[data-side-message]:checked");
    if (group && slot && needs && !(side && side.value)) showSideMessage(group, slot, needs);
  }

  // The server's answer when it is not what was asked for: its problems in place, or a plain word.
  function answered(response) {
    if (response.status === 204) return true;
    return response.text().then(function (text) {
      if (response.status === 413 && showSummaryOnly(text)) return false;
      if (response.status === 422 && showServerPage(text)) return false;
      say("The server refused it (" + response.status + "); nothing typed is lost. Press the button again.");
      return false;
    });
  }

  function make(form) {
    say("Making the handout for " + Patient.nameOf(form) + "…");
    return post(form, form.getAttribute("action")).then(function (response) {
      var kind = response.headers.get("Content-Type") || "";
      if (!response.ok || kind.indexOf("application/pdf") !== 0) return answered(response);
      return response.blob().then(function (blob) {
        printPdf(blob);
        writeLast({ who: Patient.patientKey(form), doses: doseCount(form) });
        Keep.set({ made: { who: Patient.who(form), name: Patient.nameOf(form) }, agreed: null });
        say("The handout for " + Patient.nameOf(form) + " is ready: print it from the dialog.");
      });
    });
  }

  // Save patient file: fetched, then handed to the browser as a download; a refusal never replaces the form.
  function save(form, url) {
    return post(form, url).then(function (response) {
      var named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      if (!response.ok || !named) return answered(response);
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = named[1];
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
        say("Saved " + named[1] + " to this computer's downloads.");
      });
    });
  }

  // 7. The previous handout: what the new one will mark as changed is listed in the page (POST /changes,
  //    which prints nothing) as soon as the file is chosen, for the therapist to check with the patient.
  //    Only the list is replaced, so the chosen file stays and Make handout sends it; a refusal (another
  //    patient's handout) is shown by its field.
  function showChanges(form, button) {
    var input = document.getElementById("f-previous");
    if (!input || !input.files || !input.files.length) return Promise.resolve();
    say("Comparing with " + input.files[0].name + "…");
    return post(form, button.getAttribute("formaction")).then(function (response) {
      if (!response.ok) return answered(response);
      return response.text().then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("changes");
        var old = document.getElementById("changes");
        if (!fresh || !old) return;
        each(fresh.querySelectorAll(".nojs-only"), function (el) { el.remove(); });
        var error = document.getElementById("e-previous");
        if (error) error.remove();
        input.removeAttribute("aria-invalid");
        old.replaceWith(document.importNode(fresh, true));
        say("");
      });
    });
  }

  function previous(form) {
    var input = document.getElementById("f-previous");
    var button = document.getElementById("show-changes");
    if (!input || !button) return;
    input.addEventListener("change", function () {
      showChanges(form, button).catch(function () {
        say("The form's server did not answer; nothing typed is lost. Check it is running, then choose the file again.");
      });
    });
  }

  function send(form, submitter) {
    if (submitter.id === "show-changes") return showChanges(form, submitter);
    return post(form, form.getAttribute("data-check")).then(answered).then(function (ok) {
      if (!ok) return;
      clearErrors(form);
      return submitter.id === "make" ? make(form) : save(form, submitter.getAttribute("formaction"));
    });
  }

  function onSubmit(form) {
    var warned = { doses: null };
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var submitter = event.submitter;
      if (!submitter || submitter.disabled) return;  // Enter in a text box never sends the form
      var making = submitter.id === "make";
      (making ? Patient.askIfNewPatient(form) : Promise.resolve(true))
        .then(function (go) { return go && making ? Patient.askIfEmpty(form) : go; })
        .then(function (go) {
          if (!go || (making && fewerDoses(form, warned))) return;
          sideFirst(form);
          return send(form, submitter);
        })
        .catch(function () {
          say("The form's server did not answer; nothing typed is lost. Check it is running, then press the button again.");
        });
    });
  }

  function start() {
    var form = document.getElementById("main-form");
    if (!form) return;
    var boxes = form.querySelectorAll("input[data-item]");
    var reorder = keepOrder(form, boxes);
    each(boxes, function (box) {
      sync(box);
      box.addEventListener("change", function () { sync(box); reorder(box); });
    });
    form.addEventListener("handouts:cleared", function () {
      each(boxes, function (box) { sync(box); reorder(box); });
    });
    ["input", "change", "handouts:cleared"].forEach(function (kind) {
      form.addEventListener(kind, function () { Keep.save(form); });
    });
    form.addEventListener("toggle", function () { Keep.save(form); }, true);  // open joint groups
    if (window.HandoutsLibrary) window.HandoutsLibrary.start();
    Patient.bind(form);
    language(form);
    previous(form);
    onSubmit(form);
    var errors = document.getElementById("error-summary");
    if (errors) errors.focus();
  }

  // The draft's warning shows for the language chosen (the choice's own label says which language).
  function language(form) {
    var select = form.querySelector('select[name="language"]');
    if (!select) return;
    function show() {
      document.querySelectorAll(".language-draft").forEach(function (p) {
        p.hidden = p.getAttribute("data-language") !== select.value;
      });
    }
    select.addEventListener("change", show);
    show();
  }

  start();
})();
