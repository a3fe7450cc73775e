/** Styles of the trend charts and the unit tree; the health colours come from the main sheet. */
export const DASHBOARD_TRENDS_CSS = String.raw`.trend-controls { display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; margin-bottom: .75rem; }
.trend-controls select { padding: .35rem .5rem; border-radius: 7px; border: 1px solid var(--line); max-width: 28rem; }
.segments { display: inline-flex; border: 1px solid var(--brand); border-radius: 7px; overflow: hidden; margin-left: auto; }
.segments .segment { border: 0; border-radius: 0; background: var(--surface); color: var(--brand); padding: .35rem .8rem; }
.segments .segment[aria-pressed="true"] { background: var(--brand); color: #fff; }
.trend-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
.trend { margin: 0; background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: .75rem; overflow: hidden; }
.trend figcaption { font-weight: 600; margin-bottom: .35rem; }
.trend .u-legend { font-size: .8rem; }
.empty-trend { margin: .25rem 0 0; font-size: .85rem; }

.tree, .tree ul { list-style: none; margin: 0; padding: 0; }
.tree ul { margin-left: 1.4rem; border-left: 1px dashed var(--line); padding-left: .4rem; }
.tree { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: .5rem .75rem; }
.tree-row { display: flex; align-items: center; gap: .5rem; padding: .3rem .2rem; border-radius: 6px; flex-wrap: wrap; }
.tree-row:hover { background: var(--bg); }
.tree-toggle { padding: 0 .35rem; background: transparent; border: 1px solid var(--line); color: var(--text); line-height: 1.4; }
.tree-leaf { display: inline-block; width: 1.55rem; text-align: center; color: var(--muted); }
.tree-dot { width: .8rem; height: .8rem; border-radius: 50%; background: var(--line); flex: none; }
.dot-green { background: var(--green); } .dot-amber { background: #e09a00; } .dot-red { background: var(--red); } .dot-grey { background: var(--grey); }
.tree-name { font-weight: 600; }
.tree-meta { font-size: .82rem; }
.tree-tallies { display: inline-flex; gap: .3rem; margin-left: auto; }
.tree-tallies .badge { font-size: .75rem; }
`;
