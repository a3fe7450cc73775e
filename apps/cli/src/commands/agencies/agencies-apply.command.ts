import { userInfo } from 'node:os';
import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import {
  AgencyFileAccessError,
  AgencyProblem,
  AgencyRegistryService,
  AgencyValidationError,
  formatAgencyProblem,
  MappingWorkbenchService,
} from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';
import { renderTable } from '../../output/table';

interface ApplyOptions extends CommonOptions {
  file?: string;
  dryRun?: boolean;
}

/**
 * `bridge agencies apply -f <file|dir>`: validates every file and re-runs the golden examples
 * kept beside it, then applies them all in one transaction, or changes nothing and lists every
 * problem.
 */
@SubCommand({
  name: 'apply',
  description: 'validate agency files and apply them all in one go (nothing changes when any is wrong)',
})
export class AgenciesApplyCommand extends JsonCapableCommand {
  constructor(
    @Inject(AgencyRegistryService) private readonly registry: AgencyRegistryService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
    @Inject(MappingWorkbenchService) private readonly workbench: MappingWorkbenchService,
  ) {
    super();
  }

  @Option({
    flags: '-f, --file <file|dir>',
    description: 'an agency file, or a directory of them (read recursively)',
    required: true,
  })
  parseFile(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'only validate; change nothing' })
  parseDryRun(): boolean {
    return true;
  }

  async run(_args: string[], options: ApplyOptions = {}): Promise<void> {
    const docs = await this.registry.loadFiles(options.file!, operatorCwd()).catch((error: unknown) => {
      if (error instanceof AgencyFileAccessError) throw new CliError(error.message);
      throw error;
    });
    if (docs.length === 0) throw new CliError(`${options.file} holds no agency files (*.yaml, *.yml)`);
    await this.database.connect();
    // Golden examples beside a file (`agencies diff --record-examples`) must still map.
    const examples = await this.workbench.checkExamples(docs, process.cwd());
    if (options.dryRun || examples.length > 0) {
      const problems = [...(await this.registry.validate(docs)), ...examples];
      if (problems.length > 0) return this.refuse(problems, options);
      if (options.json) return out.json({ valid: true, files: docs.map((d) => d.file) });
      return out.text(`${docs.length} agency file(s) valid; nothing applied (--dry-run)`);
    }
    try {
      const applied = await this.registry.apply(docs, { appliedBy: `cli:${osUser()}` });
      if (options.json) return out.json(applied);
      out.text(
        renderTable(
          applied,
          [
            { header: 'agency', value: (a) => a.code },
            { header: 'action', value: (a) => a.action },
            { header: 'version', value: (a) => a.version ?? '-' },
            { header: 'file', value: (a) => a.file },
          ],
          'no agencies in the files',
        ),
      );
    } catch (error) {
      if (error instanceof AgencyValidationError) return this.refuse(error.problems, options);
      throw error;
    }
  }

  private refuse(problems: readonly AgencyProblem[], options: ApplyOptions): void {
    if (options.json) out.json({ applied: false, problems });
    else for (const problem of problems) out.warn(formatAgencyProblem(problem));
    const files = new Set(problems.map((p) => p.file)).size;
    throw new CliError(
      `${problems.length} problem(s) in ${files} file(s); nothing was ${options.dryRun ? 'applied (--dry-run)' : 'changed'}`,
    );
  }
}

function osUser(): string {
  try {
    return process.env.USER ?? process.env.USERNAME ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * The directory the operator typed the command in: `npm run bridge` runs it in the package's
 * directory and keeps the operator's in INIT_CWD, so a relative `-f` means what they meant.
 */
function operatorCwd(): string {
  const viaNpmScript = process.env.npm_lifecycle_event === 'bridge' && process.env.INIT_CWD;
  return viaNpmScript || process.cwd();
}
