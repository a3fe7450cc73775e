import { writeFile } from 'node:fs/promises';
import { Option } from 'nest-commander';
import { out } from '../output/console-output';
import { BridgeCommand, CommonOptions } from './bridge-command';
import { CliError } from './cli-error';
import { readDocumentSource } from './document-source';

/** Options of the commands that write a starting agency file from a vendor's document. */
export interface ImportOptions extends CommonOptions {
  agency?: string;
  name?: string;
  output?: string;
}

/** What an import produces: the agency file and what a person should look at. */
export interface ImportedAgencyFile {
  yaml: string;
  warnings: string[];
}

/**
 * Base of `wsdl import` and `openapi import`: reads the document (file or URL, bounded),
 * converts it, writes the YAML to stdout or `-o` and the warnings to stderr.
 */
export abstract class AgencyFileImportCommand extends BridgeCommand {
  @Option({ flags: '--agency <code>', description: 'the agency code for the file', required: true })
  parseAgency(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: "the agency's name (default: from the document)" })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '-o, --output <file>', description: 'write the YAML to this file instead of stdout' })
  parseOutput(value: string): string {
    return value;
  }

  /** What the document is called in messages, e.g. `WSDL`. */
  protected abstract readonly documentKind: string;

  /** Converts the document's text; throws with the reason when it cannot. */
  protected abstract convert(
    text: string,
    agency: { agencyCode: string; agencyName?: string },
  ): ImportedAgencyFile | Promise<ImportedAgencyFile>;

  async run([source]: string[], options: ImportOptions = {}): Promise<void> {
    const text = await readDocumentSource(source);
    let result: ImportedAgencyFile;
    try {
      result = await this.convert(text, { agencyCode: options.agency!, agencyName: options.name });
    } catch (error) {
      throw new CliError(`${source}: cannot import the ${this.documentKind}: ${(error as Error).message}`);
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
