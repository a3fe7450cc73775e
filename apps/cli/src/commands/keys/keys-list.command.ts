import { Inject } from '@nestjs/common';
import { SubCommand } from 'nest-commander';
import { ApiKeyService } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { out } from '../../output/console-output';
import { renderTable } from '../../output/table';

/** `bridge keys list`: every API key without its secret. */
@SubCommand({ name: 'list', description: 'list API keys (never their secret), newest first' })
export class KeysListCommand extends JsonCapableCommand {
  constructor(
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  async run(_args: string[], options: CommonOptions = {}): Promise<void> {
    const keys = await this.database.run(() => this.keys.list());
    if (options.json) return out.json(keys);
    out.text(
      renderTable(
        keys,
        [
          { header: 'id', value: (k) => k.id },
          { header: 'prefix', value: (k) => k.prefix },
          { header: 'role', value: (k) => k.role },
          { header: 'name', value: (k) => k.name },
          { header: 'created', value: (k) => k.createdAt },
          { header: 'last used', value: (k) => k.lastUsedAt ?? 'never' },
          { header: 'revoked', value: (k) => k.revokedAt ?? '-' },
        ],
        'no API keys; create one with `bridge keys create --role <role> --name <name>`',
      ),
    );
  }
}
