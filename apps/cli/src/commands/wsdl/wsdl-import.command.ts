import { writeFile } from 'node:fs/promises';
import { Option, SubCommand } from 'nest-commander';
import { importWsdl } from '@bridge/adapter-soap';
import { BridgeCommand, CommonOptions } from '../../infrastructure/bridge-command';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';
import { readDocumentSource } from '../../infrastructure/document-source';

interface WsdlImportOptions extends CommonOptions {
  agency?: string;
  name?: string;
  output?: string;
}

/**
 * `bridge wsdl import <file|url> --agency <code>`: writes a starting agency file from a WSDL.
 * The YAML goes to stdout (or `-o`); what a person must check goes to stderr.
 */
@SubCommand({
  name: 'import',
  arguments: '<source>',
  argsDescription: { source: 'a WSDL file, or an http(s) URL to fetch it from' },
  description: 'write a starting agency file (YAML) from an agency WSDL',
})
export class WsdlImportCommand extends BridgeCommand {
  @Option({ flags: '--agency <code>', description: 'the agency code for the file', required: true })
  parseAgency(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: "the agency's name (default: the WSDL service name)" })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '-o, --output <file>', description: 'write the YAML to this file instead of stdout' })
  parseOutput(value: string): string {
    return value;
  }

  async run([source]: string[], options: WsdlImportOptions = {}): Promise<void> {
    const text = await readDocumentSource(source);
    let result: ReturnType<typeof importWsdl>;
    try {
      result = importWsdl(text, { agencyCode: options.agency!, agencyName: options.name });
    } catch (error) {
      throw new CliError(`${source}: cannot import the WSDL: ${(error as Error).message}`);
    }
    for (const warning of result.warnings) out.warn(`warning: ${warning}`);
    if (options.output) {
      await writeFile(options.output, result.yaml, 'utf8');
      out.warn(
        `wrote ${options.output}; complete it, then run \`bridge agencies apply -f ${options.output}\``,
      );
    } else {
      process.stdout.write(result.yaml);
    }
  }
}
