import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AdapterSpec, CallContext, ExchangedMessage } from '@bridge/adapter-sdk';
import { Dossier } from '@bridge/domain';

/** Where the SOAP adapter's recorded payloads and example agency files live. */
export const SOAP_FIXTURES = join(__dirname, '..', 'fixtures');

/** Reads a fixture file as text. */
export function soapFixture(relativePath: string): string {
  return readFileSync(join(SOAP_FIXTURES, relativePath), 'utf8');
}

/**
 * The `adapter:` section of an agency file under fixtures/, as the bridge would load it,
 * optionally pointed at another endpoint (a simulator's).
 */
export function specFromAgencyFile(relativePath: string, endpoint?: string): AdapterSpec {
  const file = parse(soapFixture(relativePath)) as { adapter: AdapterSpec };
  return { ...file.adapter, endpoint: endpoint ?? file.adapter.endpoint };
}

/** A birth registration (khai sinh) dossier, as a postal worker collects it. */
export function sampleSoapDossier(
  id: string = randomUUID(),
  collectedAt = new Date().toISOString(),
): Dossier {
  return {
    id,
    inboundItemId: 'EC136431858VN',
    agencyCode: '000.00.53.H48',
    procedureCode: '1.001612',
    serviceOption: 'both',
    applicant: {
      kind: 'person',
      fullName: 'Nguyễn Thị Hoà',
      citizenId: '048185000123',
      phone: '0905123456',
      email: 'hoa.nguyen@example.vn',
      address: { line: '12 Trần Phú', commune: 'Phường Hải Châu', province: 'Thành phố Đà Nẵng' },
    },
    returnAddress: { line: '12 Trần Phú', commune: 'Phường Hải Châu', province: 'Thành phố Đà Nẵng' },
    documents: [
      { name: 'Tờ khai đăng ký khai sinh', form: 'original', count: 1 },
      { name: 'Giấy chứng sinh', form: 'original', count: 1 },
      { name: 'Căn cước công dân của cha mẹ', form: 'copy', count: 2 },
    ],
    fees: [{ name: 'Lệ phí đăng ký khai sinh', amount: 8000, currency: 'VND' }],
    status: 'collected',
    sequence: 1,
    timestamps: { collected: collectedAt },
  };
}

/** A call context whose message log the test can read. */
export function recordingContext(): CallContext & { messages: ExchangedMessage[] } {
  const messages: ExchangedMessage[] = [];
  return { correlationId: `test-${randomUUID()}`, record: (m) => messages.push(m), messages };
}
