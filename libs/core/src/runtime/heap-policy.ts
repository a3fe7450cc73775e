import { setFlagsFromString } from 'node:v8';

/**
 * How far, in per cent, V8 lets the old generation grow past what the last full collection
 * found alive before it collects again.
 *
 * Left to itself on a machine with plenty of memory, V8 lets it grow to four times the live
 * heap. A bridge process keeps about 50–60 MB alive, but every event in flight leaves objects
 * that outlive two young-generation collections (the event, its queries and results, its job,
 * its agency call): under load they pile up in the old generation as garbage, and the process
 * carries 100–150 MB of it before the first full collection. At 50 % it carries about half
 * the live heap: a full collection comes every few seconds under load and costs a few
 * milliseconds (the live heap is small), which does not show in throughput.
 */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = '--heap-growing-percent';

/** True when `argv` (node's own options) sets `flag`, spelled with dashes or underscores. */
function setsFlag(argv: readonly string[], flag: string): boolean {
  const names = [flag, `--${flag.slice(2).replace(/-/g, '_')}`];
  return argv.some((arg) => names.some((name) => arg === name || arg.startsWith(`${name}=`)));
}

/**
 * The V8 flags a bridge process gives itself: the heap growth above, unless node's command
 * line sets its own (`node --heap-growing-percent=<n> dist/apps/<role>/src/main.js`; 0 gives
 * V8's own heuristics back). Node refuses this flag in NODE_OPTIONS, so the command line is
 * where an operator changes it.
 */
export function heapDefaults(execArgv: readonly string[]): string[] {
  return setsFlag(execArgv, FLAG) ? [] : [`${FLAG}=${HEAP_GROWING_PERCENT}`];
}

/**
 * Applies {@link heapDefaults} to this process. V8 reads the growth factor at every full
 * collection, so setting it while the process starts is enough: every full collection from
 * then on uses it. Returns the flags it set.
 */
export function applyHeapDefaults(execArgv: readonly string[] = process.execArgv): string[] {
  const flags = heapDefaults(execArgv);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
