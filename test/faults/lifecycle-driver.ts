import { DataSource } from 'typeorm';
import { DossierStatus } from '@bridge/domain';
import { nextS10, postalEvent } from '@bridge/testing';
import { BridgeStack } from './bridge-stack';
import { dossierRows, sleep } from './fault-flow';

/** The agency officers' side: moves a dossier on at the agency. */
export type DriveAtAgency = (agencyDossierCode: string, status: DossierStatus) => Promise<void>;

/**
 * Plays the agency's officers and the postal backend for a set of dossiers, so they go the
 * whole way while faults happen: once a dossier is `received`, the agency processes it and has
 * the result ready; once the bridge says `result_ready`, the post collects the result and
 * delivers it (over the gateway's HTTP ingress). Each step is taken once per dossier; a step
 * whose request failed (the gateway was away) is taken again on the next round.
 */
export class LifecycleDriver {
  private readonly done = new Map<string, Set<string>>();
  private running = false;
  private loop?: Promise<void>;
  /** Requests that failed and were repeated (the gateway away, say). */
  retried = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly stack: BridgeStack,
    private readonly drive: DriveAtAgency,
    private readonly itemIds: () => string[],
  ) {}

  start(intervalMs = 400): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.round().catch(() => this.retried++);
        await sleep(intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async round(): Promise<void> {
    const rows = await dossierRows(this.ds, this.itemIds());
    const collect: string[] = [];
    const deliver: string[] = [];
    for (const row of rows) {
      const item = row.inboundItemId!;
      if (row.status === 'received' && this.once(item, 'processed')) {
        await this.drive(row.agencyDossierCode!, 'processing');
        await this.drive(row.agencyDossierCode!, 'result_ready');
        this.mark(item, 'processed');
      }
      if (row.status === 'result_ready' && this.once(item, 'collected')) collect.push(item);
      if (row.status === 'result_collected' && this.once(item, 'delivered')) deliver.push(item);
    }
    await this.postOnce(
      collect.map((item) => postalEvent('postal.result.collected', item, { resultItemId: nextS10('RR') })),
      collect,
      'collected',
    );
    await this.postOnce(
      deliver.map((item) => postalEvent('postal.result.delivered', item)),
      deliver,
      'delivered',
    );
  }

  private async postOnce(
    events: ReturnType<typeof postalEvent>[],
    items: string[],
    step: string,
  ): Promise<void> {
    if (events.length === 0) return;
    const response = await this.stack.post(events);
    if (response.status !== 202) throw new Error(`postal ${step} answered ${response.status}`);
    for (const item of items) this.mark(item, step);
  }

  private once(item: string, step: string): boolean {
    return !this.done.get(item)?.has(step);
  }

  private mark(item: string, step: string): void {
    const steps = this.done.get(item) ?? new Set<string>();
    steps.add(step);
    this.done.set(item, steps);
  }
}
