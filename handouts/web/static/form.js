// Progressive enhancement only: the form works without this file (the server checks everything).
// 1. An exercise's or device's settings show only while it is ticked.
// 2. The order things are ticked in is kept (hidden field "order"): the handout prints them in it.
// 3. Before the handout is made, the server is asked for every problem (POST /check, which makes
//    nothing); they are shown in place, so the form is never left and nothing typed is lost. A cane
//    without a stronger side is shown at once, in the server's words.
// 4. A handout for the same patient with fewer doses than the last one made from this tab (after a
//    Back or a reload emptied them) is only made after the therapist has seen a warning. The tab keeps
//    only a 32-bit hash of the name and ID and the number of doses, never what was typed.
// 5. After a refused submit, the list of problems gets the focus so it is read out first.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  var LAST = "handouts.last";

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
    Array.prototype.forEach.call(boxes, function (box) {
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
    if (!main || !old) return false;
    old.replaceWith(document.importNode(main, true));
    document.title = fresh.title;
    start();
    return true;
  }

  function patientKey(form) {
    var text = ["name", "patient_id"].map(function (n) {
      var field = form.elements[n];
      return field ? field.value.trim().toLowerCase().replace(/\s+/g, " ") : "";
    }).join("|");
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16);
  }

  function doseCount(form) {
    var n = 0;
    Array.prototype.forEach.call(form.querySelectorAll(".doses input"), function (input) {
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

  function start() {
    var form = document.getElementById("main-form");
    if (!form) return;
    var boxes = form.querySelectorAll("input[data-item]");
    var reorder = keepOrder(form, boxes);
    Array.prototype.forEach.call(boxes, function (box) {
      sync(box);
      box.addEventListener("change", function () { sync(box); reorder(box); });
    });

    var group = document.getElementById("stronger-side");
    var slot = document.getElementById("e-stronger_side");
    var warning = document.getElementById("dose-warning");
    var confirmed = false;
    var warnedFor = null;

    function fewerDoses(submitter) {
      if (!warning || !submitter || submitter.id !== "make") return false;
      var last = readLast();
      var now = { who: patientKey(form), doses: doseCount(form) };
      var ask = last && last.who === now.who && now.doses < last.doses;
      if (!ask || warnedFor === now.doses) return false;
      warnedFor = now.doses;
      warning.textContent = "Warning: the last handout for this patient, made from this tab, had " + last.doses +
        " dose" + (last.doses === 1 ? "" : "s") + " filled in; this one has " + now.doses + ". " +
        "A Back or a reload can empty them. Check the doses, then press Make handout again to print it as it is.";
      warning.hidden = false;
      warning.setAttribute("tabindex", "-1");
      warning.focus();
      return true;
    }

    form.addEventListener("submit", function (event) {
      if (confirmed) {
        confirmed = false;
        if (event.submitter && event.submitter.id === "make") {
          writeLast({ who: patientKey(form), doses: doseCount(form) });
        }
        return;
      }
      event.preventDefault();
      var submitter = event.submitter;
      if (fewerDoses(submitter)) return;
      var side = form.querySelector('input[name="stronger_side"]:checked');
      var needs = form.querySelector("input[data-side-message]:checked");
      if (group && slot && needs && !(side && side.value)) showSideMessage(group, slot, needs);
      var send = function () {
        confirmed = true;
        form.requestSubmit(submitter || undefined);
      };
      fetch(form.getAttribute("data-check"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 422) return response.text();
          send();  // no problem (204), or an answer only the server's own page explains (403)
          return null;
        })
        .then(function (text) {
          if (text !== null && !showServerPage(text)) send();
        })
        .catch(send);
    });

    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  // The draft's warning shows for the language chosen (the choice's own label says which language).
  function language() {
    var select = document.querySelector('select[name="language"]');
    if (!select) return;
    function say() {
      document.querySelectorAll(".language-draft").forEach(function (p) {
        p.hidden = p.getAttribute("data-language") !== select.value;
      });
    }
    select.addEventListener("change", say);
    say();
  }

  start();
  language();
})();
