import { HEAP_GROWING_PERCENT, heapDefaults } from './heap-policy';

describe('heap defaults of a bridge process', () => {
  it('bounds the heap growth when node is started without heap options', () => {
    expect(heapDefaults([])).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(heapDefaults(['--max-old-space-size=1024', '--enable-source-maps'])).toEqual([
      `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
    ]);
  });

  it("keeps the operator's own growth from node's command line, however it is spelled", () => {
    for (const argv of [
      ['--heap-growing-percent=200'],
      ['--heap_growing_percent=0'],
      ['--inspect', '--heap-growing-percent', '80'],
    ])
      expect({ argv, flags: heapDefaults(argv) }).toEqual({ argv, flags: [] });
  });
});
