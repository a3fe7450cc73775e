import { dossierOf } from './conclusions';
import { Compared, Side } from './replay-compare';
import { MappingSummary, REPLAY_OUTCOMES, ReplayExample, ReplayOutcome } from './workbench-report';

/** Examples kept per mapping and outcome. */
export const EXAMPLES_PER_OUTCOME = 3;
/** Dossiers named in a report; the total is counted beyond it. */
export const DOSSIERS_LISTED = 200;

/** Counts outcomes per mapping and keeps the first examples of each, as replays come in. */
export class ReplayTally {
  private readonly summaries = new Map<string, MappingSummary>();
  private readonly changedDossiers = new Set<string>();
  private readonly maskedFields = new Set<string>();
  readonly notReplayed = new Map<string, string>();

  add(
    mapping: string,
    logId: string,
    dossier: string | undefined,
    then: Side,
    now: Side,
    compared: Compared,
  ): void {
    const summary = this.summary(mapping);
    summary.replayed++;
    summary.counts[compared.outcome]++;
    compared.masked.forEach((path) => this.maskedFields.add(`${mapping}: ${path}`));
    const ref =
      dossier ?? dossierOf(then.ok ? then.value : undefined) ?? dossierOf(now.ok ? now.value : undefined);
    if (compared.outcome !== 'same' && compared.outcome !== 'stillFailing' && ref) {
      this.changedDossiers.add(ref);
    }
    if (compared.outcome === 'same') return;
    const examples = (summary.examples[compared.outcome] ??= []);
    if (examples.length >= EXAMPLES_PER_OUTCOME) return;
    const example: ReplayExample = { logId, dossier: ref };
    if (then.ok) example.then = then.value;
    // A rebuilt request is shown as the log would hold it: personal data masked.
    if (now.ok && compared.error === undefined) example.now = compared.shown ?? now.value;
    if (compared.fields.length) example.fields = compared.fields;
    const failed = !now.ok ? now : !then.ok ? then : undefined;
    const error = compared.error ?? (failed && !failed.ok ? failed.error : undefined);
    if (error !== undefined) example.error = error;
    examples.push(example);
  }

  /** The summaries, mappings in name order, with the candidate's fallbacks to JSONata of each. */
  mappings(fallbacks: (mapping: string) => number): MappingSummary[] {
    return [...this.summaries.values()]
      .sort((a, b) => a.mapping.localeCompare(b.mapping))
      .map((s) => ({ ...s, fallbacks: fallbacks(s.mapping) }));
  }

  dossiers(): { listed: string[]; total: number } {
    return { listed: [...this.changedDossiers].slice(0, DOSSIERS_LISTED), total: this.changedDossiers.size };
  }

  masked(): string[] {
    return [...this.maskedFields].sort();
  }

  private summary(mapping: string): MappingSummary {
    let summary = this.summaries.get(mapping);
    if (!summary) {
      const counts = Object.fromEntries(REPLAY_OUTCOMES.map((o) => [o, 0])) as Record<ReplayOutcome, number>;
      summary = { mapping, replayed: 0, counts, examples: {} };
      this.summaries.set(mapping, summary);
    }
    return summary;
  }
}
