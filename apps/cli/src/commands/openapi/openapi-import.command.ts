import { writeFile } from 'node:fs/promises';
import { Command, Option, SubCommand } from 'nest-commander';
import { importOpenApi, OpenApiImportResult } from '@bridge/adapter-rest';
import { BridgeCommand, CommonOptions } from '../../infrastructure/bridge-command';
import { CliError } from '../../infrastructure/cli-error';
import { readDocumentSource } from '../../infrastructure/document-source';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { out } from '../../output/console-output';

interface OpenApiImportOptions extends CommonOptions {
  agency?: string;
  name?: string;
  output?: string;
}

/**
 * `bridge openapi import <file|url> --agency <code>`: writes a starting REST agency file from a
 * vendor's OpenAPI 3 or Swagger 2 document. The YAML goes to stdout (or `-o`); what a person
 * must check goes to stderr.
 */
@SubCommand({
  name: 'import',
  arguments: '<source>',
  argsDescription: { source: 'an OpenAPI 3 or Swagger 2 document (YAML or JSON), or an http(s) URL' },
  description: 'write a starting REST agency file (YAML) from a vendor OpenAPI document',
})
export class OpenApiImportCommand extends BridgeCommand {
  @Option({ flags: '--agency <code>', description: 'the agency code for the file', required: true })
  parseAgency(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: "the agency's name (default: the document title)" })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '-o, --output <file>', description: 'write the YAML to this file instead of stdout' })
  parseOutput(value: string): string {
    return value;
  }

  async run([source]: string[], options: OpenApiImportOptions = {}): Promise<void> {
    const text = await readDocumentSource(source);
    let result: OpenApiImportResult;
    try {
      result = await importOpenApi(text, { agencyCode: options.agency!, agencyName: options.name });
    } catch (error) {
      throw new CliError(`${source}: cannot import the OpenAPI document: ${(error as Error).message}`);
    }
    for (const warning of result.warnings) out.warn(`warning: ${warning}`);
    if (options.output) {
      await writeFile(options.output, result.yaml, 'utf8');
      out.warn(
        `wrote ${options.output}; replace every TODO, then run \`bridge agencies apply -f ${options.output}\``,
      );
    } else {
      process.stdout.write(result.yaml);
    }
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
