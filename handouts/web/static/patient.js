// One patient at a time (the page's questions, in a modal dialog):
// - once this tab has made a handout, changing the name, ID or date of birth asks whether the plan is
//   for the new patient (keep it, or clear it and keep the new patient's details), once per handout;
// - a plan with no exercise and no equipment asks before printing;
// - New patient clears the form for the next one, asking first when a name or a plan is there;
// - the line beside Make handout says whose plan it prints.
"use strict";
(function () {
  var Keep = window.HandoutsKeep;
  var WHO = ["name", "patient_id", "birth_date"];

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

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
      dialog.focus();  // no answer is the default: Enter pressed by habit answers nothing
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

  function newPatient(form, link) {
    var empty = planSize(form) === 0 && !(form.elements.name && form.elements.name.value.trim());
    var go = empty ? Promise.resolve(true) : ask(
      "Clear the form for a new patient?",
      "The name, identifiers, exercises, equipment and notes of " + nameOf(form) + " are cleared from " +
        "this form. Therapist, clinic, phone, layout and paper stay.",
      "Clear for a new patient",
      "Keep this patient"
    );
    go.then(function (yes) {
      if (!yes) return;
      Keep.clear();
      window.location.replace(link.href);  // the server's empty form, with the desk's fields put back
    });
  }

  function bind(form) {
    summary(form);
    ["input", "change", "handouts:cleared"].forEach(function (kind) {
      form.addEventListener(kind, function () { summary(form); });
    });
    WHO.forEach(function (n) {
      if (form.elements[n]) form.elements[n].addEventListener("change", function () { askIfNewPatient(form); });
    });
    var link = document.getElementById("new-patient");
    if (link) link.onclick = function (event) { event.preventDefault(); newPatient(form, link); };
  }

  window.HandoutsPatient = {
    bind: bind,
    who: who,
    nameOf: nameOf,
    patientKey: patientKey,
    askIfNewPatient: askIfNewPatient,
    askIfEmpty: askIfEmpty
  };
})();
