import type { RestDialect } from '@bridge/adapter-rest';
import { REPLAY_READERS } from '../agencies/adapter-registry';
import { changeConclusion, receiptConclusion } from './conclusions';
import { pageReplays } from './page-replays';
import { KindReplayer, LoggedMessage, Replay, StoredDossier } from './replay-source';
import { deliveryNotice, requestDossier, SUPPLEMENT_NOT_KEPT } from './request-inputs';

/** An answer the agency gave with success (2xx); errors were never mapped, so are not replayed. */
function succeeded(message: LoggedMessage): boolean {
  return message.status !== null && /^2\d\d$/.test(message.status);
}

function json(body: string): unknown {
  return JSON.parse(body.replace(/^\uFEFF/, '')) as unknown;
}

/**
 * The `rest` kind: request bodies are re-mapped from the stored dossier and compared with the
 * JSON the log shows was sent; submit and look-up answers, feed pages and pushes are read
 * again through both files' response mappings and status tables.
 */
export const restReplayer: KindReplayer<RestDialect> = {
  dialect: REPLAY_READERS.rest.dialect,

  async replays(message, dossiers, sides) {
    switch (`${message.direction} ${message.operation}`) {
      case 'outbound submit':
        return submitReplay(message, dossiers);
      case 'outbound delivered':
        return deliveryReplay(message, dossiers);
      case 'outbound supplement':
        return SUPPLEMENT_NOT_KEPT;
      case 'inbound submit':
        return succeeded(message) ? [receiptReplay('submitResponse', message, false)] : [];
      case 'inbound lookup':
        return succeeded(message) ? [receiptReplay('lookupResponse', message, true)] : [];
      case 'inbound poll':
        return succeeded(message) ? pollReplays(message, sides) : [];
      case 'inbound callback':
        return callbackReplays(message);
      default:
        // Probes, logins, token requests and failed calls conclude nothing about a dossier.
        return [];
    }
  },
};

function submitReplay(message: LoggedMessage, dossiers: ReadonlyMap<string, StoredDossier>) {
  const stored = requestDossier(message, dossiers);
  if (typeof stored === 'string') return stored;
  const replay: Replay<RestDialect> = {
    mapping: 'submitRequest',
    dossier: stored.id,
    sent: json(message.body),
    run: (d) => d.submitBody({ dossier: stored.snapshot, idempotencyKey: stored.id }),
  };
  return [replay];
}

function deliveryReplay(message: LoggedMessage, dossiers: ReadonlyMap<string, StoredDossier>) {
  const delivery = deliveryNotice(message, dossiers);
  if (typeof delivery === 'string') return delivery;
  const replay: Replay<RestDialect> = {
    mapping: 'deliveryRequest',
    dossier: delivery.stored.id,
    sent: json(message.body),
    run: (d) => d.deliveryBody(delivery.notice),
  };
  return [replay];
}

function receiptReplay(mapping: string, message: LoggedMessage, lookup: boolean): Replay<RestDialect> {
  const answer = json(message.body);
  return {
    mapping,
    dossier: message.dossierId ?? undefined,
    run: async (d) => receiptConclusion(lookup ? await d.lookupReceipt(answer) : await d.receipt(answer)),
  };
}

function pollReplays(message: LoggedMessage, sides: { then: RestDialect; now: RestDialect }) {
  const answer = json(message.body);
  return pageReplays(sides, {
    records: async (d) => {
      const { items, cursor } = await d.pollItems(answer);
      return { records: items, cursor };
    },
    change: async (d, item) => changeConclusion(await d.statusChange(item)),
  });
}

function callbackReplays(message: LoggedMessage): Replay<RestDialect>[] | string {
  let items: unknown[];
  try {
    items = REPLAY_READERS.rest.decodeCallbackBody({
      headers: {},
      rawBody: Buffer.from(message.body, 'utf8'),
    });
  } catch {
    return 'a push that was not a JSON status change';
  }
  return items.map((item) => ({
    mapping: 'statusChange',
    run: async (d: RestDialect) => changeConclusion(await d.statusChange(item)),
  }));
}
