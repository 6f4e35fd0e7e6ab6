/* The operator console: submit intents, follow their runs, approve or reject, read the
   audit trail. Polls the JSON API; builds the DOM with textContent only (intent texts and
   runbook passages are never parsed as HTML). */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const EXAMPLES = [
    "Create a URLLC slice v2x between veh1 and edge1 with 50 Mbps and 5 ms latency",
    "Block ssh from cam1 to cloud1",
    "Limit cam2 to 10 Mbps",
    "Drain du2 for maintenance",
    "What if the link between cu1 and du1 fails?",
    "Which path does cam1 take to edge1?",
  ];
  const OPERATOR_RE = /^[A-Za-z0-9_.@ -]{1,64}$/;
  const state = { cards: new Map(), pendingJobs: new Map(), localErrors: [], online: null };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false)
      node.append(c instanceof Node ? c : String(c));
    return node;
  }

  function operatorName() {
    const name = $("operator-name").value.trim();
    return OPERATOR_RE.test(name) ? name : "";
  }

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    const who = operatorName();
    if (who) headers["X-Operator"] = who;
    const init = { method, headers };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    const res = await fetch(path, init);
    let data = null;
    try { data = await res.json(); } catch (e) { data = { message: res.statusText }; }
    if (!res.ok) throw new Error((data && data.message) || `HTTP ${res.status}`);
    return data;
  }

  function when(t) {
    if (t === null || t === undefined || t === "") return "";
    const d = typeof t === "number" ? new Date(t * 1000) : new Date(t);
    return isNaN(d) ? String(t) : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
  const SETTLED = new Set(["refused", "clarify", "awaiting_approval", "done", "failed", "answered", "rejected", "error"]);
  // a run the agents are still working on (planning, validating, ...) looks like a running job
  const statusClass = (s) => "s-" + (SETTLED.has(s) ? s : "running");
  const badge = (s) => el("span", { class: "badge " + statusClass(s) }, String(s || "?").replace(/_/g, " "));
  const short = (text, n) => (text && text.length > n ? text.slice(0, n - 1) + "…" : text || "");

  function setOnline(ok, why) {
    const s = $("link-state");
    s.className = "link-state " + (ok ? "live" : "down");
    s.textContent = ok ? "● live" : "● offline" + (why ? ": " + short(why, 60) : "");
  }

  /* ---- run cards --------------------------------------------------------------------- */
  function kv(obj) {
    const dl = el("dl", { class: "kv" });
    for (const [k, v] of Object.entries(obj || {})) {
      const shown = v === null ? "—" : Array.isArray(v) ? (v.length ? v.join(", ") : "—") :
        typeof v === "object" ? JSON.stringify(v) : String(v);
      dl.append(el("dt", {}, k), el("dd", {}, shown));
    }
    return dl;
  }

  function planSection(plan) {
    if (!plan) return null;
    const changeset = plan.changeset || {};
    const counted = (k) => [plan[k], changeset[k + "_add"], changeset[k + "_remove"]].filter(Array.isArray);
    const counts = ["flows", "meters", "queues"].filter((k) => counted(k).length)
      .map((k) => `${counted(k).reduce((n, list) => n + list.length, 0)} ${k}`).join(" · ");
    const detail = {};
    for (const k of ["flows", "meters", "queues", "changeset"]) if (plan[k] !== undefined) detail[k] = plan[k];
    return el("div", { class: "section plan" }, el("div", { class: "label" }, "plan"),
      el("div", {}, plan.summary || "(no summary)"),
      el("div", { class: "muted" }, plan.changeset_id ? el("span", { class: "mono" }, plan.changeset_id) : null,
        counts ? "  " + counts : ""),
      Object.keys(detail).length ? el("details", {}, el("summary", {}, "changeset detail"),
        el("pre", {}, JSON.stringify(detail, null, 2))) : null);
  }

  function retrievedSection(passages) {
    if (!passages || !passages.length) return null;
    return el("details", { class: "section retrieved", open: true },
      el("summary", {}, `runbook passages (${passages.length})`),
      passages.map((p) => el("div", { class: "passage" }, el("div", { class: "src" }, p.source || "?"),
        el("div", {}, short(p.text, 420)))));
  }

  /* a check's name: the contract's {name}, or the twin report's {check: {type, src, dst}} */
  function checkName(c) {
    if (c.name) return c.name;
    const k = c.check || {};
    return [k.type || "check", k.src && k.dst ? `${k.src} → ${k.dst}` : ""].filter(Boolean).join(" ");
  }

  function validationSection(v) {
    if (!v) return null;
    const checks = v.checks || v.results || [];
    const notes = [...(v.policy_reasons || []), ...(v.notes || []), v.error ? "error: " + v.error : ""].filter(Boolean);
    return el("div", { class: "section validation" },
      el("div", { class: "label" }, "validation on the twin ", el("span", { class: "badge " + (v.passed ? "pass" : "fail") },
        v.passed ? "passed" : "failed")),
      el("ul", { class: "checks" }, checks.map((c) => el("li", {},
        el("span", { class: "mark " + (c.passed ? "ok" : "no") }, c.passed ? "✓" : "✗"), checkName(c),
        c.evidence ? el("span", { class: "ev" }, " — " + (typeof c.evidence === "string" ? short(c.evidence, 400) :
          JSON.stringify(c.evidence))) : null))),
      notes.map((n) => el("div", { class: "muted" }, short(String(n), 300))));
  }

  function decisionControls(run, compact) {
    const comment = el("input", { type: "text", placeholder: "comment (optional)", maxlength: 2000,
      "aria-label": "approval comment" });
    const decide = async (approve, buttons) => {
      buttons.forEach((b) => { b.disabled = true; });
      try {
        const job = await api("POST", `/api/runs/${encodeURIComponent(run.thread_id)}/approve`,
          { approve, comment: comment.value });
        trackJob(job);
      } catch (e) {
        buttons.forEach((b) => { b.disabled = false; });
        note(`Could not ${approve ? "approve" : "reject"} ${run.thread_id}: ${e.message}`);
      }
    };
    const yes = el("button", { type: "button", class: "approve", "data-action": "approve" }, "Approve");
    const no = el("button", { type: "button", class: "reject", "data-action": "reject" }, "Reject");
    yes.addEventListener("click", () => decide(true, [yes, no]));
    no.addEventListener("click", () => decide(false, [yes, no]));
    return el("div", { class: "decision" + (compact ? " compact" : "") }, comment, yes, no);
  }

  function runCard(run) {
    const intent = run.intent || {};
    const kind = intent.kind || run.kind;
    const flags = el("div", { class: "flags" },
      ["validated", "pushed", "verified_on_prod"].filter((k) => k in run).map((k) =>
        el("span", { class: "flag " + (run[k] ? "yes" : "no") }, (run[k] ? "✓ " : "✗ ") + k.replace(/_/g, " "))));
    return el("div", { class: "card " + statusClass(run.status), "data-run": run.thread_id, "data-status": run.status },
      el("div", { class: "card-head" }, badge(run.status), kind ? el("span", { class: "kind" }, kind) : null,
        el("span", { class: "id mono" }, run.thread_id + " · " + when(run.updated_at || run.created_at))),
      run.answer ? el("div", { class: "answer" }, run.answer) : null,
      run.reason && run.reason !== run.answer ? el("div", { class: "reason" }, run.reason) : null,
      intent.params && Object.keys(intent.params).length ? el("div", { class: "section" },
        el("div", { class: "label" }, "intent"), kv(intent.params)) : null,
      planSection(run.plan), retrievedSection(run.retrieved), validationSection(run.validation),
      run.audit && typeof run.audit === "object" ? el("details", { class: "section" },
        el("summary", {}, "policy and anomaly checks"), el("pre", {}, JSON.stringify(run.audit, null, 2))) : null,
      run.result ? el("details", { class: "section" }, el("summary", {}, "result"),
        el("pre", {}, JSON.stringify(run.result, null, 2))) : null,
      run.audit_ids && run.audit_ids.length ? el("div", { class: "section" }, el("div", { class: "label" }, "audit records"),
        el("div", { class: "chips" }, run.audit_ids.map((id) => el("span", { class: "chip" }, "#" + id)))) : null,
      flags.childElementCount ? flags : null,
      run.status === "awaiting_approval" ? decisionControls(run, false) : null);
  }

  function renderRuns(runs) {
    const log = $("chat-log"), chronological = runs.slice().reverse();
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    let changed = false;
    for (const run of chronological) {
      const signature = JSON.stringify([run.status, run.updated_at, run.audit_ids, run.answer]);
      const known = state.cards.get(run.thread_id);
      if (known && known.signature === signature) continue;
      const card = runCard(run);
      if (known) known.card.replaceWith(card);
      else {
        const bubble = el("div", { class: "msg-op" }, el("span", { class: "who" }, `${run.actor} · ${when(run.created_at)}`),
          run.text);
        log.append(bubble, card);
      }
      state.cards.set(run.thread_id, { signature, card });
      changed = true;
    }
    renderPendingBubbles();
    const empty = log.querySelector(".empty");
    if (runs.length || state.pendingJobs.size) { if (empty) empty.remove(); }
    else if (!empty) log.append(el("div", { class: "empty" }, "No intents yet. Type one below or pick an example."));
    if (changed && atBottom) log.scrollTop = log.scrollHeight;
  }

  function renderPendingBubbles() {
    const log = $("chat-log");
    log.querySelectorAll(".pending-job").forEach((n) => n.remove());
    for (const job of state.pendingJobs.values()) {
      const text = job.kind === "submit" ? job.text : `${job.text} (${job.thread_id})`;
      log.append(el("div", { class: "pending-job" },
        job.kind === "submit" ? el("div", { class: "msg-op" }, el("span", { class: "who" }, job.actor), text) : null,
        el("div", { class: "card s-running" }, el("div", { class: "card-head" }, badge(job.state),
          el("span", {}, job.kind === "submit" ? "planning and validating on the twin…" : `${text}: pushing…`)))));
    }
  }

  function note(message) {
    const log = $("chat-log");
    log.append(el("div", { class: "card s-error" }, el("div", { class: "card-head" }, badge("error")), message));
    log.scrollTop = log.scrollHeight;
  }

  /* ---- approvals and audit ----------------------------------------------------------- */
  function renderApprovals(runs) {
    const waiting = runs.filter((r) => r.status === "awaiting_approval");
    $("approvals-count").textContent = String(waiting.length);
    const box = $("approvals");
    const signature = JSON.stringify(waiting.map((r) => [r.thread_id, r.updated_at]));
    if (box.dataset.signature === signature) return;
    box.dataset.signature = signature;
    box.replaceChildren();
    if (!waiting.length) { box.append(el("div", { class: "muted" }, "Nothing waits for approval.")); return; }
    for (const run of waiting) {
      const v = run.validation;
      box.append(el("div", { class: "approval", "data-run": run.thread_id },
        el("div", { class: "card-head" }, el("span", { class: "kind" }, (run.intent || {}).kind || run.kind || "?"),
          v ? el("span", { class: "badge " + (v.passed ? "pass" : "fail") }, v.passed ? "twin: passed" : "twin: failed") : null,
          el("span", { class: "id mono" }, `${run.thread_id} · ${run.actor}`)),
        el("div", { class: "text" }, run.text),
        run.plan ? el("div", { class: "muted" }, run.plan.summary || "") : null,
        decisionControls(run, true)));
    }
  }

  function renderAudit(records) {
    const body = $("audit-table").querySelector("tbody");
    body.replaceChildren(...records.map((r) => {
      const notes = [r.error ? "error: " + r.error : "", r.anomaly ? "anomaly: " + r.anomaly : "",
        r.approval ? "approval: " + r.approval : ""].filter(Boolean).join("; ");
      return el("tr", {}, el("td", { class: "mono" }, r.seq ?? ""), el("td", { class: "mono" }, when(r.time)),
        el("td", {}, r.actor || ""), el("td", { class: "mono" }, (r.tool || "") + (r.version ? "@" + r.version : "")),
        el("td", {}, r.target || ""), el("td", {}, r.effect || ""),
        el("td", { class: "outcome-" + String(r.outcome || "").replace(/[^a-z]/g, "") }, r.outcome || ""),
        el("td", { class: "mono" }, r.changeset_id ? short(r.changeset_id, 14) : ""), el("td", {}, short(notes, 160)));
    }));
    if (!records.length) body.append(el("tr", {}, el("td", { colspan: 9, class: "muted" }, "No audit records yet.")));
  }

  function renderTopology(topo) {
    window.AaasTopology.draw($("topology"), $("topo-legend"), topo);
    const n = (topo.nodes || []).length, l = (topo.links || []).length;
    $("topo-summary").textContent = `${topo.name ? topo.name + ": " : ""}${n} nodes, ${l} links, ` +
      `${(topo.slices || []).length} slices, ${(topo.acls || []).length} ACL blocks`;
  }

  /* ---- polling ----------------------------------------------------------------------- */
  async function refreshRuns() {
    const [runs, jobs] = await Promise.all([api("GET", "/api/runs"), api("GET", "/api/jobs")]);
    for (const job of jobs) if (!state.pendingJobs.has(job.job_id)) trackJob(job);
    renderRuns(runs);
    renderApprovals(runs);
  }
  async function refreshSlow() {
    const [topo, audit] = await Promise.all([api("GET", "/api/topology"), api("GET", "/api/audit?limit=100")]);
    renderTopology(topo);
    renderAudit(audit);
  }
  async function refreshAll() {
    try { await Promise.all([refreshRuns(), refreshSlow()]); setOnline(true); }
    catch (e) { setOnline(false, e.message); }
  }

  function trackJob(job) {
    if (state.pendingJobs.has(job.job_id)) return;  // the list poll and the POST can both report it
    state.pendingJobs.set(job.job_id, job);
    renderPendingBubbles();
    const poll = async () => {
      let current = job;
      try { current = await api("GET", `/api/jobs/${encodeURIComponent(job.job_id)}`); }
      catch (e) { state.pendingJobs.delete(job.job_id); note(`Lost track of ${job.job_id}: ${e.message}`); return; }
      if (current.state === "done" || current.state === "error") {
        state.pendingJobs.delete(job.job_id);
        if (current.state === "error") note(`${current.kind === "submit" ? "The intent" : "The decision"} failed: ${current.error}`);
        await refreshAll();
        return;
      }
      state.pendingJobs.set(job.job_id, current);
      renderPendingBubbles();
      setTimeout(poll, 600);
    };
    setTimeout(poll, 300);
  }

  async function submitIntent(event) {
    event.preventDefault();
    const input = $("chat-input"), text = input.value.trim();
    if (!text) return;
    $("chat-send").disabled = true;
    try {
      const job = await api("POST", "/api/intents", { text });
      input.value = "";
      trackJob(job);
      $("chat-log").scrollTop = $("chat-log").scrollHeight;
    } catch (e) { note(`Not sent: ${e.message}`); }
    finally { $("chat-send").disabled = false; input.focus(); }
  }

  function start() {
    const nameInput = $("operator-name");
    nameInput.value = localStorage.getItem("aaas.operator") || "";
    nameInput.addEventListener("change", () => {
      const ok = !nameInput.value.trim() || OPERATOR_RE.test(nameInput.value.trim());
      nameInput.setCustomValidity(ok ? "" : "letters, digits, spaces or _ . @ - (up to 64)");
      if (ok) localStorage.setItem("aaas.operator", nameInput.value.trim());
    });
    $("chat-form").addEventListener("submit", submitIntent);
    $("chat-input").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("chat-form").requestSubmit(); }
    });
    $("examples").append(...EXAMPLES.map((text) => el("button", { type: "button",
      onclick: () => { $("chat-input").value = text; $("chat-input").focus(); } }, text)));
    refreshAll();
    setInterval(() => refreshRuns().then(() => setOnline(true), (e) => setOnline(false, e.message)), 2500);
    setInterval(() => refreshSlow().catch((e) => setOnline(false, e.message)), 6000);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
