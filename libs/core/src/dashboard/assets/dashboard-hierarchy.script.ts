/**
 * Browser module `/ops/assets/hierarchy.js`: the administrative tree (province or city →
 * departments and districts → wards and communes, or province → communes since 2025) built
 * from each unit's level and parent, every node coloured by the worst health beneath it.
 * Only open nodes render their children, and every root starts closed, so thousands of units
 * cost a few dozen elements until the operator opens a branch.
 */
export const DASHBOARD_HIERARCHY_JS = String.raw`import { h, t, tOr, replace, formatNumber } from './dom.js';
import { agencyHealth } from './ops-views.js';

const REFETCH_MS = 300000;
const RANK = { red: 4, amber: 3, grey: 2, green: 1, none: 0 };
const COUNTED = ['red', 'amber', 'grey', 'green'];

/** Mounts the tree in 'root'; 'fetchUnits()' returns every unit with its level and parent. */
export function createHierarchy(root, fetchUnits, onError) {
  const state = { units: null, fetchedAt: 0, loading: false, agencies: [], open: new Set() };

  async function load() {
    state.loading = true;
    try {
      state.units = await fetchUnits();
    } catch (error) {
      onError(error);
    } finally {
      state.loading = false;
      state.fetchedAt = Date.now();
    }
    render();
  }

  /** Children by parent, and per unit its own health and the count of each health beneath it. */
  function tree() {
    const own = new Map(state.agencies.map((a) => [a.code, agencyHealth(a)]));
    const byCode = new Map(state.units.map((u) => [u.code, u]));
    const children = new Map();
    const roots = [];
    for (const unit of state.units) {
      const parent = unit.parentCode && byCode.has(unit.parentCode) ? unit.parentCode : null;
      if (parent === null) roots.push(unit);
      else (children.get(parent) || children.set(parent, []).get(parent)).push(unit);
    }
    const counts = new Map();
    const tally = (unit, seen) => {
      if (counts.has(unit.code)) return counts.get(unit.code);
      const c = { red: 0, amber: 0, grey: 0, green: 0 };
      const mine = own.get(unit.code);
      if (mine) c[mine] += 1;
      seen.add(unit.code);
      for (const child of children.get(unit.code) || []) {
        if (seen.has(child.code)) continue; // a cycle in bad data must not hang the page
        const sub = tally(child, seen);
        for (const k of COUNTED) c[k] += sub[k];
      }
      counts.set(unit.code, c);
      return c;
    };
    for (const unit of roots) tally(unit, new Set());
    return { own, children, roots, counts };
  }

  function worst(c) {
    return COUNTED.find((k) => c[k] > 0) || 'none';
  }

  function node(unit, model, depth) {
    const c = model.counts.get(unit.code) || { red: 0, amber: 0, grey: 0, green: 0 };
    const health = worst(c);
    const kids = model.children.get(unit.code) || [];
    const open = state.open.has(unit.code);
    const own = model.own.get(unit.code);
    const toggle = kids.length > 0
      ? h('button', {
          type: 'button', class: 'tree-toggle', 'aria-expanded': String(open),
          'aria-label': t(open ? 'hierarchy.collapse' : 'hierarchy.expand', { name: unit.name }),
          onclick: () => { open ? state.open.delete(unit.code) : state.open.add(unit.code); render(); },
        }, open ? '▾' : '▸')
      : h('span', { class: 'tree-leaf', 'aria-hidden': 'true' }, '·');
    // A unit alone shows its health; a branch counts the units of each health beneath it.
    const tallies = kids.length === 0
      ? (own ? [h('span', { class: 'badge badge-' + own }, t('health.' + own))] : [])
      : COUNTED.filter((k) => c[k] > 0).map((k) =>
          h('span', { class: 'badge badge-' + k }, formatNumber(c[k]) + ' ' + t('health.' + k)));
    return h('li', { role: 'treeitem', 'aria-level': String(depth), 'aria-expanded': kids.length > 0 ? String(open) : undefined,
        class: 'tree-node health-' + health, dataset: { code: unit.code, level: unit.level, health, depth: String(depth) } },
      h('div', { class: 'tree-row' },
        toggle,
        h('span', { class: 'tree-dot dot-' + health, 'aria-hidden': 'true' }),
        h('span', { class: 'tree-name' }, unit.name),
        h('span', { class: 'tree-meta muted' }, tOr('level.' + unit.level, unit.level), ' · ', unit.code,
          kids.length > 0 ? ' · ' + t('hierarchy.units', { count: formatNumber(kids.length) }) : '',
          own ? '' : ' · ' + t('hierarchy.noAdapter')),
        h('span', { class: 'tree-tallies' }, tallies)),
      open ? h('ul', { role: 'group' }, kids.map((k) => node(k, model, depth + 1))) : null);
  }

  function render() {
    if (!state.units) return replace(root, h('p', { class: 'muted' }, t('hierarchy.loading')));
    if (state.units.length === 0) return replace(root, h('p', { class: 'empty' }, t('agencies.none')));
    const model = tree();
    replace(root, h('ul', { class: 'tree', role: 'tree', 'aria-label': t('hierarchy.title') },
      model.roots.map((unit) => node(unit, model, 1))));
  }

  return {
    /** Called on every refresh with the overview's agencies (their health colours the tree). */
    update(agencies) {
      state.agencies = agencies;
      if (!state.loading && Date.now() - state.fetchedAt >= REFETCH_MS) void load();
      else render();
    },
    relabel: render,
  };
}
`;
