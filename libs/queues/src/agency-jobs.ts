/**
 * The typed jobs of the per-agency delivery queues: one name enum, one payload map, and the
 * deterministic ids that make enqueuing the same work twice a no-op.
 */

/** Every kind of work the bridge does against an agency. */
export enum AgencyJobName {
  /** File a new dossier at the agency. */
  SubmitDossier = 'submit-dossier',
  /** Send documents the agency asked for (supplement request). */
  SubmitSupplement = 'submit-supplement',
  /** Tell the agency the post delivered the result to the applicant. */
  NotifyDelivered = 'notify-delivered',
}

/** What every agency job carries; the core fills `data` with the details of the use-case. */
export interface AgencyJobPayloadBase {
  /** The agency the work is for; it also names the queue. */
  agencyCode: string;
  /** The bridge id of the dossier, when the work concerns one. */
  dossierId?: string;
  /** Ties logs, messages and events of one piece of work together. */
  correlationId: string;
  /** Use-case specific content, decoded by the job's handler. */
  data: Record<string, unknown>;
}

/** The payload type of each job name; the core may narrow `data` per job in its handlers. */
export interface AgencyJobPayloads {
  [AgencyJobName.SubmitDossier]: AgencyJobPayloadBase & { dossierId: string };
  [AgencyJobName.SubmitSupplement]: AgencyJobPayloadBase & { dossierId: string };
  [AgencyJobName.NotifyDelivered]: AgencyJobPayloadBase & { dossierId: string };
}

/** Any payload of any agency job. */
export type AnyAgencyJobPayload = AgencyJobPayloads[AgencyJobName];

const JOB_NAMES = new Set<string>(Object.values(AgencyJobName));

/** Whether a string read from Redis or a request is one of the known job names. */
export function isAgencyJobName(value: string): value is AgencyJobName {
  return JOB_NAMES.has(value);
}

const MAX_SEGMENT_LENGTH = 200;

/**
 * Encodes one part of a Redis-visible name so it holds only `[A-Za-z0-9_-]`. Every other
 * character, including `.` (our separator) and `:` (which BullMQ refuses in queue names and
 * custom job ids), becomes `~XX` per UTF-8 byte; `~` itself is encoded, so the mapping is
 * one-to-one and two different inputs never share a queue or a job id.
 */
export function encodeNameSegment(what: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${what} must be a non-empty string`);
  }
  if (value.length > MAX_SEGMENT_LENGTH) {
    throw new Error(`${what} is ${value.length} characters long; at most ${MAX_SEGMENT_LENGTH} allowed`);
  }
  let out = '';
  for (const char of value) {
    if (/^[A-Za-z0-9_-]$/.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) {
      out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * The job id of one piece of work. The same (name, agency, key) always yields the same id, so
 * BullMQ ignores a second enqueue while the first job is still kept. The id never contains
 * `:` and never looks like an integer, the two things BullMQ refuses in custom ids.
 *
 * @param key what makes the work unique within the agency, e.g. the dossier id, or the
 *   dossier id plus the supplement request number.
 */
export function deterministicJobId(name: AgencyJobName, agencyCode: string, key: string): string {
  if (!isAgencyJobName(name)) {
    throw new Error(`unknown agency job name "${String(name)}"`);
  }
  return [name, encodeNameSegment('agencyCode', agencyCode), encodeNameSegment('job key', key)].join('.');
}

/**
 * The one BullMQ queue that carries every agency's jobs: `<prefix>.all-agencies`. It lives
 * under BullMQ's key prefix, the agencies' own keys under the bridge's, so an agency named
 * `all-agencies` shares nothing with it.
 */
export function sharedAgencyQueueName(prefix: string): string {
  return `${encodeNameSegment('queue prefix', prefix)}.all-agencies`;
}

/**
 * The key base of an agency (its own BullMQ queue's name before queues were shared):
 * `<prefix>.<encoded agency code>`. The prefix lets
 * several installations (or tests) share one Redis without sharing queues.
 */
export function agencyQueueName(prefix: string, agencyCode: string): string {
  return `${encodeNameSegment('queue prefix', prefix)}.${encodeNameSegment('agencyCode', agencyCode)}`;
}
