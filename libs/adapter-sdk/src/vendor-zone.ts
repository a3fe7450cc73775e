import { DateTime, Info, Zone, ZoneOffsetFormat, ZoneOffsetOptions } from 'luxon';

const HOUR_MS = 3_600_000;
/** Bounds each cache; past it the cache starts over. */
const MAX_ENTRIES = 10_000;

/**
 * An IANA zone that remembers its offset per hour of UTC time. Luxon asks a zone for its
 * offset two or three times per date it reads or converts, and each answer from Intl costs
 * microseconds. An hour with the same offset at both ends has it throughout (a zone changes
 * offset at most once within an hour), so that offset is kept; an hour with a change is asked
 * of the zone every time. Everything else is the zone's own answer.
 */
class HourlyOffsetZone extends Zone {
  private readonly hours = new Map<number, number>();

  constructor(private readonly zone: Zone) {
    super();
  }

  override get type(): string {
    return this.zone.type;
  }
  override get name(): string {
    return this.zone.name;
  }
  override get isUniversal(): boolean {
    return this.zone.isUniversal;
  }
  override get isValid(): boolean {
    return this.zone.isValid;
  }
  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.zone.offsetName(ts, options);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.zone.formatOffset(ts, format);
  }
  override equals(other: Zone): boolean {
    return this.zone.equals(other);
  }

  override offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    const known = this.hours.get(hour);
    if (known !== undefined) return known;
    const start = this.zone.offset(hour * HOUR_MS);
    if (start !== this.zone.offset(hour * HOUR_MS + HOUR_MS - 1)) return this.zone.offset(ts);
    if (this.hours.size >= MAX_ENTRIES) this.hours.clear();
    if (!Number.isNaN(start)) this.hours.set(hour, start);
    return start;
  }
}

const zones = new Map<string, Zone | string>();
const parsers = new Map<string, ReturnType<typeof DateTime.buildFormatParser>>();

/** The zone to give Luxon for an agency's zone name: IANA zones remember their offsets. */
export function vendorZone(name: string): Zone | string {
  let zone = zones.get(name);
  if (zone === undefined) {
    const read = Info.normalizeZone(name);
    zone = read && read.isValid && read.type === 'iana' ? new HourlyOffsetZone(read) : name;
    if (zones.size >= MAX_ENTRIES) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}

/** Luxon's parser for a format, built once (building it is most of the cost of `fromFormat`). */
export function vendorFormatParser(format: string): ReturnType<typeof DateTime.buildFormatParser> {
  let parser = parsers.get(format);
  if (parser === undefined) {
    parser = DateTime.buildFormatParser(format);
    if (parsers.size >= MAX_ENTRIES) parsers.clear();
    parsers.set(format, parser);
  }
  return parser;
}
