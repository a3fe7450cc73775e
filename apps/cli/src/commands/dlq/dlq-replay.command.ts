import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import { DeadLetterActionsService, DeadLetterFilter, DeadLetterService } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';

interface DlqReplayOptions extends CommonOptions {
  agency?: string;
  errorCode?: string;
  signature?: string;
  all?: boolean;
}

/**
 * `bridge dlq replay <id>` or `bridge dlq replay --agency X [--error-code Y] [--signature S]`:
 * re-enqueues open dead letters. The agency call still carries the dossier id as idempotency
 * key, so a replay never files a dossier twice. An empty filter needs `--all`.
 */
@SubCommand({
  name: 'replay',
  arguments: '[id]',
  argsDescription: { id: 'the dead letter to replay (see `bridge dlq list --each`)' },
  description: 'replay one dead letter by id, or every open one matching a filter',
})
export class DlqReplayCommand extends JsonCapableCommand {
  constructor(
    @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
    @Inject(DeadLetterActionsService) private readonly actions: DeadLetterActionsService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  @Option({ flags: '--agency <code>', description: "only this agency's dead letters" })
  parseAgency(value: string): string {
    return value;
  }

  @Option({ flags: '--error-code <code>', description: 'only this error code' })
  parseErrorCode(value: string): string {
    return value;
  }

  @Option({
    flags: '--signature <signature>',
    description: 'only this error signature (as `dlq list` shows it)',
  })
  parseSignature(value: string): string {
    return value;
  }

  @Option({ flags: '--all', description: 'replay every open dead letter (needed when no filter is given)' })
  parseAll(): boolean {
    return true;
  }

  async run([id]: string[], options: DlqReplayOptions = {}): Promise<void> {
    const filter: DeadLetterFilter = {
      agencyCode: options.agency,
      errorCode: options.errorCode,
      errorSignature: options.signature,
    };
    const hasFilter = Object.values(filter).some((v) => v !== undefined);
    if (id && (hasFilter || options.all)) {
      throw new CliError(
        'give either a dead letter id or a filter (--agency, --error-code, --signature, --all), not both',
      );
    }
    if (!id && !hasFilter && !options.all) {
      throw new CliError(
        'refusing to replay without a filter: give a dead letter id, --agency, --error-code or --signature, or --all to replay every open dead letter',
      );
    }
    const by = `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`;
    if (id) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new CliError(`"${id}" is not a dead letter id (a UUID, as \`bridge dlq list --each\` shows)`);
      }
      const outcome = await this.database.run(() => this.actions.replay(id, by));
      if (outcome.kind === 'refused')
        throw new CliError(`dead letter ${id} not replayed, it stays open: ${outcome.reason}`);
      if (outcome.kind !== 'done')
        throw new CliError(`dead letter ${id} is not open (already replayed or discarded) or does not exist`);
      return options.json ? out.json({ replayed: [id] }) : out.text(`replayed dead letter ${id}`);
    }
    // The dashboard's replay, one letter at a time: one that is refused does not stop the others.
    const replayed: string[] = [];
    const failed: { id: string; reason: string }[] = [];
    await this.database.run(async () => {
      for (const letterId of await this.deadLetters.openIds(filter)) {
        const outcome = await this.actions.replay(letterId, by);
        if (outcome.kind === 'done') replayed.push(letterId);
        else if (outcome.kind === 'refused') failed.push({ id: letterId, reason: outcome.reason });
      }
    });
    if (options.json) out.json({ replayed, failed });
    else if (replayed.length > 0 || failed.length === 0) {
      out.text(
        replayed.length === 0
          ? 'no open dead letters match; nothing replayed'
          : `replayed ${replayed.length} dead letter(s)`,
      );
    }
    for (const failure of failed) out.warn(`dead letter ${failure.id} not replayed: ${failure.reason}`);
    if (failed.length > 0)
      throw new CliError(`${failed.length} dead letter(s) could not be replayed and stay open`);
  }
}
