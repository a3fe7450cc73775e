import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import { DeadLetterFilter, DeadLetterService, PostalIngressService } from '@bridge/core';
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
    @Inject(PostalIngressService) private readonly ingress: PostalIngressService,
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
      const replayed = await this.database.run(() => this.deadLetters.replay(id, by, this.replayInbound));
      if (!replayed)
        throw new CliError(`dead letter ${id} is not open (already replayed or discarded) or does not exist`);
      return options.json ? out.json({ replayed: [id] }) : out.text(`replayed dead letter ${id}`);
    }
    // Like DeadLetterService.replayMatching, but inbound letters are handed back to the ingress,
    // and one letter that cannot be replayed does not stop the others.
    const replayed: string[] = [];
    const failed: { id: string; reason: string }[] = [];
    await this.database.run(async () => {
      for (const letterId of await this.deadLetters.openIds(filter)) {
        try {
          if (await this.deadLetters.replay(letterId, by, this.replayInbound)) replayed.push(letterId);
        } catch (error) {
          if (!(error instanceof CliError)) throw error;
          failed.push({ id: letterId, reason: error.message });
        }
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

  /** A postal event kept as a dead letter goes through the ingress again; refused again, it stays open. */
  private readonly replayInbound = async (payload: Record<string, unknown>): Promise<void> => {
    // acceptAgain forgets the refused inbox row; accept would take the event for a duplicate.
    const outcome = await this.ingress.acceptAgain(payload.message);
    if (outcome.kind === 'invalid') {
      throw new CliError(
        `the postal event is still invalid: ${outcome.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      );
    }
    if (outcome.kind === 'conflict' || outcome.kind === 'refused')
      throw new CliError(`the postal event is still refused: ${outcome.reason}`);
  };
}
