import { REPLAY_OUTCOMES, ReplayExample, ReplayOutcome, WorkbenchReport } from '@bridge/core';
import { renderTable } from '../../output/table';

const OUTCOME_WORDS: Record<ReplayOutcome, string> = {
  same: 'same',
  changed: 'changed',
  nowFailing: 'now failing',
  nowPassing: 'now passing',
  stillFailing: 'failing before and now',
};

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

function exampleLine(outcome: ReplayOutcome, example: ReplayExample): string {
  const where = `log ${example.logId}${example.dossier ? `, dossier ${example.dossier}` : ''}`;
  if (example.error) return `    ${OUTCOME_WORDS[outcome]} (${where}): ${example.error}`;
  if (example.fields?.length) {
    const fields = example.fields.slice(0, 5).map((f) => `${f.path}: ${short(f.then)} → ${short(f.now)}`);
    return `    ${OUTCOME_WORDS[outcome]} (${where}): ${fields.join('; ')}`;
  }
  return `    ${OUTCOME_WORDS[outcome]} (${where}): ${short(example.now)}`;
}

/** The report as a person reads it in a terminal: counts per mapping, then examples and caveats. */
export function renderDiffReport(report: WorkbenchReport, file: string): string {
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const lines = [
    `${file} against agency ${report.agencyCode} spec v${report.inForceVersion}: ` +
      `${report.messagesRead} logged message(s) since ${report.since} replayed in ${seconds} s; nothing sent, nothing changed`,
    '',
    renderTable(
      report.mappings,
      [
        { header: 'mapping', value: (m) => m.mapping },
        { header: 'replayed', value: (m) => m.replayed },
        ...REPLAY_OUTCOMES.slice(0, 4).map((o) => ({
          header: OUTCOME_WORDS[o],
          value: (m: (typeof report.mappings)[0]) => m.counts[o],
        })),
        { header: 'fallbacks', value: (m) => m.fallbacks ?? '-' },
      ],
      'no logged message could be replayed',
    ).trimEnd(),
  ];
  for (const summary of report.mappings) {
    const shown = REPLAY_OUTCOMES.flatMap((o) => (summary.examples[o] ?? []).map((e) => exampleLine(o, e)));
    if (shown.length) lines.push('', `  ${summary.mapping}:`, ...shown);
  }
  if (report.dossiersChangedTotal > 0) {
    const more = report.dossiersChangedTotal - report.dossiersChanged.length;
    lines.push(
      '',
      `dossiers whose conclusion changes (${report.dossiersChangedTotal}): ${report.dossiersChanged.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    );
  }
  if (report.maskedFields.length) {
    lines.push('', `masked in the message log, compared masked only: ${report.maskedFields.join(', ')}`);
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  for (const [what, why] of Object.entries(report.notReplayed)) lines.push(`not replayed: ${what}: ${why}`);
  return `${lines.join('\n')}\n`;
}
