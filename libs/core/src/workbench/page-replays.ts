import { Replay } from './replay-source';

/** How one kind reads a polled page: its records and cursor, and one record as a conclusion. */
export interface PageReader<D> {
  /** What the page as a whole is reported as (default `pollResponse`, the page mapping). */
  page?: string;
  records(dialect: D): Promise<{ records: unknown[]; cursor?: string }>;
  change(dialect: D, record: unknown): Promise<unknown>;
}

/**
 * The replays of a polled page: the page mapping (`pollResponse`: how many records, which
 * cursor; a status file: how many rows), then each record through `statusChange`, record i of one side against record i of
 * the other. Each side reads the page once.
 */
export async function pageReplays<D>(
  sides: { then: D; now: D },
  reader: PageReader<D>,
): Promise<Replay<D>[]> {
  const pages = new Map<D, ReturnType<PageReader<D>['records']>>();
  const page = (d: D) => {
    if (!pages.has(d)) pages.set(d, reader.records(d));
    return pages.get(d)!;
  };
  const read = await Promise.allSettled([page(sides.then), page(sides.now)]);
  const count = Math.max(...read.map((r) => (r.status === 'fulfilled' ? r.value.records.length : 0)));
  const replays: Replay<D>[] = [
    {
      mapping: reader.page ?? 'pollResponse',
      run: async (d) => {
        const { records, cursor } = await page(d);
        return { records: records.length, cursor };
      },
    },
  ];
  for (let i = 0; i < count; i++) {
    replays.push({
      mapping: 'statusChange',
      run: async (d) => {
        const record = (await page(d)).records[i];
        if (record === undefined) throw new Error(`the page yields no record #${i + 1}`);
        return reader.change(d, record);
      },
    });
  }
  return replays;
}
