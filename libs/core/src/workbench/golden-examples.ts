import { AdapterSpec } from '@bridge/adapter-sdk';
import { redactSecrets } from '../logging';
import { LoggedMessage, StoredDossier } from './replay-source';
import { REPLAYERS } from './replay-history';

/** Examples kept per mapping: enough to catch a renamed field, few enough to read. */
export const EXAMPLES_PER_MAPPING = 5;

/** One real exchange kept beside an agency file, masked like the message log. */
export interface GoldenExample {
  mapping: string;
  message: Pick<LoggedMessage, 'direction' | 'operation' | 'status' | 'body'>;
  /** For request mappings: the dossier the request was built from, personal data masked. */
  dossier?: StoredDossier;
}

/** The content of `<agency file>.examples.json`. */
export interface GoldenExamplesFile {
  agencyCode: string;
  recordedAt: string;
  examples: GoldenExample[];
}

/** Collects up to {@link EXAMPLES_PER_MAPPING} passing exchanges per mapping during a diff. */
export class GoldenExampleRecorder {
  private readonly byMapping = new Map<string, GoldenExample[]>();

  readonly onPassed = (mapping: string, message: LoggedMessage, dossier: StoredDossier | undefined): void => {
    const list = this.byMapping.get(mapping) ?? [];
    if (list.length >= EXAMPLES_PER_MAPPING) return;
    const example: GoldenExample = {
      mapping,
      message: {
        direction: message.direction,
        operation: message.operation,
        status: message.status,
        body: message.body,
      },
    };
    if (message.direction === 'outbound' && dossier) {
      // The dossiers table holds personal data in clear; the file beside the agency file must not.
      example.dossier = JSON.parse(redactSecrets(JSON.stringify(dossier))) as StoredDossier;
    }
    list.push(example);
    this.byMapping.set(mapping, list);
  };

  file(agencyCode: string, now = new Date()): GoldenExamplesFile {
    const examples = [...this.byMapping.keys()].sort().flatMap((m) => this.byMapping.get(m)!);
    return { agencyCode, recordedAt: now.toISOString(), examples };
  }
}

/**
 * Re-runs a file's golden examples through its own mappings and status table; returns one
 * line per example that now throws (empty when all pass). An exchange the file's kind cannot
 * replay is reported too, so a file never passes on examples nobody ran.
 */
export async function checkGoldenExamples(spec: AdapterSpec, file: GoldenExamplesFile): Promise<string[]> {
  const replayer = REPLAYERS[spec.kind];
  if (!replayer) return [`golden examples cannot be replayed for a ${spec.kind} agency`];
  const dialect = replayer.dialect(spec);
  const problems: string[] = [];
  for (const [index, example] of file.examples.entries()) {
    const where = `example #${index + 1} (${example.mapping}, ${example.message.direction} ${example.message.operation})`;
    const message: LoggedMessage = {
      id: `example-${index + 1}`,
      loggedAt: new Date(0),
      dossierId: example.dossier?.id ?? null,
      ...example.message,
    };
    const dossiers = new Map(example.dossier ? [[example.dossier.id, example.dossier]] : []);
    try {
      const replays = await replayer.replays(message, dossiers, { then: dialect, now: dialect });
      if (typeof replays === 'string') {
        problems.push(`${where}: cannot be replayed: ${replays}`);
        continue;
      }
      for (const replay of replays.filter((r) => r.mapping === example.mapping)) {
        const value = await replay.run(dialect);
        // A request must still be writable in the agency's format (an envelope, a CSV file).
        replay.view?.read(value);
      }
    } catch (error) {
      problems.push(`${where} now fails: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}
