import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('runs items handed in together as groups, each caller getting its own result in order', async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number, string>(
      async (items) => {
        groups.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items.map((n) => `done ${n}`);
      },
      { maxGroups: 1, maxSize: 10 },
    );
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => commit.submit(n)));
    expect(results).toEqual(Array.from({ length: 12 }, (_, n) => `done ${n}`));
    // the first item runs alone; those that arrived meanwhile go together, at most 10 a group
    expect(groups).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11]]);
  });

  it('runs the items of a failed group one by one: only the bad one fails', async () => {
    const commit = new GroupCommit<number, number>(
      async (items) => {
        if (items.includes(3)) throw new Error(`item 3 is bad (group of ${items.length})`);
        return items.map((n) => n * 2);
      },
      { maxGroups: 1, maxSize: 10 },
    );
    const settled = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => commit.submit(n)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : String(s.reason)))).toEqual([
      2,
      4,
      'Error: item 3 is bad (group of 1)',
      8,
      10,
    ]);
  });
});
