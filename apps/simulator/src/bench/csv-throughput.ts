import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { encodeForAgency } from '@bridge/adapter-csv-drop';
import { round } from './latency-stats';

/** What the CSV step measured. */
export interface CsvResult {
  rows: number;
  /** Seconds from the done-file being dropped to every change applied (committed). */
  appliedSeconds: number;
  /** Seconds until the relay had also published every resulting event. */
  publishedSeconds: number;
  seedSeconds: number;
}

/** The agency dossier code of seeded dossier `i`. */
const codeOf = (agency: string, i: number) => `${agency}-250922-${i}`;

/**
 * Seeds `rows` dossiers at `received` for the CSV agency in one INSERT ... SELECT (a minimal
 * snapshot, as the bridge would have after filing them).
 */
export async function seedDossiers(client: Client, agency: string, rows: number): Promise<void> {
  await client.query(
    `INSERT INTO dossiers (id, agency_code, procedure_code, agency_dossier_code, service_option, status, sequence, snapshot)
     SELECT s.id, $1, '1.001612', s.code, 'send', 'received', 3,
       jsonb_build_object(
         'id', s.id, 'agencyCode', $1::text, 'procedureCode', '1.001612', 'agencyDossierCode', s.code,
         'serviceOption', 'send', 'status', 'received', 'sequence', 3,
         'applicant', jsonb_build_object('kind', 'person', 'fullName', 'Trần Văn Ước'),
         'documents', '[]'::jsonb, 'fees', '[]'::jsonb,
         'timestamps', jsonb_build_object('collected', '2025-09-20T08:00:00+07:00', 'received', '2025-09-22T09:00:00+07:00'))
     FROM (SELECT gen_random_uuid() AS id, $1 || '-250922-' || g AS code FROM generate_series(0, $2 - 1) g) s`,
    [agency, rows],
  );
  await client.query('ANALYZE dossiers');
}

/** A vendor C status file (semicolon-separated, CRLF, Windows-1258) moving every dossier to XL. */
export function statusFile(agency: string, rows: number): Buffer {
  const lines = ['MaHoSo;MaHoSoLienThong;TrangThai;NgayCapNhat;NgayHenTra;GhiChu'];
  for (let i = 0; i < rows; i++) {
    const minute = String(i % 60).padStart(2, '0');
    lines.push(`${codeOf(agency, i)};;XL;23/09/2025 10:${minute};;Chuyển phòng Tư pháp xử lý hồ sơ số ${i}`);
  }
  return encodeForAgency(`${lines.join('\r\n')}\r\n`, 'windows-1258');
}

async function count(client: Client, sql: string, params: unknown[]): Promise<number> {
  const rows = await client.query<{ n: string }>(sql, params);
  return Number(rows.rows[0].n);
}

/**
 * Drops a `rows`-row status file into the CSV agency's outbox (file, then done-file) and
 * waits until the bridge has polled it and applied every change, then until the relay has
 * published the resulting events.
 */
export async function runCsvThroughput(
  databaseUrl: string,
  agency: string,
  outboxDir: string,
  rows: number,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<CsvResult> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const seedStart = performance.now();
    await seedDossiers(client, agency, rows);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    log(`  seeded ${rows} dossiers in ${seedSeconds.toFixed(1)} s`);
    const name = `TRANGTHAI_${Date.now()}_BENCH.csv`;
    await fs.writeFile(join(outboxDir, name), statusFile(agency, rows));
    const dropped = performance.now();
    await fs.writeFile(join(outboxDir, `${name}.done`), '');
    const deadline = dropped + timeoutMs;
    let appliedAt: number | undefined;
    let publishedAt: number | undefined;
    while (performance.now() < deadline && publishedAt === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (appliedAt === undefined) {
        const applied = await count(client, `SELECT count(*) AS n FROM inbox WHERE source = $1`, [
          `agency:${agency}`,
        ]);
        if (applied >= rows) {
          appliedAt = performance.now();
          log(`  applied ${rows} changes in ${((appliedAt - dropped) / 1000).toFixed(1)} s`);
        }
      } else {
        const pending = await count(
          client,
          `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`,
          [],
        );
        if (pending === 0) publishedAt = performance.now();
      }
    }
    const processing = await count(
      client,
      `SELECT count(*) AS n FROM dossiers WHERE agency_code = $1 AND status = 'processing'`,
      [agency],
    );
    if (processing < rows) log(`  only ${processing} of ${rows} dossiers reached processing`);
    const seconds = (at: number | undefined) =>
      at === undefined ? Number.NaN : round((at - dropped) / 1000, 1);
    return {
      rows,
      appliedSeconds: appliedAt !== undefined && processing >= rows ? seconds(appliedAt) : Number.NaN,
      publishedSeconds: seconds(publishedAt),
      seedSeconds: round(seedSeconds, 1),
    };
  } finally {
    await client.end();
  }
}
