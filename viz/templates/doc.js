/* Document page: highlight the cited lines named in the address (#L12 or #L12-18) and show them. */
(function () {
  "use strict";
  var marked = [];
  function mark() {
    marked.forEach(function (li) { li.classList.remove("hl"); });
    marked = [];
    var m = /^#L(\d+)(?:-L?(\d+))?$/.exec(window.location.hash);
    var note = document.getElementById("pm-cited");
    if (!m) { note.hidden = true; return; }
    var a = parseInt(m[1], 10), b = m[2] ? parseInt(m[2], 10) : a;
    for (var n = a; n <= b; n++) {
      var li = document.getElementById("L" + n);
      if (li) { li.classList.add("hl"); marked.push(li); }
    }
    note.textContent = marked.length
      ? "Cited: " + (a === b ? "line " + a : "lines " + a + " to " + b) + " (highlighted)."
      : "The cited lines " + a + (a === b ? "" : " to " + b) + " are not in this text.";
    note.hidden = false;
    if (marked.length) marked[0].scrollIntoView({block: "center"});
    document.body.setAttribute("data-marked", String(marked.length));
  }
  window.addEventListener("hashchange", mark);
  mark();
})();
