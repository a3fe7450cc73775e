import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { parse } from 'yaml';
import { AdapterSpec, DossierSubmission } from '@bridge/adapter-sdk';
import {
  DEFAULT_XML_LIMITS,
  decodeUtf8Strict,
  parseSafeXml,
  readEnvelope,
  redactEnvelope,
  SOAP_ENVELOPE_NS,
  SoapAdapterOptions,
  SoapDialect,
  SoapEnvelopeBuilder,
} from '@bridge/adapter-soap';
import { projectRoot } from './bench-fixtures';
import { quantile, round } from './latency-stats';

/** Cost of one SOAP submit call without the network, in microseconds. */
export interface SoapCostResult {
  calls: number;
  /** The adapter's path: request mapping, envelope, safe parse, envelope reading, receipt mapping. */
  adapterUs: number;
  /** fast-xml-parser alone: build of the same envelope, parse of the same answer. */
  bareUs: number;
  ratio: number;
}

function fixture(relative: string): string {
  return readFileSync(join(projectRoot(), 'adapters', 'soap', 'fixtures', relative), 'utf8');
}

/** Calls per timed round; the two sides take turns round by round. */
const ROUND = 500;

/**
 * Microseconds per call of each side, timed in alternating rounds after a warm-up of both, and
 * the median round of each taken: a machine busy with other work slows whichever side runs at
 * that moment, so one long run per side would compare noise as much as code.
 */
async function timeAlternating(
  calls: number,
  sides: [() => unknown, () => unknown],
): Promise<[number, number]> {
  for (const once of sides) for (let i = 0; i < Math.min(1000, calls); i++) await once(); // JIT, caches
  const rounds = Math.max(1, Math.round(calls / ROUND));
  const perRound = Math.max(1, Math.round(calls / rounds));
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < rounds; r++) {
    for (const [side, once] of sides.entries()) {
      const started = performance.now();
      for (let i = 0; i < perRound; i++) await once();
      times[side].push(((performance.now() - started) * 1000) / perRound);
    }
  }
  const median = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  return [median(times[0]), median(times[1])];
}

/**
 * Vendor A's NopHoSo (submit) through the example agency file's mappings — what the SOAP
 * adapter does per call besides the HTTP exchange (WS-Security left out on both sides) —
 * against a bare fast-xml-parser build of the same envelope and parse of the same answer.
 */
export async function measureSoapMappingCost(calls: number): Promise<SoapCostResult> {
  const file = parse(fixture('agency.example.yaml')) as { code: string; adapter: AdapterSpec };
  const options = file.adapter.options as unknown as SoapAdapterOptions;
  const dialect = new SoapDialect(file.code, file.adapter);
  const envelopes = new SoapEnvelopeBuilder({ version: options.soapVersion, namespace: options.namespace });
  const submission = JSON.parse(fixture('requests/nop-ho-so.submission.json')) as DossierSubmission;
  const answer = Buffer.from(fixture('responses/nop-ho-so.xml'), 'utf8');
  const operation = options.operations.submit?.name ?? 'NopHoSo';

  const adapterSide = async () => {
    const request = await dialect.submitRequest(submission);
    redactEnvelope(envelopes.build(operation, request));
    const text = decodeUtf8Strict(answer);
    redactEnvelope(text);
    return dialect.readReceipt(readEnvelope(parseSafeXml(text, DEFAULT_XML_LIMITS)).body);
  };

  const content = (await dialect.submitRequest(submission)) as Record<string, unknown>;
  const envelope = {
    'soap:Envelope': {
      '@_xmlns:soap': SOAP_ENVELOPE_NS[options.soapVersion],
      '@_xmlns:tns': options.namespace,
      'soap:Body': { [`tns:${operation}`]: { '@_xmlns': options.namespace, ...content } },
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
  });
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true });
  const answerText = answer.toString('utf8');
  const bareSide = () => {
    builder.build(envelope);
    return parser.parse(answerText) as unknown;
  };
  const [adapterUs, bareUs] = await timeAlternating(calls, [adapterSide, bareSide]);
  return {
    calls,
    adapterUs: round(adapterUs, 1),
    bareUs: round(bareUs, 1),
    ratio: round(adapterUs / bareUs, 2),
  };
}
