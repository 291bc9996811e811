// The dashboard's stylesheet, served as a file from the mount (CSP: style-src 'self').
export const DASHBOARD_CSS = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d8dee4; --bg: #ffffff; --soft: #f6f8fa; --accent: #0b5cad;
  --red: #b42318; --red-bg: #fef3f2; --green: #1a7f37; --green-bg: #edfaef; --amber: #9a6700; --amber-bg: #fff8c5; --grey-bg: #eef1f4; }
* { box-sizing: border-box; }
html { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--soft); }
body { margin: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 24px; padding: 10px 20px; min-height: 44px; background: #24292f; }
.top a { color: #e6edf3; }
.brand { font-weight: 600; font-size: 14px; }
.top nav { display: flex; flex-wrap: wrap; gap: 4px 16px; }
.top nav a { opacity: .75; }
.top nav a[aria-current] { opacity: 1; font-weight: 600; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 18px; margin: 4px 0 12px; word-break: break-word; }
h2 { font-size: 14px; margin: 20px 0 8px; }
h3 { font-size: 13px; margin: 14px 0 6px; }
.muted { color: var(--muted); }
.num, td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.panel { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; padding: 10px 12px; margin-bottom: 12px; }
.filters label { display: flex; flex-direction: column; gap: 2px; font-size: 11px; color: var(--muted); }
input[type=text], input[type=search], select { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); min-width: 120px; }
input[type=search] { min-width: 260px; }
.btn, button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 4px; background: var(--soft); color: var(--fg); cursor: pointer; }
.btn:hover, button:hover { background: var(--grey-bg); }
button:disabled { opacity: .45; cursor: default; background: var(--soft); }
.actions select { min-width: 0; }
.btn-resolved { color: var(--green); }
.btn-ignored { color: var(--muted); }
.btn-open { color: var(--accent); }
form.inline { display: inline-flex; gap: 4px; align-items: center; margin: 0; }
.toolbar { display: flex; gap: 8px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--line); }
table { width: 100%; border-collapse: collapse; }
th { white-space: nowrap; text-align: left; font-weight: 600; font-size: 11px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); padding: 6px 10px; border-bottom: 1px solid var(--line); background: var(--soft); }
td { padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: 0; }
tbody tr:hover { background: #fafbfc; }
.title { font-weight: 600; word-break: break-word; }
.sub { color: var(--muted); font-size: 12px; word-break: break-all; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 11px; font-weight: 600; line-height: 18px; white-space: nowrap; background: var(--grey-bg); color: var(--muted); }
.badge.open { background: var(--red-bg); color: var(--red); }
.badge.resolved { background: var(--green-bg); color: var(--green); }
.badge.snoozed { background: var(--amber-bg); color: var(--amber); }
.badge.regression { background: var(--red); color: #fff; }
.badge.internal { background: var(--amber-bg); color: var(--amber); }
.chart .bar { fill: #8c959f; }
.chart .bar.empty { fill: #d8dee4; }
.chart.big .bar { fill: #57606a; }
.pager { display: flex; gap: 12px; align-items: center; justify-content: flex-end; padding: 8px 12px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; margin: 0 0 12px; }
.facts div { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.facts dt { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.facts dd { margin: 2px 0 0; font-variant-numeric: tabular-nums; word-break: break-word; }
.head { display: flex; justify-content: space-between; gap: 16px; align-items: start; flex-wrap: wrap; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.section { padding: 12px 14px; margin-bottom: 12px; }
.frames { list-style: none; margin: 0; padding: 0; }
.frame { border-top: 1px solid var(--line); padding: 5px 8px; overflow-wrap: anywhere; }
.frame:first-child { border-top: 0; }
.frame.app { background: #f0f6ff; border-left: 3px solid var(--accent); }
.frame.lib { color: var(--muted); }
.frame .fn { font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 40px; }
.section > h2:first-child { margin-top: 0; }
.context { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; margin: 6px 0 2px; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; overflow-x: auto; }
.context ol { margin: 0; padding: 4px 0; list-style: none; }
.context li { white-space: pre; padding: 0 8px; }
.context li .ln { display: inline-block; width: 4em; color: var(--muted); text-align: right; margin-right: 12px; user-select: none; }
.context li.hit { background: #fff1c2; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 8px; max-height: 420px; overflow: auto; }
table.kv td:first-child { width: 180px; color: var(--muted); white-space: nowrap; }
table.kv td { border-bottom: 1px solid var(--soft); padding: 4px 8px; word-break: break-all; }
.empty-state { padding: 32px; text-align: center; color: var(--muted); }
.notice { padding: 8px 12px; margin-bottom: 12px; background: var(--amber-bg); border: 1px solid #eed888; border-radius: 6px; }
details > summary { cursor: pointer; color: var(--muted); }
.lib-run { border-top: 1px solid var(--line); padding: 5px 8px; }
.lib-run:first-child { border-top: 0; }
.lib-run .frames { margin-top: 4px; }
.raw-stack { margin-top: 8px; }
.upstream-line { font-size: 13px; word-break: break-all; }
.notice.done { display: flex; gap: 12px; align-items: center; background: var(--green-bg); border-color: #aceebb; }
.notice.old-release { margin-top: 0; }
.visitors { color: var(--muted); font-size: 12px; }
.grouping { margin-top: 2px; }
.breakdown-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px 24px; }
.breakdown h3 { margin-top: 0; }
.breakdown td { padding: 3px 6px; }
.breakdown td.value { word-break: break-all; }
.activity-log { list-style: none; margin: 0; padding: 0; }
.activity-log li { padding: 4px 0; border-top: 1px solid var(--soft); }
.activity-log li:first-child { border-top: 0; }
svg.chart { max-width: 100%; }
svg.chart.big { width: 480px; height: auto; }
.charts > div { min-width: 0; max-width: 100%; }
.table-wrap { overflow-x: auto; }
@media (max-width: 700px) {
  main { padding: 12px 10px 32px; }
  input[type=search] { min-width: 0; width: 100%; }
  .filters label { flex: 1 1 140px; }
  .filters select, .filters input { width: 100%; min-width: 0; }
  .toolbar { flex-wrap: wrap; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards thead { display: none; }
  table.cards tr { border-bottom: 1px solid var(--line); padding: 8px 10px; }
  table.cards td { border: 0; padding: 2px 0; text-align: left; white-space: normal; }
  table.cards td[data-label] { display: inline-flex; width: auto; gap: 4px; align-items: baseline; margin-right: 14px; }
  table.cards td[data-label]::before { content: attr(data-label); color: var(--muted); font-size: 11px; text-transform: uppercase; white-space: nowrap; flex: none; }
  table.cards td.sub[data-label] { display: flex; }
  table.cards td.select { float: right; width: auto; }
  svg.chart.big { width: 100%; }
  table.kv td:first-child { width: 35%; white-space: normal; }
  table.kv td { word-break: break-word; overflow-wrap: anywhere; }
  .pager { flex-wrap: wrap; }
  .section { padding: 10px; overflow-wrap: anywhere; }
  .lib-run { padding: 5px 0 5px 8px; }
}
`;
