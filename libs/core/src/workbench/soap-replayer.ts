import type { SoapDialect } from '@bridge/adapter-soap';
import { REPLAY_READERS } from '../agencies/adapter-registry';
import { changeConclusion, receiptConclusion } from './conclusions';
import { pageReplays } from './page-replays';
import { KindReplayer, LoggedMessage, Replay } from './replay-source';

/** The Body of a logged envelope; null for a fault (never mapped, so not replayed). */
function bodyOf(message: LoggedMessage): Record<string, unknown> | null {
  const envelope = REPLAY_READERS.soap.envelope(message.body);
  return envelope.fault ? null : envelope.body;
}

const succeeded = (message: LoggedMessage) => message.status !== null && /^2\d\d$/.test(message.status);

/**
 * The `soap` kind: submit and look-up answers, polled pages and pushes read again from the
 * logged envelopes. Requests are not compared: the log holds them as redacted XML whose
 * WS-Security header and masked values a rebuilt envelope would never match byte for byte.
 */
export const soapReplayer: KindReplayer<SoapDialect> = {
  dialect: REPLAY_READERS.soap.dialect,

  async replays(message, _dossiers, sides) {
    if (message.direction === 'outbound') {
      return ['submit', 'supplement', 'delivered'].includes(message.operation)
        ? 'SOAP request envelopes are not compared (the log holds them redacted)'
        : [];
    }
    const inbound = message.operation === 'callback' || succeeded(message);
    const body =
      inbound && ['submit', 'lookup', 'status', 'callback'].includes(message.operation)
        ? bodyOf(message)
        : null;
    if (!body) return [];
    switch (message.operation) {
      case 'submit':
        return [receipt('submitResponse', message, async (d) => d.readReceipt(body))];
      case 'lookup':
        return [receipt('lookupResponse', message, async (d) => d.readLookup(body))];
      case 'status':
        return pageReplays(sides, {
          records: (d) => d.pollRecords(body),
          change: async (d, record) => changeConclusion(await d.readStatusRecord(record)),
        });
      default: {
        const records = await sides.then.callbackRecords(body).catch(() => sides.now.callbackRecords(body));
        return records.map((record) => ({
          mapping: 'statusChange',
          run: async (d: SoapDialect) => changeConclusion(await d.readStatusRecord(record)),
        }));
      }
    }
  },
};

function receipt(
  mapping: string,
  message: LoggedMessage,
  read: (d: SoapDialect) => Promise<Parameters<typeof receiptConclusion>[0]>,
): Replay<SoapDialect> {
  return {
    mapping,
    dossier: message.dossierId ?? undefined,
    run: async (d) => receiptConclusion(await read(d)),
  };
}
