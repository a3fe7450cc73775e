import { AdapterSpec, AgencyReceipt, AgencyStatusChange, DateSettings } from '@bridge/adapter-sdk';
import { IGATE_OK_CODES } from './igate-legacy-errors';
import { IgateAnswer, IgateRecord, parseAnswer } from './igate-legacy-protocol';
import { changesOf, receiptOf } from './igate-legacy-records';

/** iGate's timestamps are fixed by its protocol; only the zone comes from the agency file. */
export function igateDates(spec: Pick<AdapterSpec, 'dates'>): DateSettings {
  return { format: 'yyyyMMddHHmmss', zone: spec.dates.zone };
}

/**
 * How an iGate agency's answers are read, without the transport. iGate answers in fixed-width
 * records that the adapter reads with built-in layouts: the agency file has no mappings, only
 * its status table and time zone change what the bridge concludes. For comparing a changed
 * agency file with logged answers. No I/O.
 */
export class IgateReplayDialect {
  private readonly dates: DateSettings;

  constructor(private readonly spec: Pick<AdapterSpec, 'dates' | 'statusCodes'>) {
    this.dates = igateDates(spec);
  }

  /** A logged answer text, when iGate accepted the command (others concluded nothing). */
  static accepted(text: string): IgateAnswer | null {
    const answer = parseAnswer(text);
    return IGATE_OK_CODES.has(answer.code) ? answer : null;
  }

  /** The receipt of a filing or look-up answer. */
  receipt(answer: IgateAnswer): AgencyReceipt {
    return receiptOf(answer, this.spec.statusCodes, this.dates);
  }

  /** One `TD` record of a THAYDOI answer as a status change; throws why it is set aside. */
  change(answer: IgateAnswer, record: IgateRecord): AgencyStatusChange {
    const { changes, rejected } = changesOf(
      { ...answer, records: [record] },
      this.spec.statusCodes,
      this.dates,
    );
    if (rejected.length) throw new Error(rejected[0].reason);
    return changes[0];
  }
}
