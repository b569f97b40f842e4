// Progressive enhancement only: the form works the same without this file.
// 1. An exercise's or device's settings show only while it is ticked.
// 2. A cane ticked without a stronger side is caught before the handout is asked for, with the
//    server's words; the server's full list of problems is then fetched (POST /check, which makes
//    nothing) and shown in place, so one press of the button shows every problem, not only this one.
// 3. After a refused submit, the list of problems gets the focus so it is read out first.
"use strict";
(function () {
  document.documentElement.classList.add("js");

  function sync(box) {
    var region = document.getElementById(box.getAttribute("aria-controls"));
    if (region) region.hidden = !box.checked;
  }

  function showSideMessage(form, group, slot, needs) {
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

  function start() {
    var form = document.getElementById("main-form");
    if (!form) return;
    var boxes = form.querySelectorAll("input[data-item]");
    Array.prototype.forEach.call(boxes, function (box) {
      sync(box);
      box.addEventListener("change", function () { sync(box); });
    });

    var group = document.getElementById("stronger-side");
    var slot = document.getElementById("e-stronger_side");
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed || !group || !slot) return;
      var side = form.querySelector('input[name="stronger_side"]:checked');
      if (side && side.value) return;
      var needs = form.querySelector("input[data-side-message]:checked");
      if (!needs) return;
      event.preventDefault();
      showSideMessage(form, group, slot, needs);
      var submitter = event.submitter;
      var fallback = function () {
        var first = group.querySelector('input[type="radio"]');
        if (first) first.focus();
      };
      fetch(form.getAttribute("data-check"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 204) {
            // The server sees no problem after all: send the form as the button asked.
            confirmed = true;
            form.requestSubmit(submitter || undefined);
            return null;
          }
          return response.status === 422 ? response.text() : null;
        })
        .then(function (text) {
          if (text === null) { if (!confirmed) fallback(); return; }
          if (!showServerPage(text)) fallback();
        })
        .catch(fallback);
    });

    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  start();
})();
