import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_TRACKING_TABLE, isPostalEventType, TrackingLeg, TrackingTable } from '@bridge/domain';

/** Where the operator's tracking-code table lives, relative to the working directory. */
export const TRACKING_TABLE_FILE = 'config/postal/tracking-codes.yaml';

/**
 * Reads the tracking-code table; the built-in UPU table when the file is absent. Every problem
 * is named (leg, code, value), and a broken file stops start-up rather than mis-mapping events.
 */
export function loadTrackingTable(file = TRACKING_TABLE_FILE): TrackingTable {
  if (!existsSync(file)) return DEFAULT_TRACKING_TABLE;
  const data = parse(readFileSync(file, 'utf8')) as unknown;
  const problems: string[] = [];
  const table: Record<TrackingLeg, Record<string, never>> = { inbound: {}, result: {} };
  if (!data || typeof data !== 'object')
    throw new Error(`${file}: must map the legs "inbound" and "result" to code tables`);
  for (const [leg, codes] of Object.entries(data as Record<string, unknown>)) {
    if (leg !== 'inbound' && leg !== 'result') {
      problems.push(`${leg}: unknown leg (expected inbound or result)`);
      continue;
    }
    for (const [code, type] of Object.entries(codes ?? {})) {
      if (!/^[A-Za-z0-9_.-]{1,16}$/.test(code)) problems.push(`${leg}.${code}: not a tracking event code`);
      else if (type !== null && !isPostalEventType(type))
        problems.push(`${leg}.${code}: ${JSON.stringify(type)} is not a postal event type`);
      else (table[leg] as Record<string, unknown>)[code.toUpperCase()] = type;
    }
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return table;
}
