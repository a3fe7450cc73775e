import { Command, SubCommand } from 'nest-commander';
import { importOpenApi } from '@bridge/adapter-rest';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { AgencyFileImportCommand } from '../../infrastructure/import-command';

/**
 * `bridge openapi import <file|url> --agency <code>`: writes a starting REST agency file from a
 * vendor's OpenAPI 3 or Swagger 2 document; every value a person must give is marked TODO.
 */
@SubCommand({
  name: 'import',
  arguments: '<source>',
  argsDescription: { source: 'an OpenAPI 3 or Swagger 2 document (YAML or JSON), or an http(s) URL' },
  description: 'write a starting REST agency file (YAML) from a vendor OpenAPI document',
})
export class OpenApiImportCommand extends AgencyFileImportCommand {
  protected readonly documentKind = 'OpenAPI document';

  protected convert(text: string, agency: { agencyCode: string; agencyName?: string }) {
    return importOpenApi(text, agency);
  }
}

/** `bridge openapi <verb>`: tools for REST agencies. */
@Command({ name: 'openapi', description: 'tools for REST agencies', subCommands: [OpenApiImportCommand] })
export class OpenApiCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

export const OPENAPI_COMMANDS = [OpenApiCommand, OpenApiImportCommand];
