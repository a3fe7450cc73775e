import { LingeringBatch } from './lingering-batch';

describe('LingeringBatch', () => {
  it('writes what is added within the linger once, and tells every caller', async () => {
    const writes: number[][] = [];
    const batch = new LingeringBatch<number[]>(
      () => [],
      async (items) => void writes.push(items),
      20,
    );
    await Promise.all([1, 2, 3].map((n) => batch.add((items) => items.push(n))));
    expect(writes).toEqual([[1, 2, 3]]);
    await batch.add((items) => items.push(4));
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('fails the callers of a failed write only, and writes the next batch', async () => {
    let fail = true;
    const written: string[][] = [];
    const batch = new LingeringBatch<string[]>(
      () => [],
      async (items) => {
        if (fail) throw new Error('redis away');
        written.push(items);
      },
      10,
    );
    const lost = [batch.add((i) => i.push('a')), batch.add((i) => i.push('b'))];
    await expect(Promise.all(lost)).rejects.toThrow('redis away');
    fail = false;
    await batch.add((i) => i.push('c'));
    expect(written).toEqual([['c']]);
  });

  it('writes at once when flushed, without waiting for the linger', async () => {
    const writes: number[][] = [];
    const batch = new LingeringBatch<number[]>(
      () => [],
      async (items) => void writes.push(items),
      60_000,
    );
    const added = batch.add((items) => items.push(7));
    await batch.flush();
    await added;
    expect(writes).toEqual([[7]]);
  });
});
