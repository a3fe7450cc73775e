import { resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyDocument } from '../agencies/agency-file';
import { AgencyProblem } from '../agencies/agency-problem';
import { AgencyRegistryService } from '../agencies/agency-registry.service';
import { checkGoldenExamples, GoldenExampleRecorder } from './golden-examples';
import { readGoldenExamples } from './golden-examples-file';
import { parseLimit, parseSince } from './history-window';
import { replayHistory } from './replay-history';
import { WorkbenchReport } from './workbench-report';

/** The candidate file cannot be compared: it is not a valid agency file, or not this agency's. */
export class CandidateRefusedError extends Error {
  constructor(readonly problems: AgencyProblem[]) {
    super(`the candidate agency file has ${problems.length} problem(s): ${problems[0]?.message ?? ''}`);
    this.name = 'CandidateRefusedError';
  }
}

/** How much history a preview reads. */
export interface PreviewWindow {
  /** `30d`, `12h`, or an ISO date (default 30d). */
  since?: string;
  /** Most messages, newest first (default 10,000). */
  limit?: number | string;
  /** The agency the candidate must be for (the preview endpoint's path). */
  expectCode?: string;
  /** Collects passing exchanges per mapping, to keep as golden examples. */
  examples?: GoldenExampleRecorder;
}

/**
 * The mapping workbench: what a changed agency file would do to the messages the agency
 * already exchanged, before it is applied. Nothing is stored and no agency is called.
 */
@Injectable()
export class MappingWorkbenchService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AgencyRegistryService) private readonly registry: AgencyRegistryService,
  ) {}

  /** Validates the candidate like `agencies apply --dry-run`, then replays the agency's history. */
  async preview(doc: AgencyDocument, window: PreviewWindow = {}): Promise<WorkbenchReport> {
    const since = parseSince(window.since);
    const limit = parseLimit(window.limit);
    const { problems, agencies } = await this.registry.validated([doc]);
    if (problems.length > 0) throw new CandidateRefusedError(problems);
    const candidate = agencies[0];
    if (window.expectCode && candidate.code !== window.expectCode) {
      throw new CandidateRefusedError([
        {
          file: doc.file,
          path: '$.code',
          message: `the file is for ${candidate.code}, not ${window.expectCode}`,
        },
      ]);
    }
    if (!candidate.spec) {
      throw new CandidateRefusedError([
        {
          file: doc.file,
          path: '$.adapter',
          message: 'the file has no adapter section: no mappings to compare',
        },
      ]);
    }
    const inForce = await this.registry.inForce(candidate.code);
    return replayHistory(this.dataSource, {
      agencyCode: candidate.code,
      inForce,
      candidate: candidate.spec,
      since,
      limit,
      onPassed: window.examples?.onPassed,
    });
  }

  /**
   * Re-runs the golden examples kept beside each file (`<file>.examples.json`, paths as the
   * documents name them, below `root`) through the file's own mappings; one problem per
   * example that now throws. Files without examples pass.
   */
  async checkExamples(docs: readonly AgencyDocument[], root: string): Promise<AgencyProblem[]> {
    const { agencies } = await this.registry.validated(docs);
    const problems: AgencyProblem[] = [];
    for (const agency of agencies) {
      if (!agency.spec) continue;
      let examples;
      try {
        examples = await readGoldenExamples(resolve(root, agency.file));
      } catch (error) {
        problems.push({ file: agency.file, path: '$', message: (error as Error).message });
        continue;
      }
      if (!examples) continue;
      for (const message of await checkGoldenExamples(agency.spec, examples)) {
        problems.push({ file: agency.file, path: '$.adapter.mappings', message: `golden ${message}` });
      }
    }
    return problems;
  }
}
