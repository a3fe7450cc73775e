import { ReadBatcher } from './read-batcher';

describe('ReadBatcher', () => {
  it('answers keys asked for at the same moment with one read, each caller its own value', async () => {
    const reads: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const batcher = new ReadBatcher<number, string>(
      async (keys) => {
        reads.push(keys);
        if (reads.length === 1) await first;
        return keys.map((k) => `v${k}`);
      },
      { maxGroups: 1, maxSize: 10 },
    );
    const busy = batcher.read(0);
    const together = [1, 2, 3].map((k) => batcher.read(k));
    release();
    expect(await busy).toBe('v0');
    expect(await Promise.all(together)).toEqual(['v1', 'v2', 'v3']);
    expect(reads).toEqual([[0], [1, 2, 3]]);
  });

  it('fails only the caller whose key cannot be read', async () => {
    const batcher = new ReadBatcher<number, number>(
      async (keys) => {
        if (keys.includes(13)) throw new Error('unreadable 13');
        return keys.map((k) => k * 2);
      },
      { maxGroups: 1, maxSize: 10 },
    );
    const results = await Promise.allSettled([batcher.read(1), batcher.read(13), batcher.read(2)]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      2,
      'Error: unreadable 13',
      4,
    ]);
  });
});
