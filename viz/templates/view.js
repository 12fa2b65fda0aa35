/* partnermap view: vis-network with focus, filters, grouping, search, a side panel and PNG export.
   Text from documents is only ever set with textContent or handed to vis as a plain-string
   title (shown with innerText); never innerHTML. */
(function () {
  "use strict";
  var t0 = performance.now();
  var raw = JSON.parse(document.getElementById("pm-data").textContent);
  var byId = new Map(), outEdges = new Map(), inEdges = new Map(), children = new Map();
  raw.nodes.forEach(function (n) { byId.set(n.id, n); outEdges.set(n.id, []); inEdges.set(n.id, []); });
  raw.nodes.forEach(function (n) {
    if (n.parent && byId.has(n.parent)) {
      if (!children.has(n.parent)) children.set(n.parent, []);
      children.get(n.parent).push(n.id);
    }
  });
  raw.edges.forEach(function (e) { outEdges.get(e.from).push(e); inEdges.get(e.to).push(e); });
  var allKinds = new Set(raw.nodes.map(function (n) { return n.kind; }));
  var allLinks = new Set(raw.edges.map(function (e) { return e.kind; }));
  var home = {};  // original positions (focus rearranges, reset restores)
  raw.nodes.forEach(function (n) { home[n.id] = {x: n.x, y: n.y}; });

  function visNode(n) {
    var kids = children.get(n.id);
    return {id: n.id, label: kids ? n.label + " (+" + kids.length + ")" : n.label, title: n.title,
            shape: n.shape, value: n.size + (kids ? Math.sqrt(kids.length) * 3 : 0),
            x: n.x, y: n.y, borderWidth: n.highlight ? 4 : 1, opacity: 1,
            color: {background: n.color, border: n.highlight ? "#7f1d1d" : n.color,
                    highlight: {background: n.color, border: "#111827"},
                    hover: {background: n.color, border: "#111827"}}};
  }
  var nodes = new vis.DataSet(raw.nodes.map(visNode));
  var shown = new Set();
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return shown.has(n.id); }});
  var edgesView = new vis.DataSet();
  var container = document.getElementById("pm-network");
  var options = raw.options;
  var network = new vis.Network(container, {nodes: nodesView, edges: edgesView}, options);

  function initial() {
    return {kinds: new Set(allKinds), links: new Set(allLinks), strategy: "", status: "", due: "",
            score: 0, focus: null, depth: 1, dir: "both", expanded: new Set(), extra: new Set(),
            hidden: new Set(), pinned: new Set()};
  }
  function copy(s) {
    var c = {};
    Object.keys(s).forEach(function (k) { c[k] = s[k] instanceof Set ? new Set(s[k]) : s[k]; });
    return c;
  }
  var state = initial(), past = [];
  var api = {nodes: nodes, edges: raw.edges, nodesView: nodesView, edgesView: edgesView,
             network: network, ready: false, state: function () { return state; }};
  window.partnermap = api;

  // ------------------------------------------------------------------ what is shown
  function edgePasses(e) {
    return state.links.has(e.kind) && (e.score === null || e.score === undefined || e.score >= state.score);
  }
  function nodePasses(n) {
    if (!state.kinds.has(n.kind)) return false;
    if (n.kind === "Action") {
      if (state.status && n.status !== state.status) return false;
      if (state.due && !(n.due_date && n.due_date <= state.due)) return false;
    }
    return true;
  }
  function neighbours(id, dir) {
    var out = [];
    if (dir !== "in") outEdges.get(id).forEach(function (e) { if (edgePasses(e)) out.push(e.to); });
    if (dir !== "out") inEdges.get(id).forEach(function (e) { if (edgePasses(e)) out.push(e.from); });
    return out;
  }
  var hops = new Map();
  function compute() {
    var base = new Set();
    raw.nodes.forEach(function (n) { if (nodePasses(n)) base.add(n.id); });
    if (state.status || state.due) {  // keep the plan around the actions that pass, not every body
      var actions = Array.from(base).filter(function (id) { return byId.get(id).kind === "Action"; });
      var near = new Set(actions);
      actions.forEach(function (id) { neighbours(id, "both").forEach(function (m) { near.add(m); }); });
      Array.from(near).forEach(function (id) {
        if (byId.get(id).kind === "Priority") neighbours(id, "out").forEach(function (m) { near.add(m); });
      });
      base.forEach(function (id) { if (byId.get(id).kind !== "Strategy" && !near.has(id)) base.delete(id); });
    }
    if (state.strategy) {
      var own = Array.from(base).filter(function (id) { return byId.get(id).group === state.strategy; });
      var keep = new Set(own);
      own.forEach(function (id) {
        neighbours(id, "both").forEach(function (m) { if (base.has(m)) keep.add(m); });
      });
      base = keep;
    }
    var next = new Set();
    hops = new Map();
    if (state.focus && byId.has(state.focus)) {
      hops.set(state.focus, 0);
      var frontier = [state.focus];
      for (var d = 1; d <= state.depth; d++) {
        var step = [];
        frontier.forEach(function (id) {
          neighbours(id, state.dir).forEach(function (m) {
            if (!hops.has(m) && base.has(m)) { hops.set(m, d); step.push(m); }
          });
        });
        frontier = step;
      }
      hops.forEach(function (_, id) { next.add(id); });
    } else {
      base.forEach(function (id) {
        var n = byId.get(id);
        if (raw.grouped && n.parent && base.has(n.parent) && !state.expanded.has(n.parent)) return;
        next.add(id);
      });
    }
    state.extra.forEach(function (id) { next.add(id); });
    state.pinned.forEach(function (id) { next.add(id); });
    state.hidden.forEach(function (id) { if (id !== state.focus) next.delete(id); });
    return next;
  }

  function rep(id) {  // the node an edge end is drawn at: itself, or its collapsed group
    if (shown.has(id)) return id;
    var p = byId.get(id).parent;
    if (raw.grouped && !state.focus && p && shown.has(p) && !state.expanded.has(p)) return p;
    return null;
  }
  function drawnEdges() {
    var out = new Map();
    raw.edges.forEach(function (e) {
      if (!edgePasses(e)) return;
      var u = rep(e.from), v = rep(e.to);
      if (!u || !v || u === v) return;
      if (u === e.from && v === e.to) {
        out.set(e.id, {id: e.id, from: u, to: v, title: e.title, width: e.width, dashes: e.dashes,
                       color: {color: e.color, highlight: "#111827", hover: "#111827"}});
        return;
      }
      var key = "group|" + u + "|" + e.kind + "|" + v;
      var g = out.get(key);
      if (!g) {
        g = {id: key, from: u, to: v, n: 0, dashes: e.dashes,
             color: {color: e.color, highlight: "#111827", hover: "#111827"}};
        out.set(key, g);
      }
      g.n += 1;
      g.width = Math.min(1 + Math.log2(1 + g.n), 8);
      g.title = g.n + " " + e.kind + " link(s) of actions grouped here; double-click the group to open it";
    });
    return out;
  }

  function rings() {  // focus at the centre, each further degree on a wider ring
    var byHop = [];
    hops.forEach(function (h, id) { if (h > 0 && shown.has(id)) (byHop[h] = byHop[h] || []).push(id); });
    var c = home[state.focus], radius = 0, moves = [{id: state.focus, x: c.x, y: c.y}];
    for (var h = 1; h < byHop.length; h++) {
      var ring = (byHop[h] || []).sort(function (a, b) {
        var x = byId.get(a), y = byId.get(b);
        return x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : x.label < y.label ? -1 : 1;
      });
      radius = Math.max(radius + 220, ring.length * 70 / (2 * Math.PI));
      ring.forEach(function (id, i) {
        if (state.pinned.has(id)) return;
        var a = 2 * Math.PI * i / ring.length;
        moves.push({id: id, x: c.x + radius * Math.cos(a), y: c.y + radius * Math.sin(a)});
      });
    }
    return moves;
  }

  var shownText = document.getElementById("pm-shown");
  var empty = document.getElementById("pm-empty");
  var focusLabel = document.getElementById("pm-focus-label");
  function describeFilters() {
    var parts = [];
    if (state.kinds.size < allKinds.size) parts.push("node kinds: " + Array.from(state.kinds).join(", ") || "none");
    if (state.links.size < allLinks.size) parts.push("link kinds: " + (Array.from(state.links).join(", ") || "none"));
    if (state.strategy) parts.push("strategy: " + byId.get(state.strategy).label);
    if (state.status) parts.push("status: " + state.status);
    if (state.due) parts.push("due by " + state.due);
    if (state.score > 0) parts.push("score at least " + state.score.toFixed(2));
    if (state.hidden.size) parts.push(state.hidden.size + " node(s) hidden");
    return parts;
  }

  var prevFocus = null;
  function apply(opts) {
    opts = opts || {};
    shown = compute();
    var focusMoved = state.focus !== prevFocus;
    if (state.focus) {
      nodes.update(rings());
    } else if (prevFocus) {
      nodes.update(Object.keys(home).filter(function (id) { return !state.pinned.has(id); })
        .map(function (id) { return {id: id, x: home[id].x, y: home[id].y}; }));
    }
    prevFocus = state.focus;
    // group labels: '+N' only while the group is closed
    var labels = [];  // one update for all: each DataSet update redraws
    children.forEach(function (kids, id) {
      var n = byId.get(id), open = state.expanded.has(id) || !!state.focus;
      var label = open ? n.label : n.label + " (+" + kids.length + ")";
      if (nodes.get(id).label !== label) labels.push({id: id, label: label});
    });
    if (labels.length) nodes.update(labels);
    nodesView.refresh();
    var want = drawnEdges();
    var drop = edgesView.getIds().filter(function (id) { return !want.has(id); });
    edgesView.remove(drop);
    edgesView.update(Array.from(want.values()));
    var closed = 0;
    if (raw.grouped && !state.focus) {
      raw.nodes.forEach(function (n) {
        if (n.parent && !shown.has(n.id) && shown.has(n.parent) && !state.expanded.has(n.parent)) closed++;
      });
    }
    shownText.textContent = nodesView.length + " of " + raw.nodes.length + " nodes, " +
      edgesView.length + " links shown" + (closed ? "; " + closed + " actions inside closed groups" : "");
    if (nodesView.length === 0) {
      var why = describeFilters();
      empty.textContent = "Nothing to show: no node passes " +
        (why.length ? "these filters together (" + why.join("; ") + ")" : "the filters") +
        ". Change one of them, or press Reset.";
      empty.hidden = false;
    } else {
      empty.hidden = true;
    }
    focusLabel.textContent = state.focus ? "Focus: " + byId.get(state.focus).label : "";
    if (state.focus) {
      network.selectNodes([state.focus]);
      if (focusMoved || opts.fit) network.fit({nodes: nodesView.getIds(), animation: false});
    } else if (opts.fit) {
      network.fit({animation: false});
    }
    document.getElementById("pm-back").disabled = past.length === 0;
    writeHash();
  }
  function change(mutate, opts) {
    past.push(copy(state));
    mutate(state);
    apply(opts);
  }
  api.apply = apply;

  // ------------------------------------------------------------------ URL
  function writeHash() {
    if (document.body.classList.contains("export")) return;
    var h = state.focus ? "#focus=" + encodeURIComponent(state.focus) + "&depth=" + state.depth +
      (state.dir !== "both" ? "&dir=" + state.dir : "") : "";
    if (h !== window.location.hash) history.replaceState(null, "", h || window.location.pathname);
  }
  function readHash() {
    var params = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (kv) params[decodeURIComponent(i < 0 ? kv : kv.slice(0, i))] = i < 0 ? "" : decodeURIComponent(kv.slice(i + 1));
    });
    return params;
  }
  function fromHash() {
    var p = readHash();
    if ("export" in p) document.body.classList.add("export");
    state.focus = p.focus && byId.has(p.focus) ? p.focus : null;
    if (p.focus && !state.focus) {  // a shared link to something this view does not draw
      document.getElementById("pm-search-result").textContent =
        "The link asks to focus on '" + p.focus + "', which this view does not show.";
    }
    state.depth = Math.max(1, Math.min(3, parseInt(p.depth, 10) || 1));
    state.dir = ["in", "out", "both"].indexOf(p.dir) >= 0 ? p.dir : "both";
    depthSel.value = String(state.depth);
    dirSel.value = state.dir;
    if (state.focus) showNode(state.focus);
  }
  window.addEventListener("hashchange", function () { past.push(copy(state)); fromHash(); apply({fit: true}); });

  // ------------------------------------------------------------------ side panel
  var side = document.getElementById("pm-side");
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function srcLink(src) {
    var doc = raw.docs[src.document] || {};
    var title = doc.title || src.document;
    var where = (src.page ? "p. " + src.page + ", " : "") +
      (src.line_end > src.line_start ? "lines " + src.line_start + "-" + src.line_end : "line " + src.line_start);
    var text = title + ", " + where;
    if (!doc.href) return el("span", text, "src");
    var a = el("a", text, "src");
    a.href = doc.href + "#L" + src.line_start + (src.line_end > src.line_start ? "-" + src.line_end : "");
    a.title = (doc.full || title) + " (" + src.document + ")";
    return a;
  }
  function nodeLink(id, label) {
    if (byId.has(id)) {
      var b = el("button", label, "linkish");
      b.type = "button";
      b.addEventListener("click", function () { focusOn(id); });
      return b;
    }
    if (raw.site) {
      var a = el("a", label);
      a.href = "overview.html#focus=" + encodeURIComponent(id);
      return a;
    }
    return el("span", label);
  }
  function fact(dl, key, value) {
    if (value === undefined || value === null || value === "" || (value.length === 0)) return;
    dl.appendChild(el("dt", key));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    dl.appendChild(dd);
  }
  function showNode(id) {
    var n = byId.get(id), info = n.info || {};
    side.textContent = "";
    side.appendChild(el("p", info.kind || n.kind, "kind"));
    side.appendChild(el("h2", info.label || n.label));
    if (info.text) side.appendChild(el("p", info.text, "text"));
    var dl = el("dl");
    fact(dl, "Level", info.level);
    fact(dl, "Status", info.status);
    fact(dl, "Due", info.due ? info.due + (info.due_date ? " (" + info.due_date + ")" : "") : info.due_date);
    fact(dl, "Led by", info.leads);
    fact(dl, "Supported by", info.supports);
    fact(dl, "Resourced by", info.resources);
    if (info.strategy_id) fact(dl, "Strategy", nodeLink(info.strategy_id, info.strategy));
    fact(dl, "Category", info.category);
    fact(dl, "Works on", info.works_on ? info.works_on + " actions or priorities" : "");
    fact(dl, "Also written", info.aliases);
    fact(dl, "In this view", info.note);
    side.appendChild(dl);
    var bar = el("div", null, "buttons");
    [["Focus", function () { focusOn(id); }],
     ["Open neighbours", function () { expand(id); }],
     [state.pinned.has(id) ? "Unpin" : "Pin", function () { pin(id); }],
     ["Hide", function () { change(function (s) { s.hidden.add(id); s.extra.delete(id); s.pinned.delete(id); }); }]
    ].forEach(function (b) {
      var btn = el("button", b[0]);
      btn.type = "button";
      btn.className = "pm-act-" + b[0].toLowerCase().replace(/ .*/, "");
      btn.addEventListener("click", b[1]);
      bar.appendChild(btn);
    });
    side.appendChild(bar);
    if (info.inferred && info.inferred.length) {
      side.appendChild(el("h3", "Inferred links"));
      var ul = el("ul", null, "evidence");
      info.inferred.forEach(function (d) {
        var li = el("li");
        li.appendChild(el("span", (d.kind === "DEPENDS_ON" ? (d.dir === "out" ? "relies on " : "relied on by ") : "duplicate of ")));
        li.appendChild(nodeLink(d.other, d.other_label));
        li.appendChild(el("span", " (score " + (d.score === null ? "?" : d.score.toFixed(2)) + (d.method ? ", " + d.method : "") + ")"));
        (d.facts || []).forEach(function (f) { li.appendChild(el("div", f[0] + ": " + f[1], "small fact")); });
        if (d.evidence) li.appendChild(el("div", d.evidence, "small"));
        li.appendChild(srcLink(d.src));
        ul.appendChild(li);
      });
      side.appendChild(ul);
    }
    side.appendChild(el("h3", "Sources"));
    var srcs = el("ul", null, "sources");
    (info.sources || []).forEach(function (s) { var li = el("li"); li.appendChild(srcLink(s)); srcs.appendChild(li); });
    side.appendChild(srcs);
  }
  function showEdge(id) {
    var e = raw.edges.find(function (x) { return x.id === id; });
    side.textContent = "";
    if (!e) { side.appendChild(el("p", "Grouped links: double-click the group to open it.", "small")); return; }
    var info = e.info || {};
    if (info.actions) {
      side.appendChild(el("p", "Dependency between strategies", "kind"));
      side.appendChild(el("h2", info.from_label + " → " + info.to_label));
      side.appendChild(el("p", info.n_actions + " action(s) of " + info.from_label + " rely on " + info.to_label + "."));
      if (info.top_services.length) side.appendChild(el("p", "Relied on: " + info.top_services.join(", "), "services"));
      side.appendChild(el("h3", "The actions behind this link"));
      var ul = el("ul", null, "drill");
      info.actions.forEach(function (a) {
        var li = el("li");
        li.appendChild(nodeLink(a.id, a.label));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(srcLink(a.src));
        var dl = el("dl");
        fact(dl, "Relies on", a.service || "no named service");
        fact(dl, "How", a.kind_words);
        fact(dl, "Score", a.score.toFixed(2));
        fact(dl, "Its words", a.words);
        fact(dl, "Their words", a.target_words);
        li.appendChild(dl);
        var pv = el("ul", null, "providers");
        (a.providers || []).forEach(function (p) {
          var pi = el("li");
          pi.appendChild(el("span", "provided by ", "small"));
          pi.appendChild(nodeLink(p.id, p.label));
          pi.appendChild(document.createTextNode(" "));
          pi.appendChild(srcLink(p.src));
          pv.appendChild(pi);
        });
        li.appendChild(pv);
        if (a.evidence) li.appendChild(el("div", "Evidence: " + a.evidence, "small"));
        ul.appendChild(li);
      });
      side.appendChild(ul);
      return;
    }
    if (info.facts) {
      side.appendChild(el("p", (e.kind === "DEPENDS_ON" ? "Dependency" : "Duplicate") + " (inferred)", "kind"));
      var dle = el("dl", null, "facts");
      info.facts.forEach(function (f) { fact(dle, f[0], f[1]); });
      fact(dle, "Score", e.score === null ? "" : e.score.toFixed(2));
      fact(dle, "Evidence", info.evidence);
      side.appendChild(dle);
      side.appendChild(el("h3", "Source"));
      side.appendChild(srcLink(e.src));
      return;
    }
    side.appendChild(el("p", "Link: " + e.kind, "kind"));
    side.appendChild(el("p", e.title, "text"));
    side.appendChild(el("h3", "Source"));
    side.appendChild(srcLink(e.src));
  }
  api.showNode = showNode;
  api.showEdge = showEdge;
  api.edgePoint = function (id) {  // where a drawn edge passes half-way (for tests and tours)
    var p = network.body.edges[id].edgeType.getPoint(0.5);
    return network.canvasToDOM(p);
  };

  // ------------------------------------------------------------------ actions
  function focusOn(id) {
    if (!byId.has(id)) return;
    change(function (s) { s.focus = id; s.hidden.delete(id); });
    showNode(id);
  }
  function expand(id) {
    if (children.has(id) && !state.expanded.has(id)) {  // open the group where its node is now
      var at = network.getPosition(id), was = byId.get(id);
      var moves = children.get(id).map(function (k) {
        var n = byId.get(k);
        home[k] = {x: at.x + n.x - was.x, y: at.y + n.y - was.y};
        return {id: k, x: home[k].x, y: home[k].y};
      });
      nodes.update(moves);
    }
    change(function (s) {
      if (children.has(id)) s.expanded.add(id);
      neighbours(id, "both").forEach(function (m) { if (!s.hidden.has(m)) s.extra.add(m); });
      s.extra.add(id);
    });
  }
  function pin(id) {
    var on = !state.pinned.has(id);
    change(function (s) { if (on) s.pinned.add(id); else s.pinned.delete(id); });
    nodes.update({id: id, fixed: on ? {x: true, y: true} : false, borderWidth: on ? 3 : 1,
                  shapeProperties: {borderDashes: on ? [4, 2] : false}});
    showNode(id);
  }
  api.focusOn = focusOn;
  api.expand = expand;
  api.pin = pin;
  api.hide = function (id) { change(function (s) { s.hidden.add(id); }); };
  network.on("click", function (p) {
    if (p.nodes.length) {
      var id = p.nodes[0];
      if (id !== state.focus) focusOn(id); else showNode(id);
    } else if (p.edges.length) {
      showEdge(p.edges[0]);
    }
  });
  network.on("doubleClick", function (p) { if (p.nodes.length) expand(p.nodes[0]); });

  var depthSel = document.getElementById("pm-depth");
  var dirSel = document.getElementById("pm-dir");
  depthSel.addEventListener("change", function () { change(function (s) { s.depth = parseInt(depthSel.value, 10); }, {fit: true}); });
  dirSel.addEventListener("change", function () { change(function (s) { s.dir = dirSel.value; }, {fit: true}); });
  document.getElementById("pm-back").addEventListener("click", function () {
    if (!past.length) return;
    state = past.pop();
    syncControls();
    apply({fit: true});
  });
  function reset() {
    past.push(copy(state));
    state = initial();
    nodes.update(Array.from(nodes.getIds()).map(function (id) { return {id: id, fixed: false, opacity: 1}; }));
    syncControls();
    search.value = "";
    suggest.hidden = true;
    searchResult.textContent = "";
    apply({fit: true});
  }
  document.getElementById("pm-reset").addEventListener("click", reset);
  document.getElementById("pm-fit").addEventListener("click", function () { network.fit({animation: false}); });
  api.reset = reset;
  api.back = function () { document.getElementById("pm-back").click(); };

  // ------------------------------------------------------------------ filters
  var kindButtons = Array.prototype.slice.call(document.querySelectorAll("button.pm-kind"));
  var linkButtons = Array.prototype.slice.call(document.querySelectorAll("button.pm-link"));
  var strategySel = document.getElementById("pm-strategy");
  var statusSel = document.getElementById("pm-status");
  var dueInput = document.getElementById("pm-due");
  var scoreInput = document.getElementById("pm-score");
  var scoreOut = document.getElementById("pm-score-value");
  function syncControls() {
    kindButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(state.kinds.has(b.dataset.kind))); });
    linkButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(state.links.has(b.dataset.kind))); });
    strategySel.value = state.strategy;
    if (statusSel) statusSel.value = state.status;
    if (dueInput) dueInput.value = state.due;
    if (scoreInput) { scoreInput.value = String(state.score); scoreOut.textContent = state.score.toFixed(2); }
    depthSel.value = String(state.depth);
    dirSel.value = state.dir;
  }
  kindButtons.forEach(function (b) {
    b.addEventListener("click", function () {
      change(function (s) { if (s.kinds.has(b.dataset.kind)) s.kinds.delete(b.dataset.kind); else s.kinds.add(b.dataset.kind); });
      syncControls();
    });
  });
  linkButtons.forEach(function (b) {
    b.addEventListener("click", function () {
      change(function (s) { if (s.links.has(b.dataset.kind)) s.links.delete(b.dataset.kind); else s.links.add(b.dataset.kind); });
      syncControls();
    });
  });
  strategySel.addEventListener("change", function () { change(function (s) { s.strategy = strategySel.value; s.focus = null; }, {fit: true}); });
  if (statusSel) statusSel.addEventListener("change", function () { change(function (s) { s.status = statusSel.value; }, {fit: true}); });
  if (dueInput) dueInput.addEventListener("change", function () { change(function (s) { s.due = dueInput.value; }, {fit: true}); });
  if (scoreInput) scoreInput.addEventListener("input", function () {
    change(function (s) { s.score = parseFloat(scoreInput.value); });
    scoreOut.textContent = state.score.toFixed(2);
  });

  // ------------------------------------------------------------------ search (type-ahead)
  var search = document.getElementById("pm-search");
  var suggest = document.getElementById("pm-suggest");
  var searchResult = document.getElementById("pm-search-result");
  var names = raw.nodes.map(function (n) {
    return {id: n.id, names: [n.info.label || n.label].concat(n.info.aliases || []).map(function (s) { return s.toLowerCase(); })};
  });
  var dimmed = [];
  function dim(matches) {
    var undo = dimmed.map(function (id) { return {id: id, opacity: 1}; });
    dimmed = matches ? nodesView.getIds().filter(function (id) { return !matches.has(id); }) : [];
    nodes.update(undo.concat(dimmed.map(function (id) { return {id: id, opacity: 0.15}; })));
  }
  function matchesOf(q) {
    var hits = [];
    names.forEach(function (n) {
      var best = 99;
      n.names.forEach(function (s) {
        var i = s.indexOf(q);
        if (i >= 0) best = Math.min(best, i === 0 ? 0 : 1);
      });
      if (best < 99) hits.push({id: n.id, rank: best});
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || byId.get(a.id).label.length - byId.get(b.id).label.length;
    });
    return hits.map(function (h) { return h.id; });
  }
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    suggest.textContent = "";
    if (!q) { suggest.hidden = true; searchResult.textContent = ""; dim(null); return []; }
    var hits = matchesOf(q);
    dim(new Set(hits));
    hits.slice(0, 10).forEach(function (id, i) {
      var n = byId.get(id);
      var li = el("li");
      li.setAttribute("role", "option");
      var b = el("button", n.label, "suggestion");
      b.type = "button";
      b.dataset.id = id;
      b.appendChild(el("span", " " + n.kind, "count"));
      b.addEventListener("click", function () { choose(id); });
      li.appendChild(b);
      suggest.appendChild(li);
    });
    suggest.hidden = hits.length === 0;
    var onScreen = hits.filter(function (id) { return shown.has(id); }).length;
    searchResult.textContent = (hits.length === 1 ? "1 match" : hits.length + " matches") +
      (hits.length ? " (" + onScreen + " on screen; others dimmed)" : "");
    return hits;
  }
  function choose(id) {
    suggest.hidden = true;
    search.value = byId.get(id).label;
    dim(null);
    searchResult.textContent = "";
    focusOn(id);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = suggest.querySelector("button.suggestion");
      if (first) choose(first.dataset.id);
    } else if (ev.key === "Escape") {
      search.value = ""; runSearch();
    }
  });
  document.addEventListener("mousedown", function (ev) {  // the list closes when one clicks elsewhere
    if (!(ev.target instanceof Element) || !ev.target.closest(".suggest-wrap")) suggest.hidden = true;
  });
  search.addEventListener("focus", function () { if (search.value.trim()) runSearch(); });
  api.search = function (q) { search.value = q; return runSearch(); };
  api.choose = choose;

  // ------------------------------------------------------------------ PNG
  function png(width, height) {
    var canvas = container.querySelector("canvas");
    var keep = {w: container.style.width, h: container.style.height, f: container.style.flex,
                scale: network.getScale(), pos: network.getViewPosition(),
                cw: container.clientWidth, ch: container.clientHeight};
    if (width && height) {
      container.style.flex = "none";
      container.style.width = width + "px";
      container.style.height = height + "px";
      network.setSize(width + "px", height + "px");
      network.moveTo({position: keep.pos, scale: keep.scale * Math.min(width / keep.cw, height / keep.ch), animation: false});
    }
    network.redraw();
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    var url = out.toDataURL("image/png");
    if (width && height) {
      container.style.flex = keep.f;
      container.style.width = keep.w;
      container.style.height = keep.h;
      network.setSize("100%", "100%");
      network.moveTo({position: keep.pos, scale: keep.scale, animation: false});
    }
    return url;
  }
  api.png = png;
  document.getElementById("pm-png").addEventListener("click", function () {
    var size = document.getElementById("pm-png-size").value.split("x");
    var url = size.length === 2 ? png(parseInt(size[0], 10), parseInt(size[1], 10)) : png();
    var a = document.createElement("a");
    a.href = url;
    a.download = "partnermap-" + raw.view + (state.focus ? "-focus" : "") + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  // ------------------------------------------------------------------ start
  function markReady() {
    api.ready = true;
    api.readyMs = performance.now();
    api.scriptMs = performance.now() - t0;
    document.body.setAttribute("data-ready", "1");
  }
  fromHash();
  syncControls();
  shown = compute();
  apply({fit: !!state.focus});
  if (raw.physics && nodesView.length > 0 && !state.focus) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});  // freeze: the page stays still after settling
      nodesView.get().forEach(function (n) { home[n.id] = network.getPosition(n.id); });
      network.fit({animation: false});
      markReady();
    });
    network.stabilize(options.physics.stabilization.iterations);
  } else {
    network.setOptions({physics: false});
    if (!state.focus) network.fit({animation: false});
    if (nodesView.length > 0) network.once("afterDrawing", markReady); else markReady();
  }
})();
