// Progressive enhancement only: the form works without this file (the server checks everything).
// 1. An exercise's or device's settings show only while it is ticked.
// 2. The order things are ticked in is kept (hidden field "order"): the handout prints them in it.
// 3. Before the handout is made, the server is asked for every problem (POST /check, which makes
//    nothing); they are shown in place, so the form is never left and nothing typed is lost. A cane
//    without a stronger side is shown at once, in the server's words. When the check passes, the
//    problems shown before are cleared. A token that a server restart made stale is renewed first.
// 4. One patient at a time: once this tab has made a handout, changing the name, ID or date of birth
//    asks whether the plan is for the new patient; an empty plan asks before printing; New patient
//    clears the form (asking first when a plan is there); the line beside Make handout says whose plan.
// 5. A handout for the same patient with fewer doses than the last one made from this tab is only made
//    after the therapist has seen a warning.
// 6. The handout is printed from this page: its PDF is fetched and printed from a hidden frame, so no
//    tab opens and no patient's name reaches the browser's history.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  var Keep = window.HandoutsKeep;
  var LAST = "handouts.last";
  var WHO = ["name", "patient_id", "birth_date"];

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

  function who(form) {
    return WHO.map(function (n) {
      var field = form.elements[n];
      return field ? field.value.trim().toLowerCase().replace(/\s+/g, " ") : "";
    }).join("|");
  }

  function patientKey(form) {
    var text = who(form).split("|").slice(0, 2).join("|");
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16);
  }

  function nameOf(form) {
    var name = form.elements.name ? form.elements.name.value.trim() : "";
    return name || "a patient with no name yet";
  }

  function ticked(form, box) {
    return form.querySelectorAll('input[name="' + box + '"]:checked').length;
  }

  function planSize(form) {
    var notes = form.elements.notes && form.elements.notes.value.trim() ? 1 : 0;
    return ticked(form, "exercise") + ticked(form, "device") + notes;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function summary(form) {
    var line = document.getElementById("plan-summary");
    if (!line) return;
    line.textContent = "Plan for " + nameOf(form) + ": " + plural(ticked(form, "exercise"), "exercise", "exercises") +
      ", " + plural(ticked(form, "device"), "piece of equipment", "pieces of equipment");
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

  // A question in a modal dialog; resolves true for the first answer, false for the second or Escape.
  function ask(title, text, yes, no) {
    var dialog = document.getElementById("ask");
    if (!dialog || typeof dialog.showModal !== "function") return Promise.resolve(window.confirm(text));
    document.getElementById("ask-title").textContent = title;
    document.getElementById("ask-text").textContent = text;
    var yesButton = document.getElementById("ask-yes");
    var noButton = document.getElementById("ask-no");
    yesButton.textContent = yes;
    noButton.textContent = no;
    return new Promise(function (resolve) {
      function done(answer) {
        yesButton.onclick = noButton.onclick = dialog.oncancel = null;
        if (dialog.open) dialog.close();
        resolve(answer);
      }
      yesButton.onclick = function () { done(true); };
      noButton.onclick = function () { done(false); };
      dialog.oncancel = function (event) { event.preventDefault(); done(false); };
      dialog.showModal();
      yesButton.focus();
    });
  }

  // The plan (what is ticked, its settings, the notes, the stronger side), not who it is for.
  function clearPlan(form) {
    each(form.querySelectorAll("input[data-item]:checked"), function (box) {
      box.checked = false;
    });
    each(form.querySelectorAll(".settings input"), function (input) {
      if (input.type === "radio" || input.type === "checkbox") input.checked = input.defaultChecked;
      else input.value = "";
    });
    ["notes", "log_weeks"].forEach(function (n) { if (form.elements[n]) form.elements[n].value = ""; });
    each(form.querySelectorAll('input[name="stronger_side"], input[name="background"]'), function (input) {
      input.checked = input.type === "radio" && input.value === "";
    });
    form.dispatchEvent(new Event("handouts:cleared"));
  }

  // The next patient typed over the last one: ask whether the plan is theirs too, once per patient.
  // Leaving the name box (its change) and pressing Make handout at once share the one question.
  var asking = null;
  function askIfNewPatient(form) {
    if (!asking) {
      asking = askNewPatient(form).then(function (go) { asking = null; return go; });
    }
    return asking;
  }

  function askNewPatient(form) {
    var state = Keep.get();
    var now = who(form);
    // Asked once after each handout: the ID and birth date typed after the name are the same new patient.
    if (!state.made || state.made.who === now || state.agreed === state.made.who || planSize(form) === 0) {
      return Promise.resolve(true);
    }
    var next = nameOf(form);
    return ask(
      "Is this plan for " + next + "?",
      "This form made the handout for " + state.made.name + ". Its exercises, equipment and notes are still " +
        "ticked. Keep them for " + next + ", or clear them and choose " + next + "'s own?",
      "Keep this plan for " + next,
      "Clear the plan"
    ).then(function (keep) {
      Keep.set({ agreed: state.made.who });
      if (!keep) {
        clearPlan(form);
        Keep.save(form);
      }
      return keep;
    });
  }

  function askIfEmpty(form) {
    if (ticked(form, "exercise") + ticked(form, "device") > 0) return Promise.resolve(true);
    return ask(
      "Print a handout with no exercise or equipment?",
      "Nothing is ticked under Exercises or Equipment, so the handout for " + nameOf(form) +
        " would hold only the general sections.",
      "Print it anyway",
      "Go back to the form"
    );
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
    if (window.HandoutsLibrary) window.HandoutsLibrary.start();
    language(form);
    summary(form);

    function changed() {
      Keep.save(form);
      summary(form);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("handouts:cleared", changed);
    form.addEventListener("toggle", function () { Keep.save(form); }, true);
    WHO.forEach(function (n) {
      if (form.elements[n]) form.elements[n].addEventListener("change", function () { askIfNewPatient(form); });
    });

    var group = document.getElementById("stronger-side");
    var slot = document.getElementById("e-stronger_side");
    var warning = document.getElementById("dose-warning");
    var warnedFor = null;

    function fewerDoses(submitter) {
      if (!warning || !submitter || submitter.id !== "make") return false;
      var last = readLast();
      var now = { who: patientKey(form), doses: doseCount(form) };
      var worry = last && last.who === now.who && now.doses < last.doses;
      if (!worry || warnedFor === now.doses) return false;
      warnedFor = now.doses;
      warning.textContent = "Warning: the last handout for this patient, made from this tab, had " + last.doses +
        " dose" + (last.doses === 1 ? "" : "s") + " filled in; this one has " + now.doses + ". " +
        "Check the doses, then press Make handout again to print it as it is.";
      warning.hidden = false;
      warning.setAttribute("tabindex", "-1");
      warning.focus();
      return true;
    }

    function printed() {
      writeLast({ who: patientKey(form), doses: doseCount(form) });
      Keep.set({ made: { who: who(form), name: nameOf(form) }, agreed: null });
      say("The handout for " + nameOf(form) + " is ready: print it from the dialog.");
    }

    function answered(response) {
      if (response.status === 204) return true;
      return response.text().then(function (text) {
        if (response.status === 413 && showSummaryOnly(text)) return false;
        if (response.status === 422 && showServerPage(text)) return false;
        say("The server refused it (" + response.status + "); nothing typed is lost. Press the button again.");
        return false;
      });
    }

    function make() {
      say("Making the handout for " + nameOf(form) + "…");
      return post(form, form.getAttribute("action")).then(function (response) {
        var kind = response.headers.get("Content-Type") || "";
        if (response.ok && kind.indexOf("application/pdf") === 0) {
          return response.blob().then(function (blob) { printPdf(blob); printed(); });
        }
        return answered(response);
      });
    }

    // Save patient file: fetched, then handed to the browser as a download; a refusal never replaces the form.
    function save(url) {
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

    function checked(submitter) {
      return post(form, form.getAttribute("data-check")).then(answered).then(function (ok) {
        if (!ok) return;
        clearErrors(form);
        if (submitter.id === "make") return make();
        return save(submitter.getAttribute("formaction"));
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var submitter = event.submitter;
      if (!submitter || submitter.disabled) return;  // Enter in a text box never sends the form
      var making = submitter.id === "make";
      (making ? askIfNewPatient(form) : Promise.resolve(true))
        .then(function (go) { return go && making ? askIfEmpty(form) : go; })
        .then(function (go) {
          if (!go || fewerDoses(submitter)) return;
          var side = form.querySelector('input[name="stronger_side"]:checked');
          var needs = form.querySelector("input[data-side-message]:checked");
          if (group && slot && needs && !(side && side.value)) showSideMessage(group, slot, needs);
          return checked(submitter);
        })
        .catch(function () {
          say("The form's server did not answer; nothing typed is lost. Check it is running, then press the button again.");
        });
    });

    var newPatient = document.getElementById("new-patient");
    if (newPatient) {
      newPatient.onclick = function (event) {
        event.preventDefault();
        var go = planSize(form) === 0 && !(form.elements.name && form.elements.name.value.trim())
          ? Promise.resolve(true)
          : ask(
            "Clear the form for a new patient?",
            "The name, identifiers, exercises, equipment and notes of " + nameOf(form) + " are cleared from " +
              "this form. Therapist, clinic, phone, layout and paper stay.",
            "Clear for a new patient",
            "Keep this patient"
          );
        go.then(function (yes) {
          if (!yes) return;
          Keep.clear();
          window.location.replace(newPatient.href);
        });
      };
    }

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
