// `html`: one self-contained page: the verdict and counts, then per plan an interactive graph of what is destroyed
// and what depends on it (click a node to trace what it takes down; type to filter), the destructive changes, policy
// results and root causes. No external resources: inline CSS and JS only, and a Content-Security-Policy that forbids
// loading anything. The graph is laid out here (columns by depth) and drawn as static SVG, so it shows without
// JavaScript; the script only adds highlighting and reads plan data through textContent, never as HTML.

import { blastGraph, type BlastGraph, type BlastNode } from "../blast-graph.js";
import type { Report } from "../document.js";
import { describeLocation, locate } from "../locate.js";
import { asReportSet, planLabel } from "../report-set.js";
import type { SourceIndex } from "../source-locations.js";
import { html as h, plural, scriptJson, truncate, visible } from "../text.js";
import type { ReportFormat } from "./types.js";

/** Most nodes drawn per plan; the rest are counted (the JSON report has them all). */
export const HTML_MAX_NODES = 400;
const ROW = 30;
const CHAR = 7.2;
const PAD = 12;
const GAP = 70;
const MAX_LABEL = 60;

interface Placed {
  n: BlastNode;
  /** Index of the node in the graph (and in the script's data). */
  idx: number;
  x: number;
  y: number;
  w: number;
}

/**
 * Layered layout: each node's column is the longest chain of edges leading to it (so every edge points right),
 * rows ordered by the mean row of a node's predecessors to keep edges short. Deterministic.
 */
function layout(g: BlastGraph): { placed: Placed[]; width: number; height: number } {
  const index = new Map(g.nodes.map((n, i) => [n.address, i]));
  const preds: number[][] = g.nodes.map(() => []);
  const succs: number[][] = g.nodes.map(() => []);
  for (const e of g.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    preds[b]!.push(a);
    succs[a]!.push(b);
  }
  const layer = new Array<number>(g.nodes.length).fill(0);
  const indeg = preds.map((p) => p.length);
  const queue = g.nodes.map((_, i) => i).filter((i) => indeg[i] === 0);
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h]!;
    for (const v of succs[u]!) {
      layer[v] = Math.max(layer[v]!, layer[u]! + 1);
      if (--indeg[v]! === 0) queue.push(v);
    }
  }
  const columns = new Map<number, number[]>();
  g.nodes.forEach((_, i) => {
    const col = layer[i]!;
    if (!columns.has(col)) columns.set(col, []);
    columns.get(col)!.push(i);
  });
  const row = new Array<number>(g.nodes.length).fill(0);
  const placed: Placed[] = [];
  let x = 10;
  let height = 0;
  for (const col of [...columns.keys()].sort((a, b) => a - b)) {
    const nodes = columns.get(col)!;
    const key = (i: number): number => (preds[i]!.length === 0 ? i : preds[i]!.reduce((a, p) => a + row[p]!, 0) / preds[i]!.length);
    nodes.sort((a, b) => key(a) - key(b) || a - b);
    nodes.forEach((i, r) => (row[i] = r));
    const w = Math.min(MAX_LABEL, Math.max(...nodes.map((i) => g.nodes[i]!.address.length))) * CHAR + 2 * PAD;
    nodes.forEach((i, r) => placed.push({ n: g.nodes[i]!, idx: i, x, y: 10 + r * ROW, w }));
    height = Math.max(height, 10 + nodes.length * ROW);
    x += w + GAP;
  }
  return { placed, width: Math.max(x, 200), height: Math.max(height + 10, 60) };
}

function nodeClass(n: BlastNode): string {
  if (n.role === "destroyed") return "destroyed";
  if (n.impact === "replaced" || n.impact === "deleted") return "replaced";
  if (n.impact === "reads" || n.impact === "none" || n.impact === undefined) return "untouched";
  return "affected";
}

function svgOf(g: BlastGraph, plan: number): string {
  const { placed, width, height } = layout(g);
  const at = new Map(placed.map((p) => [p.n.address, p]));
  const edges = g.edges.map((e, k) => {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const x1 = a.x + a.w;
    const y1 = a.y + ROW / 2 - 3;
    const x2 = b.x;
    const y2 = b.y + ROW / 2 - 3;
    const mx = (x1 + x2) / 2;
    const d = x2 > x1 ? `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}` : `M${x1},${y1} C${x1 + 40},${y1 - 40} ${x2 - 40},${y2 - 40} ${x2},${y2}`;
    return `<path class="edge" data-e="${k}" data-from="${a.idx}" data-to="${b.idx}" d="${d}" marker-end="url(#arrow-${plan})"><title>${h(e.via || "depends on")}</title></path>`;
  });
  const nodes = placed.map((p) => {
    const label = truncate(p.n.address, MAX_LABEL);
    return `<g class="node ${nodeClass(p.n)}" data-i="${p.idx}" tabindex="0" role="button" aria-label="${h(p.n.address)}"><title>${h(p.n.address)}</title><rect x="${p.x}" y="${p.y}" width="${p.w}" height="${ROW - 8}" rx="5"/><text x="${p.x + PAD}" y="${p.y + 15}">${h(label)}</text></g>`;
  });
  return (
    `<svg class="graph" data-plan="${plan}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><marker id="arrow-${plan}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>` +
    `<g class="edges">${edges.join("")}</g><g class="nodes">${nodes.join("")}</g></svg>`
  );
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

function planSection(r: Report, i: number, count: number, sources: SourceIndex | undefined): { html: string; data: unknown } {
  const g = blastGraph(r, { maxNodes: HTML_MAX_NODES });
  const out: string[] = [];
  const title = count > 1 ? `Plan ${i + 1} of ${count}: ${planLabel(r, i)}` : `Plan ${planLabel(r, i)}`;
  out.push(`<section class="plan" id="plan-${i}"><h2>${h(title)} <span class="badge ${r.verdict.status}">${r.verdict.status}</span></h2>`);
  out.push(`<p>${h(plural(r.destructive.length, "destructive change"))} of ${h(plural(r.summary.total, "resource change"))}; risk <b>${h(r.analysis.severity)}</b> (score ${r.analysis.score}/100).</p>`);
  if (count > 1 && r.verdict.reasons.length > 0) out.push(`<ul class="reasons">${r.verdict.reasons.map((x) => `<li>${h(x)}</li>`).join("")}</ul>`);
  const headline = r.findings.filter((f) => f.severity === "critical" || f.severity === "high");
  if (headline.length > 0) out.push(`<ul class="findings">${headline.map((f) => `<li><b>${h(f.severity)}</b>: ${h(f.message)}${f.suggestion ? `<br>→ ${h(f.suggestion)}` : ""}</li>`).join("")}</ul>`);
  if (r.policy) {
    const rows = r.policy.results.map((x) => [`<span class="badge ${h(x.status)}">${h(x.status)}</span>`, `<code>${h(x.rule)}</code>`, h(x.message), x.addresses.slice(0, 5).map((a) => `<code>${h(a)}</code>`).join(", ") + (x.addresses.length > 5 ? ` and ${x.addresses.length - 5} more` : "")]);
    const notes = r.policy.notes;
    out.push(`<h3>Policy: ${h(r.policy.status)}</h3>${table(["Status", "Rule", "Result", "On"], rows)}${notes.length > 0 ? `<ul class="notes">${notes.map((n) => `<li>${h(n)}</li>`).join("")}</ul>` : ""}`);
  }
  out.push(`<h3>Blast radius</h3>`);
  if (g.nodes.length === 0) out.push(`<p class="empty">Nothing is destroyed.</p>`);
  else {
    out.push(
      `<div class="tools"><label>Filter <input type="search" class="filter" data-plan="${i}" placeholder="address contains…"></label> <span class="hint">Click a resource to trace what it takes down.</span>` +
        (g.omittedNodes > 0 ? ` <span class="hint">${g.omittedNodes} more resources are not drawn (see the JSON report).</span>` : "") +
        `</div><div class="graph-wrap">${svgOf(g, i)}</div><div class="details" data-plan="${i}" aria-live="polite"><p class="hint">No resource selected.</p></div>`,
    );
    out.push(`<p class="legend"><span class="sw destroyed"></span> destroyed <span class="sw replaced"></span> replaced or deleted as a consequence <span class="sw affected"></span> updated, unknown after apply or left dangling <span class="sw untouched"></span> other</p>`);
  }
  if (r.destructive.length > 0) {
    const rows = r.destructive.map((d) => {
      const loc = sources ? locate(r, sources, d.address) : undefined;
      return [
        h(d.severity),
        h(d.kind),
        `<code>${h(d.address)}</code>${loc?.from === "source" ? `<br><small>${h(describeLocation(loc))}</small>` : ""}`,
        h(d.explanation + (d.replace_paths.length ? `; forced by ${d.replace_paths.join(", ")}` : "")),
        h(d.risk.data_loss),
        String(d.blast_radius_total),
      ];
    });
    out.push(`<h3>Destructive changes</h3>${table(["Severity", "Action", "Resource", "Why", "Data loss", "Dependents"], rows)}`);
  }
  if (r.root_causes.length > 0) out.push(`<h3>Root causes</h3><ul>${r.root_causes.map((c) => `<li>${h(c.summary)}${c.chain.length > 1 ? `<br><small>${c.chain.map((x) => `<code>${h(x)}</code>`).join(" → ")}</small>` : ""}</li>`).join("")}</ul>`);
  const other = [...r.findings.filter((f) => f.severity !== "critical" && f.severity !== "high").map((f) => `${f.severity}: ${f.message}`), ...r.notes.map((n) => `${n.severity} ${n.code}: ${n.message}`)];
  if (other.length > 0) out.push(`<h3>Other findings and notes</h3><ul>${other.map((x) => `<li>${h(x)}</li>`).join("")}</ul>`);
  out.push(`</section>`);
  // Data for the script: addresses made visible (no controls); inserted as JSON and read as text, never as HTML.
  const data = {
    nodes: g.nodes.map((n) => ({ a: visible(n.address), role: n.role, kind: n.kind, impact: n.impact ?? null, severity: n.severity ?? null, depth: n.depth })),
    edges: g.edges.map((e) => ({ from: g.nodes.findIndex((n) => n.address === e.from), to: g.nodes.findIndex((n) => n.address === e.to), via: visible(e.via) })),
  };
  return { html: out.join("\n"), data };
}

const CSS = `
:root{--red:#b42318;--green:#067647;--ink:#101828;--muted:#475467;--line:#d0d5dd}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:0;padding:0 24px 40px;background:#fff}
header.verdict{margin:0 -24px 16px;padding:18px 24px;color:#fff}header.verdict.fail{background:var(--red)}header.verdict.pass{background:var(--green)}
header h1{margin:0 0 6px;font-size:22px}header ul{margin:6px 0 0;padding-left:20px}
code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:#f9fafb}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;background:var(--muted);vertical-align:middle}
.badge.fail{background:var(--red)}.badge.pass{background:var(--green)}.badge.warn{background:#b54708}
.graph-wrap{overflow:auto;border:1px solid var(--line);border-radius:6px;max-height:70vh;background:#fcfcfd}
svg.graph text{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;fill:var(--ink);pointer-events:none}
svg.graph .node{cursor:pointer}svg.graph .node rect{stroke-width:1.5}
.node.destroyed rect,.sw.destroyed{fill:#fde2e1;background:#fde2e1;stroke:var(--red);border-color:var(--red)}
.node.replaced rect,.sw.replaced{fill:#feecdc;background:#feecdc;stroke:#c4320a;border-color:#c4320a}
.node.affected rect,.sw.affected{fill:#fef7c3;background:#fef7c3;stroke:#a15c07;border-color:#a15c07}
.node.untouched rect,.sw.untouched{fill:#f2f4f7;background:#f2f4f7;stroke:#667085;border-color:#667085}
svg.graph .edge{fill:none;stroke:#98a2b3;stroke-width:1.3}svg.graph marker path{fill:#98a2b3}
svg.graph.tracing .node:not(.on){opacity:.25}svg.graph.tracing .edge:not(.on){opacity:.1}svg.graph .edge.on{stroke:var(--red);stroke-width:2}
svg.graph .node.sel rect{stroke-width:3}svg.graph .node.off{opacity:.2}
.sw{display:inline-block;width:14px;height:14px;border:1.5px solid;border-radius:3px;vertical-align:middle;margin-left:10px}
.tools{margin:8px 0}.hint{color:var(--muted)}.details{margin:8px 0 16px;padding:8px 12px;border-left:3px solid var(--line)}
footer{margin-top:24px;color:var(--muted);font-size:12px}
`;

// Interactivity only: highlight what a clicked node takes down (downstream) and why it exists (upstream); filter.
const JS = `
(function(){
  var data = JSON.parse(document.getElementById("blastgate-data").textContent);
  data.plans.forEach(function(plan, p){
    var svg = document.querySelector('svg.graph[data-plan="'+p+'"]'); if(!svg) return;
    var nodes = svg.querySelectorAll(".node"), edges = svg.querySelectorAll(".edge");
    var details = document.querySelector('.details[data-plan="'+p+'"]');
    var out = plan.nodes.map(function(){return [];}), inn = plan.nodes.map(function(){return [];});
    plan.edges.forEach(function(e,k){ if(e.from>=0&&e.to>=0){ out[e.from].push([e.to,k]); inn[e.to].push([e.from,k]); } });
    function walk(start, adj, onN, onE){ var seen={}, q=[start]; seen[start]=1; while(q.length){ var u=q.shift(); onN[u]=1; adj[u].forEach(function(x){ onE[x[1]]=1; if(!seen[x[0]]){seen[x[0]]=1;q.push(x[0]);} }); } }
    function text(tag, s){ var el=document.createElement(tag); el.textContent=s; return el; }
    function select(i){
      var onN={}, onE={}, down={}, downE={};
      walk(i, out, down, downE); walk(i, inn, onN, onE);
      Object.keys(down).forEach(function(k){onN[k]=1;}); Object.keys(downE).forEach(function(k){onE[k]=1;});
      svg.classList.add("tracing");
      nodes.forEach(function(n){ var j=+n.getAttribute("data-i"); n.classList.toggle("on", !!onN[j]); n.classList.toggle("sel", j===i); });
      edges.forEach(function(e){ e.classList.toggle("on", !!onE[+e.getAttribute("data-e")]); });
      var n = plan.nodes[i]; details.textContent = "";
      details.appendChild(text("h4", n.a));
      details.appendChild(text("p", (n.role==="destroyed" ? "destroyed: "+n.kind+(n.severity?" ("+n.severity+")":"") : "depends on a destroyed resource: "+(n.impact||"affected")+", own change: "+n.kind)));
      var downstream = Object.keys(down).length-1;
      details.appendChild(text("p", downstream+" resource"+(downstream===1?"":"s")+" below it in this graph"));
      var ul = document.createElement("ul");
      inn[i].forEach(function(x){ ul.appendChild(text("li", "depends on "+plan.nodes[x[0]].a+" ("+(plan.edges[x[1]].via||"depends on")+")")); });
      out[i].forEach(function(x){ ul.appendChild(text("li", "needed by "+plan.nodes[x[0]].a+" ("+(plan.edges[x[1]].via||"depends on")+")")); });
      details.appendChild(ul);
    }
    nodes.forEach(function(n){
      var i=+n.getAttribute("data-i");
      n.addEventListener("click", function(){ select(i); });
      n.addEventListener("keydown", function(ev){ if(ev.key==="Enter"||ev.key===" "){ ev.preventDefault(); select(i); } });
    });
    // A link to #node=ADDRESS (URI-encoded) opens the page with that resource traced.
    var m = /^#node=(.*)$/.exec(location.hash);
    if(m){ var want = decodeURIComponent(m[1]); plan.nodes.forEach(function(n,i){ if(n.a===want) select(i); }); }
    var filter = document.querySelector('input.filter[data-plan="'+p+'"]');
    if(filter) filter.addEventListener("input", function(){
      var f = filter.value.toLowerCase();
      nodes.forEach(function(n){ var a = plan.nodes[+n.getAttribute("data-i")].a.toLowerCase(); n.classList.toggle("off", f!=="" && a.indexOf(f)<0); });
    });
  });
})();
`;

export const html: ReportFormat = {
  id: "html",
  description: "a self-contained HTML page with the summary and an interactive graph of what is destroyed and what depends on it",
  extension: "html",
  render(input, options) {
    const set = asReportSet(input);
    const sections = set.reports.map((r, i) => planSection(r, i, set.reports.length, options.sources?.[i]));
    const destroys = set.reports.reduce((a, r) => a + r.destructive.length, 0);
    const status = set.verdict.status;
    const heading = status === "pass" ? "blastgate: PASS" : "blastgate: STOP, do not apply this plan";
    return [
      "<!doctype html>",
      '<html lang="en">',
      "<head>",
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${h(heading)}</title>`,
      `<style>${CSS}</style>`,
      "</head>",
      "<body>",
      `<header class="verdict ${status}"><h1>${h(heading)}</h1><div>${h(plural(destroys, "destructive change"))} in ${h(plural(set.reports.length, "plan"))}</div>${
        set.verdict.reasons.length ? `<ul>${set.verdict.reasons.map((x) => `<li>${h(x)}</li>`).join("")}</ul>` : ""
      }</header>`,
      ...sections.map((s) => s.html),
      `<footer>blastgate ${h(set.tool.version)}. Attribute values are never shown. Edges point from a resource to what depends on it.</footer>`,
      `<script type="application/json" id="blastgate-data">${scriptJson({ plans: sections.map((s) => s.data) })}</script>`,
      `<script>${JS}</script>`,
      "</body>",
      "</html>",
      "",
    ].join("\n");
  },
};
