import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdapterSpec,
  compileMapping,
  MemoryAdapterStore,
  openFallbackTally,
  resetMappingFallbacks,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { projectRoot, SoapAgencySimulator } from '@bridge/simulator';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { parseAgencyYaml } from '../agencies/agency-file-loader';
import { BridgeMetrics } from './bridge-metrics';

const CODE = '000.00.53.H48';

/** The SOAP example agency pointed at the simulator, its receipt mapping using `$uppercase`. */
function spec(endpoint: string): AdapterSpec {
  const text = readFileSync(
    join(projectRoot(), 'adapters', 'soap', 'fixtures', 'agency.example.yaml'),
    'utf8',
  )
    .replace(/^(\s+endpoint:\s*).*$/m, `$1"${endpoint}"`)
    .replace(
      '"statusCode": TrangThaiHoSo\n      }',
      '"statusCode": TrangThaiHoSo,\n        "loud": $uppercase(MaHoSo)\n      }',
    );
  const spec = (parseAgencyYaml('agency.yaml', text).data as { adapter: AdapterSpec }).adapter;
  if (!spec.mappings.submitResponse?.includes('$uppercase')) throw new Error('the example file changed');
  return spec;
}

describe('the fallback counter /metrics serves, over a live SOAP adapter and vendor A', () => {
  let agency: SoapAgencySimulator;

  beforeAll(async () => {
    agency = await SoapAgencySimulator.start({
      credentials: { username: 'buudien.haichau', password: 'Doi-Mat-Khau-Nay' },
    });
  });
  afterAll(async () => {
    await agency.close();
  });

  it("counts a live adapter's fallbacks under its agency code, and none of a tool's own tally", async () => {
    resetMappingFallbacks();
    const adapter = ADAPTER_FACTORIES.soap.create({ code: CODE, name: 'Hải Châu' }, spec(agency.url), {
      logger: silentAdapterLogger,
      store: new MemoryAdapterStore(),
    });
    const ctx = { correlationId: 'metrics-fallbacks', record: () => undefined };
    const dossier = JSON.parse(
      readFileSync(
        join(projectRoot(), 'adapters', 'soap', 'fixtures', 'requests', 'nop-ho-so.submission.json'),
        'utf8',
      ),
    ) as Parameters<typeof adapter.submit>[0];
    await adapter.submit(dossier, ctx);
    await adapter.submit(dossier, ctx);
    await adapter.close();
    // A tool's evaluations (the workbench replaying a candidate file) are counted apart.
    const tally = openFallbackTally();
    const replayed = compileMapping('submitResponse', '$uppercase(x)', {
      dates: { format: 'iso', zone: 'Asia/Ho_Chi_Minh' },
      statusCodes: {},
      agency: tally.key,
    });
    await replayed({ x: 'a' });
    expect(tally.count('submitResponse')).toBe(1);
    tally.close();

    const text = await new BridgeMetrics().render();
    expect(text).toContain(`bridge_mapping_fallback_total{agency="${CODE}",mapping="submitResponse"} 2`);
    // Everything else of the file is within the fast evaluator's subset.
    expect(text.match(/^bridge_mapping_fallback_total\{.*$/gm)).toEqual([
      `bridge_mapping_fallback_total{agency="${CODE}",mapping="submitResponse"} 2`,
    ]);
  });
});
