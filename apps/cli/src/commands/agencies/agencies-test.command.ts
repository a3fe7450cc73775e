import { Inject } from '@nestjs/common';
import { SubCommand } from 'nest-commander';
import { AdapterFactory, AdapterKind, MemoryAdapterStore } from '@bridge/adapter-sdk';
import {
  ADAPTER_FACTORIES_TOKEN,
  AgencyNotFoundError,
  AgencyRegistryService,
  adapterLogger,
  checkAgencyLive,
} from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';
import { renderTable } from '../../output/table';

/**
 * `bridge agencies test <code>`: the live conformance check, against the agency's sandbox
 * endpoint when its file names one, otherwise its real endpoint in dry-run mode (files nothing).
 */
@SubCommand({
  name: 'test',
  arguments: '<code>',
  argsDescription: { code: 'the agency code' },
  description:
    "run the conformance checks against the agency's sandbox (or, without one, read-only checks against its endpoint)",
})
export class AgenciesTestCommand extends JsonCapableCommand {
  constructor(
    @Inject(AgencyRegistryService) private readonly registry: AgencyRegistryService,
    @Inject(ADAPTER_FACTORIES_TOKEN) private readonly factories: Record<AdapterKind, AdapterFactory>,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([code]: string[], options: CommonOptions = {}): Promise<void> {
    const { active, procedureCode } = await this.database.run(async () => {
      const view = await this.registry.show(code).catch((error: unknown) => {
        if (error instanceof AgencyNotFoundError)
          throw new CliError(`${error.message}; see \`bridge agencies list\``);
        throw error;
      });
      const spec = (await this.registry.currentSpecs()).find((a) => a.code === code);
      const procedure = view.procedures.find((p) => p.byPost) ?? view.procedures[0];
      return { active: spec, procedureCode: procedure?.code ?? '1.000000' };
    });
    if (!active) throw new CliError(`agency ${code} has no adapter or is retired; nothing to test`);
    // A test run keeps its adapter state (tokens, cursors) to itself: the workers' Redis is left alone.
    const report = await checkAgencyLive({ ...active, procedureCode }, this.factories, {
      logger: adapterLogger(`agency-test:${code}`),
      store: new MemoryAdapterStore(),
    });
    if (options.json) {
      out.json({
        agency: code,
        target: report.target,
        dryRun: report.dryRun,
        passed: report.passed,
        results: report.results,
      });
    } else {
      out.text(
        `agency ${code}: ${report.dryRun ? 'read-only checks against' : 'checks against sandbox'} ${report.target}`,
      );
      out.text(
        renderTable(
          report.results,
          [
            { header: 'check', value: (r) => r.name },
            { header: 'result', value: (r) => r.outcome },
            { header: 'ms', value: (r) => Math.round(r.durationMs) },
            { header: 'detail', value: (r) => r.detail },
          ],
          'no checks ran',
        ),
      );
    }
    const failed = report.results.filter((r) => r.outcome === 'failed').length;
    if (failed > 0 || !report.passed) throw new CliError(`agency ${code}: ${failed} check(s) failed`);
    if (!options.json) out.text(`agency ${code}: all checks passed`);
  }
}
