import { compileMapping, resetMappingFallbacks } from '@bridge/adapter-sdk';
import { BridgeMetrics } from './bridge-metrics';
import { metricsAccessFromEnv } from './metrics-access.guard';

describe('BridgeMetrics', () => {
  it('counts delivery attempts by outcome and times the attempts that ran', async () => {
    const metrics = new BridgeMetrics();
    metrics.deliveryFinished('000.00.53.H48', 'submit-dossier', 'success', 0.2);
    metrics.deliveryFinished('000.00.53.H48', 'submit-dossier', 'retry', 3);
    metrics.deliveryFinished('000.00.53.H48', 'submit-dossier', 'dead_letter', 0);
    const text = await metrics.render();
    for (const outcome of ['success', 'retry', 'dead_letter'])
      expect(text).toContain(
        `bridge_agency_deliveries_total{agency="000.00.53.H48",operation="submit-dossier",outcome="${outcome}"} 1`,
      );
    // The dead letter is not an attempt: two durations observed, 0.2 s within the 0.25 s bucket.
    expect(text).toContain(
      'bridge_agency_delivery_duration_seconds_count{agency="000.00.53.H48",operation="submit-dossier"} 2',
    );
    expect(text).toContain(
      'bridge_agency_delivery_duration_seconds_bucket{le="0.25",agency="000.00.53.H48",operation="submit-dossier"} 1',
    );
  });

  it('exports the mapping evaluations JSONata made, per agency and mapping', async () => {
    resetMappingFallbacks();
    const context = {
      dates: { format: 'iso', zone: 'Asia/Ho_Chi_Minh' },
      statusCodes: {},
      agency: '000.00.53.H48',
      // What is counted here, not how fast: a cold JSONata evaluation on a loaded machine may
      // take longer than the default budget of 200 ms.
      limits: { mappingTimeMs: 10_000 },
    };
    const outside = compileMapping('submitRequest', '{ "name": $uppercase(name) }', context);
    const inside = compileMapping('submitResponse', '{ "code": data.code }', context);
    await outside({ name: 'a' });
    await outside({ name: 'b' });
    await inside({ data: { code: 'x' } });
    const metrics = new BridgeMetrics();
    const text = await metrics.render();
    expect(text).toContain('bridge_mapping_fallback_total{agency="000.00.53.H48",mapping="submitRequest"} 2');
    expect(text).not.toContain('mapping="submitResponse"');
    await outside({ name: 'c' });
    expect(await metrics.render()).toContain(
      'bridge_mapping_fallback_total{agency="000.00.53.H48",mapping="submitRequest"} 3',
    );
  });

  it('keeps the inbound labels bounded whatever a sender puts in type', async () => {
    const metrics = new BridgeMetrics();
    metrics.inboundEvent('postal.result.delivered', 'accepted');
    metrics.inboundEvent('postal.anything.else', 'refused');
    metrics.inboundEvent(undefined, 'Invalid Outcome!');
    const text = await metrics.render();
    expect(text).toContain(
      'bridge_inbound_events_total{type="postal.result.delivered",outcome="accepted"} 1',
    );
    expect(text).toContain('bridge_inbound_events_total{type="unknown",outcome="refused"} 1');
    expect(text).toContain('bridge_inbound_events_total{type="unknown",outcome="other"} 1');
  });

  it('has a registry of its own per instance, with the process metrics', async () => {
    const one = new BridgeMetrics();
    const two = new BridgeMetrics();
    one.inboundEvent('postal.dossier.collected', 'accepted');
    expect(await two.render()).not.toContain('type="postal.dossier.collected"');
    expect(await two.render()).toContain('process_cpu_user_seconds_total');
  });
});

describe('metricsAccessFromEnv', () => {
  it('keeps /metrics behind a key unless BRIDGE_METRICS_PUBLIC is true', () => {
    expect(metricsAccessFromEnv({})).toEqual({ public: false });
    expect(metricsAccessFromEnv({ BRIDGE_METRICS_PUBLIC: 'false' })).toEqual({ public: false });
    expect(metricsAccessFromEnv({ BRIDGE_METRICS_PUBLIC: 'TRUE' })).toEqual({ public: true });
  });

  it('names the variable when its value is neither true nor false', () => {
    expect(() => metricsAccessFromEnv({ BRIDGE_METRICS_PUBLIC: 'yes' })).toThrow(
      'BRIDGE_METRICS_PUBLIC must be "true" or "false", got "yes"',
    );
  });
});
