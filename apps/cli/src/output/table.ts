/** One column of a table: its heading and how to read a cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Text of one cell: empty for null/undefined, ISO for dates, JSON for objects. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.replace(/\s*\n\s*/g, ' ');
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}

// Vietnamese text is NFC, so one code point is one column in a terminal.
const width = (text: string) => [...text].length;

/**
 * A plain-text table with a header row, columns padded to their widest cell. Returns
 * `emptyText` when there are no rows, so a person sees "no dead letters" instead of a bare header.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], emptyText: string): string {
  if (rows.length === 0) return `${emptyText}\n`;
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, i) => Math.max(width(column.header), ...cells.map((r) => width(r[i]))));
  const line = (values: string[]) =>
    values
      .map((value, i) => (i === values.length - 1 ? value : value + ' '.repeat(widths[i] - width(value))))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}

/** `key: value` lines with the keys aligned, for one record. */
export function renderFields(fields: ReadonlyArray<[string, unknown]>): string {
  const keyWidth = Math.max(...fields.map(([key]) => width(key)));
  return (
    fields
      .map(([key, value]) => `${key}:${' '.repeat(keyWidth - width(key) + 1)}${cellText(value)}`)
      .join('\n') + '\n'
  );
}
