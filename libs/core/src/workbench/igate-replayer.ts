import type { IgateReplayDialect } from '@bridge/adapter-igate-legacy';
import { REPLAY_READERS } from '../agencies/adapter-registry';
import { changeConclusion, receiptConclusion } from './conclusions';
import { KindReplayer, LoggedMessage } from './replay-source';

const succeeded = (message: LoggedMessage) => message.status === '200';

/**
 * The `igate-legacy` kind: iGate has no mappings (its fixed-width records are read with
 * built-in layouts), so what a changed file can change is the status table and the time zone:
 * filing and look-up answers and the records of "changes since" answers are read again with
 * both files' tables. Requests are built by the adapter itself, not by the file: not compared.
 */
export const igateReplayer: KindReplayer<IgateReplayDialect> = {
  dialect: REPLAY_READERS['igate-legacy'].dialect,
  note:
    'an igate-legacy agency file has no mappings: iGate records are read with built-in layouts, ' +
    'so only the status table and time zone were compared, over the logged answers',

  async replays(message) {
    if (message.direction !== 'inbound' || !succeeded(message)) return [];
    if (!['NOPHS', 'TRACUU', 'THAYDOI'].includes(message.operation)) return [];
    const answer = REPLAY_READERS['igate-legacy'].accepted(message.body);
    if (!answer) return [];
    const dossier = message.dossierId ?? undefined;
    switch (message.operation) {
      case 'NOPHS':
        return [
          { mapping: 'submitResponse', dossier, run: async (d) => receiptConclusion(d.receipt(answer)) },
        ];
      case 'TRACUU':
        return [
          { mapping: 'lookupResponse', dossier, run: async (d) => receiptConclusion(d.receipt(answer)) },
        ];
      default:
        return answer.records
          .filter((record) => record.type === 'TD')
          .map((record) => ({
            mapping: 'statusChange',
            run: async (d: IgateReplayDialect) => changeConclusion(d.change(answer, record)),
          }));
    }
  },
};
