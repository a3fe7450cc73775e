import type { SoapReplayDialect } from '@bridge/adapter-soap';
import { REPLAY_READERS } from '../agencies/adapter-registry';
import { redactSecrets } from '../logging';
import { changeConclusion, receiptConclusion } from './conclusions';
import { pageReplays } from './page-replays';
import { LogView, textLogView } from './replay-compare';
import { KindReplayer, LoggedMessage, Replay, StoredDossier } from './replay-source';
import { deliveryNotice, requestDossier, SUPPLEMENT_NOT_KEPT } from './request-inputs';

type Sides = { then: SoapReplayDialect; now: SoapReplayDialect };

/** The Body of a logged envelope; null for a fault (never mapped, so not replayed). */
function bodyOf(message: LoggedMessage): Record<string, unknown> | null {
  const envelope = REPLAY_READERS.soap.envelope(message.body);
  return envelope.fault ? null : envelope.body;
}

const succeeded = (message: LoggedMessage) => message.status !== null && /^2\d\d$/.test(message.status);

/** Requests compare by the Body of their envelopes, read as the adapter reads answers. */
const ENVELOPE_VIEW: LogView = textLogView((xml) => REPLAY_READERS.soap.envelope(xml).body);

/**
 * The `soap` kind: request envelopes are rebuilt from the stored dossier through each file's
 * request mapping and operation, and compared by their Body with the logged envelope (masked
 * the way the log masks it; the WS-Security header changes with every message and is left
 * out); submit and look-up answers, polled pages and pushes are read again from the logged
 * envelopes through both files' response mappings and status tables.
 */
export const soapReplayer: KindReplayer<SoapReplayDialect> = {
  dialect: REPLAY_READERS.soap.dialect,

  async replays(message, dossiers, sides) {
    if (message.direction === 'outbound') return requestReplays(message, dossiers, sides);
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
          run: async (d: SoapReplayDialect) => changeConclusion(await d.readStatusRecord(record)),
        }));
      }
    }
  },
};

/** A rebuilt request of `role` against the logged envelope. */
function request(
  mapping: string,
  message: LoggedMessage,
  stored: StoredDossier,
  build: (d: SoapReplayDialect) => Promise<string>,
): Replay<SoapReplayDialect>[] {
  return [{ mapping, dossier: stored.id, sent: bodyOf(message), view: ENVELOPE_VIEW, run: build }];
}

async function requestReplays(
  message: LoggedMessage,
  dossiers: ReadonlyMap<string, StoredDossier>,
  sides: Sides,
): Promise<Replay<SoapReplayDialect>[] | string> {
  switch (message.operation) {
    case 'submit': {
      const stored = requestDossier(message, dossiers);
      if (typeof stored === 'string') return stored;
      const submission = { dossier: stored.snapshot, idempotencyKey: stored.id };
      return request('submitRequest', message, stored, async (d) =>
        d.requestEnvelope('submit', await d.submitRequest(submission)),
      );
    }
    case 'lookup': {
      const stored = requestDossier(message, dossiers);
      if (typeof stored === 'string') return stored;
      const ref = await lookupRefOf(message, stored, sides.then);
      return request('lookupRequest', message, stored, async (d) =>
        d.requestEnvelope('lookup', await d.lookupRequest(d.lookupInput(ref))),
      );
    }
    case 'delivered': {
      const delivery = deliveryNotice(message, dossiers);
      if (typeof delivery === 'string') return delivery;
      return request('deliveryRequest', message, delivery.stored, async (d) =>
        d.requestEnvelope('delivered', await d.deliveryRequest(delivery.notice)),
      );
    }
    case 'supplement':
      return SUPPLEMENT_NOT_KEPT;
    default:
      // Poll and probe requests are built from a cursor or nothing: no dossier to rebuild them from.
      return [];
  }
}

/**
 * Which of the look-ups the adapter makes this logged request was: by bridge id (look-up
 * before filing again), with the postal item id (look-up before submitting), or with the
 * agency's code too (status look-up). The one whose envelope through the file in force is the
 * logged one; else the fullest.
 */
async function lookupRefOf(message: LoggedMessage, stored: StoredDossier, inForce: SoapReplayDialect) {
  const bridgeId = stored.id;
  const itemId = stored.snapshot.inboundItemId;
  const refs = [
    { bridgeId },
    { bridgeId, itemId },
    { bridgeId, itemId, agencyDossierCode: stored.agencyDossierCode ?? undefined },
  ];
  // The same builder wrote the logged Body: compared as text, as the log masks it.
  const logged = bodyText(message.body);
  for (const ref of refs) {
    try {
      const xml = inForce.requestEnvelope('lookup', await inForce.lookupRequest(inForce.lookupInput(ref)));
      if (logged !== undefined && bodyText(redactSecrets(xml)) === logged) return ref;
    } catch {
      // The file in force cannot build it either: the candidate is compared with the fullest.
    }
  }
  return refs[refs.length - 1];
}

/** The Body element of an envelope as text (the header, with its nonce and times, left out). */
function bodyText(xml: string): string | undefined {
  return /<([\w.-]+:)?Body[\s>][\s\S]*<\/\1?Body>/.exec(xml)?.[0];
}

function receipt(
  mapping: string,
  message: LoggedMessage,
  read: (d: SoapReplayDialect) => Promise<Parameters<typeof receiptConclusion>[0]>,
): Replay<SoapReplayDialect> {
  return {
    mapping,
    dossier: message.dossierId ?? undefined,
    run: async (d) => receiptConclusion(await read(d)),
  };
}
