// lede serve: what JavaScript adds to pages that work without it. The
// timeline: drag across bars to search that range of dates (a click on one
// bar is its plain link). The sort menu searches again when changed.
"use strict";
(function () {
  var svg = document.getElementById("timeline");
  var sort = document.getElementById("sort");
  if (sort && sort.form) {
    sort.addEventListener("change", function () { sort.form.submit(); });
  }
  if (!svg) return;
  var start = null, end = null, moved = false;
  function periodAt(ev) {
    var el = document.elementFromPoint(ev.clientX, ev.clientY);
    var a = el && el.closest ? el.closest("a") : null;
    var bar = a ? a.querySelector(".bar") : null;
    return bar ? bar.getAttribute("data-period") : null;
  }
  function mark() {
    var lo = start < end ? start : end, hi = start < end ? end : start;
    svg.querySelectorAll(".bar").forEach(function (b) {
      var p = b.getAttribute("data-period");
      b.classList.toggle("sel", p >= lo && p <= hi);
    });
  }
  svg.addEventListener("pointerdown", function (ev) {
    start = end = periodAt(ev);
    moved = false;
    if (start) { svg.setPointerCapture(ev.pointerId); mark(); }
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!start) return;
    var p = periodAt(ev);
    if (p && p !== end) { end = p; moved = true; mark(); }
  });
  svg.addEventListener("pointerup", function () {
    if (!start) return;
    var lo = start < end ? start : end, hi = start < end ? end : start;
    start = null;
    if (!moved) return;           // a click: the bar's own link
    var form = document.querySelector("form.search");
    form.elements.since.value = lo;
    form.elements.until.value = hi;
    form.submit();
  });
  svg.addEventListener("click", function (ev) {
    if (moved) { ev.preventDefault(); moved = false; }
  });
})();
