/* Draws the production topology as a layered SVG: roles give the rows (core, cu, du, ru,
   hosts), a few barycentre sweeps order each row so children sit under their parents.
   Slices are coloured paths, ACL blocks red dashed arcs, drained nodes grey, avoided
   nodes and links orange. Everything is built with DOM calls: no HTML strings. */
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const ROLE_ROW = { core: 0, cloud: 0, cu: 1, edge: 1, du: 2, ru: 3, host: 4 };
  const ROLE_COLOUR = { core: "#5b3fb0", cloud: "#2f5fa8", cu: "#17708a", edge: "#238b73", du: "#c27c12",
    ru: "#8a5a3b", host: "#5f6b7a" };
  const SLICE_COLOURS = ["#e8368f", "#1098ad", "#7048e8", "#f08c00", "#2b8a3e", "#d6336c", "#1c7ed6"];
  const HOSTLIKE = new Set(["host", "cloud", "edge"]);
  const ROW_GAP = 104, TOP = 44, NODE_W = 62, NODE_H = 28;

  function svg(tag, attrs, parent) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }
  function titled(node, text) { svg("title", {}, node).textContent = text; return node; }
  function linkKey(a, b) { return a < b ? a + "-" + b : b + "-" + a; }

  /* rows: role rows where roles are known, breadth-first depth from the top row otherwise */
  function assignRows(nodes, adjacency) {
    const row = new Map();
    for (const n of nodes) if (n.role in ROLE_ROW) row.set(n.name, ROLE_ROW[n.role]);
    if (row.size < nodes.length) {
      let frontier = nodes.filter((n) => row.get(n.name) === 0).map((n) => n.name);
      if (!frontier.length && nodes.length) {
        const hub = nodes.reduce((a, b) => ((adjacency.get(b.name) || []).length >
          (adjacency.get(a.name) || []).length ? b : a));
        row.set(hub.name, 0); frontier = [hub.name];
      }
      while (frontier.length) {
        const next = [];
        for (const name of frontier) for (const other of adjacency.get(name) || []) {
          if (!row.has(other)) { row.set(other, row.get(name) + 1); next.push(other); }
        }
        frontier = next;
      }
      for (const n of nodes) if (!row.has(n.name)) row.set(n.name, 0);
    }
    // a host hanging off a higher node (a compute host "<node>_srv" beside its CU or DU) sits
    // one row below its switch, not in the bottom row with long lines across the picture
    for (const n of nodes) {
      const ns = adjacency.get(n.name) || [];
      if (n.role === "host" && ns.length === 1 && row.get(ns[0]) + 1 < row.get(n.name)) row.set(n.name, row.get(ns[0]) + 1);
    }
    return row;
  }

  function layout(topo, width) {
    const nodes = topo.nodes || [], adjacency = new Map();
    for (const n of nodes) adjacency.set(n.name, []);
    for (const l of topo.links || []) {
      if (adjacency.has(l.a) && adjacency.has(l.b)) { adjacency.get(l.a).push(l.b); adjacency.get(l.b).push(l.a); }
    }
    const row = assignRows(nodes, adjacency);
    const byRow = [];
    for (const n of nodes) (byRow[row.get(n.name)] = byRow[row.get(n.name)] || []).push(n.name);
    const rows = byRow.filter(Boolean);
    const rowOf = new Map();
    rows.forEach((r, i) => r.forEach((name) => rowOf.set(name, i)));
    orderRows(rows, adjacency);
    const x = placeRows(rows, rowOf, adjacency, (NODE_W + 26) / (width - 80));
    const pos = new Map();
    rows.forEach((r, i) => r.forEach((name) => pos.set(name, { x: 40 + x.get(name) * (width - 80), y: TOP + i * ROW_GAP })));
    return { pos, height: TOP + (rows.length - 1) * ROW_GAP + 64 };
  }

  /* a leaf hanging off a node of its own row (an edge server off its CU, the cloud off the
     core) is drawn beside its parent, so no other node sits on the line between them */
  function sameRowParent(name, rowOf, adjacency) {
    const ns = adjacency.get(name) || [];
    return ns.length === 1 && rowOf.get(ns[0]) === rowOf.get(name) ? ns[0] : null;
  }

  function orderRows(rows, adjacency) {
    const collator = new Intl.Collator(undefined, { numeric: true });
    const rowOf = new Map();
    rows.forEach((r, i) => r.forEach((name) => rowOf.set(name, i)));
    const x = new Map();
    const even = () => rows.forEach((r) => r.forEach((name, i) => x.set(name, (i + 0.5) / r.length)));
    rows.forEach((r) => r.sort(collator.compare));
    even();
    for (let sweep = 0; sweep < 8; sweep++) {       // barycentre sweeps over the other rows
      for (const r of rows) {
        const key = new Map(r.map((name) => {
          const ns = (adjacency.get(name) || []).filter((o) => rowOf.get(o) !== rowOf.get(name));
          return [name, ns.length ? ns.reduce((s, o) => s + x.get(o), 0) / ns.length : x.get(name)];
        }));
        r.sort((a, b) => key.get(a) - key.get(b) || collator.compare(a, b));
      }
      even();
    }
    for (const r of rows) {
      const leaves = r.filter((name) => sameRowParent(name, rowOf, adjacency));
      const rest = r.filter((name) => !leaves.includes(name));
      for (const leaf of leaves) {
        const at = rest.indexOf(sameRowParent(leaf, rowOf, adjacency));
        rest.splice(at < rest.length / 2 - 0.25 ? at : at + 1, 0, leaf);
      }
      r.splice(0, r.length, ...rest);
    }
  }

  /* x in [0, 1]: the widest row evenly spaced, every other row over its already placed
     neighbours, then pushed apart to a minimum gap keeping the order */
  function placeRows(rows, rowOf, adjacency, gap) {
    const x = new Map(), placed = new Set();
    const widest = rows.reduce((best, r, i) => (r.length > rows[best].length ? i : best), 0);
    const sequence = rows.map((_, i) => i).sort((a, b) => Math.abs(a - widest) - Math.abs(b - widest));
    for (const i of sequence) {
      const r = rows[i], want = new Map();
      r.forEach((name, k) => {
        const ns = (adjacency.get(name) || []).filter((o) => placed.has(rowOf.get(o)) && rowOf.get(o) !== i);
        want.set(name, ns.length ? ns.reduce((s, o) => s + x.get(o), 0) / ns.length : (k + 0.5) / r.length);
      });
      r.forEach((name, k) => {
        const parent = sameRowParent(name, rowOf, adjacency);
        if (parent) want.set(name, want.get(parent) + (k < r.indexOf(parent) ? -gap : gap));
      });
      const xs = r.map((name) => want.get(name));
      const g = Math.min(gap, 1 / Math.max(1, r.length));
      for (let k = 1; k < xs.length; k++) xs[k] = Math.max(xs[k], xs[k - 1] + g);
      xs[xs.length - 1] = Math.min(xs[xs.length - 1], 1 - g / 2);
      for (let k = xs.length - 2; k >= 0; k--) xs[k] = Math.min(xs[k], xs[k + 1] - g);
      if (xs[0] < g / 2) { const shift = g / 2 - xs[0]; for (let k = 0; k < xs.length; k++) xs[k] += shift; }
      r.forEach((name, k) => x.set(name, xs[k]));
      placed.add(i);
    }
    return x;
  }

  function segmentsOf(slice, linkSet) {
    if (Array.isArray(slice.path) && slice.path.length > 1) {
      const out = [];
      for (let i = 1; i < slice.path.length; i++) out.push([slice.path[i - 1], slice.path[i]]);
      return out;
    }
    const out = [];
    for (const key of slice.links || []) { const pair = linkSet.get(String(key)); if (pair) out.push(pair); }
    return out;
  }

  function drawLinks(g, topo, pos, state) {
    for (const l of topo.links || []) {
      const a = pos.get(l.a), b = pos.get(l.b);
      if (!a || !b) continue;
      const key = linkKey(l.a, l.b), avoided = state.avoid.has(key);
      const off = state.drained.has(l.a) || state.drained.has(l.b);
      const width = Math.max(1.2, Math.min(5, Math.log10(Math.max(l.bandwidth_mbps || 10, 10)) - 0.6));
      const d = state.route(l.a, l.b, 0);
      const line = svg("path", { d, fill: "none", stroke: off ? "#c8cdd3" : "#9aa5b1",
        "stroke-width": width, "stroke-dasharray": off ? "4 4" : "none" }, g);
      titled(line, `${l.a} – ${l.b}: ${l.bandwidth_mbps} Mbit/s, ${l.delay_ms} ms`);
      if (avoided) svg("path", { d, fill: "none", stroke: "#e8590c", "stroke-width": 3, "stroke-dasharray": "3 4" }, g);
    }
  }

  function drawSlices(g, topo, pos, linkSet, route) {
    const slices = topo.slices || [];
    slices.forEach((s, k) => {
      const colour = SLICE_COLOURS[k % SLICE_COLOURS.length], shift = (k - (slices.length - 1) / 2) * 5;
      for (const [na, nb] of segmentsOf(s, linkSet)) {
        if (!pos.get(na) || !pos.get(nb)) continue;
        const seg = svg("path", { d: route(na, nb, shift), fill: "none", stroke: colour, "stroke-width": 4.5,
          "stroke-linecap": "round", opacity: 0.8, class: "slice" }, g);
        titled(seg, `slice ${s.name}`);
      }
    });
  }

  /* the SVG path of a link: straight, or arched over the nodes between two ends in one row */
  function router(pos) {
    const points = [...pos.values()];
    return (na, nb, shift) => {
      const a = pos.get(na), b = pos.get(nb);
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const dx = (-(b.y - a.y) / len) * shift, dy = ((b.x - a.x) / len) * shift;
      const blocked = a.y === b.y && points.some((p) => p.y === a.y && p.x > Math.min(a.x, b.x) + 1 &&
        p.x < Math.max(a.x, b.x) - 1);
      if (!blocked) return `M${a.x + dx},${a.y + dy} L${b.x + dx},${b.y + dy}`;
      const lift = 30 + Math.abs(shift);
      return `M${a.x},${a.y + dy} Q${(a.x + b.x) / 2},${a.y - lift * 2 + dy} ${b.x},${b.y + dy}`;
    };
  }

  function drawAcls(g, topo, pos) {
    for (const acl of topo.acls || []) {
      const a = pos.get(acl.src), b = pos.get(acl.dst);
      if (!a || !b) continue;
      const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2, len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const bend = Math.min(120, len / 4), cx = mx + (-(b.y - a.y) / len) * bend, cy = my + ((b.x - a.x) / len) * bend;
      const path = svg("path", { d: `M${a.x},${a.y} Q${cx},${cy} ${b.x},${b.y}`, fill: "none", stroke: "#c0392b",
        "stroke-width": 2, "stroke-dasharray": "7 5", class: "acl" }, g);
      const what = acl.proto ? `${acl.proto}${acl.port ? "/" + acl.port : ""}` : "all";
      titled(path, `blocked: ${acl.src} → ${acl.dst} (${what})`);
      const lx = (mx + cx) / 2, ly = (my + cy) / 2;
      svg("circle", { cx: lx, cy: ly, r: 9, fill: "#fff", stroke: "#c0392b", "stroke-width": 2 }, g);
      svg("line", { x1: lx - 6, y1: ly + 6, x2: lx + 6, y2: ly - 6, stroke: "#c0392b", "stroke-width": 2 }, g);
      svg("text", { x: lx + 13, y: ly + 4, class: "acl-label" }, g).textContent = `${what} blocked`;
    }
  }

  function drawNodes(g, topo, pos, state) {
    for (const n of topo.nodes || []) {
      const p = pos.get(n.name);
      if (!p) continue;
      const drained = state.drained.has(n.name), colour = drained ? "#c4c9d0" : (ROLE_COLOUR[n.role] || "#495057");
      const group = svg("g", { class: "node" + (drained ? " drained" : ""), "data-node": n.name }, g);
      titled(group, `${n.name} (${n.role})${drained ? " — drained" : ""}`);
      if (state.avoidNodes.has(n.name)) svg("circle", { cx: p.x, cy: p.y, r: 24, fill: "none", stroke: "#e8590c",
        "stroke-width": 2.5, "stroke-dasharray": "4 3" }, group);
      if (HOSTLIKE.has(n.role)) {
        svg("circle", { cx: p.x, cy: p.y, r: 12, fill: colour, stroke: "#fff", "stroke-width": 2 }, group);
        svg("text", { x: p.x, y: p.y + 27, "text-anchor": "middle", class: "host-label" }, group).textContent = n.name;
      } else {
        svg("rect", { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 7, fill: colour,
          stroke: drained ? "#8d949c" : "#fff", "stroke-width": drained ? 1.5 : 2,
          "stroke-dasharray": drained ? "4 3" : "none" }, group);
        svg("text", { x: p.x, y: p.y + 4.5, "text-anchor": "middle", class: "node-label" }, group).textContent = n.name;
      }
      const limit = state.limits.get(n.name);
      if (limit !== undefined) svg("text", { x: p.x + 15, y: p.y - 12, class: "limit-label" }, group)
        .textContent = `≤${limit} Mb/s`;
    }
  }

  function legend(box, topo) {
    box.replaceChildren();
    const section = (title, items) => {
      if (!items.length) return;
      const part = document.createElement("div"); part.className = "legend-section"; box.appendChild(part);
      const h = document.createElement("h3"); h.textContent = title; part.appendChild(h);
      const ul = document.createElement("ul"); part.appendChild(ul);
      for (const [swatchClass, colour, text] of items) {
        const li = document.createElement("li"), sw = document.createElement("span");
        sw.className = swatchClass; if (colour) sw.style.background = colour;
        const label = document.createElement("span"); label.textContent = text;
        li.append(sw, label); ul.appendChild(li);
      }
    };
    const roles = [...new Set((topo.nodes || []).map((n) => n.role))];
    section("roles", roles.map((r) => ["dot", ROLE_COLOUR[r] || "#495057", r]));
    section("slices", (topo.slices || []).map((s, k) => ["swatch", SLICE_COLOURS[k % SLICE_COLOURS.length],
      `${s.name}${s.type ? " · " + s.type : ""}${s.bandwidth_mbps != null ? " · " + s.bandwidth_mbps + " Mb/s" : ""}` +
      `${s.latency_ms != null ? " · ≤" + s.latency_ms + " ms" : ""}`]));
    section("blocked", (topo.acls || []).map((a) => ["swatch acl", null,
      `${a.src} → ${a.dst} ${a.proto ? a.proto + (a.port ? "/" + a.port : "") : "all traffic"}`]));
    section("drained", (topo.drained || []).map((d) => ["swatch drained", null, d]));
    section("avoided", (topo.avoid || []).map((d) => ["swatch avoid", null, d]));
    section("rate limits", (topo.limits || []).map((l) => ["swatch", "#f2c94c", `${l.target} ≤ ${l.bandwidth_mbps} Mb/s`]));
  }

  function draw(svgEl, legendEl, topo) {
    const width = Math.max(680, widestRow(topo) * 78);
    const { pos, height } = layout(topo, width);
    const linkSet = new Map();
    for (const l of topo.links || []) { linkSet.set(`${l.a}-${l.b}`, [l.a, l.b]); linkSet.set(`${l.b}-${l.a}`, [l.a, l.b]); }
    const avoid = new Set(), avoidNodes = new Set();
    for (const item of topo.avoid || []) {
      const pair = linkSet.get(String(item));
      if (pair) avoid.add(linkKey(pair[0], pair[1])); else avoidNodes.add(String(item));
    }
    const route = router(pos);
    const state = { drained: new Set(topo.drained || []), avoid, avoidNodes, route,
      limits: new Map((topo.limits || []).map((l) => [l.target, l.bandwidth_mbps])) };
    svgEl.replaceChildren();
    svgEl.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const g = svg("g", {}, svgEl);
    drawLinks(svg("g", { class: "links" }, g), topo, pos, state);
    drawSlices(svg("g", { class: "slices" }, g), topo, pos, linkSet, route);
    drawAcls(svg("g", { class: "acls" }, g), topo, pos);
    drawNodes(svg("g", { class: "nodes" }, g), topo, pos, state);
    if (legendEl) legend(legendEl, topo);
  }

  function widestRow(topo) {
    const adjacency = new Map((topo.nodes || []).map((n) => [n.name, []]));
    for (const l of topo.links || []) {
      if (adjacency.has(l.a) && adjacency.has(l.b)) { adjacency.get(l.a).push(l.b); adjacency.get(l.b).push(l.a); }
    }
    const counts = new Map();
    for (const r of assignRows(topo.nodes || [], adjacency).values()) counts.set(r, (counts.get(r) || 0) + 1);
    return Math.max(1, ...counts.values());
  }

  window.AaasTopology = { draw };
})();
