/**
 * The words of the agency search and page controls, in Vietnamese and English (English typed
 * against Vietnamese, so a key missing in either does not compile). Merged into the dashboard's
 * messages.
 */
const vi = {
  'pager.search': 'Tìm theo mã hoặc tên',
  'pager.searchButton': 'Tìm cơ quan',
  'pager.previous': '‹ Trang trước',
  'pager.next': 'Trang sau ›',
  'pager.page': 'Trang {page}/{pages} · {total} cơ quan',
  'pager.province': 'Tỉnh {province}',
  'pager.noProvince': 'Chưa gắn tỉnh',
  'pager.noMatch': 'Không có cơ quan nào khớp với “{q}”.',
};

const en: Record<keyof typeof vi, string> = {
  'pager.search': 'Search by code or name',
  'pager.searchButton': 'Find agency',
  'pager.previous': '‹ Previous',
  'pager.next': 'Next ›',
  'pager.page': 'Page {page} of {pages} · {total} agencies',
  'pager.province': 'Province {province}',
  'pager.noProvince': 'No province',
  'pager.noMatch': 'No agency matches “{q}”.',
};

export const PAGER_MESSAGES = { vi, en };

/** Styles of the search form, page controls and province groups. */
export const DASHBOARD_PAGER_CSS = `
.agency-tools { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin-bottom: .75rem; }
.agency-tools form { display: flex; gap: .5rem; }
.agency-tools input { padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; min-width: 260px; }
.agency-pager { display: flex; gap: .75rem; align-items: center; }
.agency-group { margin-bottom: 1.25rem; }
.agency-group-title { font-size: 1rem; margin: .5rem 0; }
`;
