import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import { ApiKeyService, InvalidApiRoleError, VALID_ROLE_FORMS } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';

interface KeysCreateOptions extends CommonOptions {
  role?: string;
  name?: string;
}

/** `bridge keys create --role <role> --name <name>`: prints the new key once. */
@SubCommand({ name: 'create', description: 'create an API key; the key is printed once and never again' })
export class KeysCreateCommand extends JsonCapableCommand {
  constructor(
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  @Option({ flags: '--role <role>', description: `the key's role: ${VALID_ROLE_FORMS}`, required: true })
  parseRole(value: string): string {
    return value;
  }

  @Option({
    flags: '--name <name>',
    description: 'who or what uses the key, e.g. "vnpost-backend"',
    required: true,
  })
  parseName(value: string): string {
    return value;
  }

  async run(_args: string[], options: KeysCreateOptions = {}): Promise<void> {
    const created = await this.database
      .run(() => this.keys.create({ role: options.role!, name: options.name! }))
      .catch((error: unknown) => {
        if (error instanceof InvalidApiRoleError || /API key name/.test((error as Error).message)) {
          throw new CliError((error as Error).message);
        }
        throw error;
      });
    out.warn('Store this key now: it is shown only this once and cannot be recovered (only revoked).');
    if (options.json) return out.json(created);
    out.text(`created API key ${created.id} (${created.role}, "${created.name}", prefix ${created.prefix})`);
    out.text(created.key);
  }
}
