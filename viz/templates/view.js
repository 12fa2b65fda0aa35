/* partnermap view: vis-network over DataViews, with search and filters.
   Text from documents is only ever set with textContent or handed to vis as a
   plain-string title (shown with innerText); never innerHTML. */
(function () {
  "use strict";
  var raw = JSON.parse(document.getElementById("pm-data").textContent);
  var meta = new Map();
  var nodes = new vis.DataSet(raw.nodes.map(function (n) {
    meta.set(n.id, {kind: n.kind, strategies: n.strategies, orgs: n.orgs,
                    text: (n.label + "\n" + n.title).toLowerCase()});
    return {id: n.id, label: n.label, title: n.title, shape: n.shape, size: n.size,
            x: n.x, y: n.y, borderWidth: n.highlight ? 4 : 1,
            color: {background: n.color, border: n.highlight ? "#7f1d1d" : n.color,
                    highlight: {background: n.color, border: "#111827"},
                    hover: {background: n.color, border: "#111827"}}};
  }));
  var edges = new vis.DataSet(raw.edges.map(function (e) {
    return {id: e.id, from: e.from, to: e.to, title: e.title, width: e.width,
            dashes: e.dashes, color: {color: e.color, highlight: "#111827", hover: "#111827"}};
  }));
  var adjacent = new Map();
  edges.forEach(function (e) {
    if (!adjacent.has(e.from)) adjacent.set(e.from, []);
    if (!adjacent.has(e.to)) adjacent.set(e.to, []);
    adjacent.get(e.from).push(e.to);
    adjacent.get(e.to).push(e.from);
  });
  var shown = new Set(nodes.getIds());
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return shown.has(n.id); }});
  var edgesView = new vis.DataView(edges, {filter: function (e) {
    return shown.has(e.from) && shown.has(e.to);
  }});
  var container = document.getElementById("pm-network");
  var network = new vis.Network(container, {nodes: nodesView, edges: edgesView}, raw.options);
  var api = {nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
             network: network, ready: false};
  window.partnermap = api;

  function focusFromHash() {  // report links arrive as view.html#focus=<node id>
    var m = /^#focus=(.+)$/.exec(window.location.hash);
    var id = m ? decodeURIComponent(m[1]) : null;
    if (id !== null && nodes.get(id)) {
      network.selectNodes([id]);
      network.focus(id, {scale: 1.2, animation: false});
    }
  }
  function markReady() {
    focusFromHash();
    api.ready = true;
    document.body.setAttribute("data-ready", "1");
  }
  window.addEventListener("hashchange", focusFromHash);
  if (raw.physics && nodes.length > 0) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});  // freeze: the page stays still after settling
      network.fit({animation: false});
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
    if (nodes.length === 0) markReady();
  }

  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input.pm-kind"));
  var strategySel = document.getElementById("pm-strategy");
  var orgSel = document.getElementById("pm-org");
  var shownText = document.getElementById("pm-shown");

  function passes(m, kinds, strategy) {
    return kinds.has(m.kind) && (!strategy || m.strategies.indexOf(strategy) >= 0);
  }

  function applyFilters() {
    var kinds = new Set(kindBoxes.filter(function (c) { return c.checked; })
                                 .map(function (c) { return c.value; }));
    var strategy = strategySel.value;
    var org = orgSel.value;
    var next = new Set();
    meta.forEach(function (m, id) {
      if (passes(m, kinds, strategy) && (!org || m.orgs.indexOf(org) >= 0)) next.add(id);
    });
    if (org) {  // what the organisation's work touches, one step on
      Array.from(next).forEach(function (id) {
        (adjacent.get(id) || []).forEach(function (other) {
          if (passes(meta.get(other), kinds, strategy)) next.add(other);
        });
      });
    }
    shown = next;
    nodesView.refresh();
    edgesView.refresh();
    shownText.textContent = nodesView.length + " of " + nodes.length + " nodes, " +
      edgesView.length + " of " + edges.length + " links shown";
  }
  kindBoxes.forEach(function (c) { c.addEventListener("change", applyFilters); });
  strategySel.addEventListener("change", applyFilters);
  orgSel.addEventListener("change", applyFilters);
  api.applyFilters = applyFilters;

  var search = document.getElementById("pm-search");
  var result = document.getElementById("pm-search-result");
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); result.textContent = ""; return []; }
    var hits = nodesView.getIds({filter: function (n) {
      return meta.get(n.id).text.indexOf(q) >= 0;
    }});
    network.selectNodes(hits);
    if (hits.length) network.fit({nodes: hits, animation: false});
    result.textContent = hits.length === 1 ? "1 match" : hits.length + " matches";
    return hits;
  }
  search.addEventListener("input", runSearch);
  api.search = function (q) { search.value = q; return runSearch(); };
})();
