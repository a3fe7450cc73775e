import type { CsvReplayDialect, CsvStatusRecord } from '@bridge/adapter-csv-drop';
import { REPLAY_READERS } from '../agencies/adapter-registry';
import { changeConclusion } from './conclusions';
import { pageReplays } from './page-replays';
import { textLogView } from './replay-compare';
import { KindReplayer, LoggedMessage, Replay, StoredDossier } from './replay-source';
import { deliveryNotice, requestDossier, SUPPLEMENT_NOT_KEPT } from './request-inputs';

type Sides = { then: CsvReplayDialect; now: CsvReplayDialect };

/**
 * The `csv-drop` kind: the files the bridge dropped are written again from the stored dossier
 * through each file's request mapping and compared row by row, field by field, with the logged
 * file (masked the way the log masks it); the status files received are read again, row by
 * row, through each file's status columns or statusChange mapping and status table.
 */
export const csvReplayer: KindReplayer<CsvReplayDialect> = {
  dialect: REPLAY_READERS['csv-drop'].dialect,

  async replays(message, dossiers, sides) {
    switch (`${message.direction} ${message.operation}`) {
      case 'outbound submit': {
        const stored = requestDossier(message, dossiers);
        if (typeof stored === 'string') return stored;
        const submission = { dossier: stored.snapshot, idempotencyKey: stored.id };
        return fileReplay('submitRequest', message, stored, sides, (d) =>
          d.requestFile('submitRequest', submission),
        );
      }
      case 'outbound delivered': {
        const delivery = deliveryNotice(message, dossiers);
        if (typeof delivery === 'string') return delivery;
        return fileReplay('deliveryRequest', message, delivery.stored, sides, (d) =>
          d.requestFile('deliveryRequest', delivery.notice),
        );
      }
      case 'outbound supplement':
        return SUPPLEMENT_NOT_KEPT;
      case 'inbound poll':
        return statusFileReplays(message, sides);
      default:
        // Look-ups and receipts are read from the status files, replayed as such; probes conclude nothing.
        return [];
    }
  },
};

/** A dropped file written again, read (both sides) the way the file in force writes it. */
function fileReplay(
  mapping: string,
  message: LoggedMessage,
  stored: StoredDossier,
  sides: Sides,
  write: (d: CsvReplayDialect) => Promise<string>,
): Replay<CsvReplayDialect>[] {
  const read = (text: string) => sides.then.readFile(text);
  return [{ mapping, dossier: stored.id, sent: read(message.body), view: textLogView(read), run: write }];
}

/**
 * A logged status file: a summary line, then the text when the file was small enough to keep
 * (`options.recordMaxBytes`) and could be decoded.
 */
async function statusFileReplays(message: LoggedMessage, sides: Sides) {
  const end = message.body.indexOf('\n');
  if (end === -1) {
    // A file that failed as a whole was never applied: nothing was concluded from it.
    return / failure=/.test(message.body)
      ? []
      : 'the status file was larger than the message log keeps (options.recordMaxBytes)';
  }
  const text = message.body.slice(end + 1);
  return pageReplays(sides, {
    page: 'statusFile',
    records: async (d) => ({ records: d.statusRecords(text) }),
    change: async (d, record) => changeConclusion(await d.statusChange(record as CsvStatusRecord)),
  });
}
