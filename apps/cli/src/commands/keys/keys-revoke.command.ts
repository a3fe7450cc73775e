import { Inject } from '@nestjs/common';
import { SubCommand } from 'nest-commander';
import { ApiKeyNotFoundError, ApiKeyService } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';

/** `bridge keys revoke <id|prefix>`: the key stops working (within 30 s in running gateways). */
@SubCommand({
  name: 'revoke',
  arguments: '<key>',
  argsDescription: { key: 'the key id, or its prefix as `bridge keys list` shows it' },
  description: 'revoke an API key',
})
export class KeysRevokeCommand extends JsonCapableCommand {
  constructor(
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([ref]: string[], options: CommonOptions = {}): Promise<void> {
    const revoked = await this.database
      .run(() => this.keys.revoke(ref))
      .catch((error: unknown) => {
        if (error instanceof ApiKeyNotFoundError)
          throw new CliError(`${error.message}; see \`bridge keys list\``);
        throw error;
      });
    if (options.json) return out.json(revoked);
    out.text(
      `revoked API key ${revoked.id} (${revoked.role}, "${revoked.name}") at ${revoked.revokedAt?.toISOString()}; ` +
        'running gateways refuse it within 30 seconds',
    );
  }
}
