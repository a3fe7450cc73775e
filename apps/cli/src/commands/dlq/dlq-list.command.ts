import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { out } from '../../output/console-output';
import { renderTable } from '../../output/table';
import { deadLetterGroups, openDeadLetters } from './dead-letter-groups';

interface DlqListOptions extends CommonOptions {
  agency?: string;
  errorCode?: string;
  each?: boolean;
}

/** `bridge dlq list`: open dead letters grouped by what went wrong, or one by one with `--each`. */
@SubCommand({
  name: 'list',
  description: 'list open dead letters grouped by error signature (--each: one line per letter)',
})
export class DlqListCommand extends JsonCapableCommand {
  constructor(@Inject(CliDatabase) private readonly database: CliDatabase) {
    super();
  }

  @Option({ flags: '--agency <code>', description: 'only this agency' })
  parseAgency(value: string): string {
    return value;
  }

  @Option({
    flags: '--error-code <code>',
    description: 'only this error code (TEMPORARY, PERMANENT, AUTH, ...)',
  })
  parseErrorCode(value: string): string {
    return value;
  }

  @Option({ flags: '--each', description: 'one line per dead letter (at most 500) instead of groups' })
  parseEach(): boolean {
    return true;
  }

  async run(_args: string[], options: DlqListOptions = {}): Promise<void> {
    const filter = { agencyCode: options.agency, errorCode: options.errorCode };
    const empty = 'no open dead letters';
    if (options.each) {
      const letters = await this.database.run((ds) => openDeadLetters(ds, filter, 500));
      if (options.json) return out.json(letters);
      return out.text(
        renderTable(
          letters,
          [
            { header: 'id', value: (l) => l.id },
            { header: 'agency', value: (l) => l.agencyCode ?? '-' },
            { header: 'operation', value: (l) => l.operation },
            { header: 'code', value: (l) => l.errorCode },
            { header: 'attempts', value: (l) => l.attempts },
            { header: 'since', value: (l) => l.createdAt },
            { header: 'reason', value: (l) => l.reason },
          ],
          empty,
        ),
      );
    }
    const groups = await this.database.run((ds) => deadLetterGroups(ds, filter));
    if (options.json) return out.json(groups);
    out.text(
      renderTable(
        groups,
        [
          { header: 'count', value: (g) => g.count },
          { header: 'agency', value: (g) => g.agencyCode ?? '-' },
          { header: 'code', value: (g) => g.errorCode },
          { header: 'newest', value: (g) => g.newest },
          { header: 'newest id', value: (g) => g.newestId },
          { header: 'signature', value: (g) => g.signature },
        ],
        empty,
      ),
    );
    if (groups.length > 0) {
      out.text('replay a group with `bridge dlq replay --agency <code> --signature "<signature>"`');
    }
  }
}
