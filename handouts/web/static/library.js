// A move in two seconds: the box above the exercise library keeps only the moves whose names (the
// clinician's and the handout's), joint or kind hold every word typed ("calf", "walking", "ROM",
// "shoulder stretch"), and opens the joint groups that still have one. Emptied, each group is open
// again only if a move in it is ticked. Without the script the box is hidden and the groups fold.
"use strict";
(function () {
  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function filter(input, count) {
    var wanted = words(input.value);
    var found = 0;
    document.querySelectorAll("#library details.joint").forEach(function (group) {
      var any = false;
      group.querySelectorAll(".item[data-search]").forEach(function (item) {
        var text = item.getAttribute("data-search");
        var hit = wanted.every(function (w) { return text.indexOf(w) >= 0; });
        item.hidden = !hit;
        if (hit) { any = true; found++; }
      });
      if (wanted.length) {
        group.hidden = !any;
        group.open = any;
      } else {
        group.hidden = false;
        group.open = group.querySelector("input[data-item]:checked") !== null;
      }
    });
    if (count) {
      count.textContent = !wanted.length ? "" : found === 0 ? "No move matches; try fewer letters."
        : found + " move" + (found === 1 ? "" : "s") + " match.";
    }
  }

  function start() {
    var input = document.getElementById("library-filter");
    if (!input || input.getAttribute("data-ready")) return;
    input.setAttribute("data-ready", "1");
    var count = document.getElementById("library-count");
    input.addEventListener("input", function () { filter(input, count); });
    // Escape empties the box, as in a browser's own find bar.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        filter(input, count);
      }
    });
  }

  window.HandoutsLibrary = { start: start };
  start();
})();
