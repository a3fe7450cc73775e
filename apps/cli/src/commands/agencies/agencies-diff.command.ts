import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import {
  AgencyFileAccessError,
  AgencyNotFoundError,
  AgencyRegistryService,
  CandidateRefusedError,
  formatAgencyProblem,
  GoldenExampleRecorder,
  MappingWorkbenchService,
  writeGoldenExamples,
} from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';
import { renderDiffReport } from './diff-report-text';

interface DiffOptions extends CommonOptions {
  file?: string;
  since?: string;
  limit?: string;
  recordExamples?: boolean;
}

/** Exit code when the candidate fails on messages the file in force handles. */
export const NOW_FAILING_EXIT_CODE = 3;

/**
 * `bridge agencies diff -f <file>`: replays the agency's logged history through the candidate
 * file and the file in force, and shows per mapping what would change. Reads only.
 */
@SubCommand({
  name: 'diff',
  description: "show what a changed agency file would do to the agency's past messages (nothing is applied)",
})
export class AgenciesDiffCommand extends JsonCapableCommand {
  constructor(
    @Inject(AgencyRegistryService) private readonly registry: AgencyRegistryService,
    @Inject(MappingWorkbenchService) private readonly workbench: MappingWorkbenchService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  @Option({ flags: '-f, --file <file>', description: 'the changed agency file', required: true })
  parseFile(value: string): string {
    return value;
  }

  @Option({
    flags: '--since <age|date>',
    description: 'history to replay: 30d, 12h or an ISO date (default 30d)',
  })
  parseSince(value: string): string {
    return value;
  }

  @Option({
    flags: '--limit <n>',
    description: 'most logged messages to replay, newest first (default 10000)',
  })
  parseLimit(value: string): string {
    return value;
  }

  @Option({
    flags: '--record-examples',
    description: 'write a few masked exchanges per mapping beside the file (<file>.examples.json)',
  })
  parseRecordExamples(): boolean {
    return true;
  }

  async run(_args: string[], options: DiffOptions = {}): Promise<void> {
    const docs = await this.registry.loadFiles(options.file!).catch((error: unknown) => {
      if (error instanceof AgencyFileAccessError) throw new CliError(error.message);
      throw error;
    });
    if (docs.length !== 1) throw new CliError(`${options.file} must be one agency file, not a directory`);
    const examples = options.recordExamples ? new GoldenExampleRecorder() : undefined;
    const report = await this.database
      .run(() => this.workbench.preview(docs[0], { since: options.since, limit: options.limit, examples }))
      .catch((error: unknown) => {
        if (error instanceof CandidateRefusedError) {
          for (const problem of error.problems) out.warn(formatAgencyProblem(problem));
          throw new CliError(`${docs[0].file} is not a valid agency file; nothing was compared`);
        }
        if (error instanceof AgencyNotFoundError) {
          throw new CliError(`${error.message}: there is no file in force to compare with; apply it first`);
        }
        if (error instanceof RangeError) throw new CliError(error.message);
        throw error;
      });
    if (options.json) out.json(report);
    else out.text(renderDiffReport(report, docs[0].file));
    if (examples) {
      const written = await writeGoldenExamples(options.file!, examples.file(report.agencyCode));
      out.warn(`golden examples written to ${written}`);
    }
    if (report.failing) {
      const failing = report.mappings.reduce((n, m) => n + m.counts.nowFailing, 0);
      throw new CliError(
        `${failing} message(s) the agency file in force reads now fail with ${docs[0].file}`,
        NOW_FAILING_EXIT_CODE,
      );
    }
  }
}
