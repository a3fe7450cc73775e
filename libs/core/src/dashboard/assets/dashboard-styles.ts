/**
 * The dashboard's stylesheet: a quiet layout for a laptop screen, health shown by colour and
 * by words (never by colour alone), contrast high enough to read in a bright room.
 */
export const DASHBOARD_CSS = String.raw`:root {
  --bg: #f3f5f8; --surface: #ffffff; --text: #1d2430; --muted: #5b6576; --line: #dde2ea;
  --brand: #0b4f8a; --brand-dark: #083a66; --focus: #1f6feb;
  --green: #1a7f37; --green-bg: #e8f5ec; --amber: #9a5b00; --amber-bg: #fff4de;
  --red: #b42318; --red-bg: #fdecea; --grey: #5f6b7a; --grey-bg: #eef0f3;
  --radius: 10px; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.45; color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
h1, h2, h3, h4 { margin: 0; line-height: 1.25; }
h2 { font-size: 1.25rem; }
h3 { font-size: 1rem; }
h4 { font-size: .95rem; margin: 1.25rem 0 .5rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
a { color: var(--brand); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; }
.muted { color: var(--muted); }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
.nowrap { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.warn { color: var(--amber); }

.topbar { position: sticky; top: 0; z-index: 5; box-shadow: 0 2px 6px rgba(0, 0, 0, .12); }
.bar { display: flex; align-items: center; gap: 1.5rem; padding: .55rem 1.5rem; background: var(--brand); color: #fff; }
.brand { display: flex; align-items: center; gap: .75rem; white-space: nowrap; }
.logo { display: grid; place-items: center; width: 2.2rem; height: 2.2rem; border-radius: 8px; background: #ffcc00; color: var(--brand-dark); font-weight: 700; font-size: 1.2rem; }
.topbar h1 { font-size: 1.15rem; }
.subtitle { margin: 0; font-size: .82rem; opacity: .85; }
.sections { display: flex; gap: .25rem; }
.sections a { color: #fff; text-decoration: none; padding: .35rem .7rem; border-radius: 6px; font-size: .9rem; white-space: nowrap; }
.sections a:hover { background: rgba(255, 255, 255, .14); }
.tools { margin-left: auto; display: flex; align-items: center; gap: .75rem; }
.lang { display: flex; align-items: center; gap: .4rem; font-size: .85rem; font-weight: 500; white-space: nowrap; }
.lang select { padding: .25rem .4rem; border-radius: 6px; border: 0; }
.topbar .ghost { color: #fff; border: 1px solid rgba(255, 255, 255, .5); background: transparent; white-space: nowrap; }
.topbar .ghost:hover { background: rgba(255, 255, 255, .14); }
.statusbar { display: flex; align-items: center; gap: 1rem; padding: .35rem 1.5rem; background: #e9eff7; border-bottom: 1px solid var(--line); font-size: .85rem; }
.live-dot { width: .55rem; height: .55rem; border-radius: 50%; background: var(--green); box-shadow: 0 0 0 3px rgba(26, 127, 55, .18); }
.refresh { margin: 0; color: var(--muted); }
.refresh.warn { color: var(--red); font-weight: 600; }
.statusbar:has(.refresh.warn) .live-dot { background: var(--red); box-shadow: 0 0 0 3px rgba(180, 35, 24, .18); }
.queues-link { margin-left: auto; font-weight: 500; }

html { scroll-padding-top: 7rem; }
main { max-width: 1440px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
main:focus { outline: none; }
section { margin-bottom: 2rem; }
.section-head { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; margin-bottom: .75rem; }
.section-head .inline { margin-left: auto; }
.card { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.25rem; }

button, .ghost { font: inherit; font-size: .9rem; border-radius: 7px; padding: .45rem .9rem; cursor: pointer; border: 1px solid transparent; text-decoration: none; display: inline-block; }
button:disabled { opacity: .55; cursor: progress; }
button.small { font-size: .82rem; padding: .3rem .7rem; }
.primary { background: var(--brand); color: #fff; }
.primary:hover:not(:disabled) { background: var(--brand-dark); }
.secondary { background: #fff; color: var(--brand); border-color: #b8c7da; }
.secondary:hover:not(:disabled) { background: #f0f5fb; }
button.link { background: none; border: 0; padding: 0; color: var(--brand); text-decoration: underline; }
input, select { font: inherit; }
label { font-weight: 600; font-size: .9rem; }
label.inline { display: flex; align-items: center; gap: .5rem; font-weight: 500; }
label.inline select { max-width: 360px; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }

.login { max-width: 460px; margin: 3rem auto; }
.login h2 { margin-bottom: .5rem; }
.login form { display: grid; gap: .5rem; margin-top: 1rem; }
.login input { padding: .6rem .7rem; border: 1px solid #b8c2d0; border-radius: 7px; }
.login button { justify-self: start; margin-top: .25rem; }
.message { color: var(--red); font-weight: 500; min-height: 1.4em; }

.toast { position: fixed; right: 1.5rem; bottom: 1.5rem; z-index: 20; max-width: 420px; padding: .75rem 1rem; border-radius: 8px; box-shadow: 0 6px 20px rgba(0, 0, 0, .18); font-weight: 500; }
.toast-ok { background: var(--green); color: #fff; }
.toast-error { background: var(--red); color: #fff; }

.agency-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1rem; }
.agency { background: var(--surface); border: 1px solid var(--line); border-left: 6px solid var(--grey); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1rem 1.1rem; display: flex; flex-direction: column; gap: .6rem; }
.agency.health-green { border-left-color: var(--green); }
.agency.health-amber { border-left-color: #e09b00; background: linear-gradient(180deg, var(--amber-bg), #fff 55%); }
.agency.health-red { border-left-color: var(--red); background: linear-gradient(180deg, var(--red-bg), #fff 55%); }
.agency.health-grey { border-left-color: var(--grey); background: var(--grey-bg); }
.agency-head { display: flex; justify-content: space-between; align-items: flex-start; gap: .75rem; }
.agency .code { margin: .15rem 0 0; color: var(--muted); font-size: .82rem; }
.circuit { margin: 0; font-size: .85rem; color: var(--muted); }
.circuit-open { color: var(--red); font-weight: 600; }
.circuit-half_open { color: var(--amber); font-weight: 600; }
.badge { display: inline-block; padding: .15rem .55rem; border-radius: 999px; font-size: .78rem; font-weight: 600; white-space: nowrap; }
.badge-green { background: var(--green-bg); color: var(--green); }
.badge-amber { background: var(--amber-bg); color: var(--amber); }
.badge-red { background: var(--red-bg); color: var(--red); }
.badge-grey { background: #dfe3e8; color: #3d4756; }
.badge-unprobed { background: #dfe3e8; color: #3d4756; border: 1px dashed #7a8594; }
.badge-code { background: var(--red-bg); color: var(--red); font-family: ui-monospace, Menlo, Consolas, monospace; }
.badge-status { background: #e6effa; color: var(--brand-dark); }
.badge-punctuality-late { background: var(--red-bg); color: var(--red); }
.badge-punctuality-on_time, .badge-punctuality-early { background: var(--green-bg); color: var(--green); }
.badge-punctuality-pending { background: var(--grey-bg); color: var(--grey); }
table.queue { width: 100%; border-collapse: collapse; font-size: .85rem; text-align: center; }
table.queue caption { text-align: left; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); padding-bottom: .2rem; }
table.queue th { font-weight: 500; color: var(--muted); font-size: .75rem; padding: .2rem; border-bottom: 1px solid var(--line); }
table.queue td { font-size: 1.05rem; font-weight: 600; padding: .25rem; font-variant-numeric: tabular-nums; }
table.queue td.warn { color: var(--red); }
.facts { margin: 0; display: grid; grid-template-columns: 1fr 1fr; gap: .35rem 1rem; font-size: .85rem; }
.facts dt { color: var(--muted); font-size: .75rem; }
.facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.facts .warn dd { color: var(--amber); }
.inline-facts { grid-template-columns: repeat(3, max-content); gap: .25rem 2rem; }
.grid-facts { grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); }
.agency-actions { display: flex; gap: .75rem; align-items: center; margin-top: auto; padding-top: .3rem; }

.dead-letter-group { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1rem 1.1rem; margin-bottom: .8rem; }
.group-head { display: flex; align-items: center; gap: 1rem; margin-bottom: .5rem; }
.group-title { flex: 1; display: flex; align-items: baseline; gap: .6rem; min-width: 0; }
.group-title h3 { font-weight: 600; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9rem; overflow-wrap: anywhere; }
.group-count strong { font-size: 1.4rem; }
details { margin-top: .6rem; }
summary { cursor: pointer; color: var(--brand); font-weight: 500; }
.empty { background: var(--surface); border: 1px dashed var(--line); border-radius: var(--radius); padding: 1rem; color: var(--muted); }
.empty.ok { color: var(--green); }
.empty.warn { color: var(--amber); }

.table-scroll { overflow-x: auto; }
table.data { width: 100%; border-collapse: collapse; font-size: .87rem; background: var(--surface); margin-top: .5rem; }
table.data th { text-align: left; font-weight: 600; font-size: .78rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; padding: .5rem .6rem; border-bottom: 2px solid var(--line); background: #f8fafc; }
table.data td { padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.data tr:last-child td { border-bottom: 0; }
table.data .reason { max-width: 420px; overflow-wrap: anywhere; }
.late-group { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1rem 1.1rem; margin-bottom: .8rem; }
.late-group h3 { display: flex; align-items: baseline; gap: .6rem; }
.late-days { color: var(--red); font-weight: 600; }
.timeline tr.kind-dead_letter td, .timeline tr.kind-refused td { background: #fff8f7; }
.timeline tr.kind-operator td { background: #f5f8ff; }
.origin { display: inline-block; padding: .1rem .45rem; border-radius: 5px; font-size: .78rem; font-weight: 600; }
.origin-postal { background: #fff5cc; color: #7a5d00; }
.origin-agency { background: #e4f0fb; color: #0b4f8a; }
.origin-bridge { background: #eceff3; color: #3d4756; }
.origin-operator { background: #efe7fb; color: #5b2a9a; }
pre.body { max-width: 640px; max-height: 320px; overflow: auto; background: #0f172a; color: #e2e8f0; padding: .75rem; border-radius: 6px; font-size: .78rem; }

.search { display: grid; gap: .4rem; max-width: 760px; }
.search-row { display: flex; gap: .5rem; }
.search-row input { flex: 1; padding: .55rem .7rem; border: 1px solid #b8c2d0; border-radius: 7px; font-family: ui-monospace, Menlo, Consolas, monospace; }
#dossier-result { margin-top: 1rem; }
.dossier-head { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; margin-bottom: 1rem; }
.dossier-head h3 { font-size: 1.1rem; }

@media (max-width: 720px) {
  .bar { flex-wrap: wrap; padding: .6rem 1rem; }
  main { padding: 1rem; }
  .agency-grid { grid-template-columns: 1fr; }
  .inline-facts { grid-template-columns: 1fr; }
}
`;
