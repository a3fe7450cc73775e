import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { SECRET_CIPHER, SecretCipher } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';
import { reencryptDeep } from './secret-rotation';

interface RotateOptions extends CommonOptions {
  newKeyEnv?: string;
}

/**
 * `bridge secrets rotate --new-key-env <VAR>`: re-encrypts every stored adapter credential from
 * BRIDGE_SECRET_KEY to the key in VAR, all in one transaction (all or nothing).
 */
@SubCommand({
  name: 'rotate',
  description:
    're-encrypt every stored adapter credential with a new key, then switch BRIDGE_SECRET_KEY to it',
})
export class SecretsRotateCommand extends JsonCapableCommand {
  constructor(
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
    @Inject(SECRET_CIPHER) private readonly current: SecretCipher,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  @Option({
    flags: '--new-key-env <VAR>',
    description:
      'name of the environment variable holding the new key (the key itself stays off the command line)',
    required: true,
  })
  parseNewKeyEnv(value: string): string {
    return value;
  }

  async run(_args: string[], options: RotateOptions = {}): Promise<void> {
    const name = options.newKeyEnv!;
    const newKey = process.env[name];
    if (!newKey) throw new CliError(`${name} is not set: put the new key in it and run again`);
    if (newKey.length < 16) throw new CliError(`${name} must hold a key of at least 16 characters`);
    if (newKey === this.config.secretKey)
      throw new CliError(`${name} holds the current BRIDGE_SECRET_KEY; nothing to rotate`);
    const next = new SecretCipher(newKey);
    const result = await this.database.run((dataSource) =>
      dataSource.transaction(async (manager) => {
        // Blocks `agencies apply` from storing a version under the old key meanwhile.
        await manager.query('LOCK TABLE adapter_specs IN EXCLUSIVE MODE');
        const rows = await manager.query<
          Array<{ id: string; agency_code: string; version: number; spec: unknown }>
        >('SELECT id, agency_code, version, spec FROM adapter_specs ORDER BY id');
        let values = 0;
        let specs = 0;
        for (const row of rows) {
          let rotated: { value: unknown; count: number };
          try {
            rotated = reencryptDeep(row.spec, this.current, next);
          } catch (error) {
            throw new CliError(
              `adapter spec of ${row.agency_code} version ${row.version}: ${(error as Error).message}; nothing was changed`,
            );
          }
          if (rotated.count === 0) continue;
          await manager.query('UPDATE adapter_specs SET spec = $2 WHERE id = $1', [
            row.id,
            JSON.stringify(rotated.value),
          ]);
          values += rotated.count;
          specs += 1;
        }
        return { values, specs };
      }),
    );
    if (options.json) return out.json({ reencrypted: result.values, specVersions: result.specs });
    out.text(`re-encrypted ${result.values} secret value(s) in ${result.specs} adapter spec version(s)`);
    out.warn(
      `now set BRIDGE_SECRET_KEY to the value of ${name} for every bridge process and restart them; ` +
        'until then they cannot decrypt the stored credentials',
    );
  }
}
