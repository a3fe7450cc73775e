import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AdapterSpec, CallContext, ExchangedMessage } from '@bridge/adapter-sdk';
import { Dossier } from '@bridge/domain';

/**
 * Shared by this kind's spec files (not exported from the index): the example agency file
 * pointed at a test server, a plausible dossier, and a call context that keeps the log.
 */
export function exampleRestSpec(endpoint: string, overrides: Partial<AdapterSpec> = {}): AdapterSpec {
  const file = readFileSync(join(__dirname, '..', 'fixtures', 'agency.example.yaml'), 'utf8');
  const spec = (parse(file) as { adapter: AdapterSpec }).adapter;
  return {
    ...spec,
    endpoint,
    auth: {
      type: 'session-login',
      loginUrl: '/api/dangnhap',
      username: 'buudien.haichau',
      password: 'Mk@2025!haichau',
      tokenPath: 'token',
    },
    callbackAuth: { type: 'hmac-sha256', secret: 'khoa-ky-callback', header: 'X-Chu-Ky' },
    timeoutMs: 2000,
    ...overrides,
  };
}

/** Credentials the simulator is started with in session-login mode, matching {@link exampleRestSpec}. */
export const SESSION_CREDENTIALS = {
  mode: 'session' as const,
  username: 'buudien.haichau',
  password: 'Mk@2025!haichau',
};

/** A birth-registration dossier for a person in Hải Châu, new bridge id each call. */
export function sampleDossier(): Dossier {
  const id = randomUUID();
  return {
    id,
    inboundItemId: 'EC136431858VN',
    agencyCode: '000.00.53.H48',
    procedureCode: '1.001612',
    serviceOption: 'both',
    applicant: {
      kind: 'person',
      fullName: 'Trần Văn Bình',
      citizenId: '048095004321',
      phone: '0935111222',
      address: { line: '27 Bạch Đằng', commune: 'Phường Hải Châu', province: 'Thành phố Đà Nẵng' },
    },
    returnAddress: { line: '27 Bạch Đằng', commune: 'Phường Hải Châu', province: 'Thành phố Đà Nẵng' },
    documents: [{ name: 'Tờ khai đăng ký khai sinh', form: 'original', count: 1 }],
    fees: [],
    status: 'collected',
    sequence: 1,
    timestamps: { collected: new Date().toISOString() },
  };
}

/** A call context whose message log is an array the test can read. */
export function recordingContext(): CallContext & { messages: ExchangedMessage[] } {
  const messages: ExchangedMessage[] = [];
  return { correlationId: `test-${randomUUID()}`, record: (m) => messages.push(m), messages };
}
