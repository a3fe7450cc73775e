import { DataSource } from 'typeorm';

/**
 * Vietnamese letters with diacritics, lower and upper case, each one code point in NFC. PostgreSQL's
 * `unaccent` is an extension a deployment may not have, so folding is done with `translate()`
 * over this table: "Sơn Trà", "son tra" and "SON TRA" all match one another.
 */
const ACCENTED_LOWER = 'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ';
const ACCENTED = ACCENTED_LOWER + ACCENTED_LOWER.toUpperCase();
const PLAIN = [...ACCENTED].map((c) => fold(c)).join('');

/** Lower case, NFC, Vietnamese diacritics removed (đ → d): how codes and names are compared. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** The SQL of {@link fold} over a column; `$from` and `$to` are the parameters holding the table. */
function foldSql(column: string, from: string, to: string): string {
  return `translate(lower(normalize(${column}, NFC)), ${from}, ${to})`;
}

/** Which agencies of the overview: a search over code and name, a parent unit, a province. */
export interface AgencyFilter {
  q?: string;
  parent?: string;
  province?: string;
}

/** One agency with an adapter, as the overview's page lists it. */
export interface AgencyRow {
  code: string;
  name: string;
  paused: boolean;
  kind: string;
  level: string;
  parentCode: string | null;
  province: string | null;
}

/** A page of agencies, the number that match, and how many match per province. */
export interface AgencyPage {
  rows: AgencyRow[];
  total: number;
  provinces: Array<{ province: string | null; agencies: number }>;
}

/**
 * Reads one page of the agencies that have an adapter, ordered by province, parent and code so a
 * page arrives already grouped. Two statements whatever the number of agencies.
 */
export async function readAgencyPage(
  dataSource: DataSource,
  filter: AgencyFilter,
  page: { offset: number; limit: number },
): Promise<AgencyPage> {
  const params: unknown[] = [];
  const where = ['a.retired_at IS NULL'];
  if (filter.q) {
    // LIKE's wildcards in the query are searched for as themselves.
    params.push(ACCENTED, PLAIN, `%${fold(filter.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const [from, to, n] = ['$1', '$2', '$3'];
    where.push(`(${foldSql('a.code', from, to)} LIKE ${n} OR ${foldSql('a.name', from, to)} LIKE ${n})`);
  }
  if (filter.parent) {
    params.push(filter.parent);
    where.push(`a.parent_code = $${params.length}`);
  }
  if (filter.province) {
    params.push(filter.province);
    where.push(`a.province = $${params.length}`);
  }
  const matching = `FROM agencies a JOIN adapter_specs s ON s.agency_code = a.code AND s.version = a.spec_version
                    WHERE ${where.join(' AND ')}`;
  const [rows, provinces] = await Promise.all([
    dataSource.query<Array<AgencyRow & { parent_code: string | null }>>(
      `SELECT a.code, a.name, a.paused, s.kind, a.level, a.parent_code, a.province ${matching}
        ORDER BY a.province NULLS LAST, a.parent_code NULLS FIRST, a.code
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    ),
    dataSource.query<Array<{ province: string | null; n: number }>>(
      `SELECT a.province, count(*)::int AS n ${matching} GROUP BY a.province ORDER BY a.province NULLS LAST`,
      params,
    ),
  ]);
  return {
    rows: rows.map((r) => ({
      code: r.code,
      name: r.name,
      paused: r.paused,
      kind: r.kind,
      level: r.level,
      parentCode: r.parent_code,
      province: r.province,
    })),
    total: provinces.reduce((n, p) => n + Number(p.n), 0),
    provinces: provinces.map((p) => ({ province: p.province, agencies: Number(p.n) })),
  };
}
