/**
 * Browser module `/ops/assets/agency-pager.js`: with thousands of agencies the cards come a page
 * at a time. A search box over code and name (the server ignores case and diacritics), page
 * controls, and the page's cards grouped under their province and parent unit.
 */
export const DASHBOARD_AGENCY_PAGER_JS = String.raw`import { h, replace, t } from './dom.js';

const PAGE_SIZE = 24;

/**
 * The pager of the agency cards. onChange is called when the operator searches or turns a page;
 * query() is the query string of the overview for the current search and page.
 */
export function createAgencyPager(form, nav, onChange) {
  const state = { q: '', page: 1, pages: 1, total: 0 };
  const input = form.querySelector('input');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.q = input.value.trim();
    state.page = 1;
    onChange();
  });

  function turn(by) {
    state.page = Math.min(Math.max(1, state.page + by), Math.max(1, state.pages));
    onChange();
  }

  function query() {
    const params = new URLSearchParams({ page: String(state.page), pageSize: String(PAGE_SIZE) });
    if (state.q) params.set('q', state.q);
    return '?' + params.toString();
  }

  /** Draws the page controls from the overview's page (total matching, pages). */
  function update(page) {
    if (!page) return;
    Object.assign(state, { pages: page.pages, total: page.total });
    // A search that shrank the result may leave us past its last page.
    if (state.page > Math.max(1, page.pages)) {
      state.page = Math.max(1, page.pages);
      onChange();
    }
    replace(nav,
      h('button', { type: 'button', class: 'small', id: 'agency-prev', disabled: state.page <= 1, onclick: () => turn(-1) },
        t('pager.previous')),
      h('span', { id: 'agency-page', class: 'muted' },
        t('pager.page', { page: state.page, pages: Math.max(1, page.pages), total: page.total })),
      h('button', { type: 'button', class: 'small', id: 'agency-next', disabled: state.page >= page.pages, onclick: () => turn(1) },
        t('pager.next')));
  }

  /** The page's cards under a heading per province, then per parent unit. */
  function group(agencies, cards) {
    if (agencies.length === 0)
      return [h('p', { class: 'empty' }, state.q ? t('pager.noMatch', { q: state.q }) : t('agencies.none'))];
    const groups = new Map();
    for (const agency of agencies) {
      const key = (agency.province || '') + '|' + (agency.parentCode || '');
      if (!groups.has(key)) groups.set(key, { province: agency.province, parent: agency.parentCode, list: [] });
      groups.get(key).list.push(agency);
    }
    return [...groups.values()].map((g) =>
      h('section', { class: 'agency-group', dataset: { province: g.province || '' } },
        h('h3', { class: 'agency-group-title' },
          g.province ? t('pager.province', { province: g.province }) : t('pager.noProvince'),
          g.parent ? h('span', { class: 'muted' }, ' › ' + g.parent) : null),
        h('div', { class: 'agency-grid' }, cards(g.list))));
  }

  return { query, update, group };
}
`;
