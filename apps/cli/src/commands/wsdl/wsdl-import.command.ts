import { SubCommand } from 'nest-commander';
import { importWsdl } from '@bridge/adapter-soap';
import { AgencyFileImportCommand } from '../../infrastructure/import-command';

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
export class WsdlImportCommand extends AgencyFileImportCommand {
  protected readonly documentKind = 'WSDL';

  protected convert(text: string, agency: { agencyCode: string; agencyName?: string }) {
    return importWsdl(text, agency);
  }
}
