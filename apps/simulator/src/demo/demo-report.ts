import { DeadLetteredData } from '@bridge/domain';
import { LedgerEntry } from '../postal/postal-ledger';

/** One row of the final table. */
export interface AgencyRow {
  code: string;
  name: string;
  kind: string;
  dossiers: number;
  completed: number;
  rejected: number;
  onTime: number;
  late: number;
  deadLetters: number;
}

/** Rows per agency from the postal ledger and the dead letters the bridge announced. */
export function agencyRows(
  agencies: { code: string; name: string; kind: string }[],
  entries: readonly LedgerEntry[],
  deadLetters: readonly DeadLetteredData[],
): AgencyRow[] {
  return agencies.map(({ code, name, kind }) => {
    const mine = entries.filter((e) => e.agencyCode === code);
    return {
      code,
      name,
      kind,
      dossiers: mine.length,
      completed: mine.filter((e) => e.outcome === 'completed').length,
      rejected: mine.filter((e) => e.outcome === 'rejected').length,
      onTime: mine.filter((e) => e.punctuality === 'on_time').length,
      late: mine.filter((e) => e.punctuality === 'late').length,
      deadLetters: deadLetters.filter((d) => d.agencyCode === code).length,
    };
  });
}

const HEADER = [
  'agency',
  'name',
  'kind',
  'submitted',
  'completed',
  'rejected',
  'on time',
  'late',
  'dead letters',
];

/** The table as aligned text, with a total line. */
export function renderAgencyTable(rows: readonly AgencyRow[]): string {
  const sum = (key: keyof AgencyRow) => rows.reduce((n, r) => n + (r[key] as number), 0);
  const cells = [
    HEADER,
    ...rows.map((r) => [r.code, r.name, r.kind, ...numbers(r)]),
    [
      'total',
      '',
      '',
      ...['dossiers', 'completed', 'rejected', 'onTime', 'late', 'deadLetters'].map((k) =>
        String(sum(k as keyof AgencyRow)),
      ),
    ],
  ];
  const widths = HEADER.map((_, i) => Math.max(...cells.map((row) => [...row[i]].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]), rule, ...cells.slice(1, -1).map(line), rule, line(cells[cells.length - 1])].join(
    '\n',
  );
}

function numbers(r: AgencyRow): string[] {
  return [r.dossiers, r.completed, r.rejected, r.onTime, r.late, r.deadLetters].map(String);
}

/** Seconds since `start`, right-aligned, for log lines. */
export function clock(start: number): string {
  return `[${String(Math.round((Date.now() - start) / 1000)).padStart(4)}s]`;
}
