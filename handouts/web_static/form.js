// Progressive enhancement only: the form works the same without this file.
// 1. An exercise's or device's settings show only while it is ticked.
// 2. A cane ticked without a stronger side is caught before the form is sent, with the server's words.
// 3. After a refused submit, the list of problems gets the focus so it is read out first.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  var form = document.getElementById("main-form");
  if (!form) return;

  function sync(box) {
    var region = document.getElementById(box.getAttribute("aria-controls"));
    if (region) region.hidden = !box.checked;
  }
  var boxes = form.querySelectorAll("input[data-item]");
  Array.prototype.forEach.call(boxes, function (box) {
    sync(box);
    box.addEventListener("change", function () { sync(box); });
  });

  var group = document.getElementById("stronger-side");
  var slot = document.getElementById("e-stronger_side");
  form.addEventListener("submit", function (event) {
    if (!group || !slot) return;
    var side = form.querySelector('input[name="stronger_side"]:checked');
    if (side && side.value) return;
    var needs = form.querySelector("input[data-side-message]:checked");
    if (!needs) return;
    event.preventDefault();
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
    var first = group.querySelector('input[type="radio"]');
    if (first) first.focus();
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
