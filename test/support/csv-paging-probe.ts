import { readdirSync, readFileSync } from 'node:fs';
import {
  AdapterSpec,
  AgencyAdapter,
  AgencyIdentity,
  AgencyStatusChange,
  MemoryAdapterStore,
  PollResult,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { csvDropAdapterFactory } from '@bridge/adapter-csv-drop';

/** What the probe is asked to do: the agency (its folders in `spec.options`) and a crash to stage. */
export interface CsvPagingProbeJob {
  agency: AgencyIdentity;
  spec: AdapterSpec;
  /** Stop before committing this (1-based) page, as a crash would, and start a new adapter. */
  crashBeforeCommitOf?: number;
}

/** What the probe saw. */
export interface CsvPagingProbeReport {
  /** Pages polled, the one read again after the staged crash included. */
  pages: number;
  /** The largest page, good and bad rows together. */
  largestPage: number;
  /** Rows returned (good and bad), each once: the count of distinct line numbers. */
  rows: number;
  /** Every page started on the line after the previous page's last line. */
  contiguous: boolean;
  /** After the staged crash, the new adapter returned exactly the page that was not committed. */
  crashReread?: boolean;
  /** The last change of the last page, to check what the end of a long file decodes to. */
  lastChange?: AgencyStatusChange;
  /** No file is left in the outbox after the last page (all archived). */
  archived: boolean;
  rssBeforeMb: number;
  rssPeakMb: number;
  heapPeakMb: number;
  seconds: number;
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

function linesOf(page: PollResult): number[] {
  const good = page.changes.map((c) => Number(c.changeId!.slice(c.changeId!.lastIndexOf(':') + 1)));
  return [...good, ...(page.rejected ?? []).map((r) => r.line!)].sort((a, b) => a - b);
}

/**
 * Reads every status file of a csv-drop outbox page by page, as the bridge's poller does (poll,
 * then commit, again while `more`), in a process of its own so that its memory is the
 * adapter's alone; prints a {@link CsvPagingProbeReport} as JSON. The rows are checked as they
 * pass and never kept. Usage: `node csv-paging-probe.js <job.json>`.
 */
async function main(job: CsvPagingProbeJob): Promise<CsvPagingProbeReport> {
  const store = new MemoryAdapterStore();
  const start = () =>
    csvDropAdapterFactory.create(job.agency, job.spec, { logger: silentAdapterLogger, store });
  let adapter: AgencyAdapter = start();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let heapPeak = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  const started = Date.now();
  const ctx = { correlationId: 'csv-paging-probe', record: () => undefined };
  const report = { pages: 0, largestPage: 0, rows: 0, contiguous: true } as CsvPagingProbeReport;
  let nextLine: number | undefined;
  try {
    for (;;) {
      let page = await adapter.poll(undefined, ctx);
      report.pages += 1;
      if (report.pages === job.crashBeforeCommitOf) {
        const uncommitted = linesOf(page).join(',');
        await adapter.close(); // the process is gone; its folder lock goes with it
        adapter = start();
        page = await adapter.poll(undefined, ctx);
        report.pages += 1;
        report.crashReread = linesOf(page).join(',') === uncommitted;
      }
      const lines = linesOf(page);
      report.largestPage = Math.max(report.largestPage, lines.length);
      report.rows += lines.length;
      for (const line of lines) {
        if (nextLine !== undefined && line !== nextLine) report.contiguous = false;
        nextLine = line + 1;
      }
      report.lastChange = page.changes.at(-1) ?? report.lastChange;
      sample();
      await page.commit?.();
      if (!page.more) break;
    }
  } finally {
    clearInterval(sampler);
    await adapter.close();
  }
  const { outboxDir } = job.spec.options as { outboxDir: string };
  report.archived = readdirSync(outboxDir, { withFileTypes: true }).every((entry) => !entry.isFile());
  report.rssBeforeMb = mb(rssBefore);
  report.rssPeakMb = mb(rssPeak);
  report.heapPeakMb = mb(heapPeak);
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

if (require.main === module) {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as CsvPagingProbeJob;
  main(job).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
