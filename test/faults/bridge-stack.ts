import { CloudEvent } from '@bridge/domain';
import { BridgeProcess, TEST_SECRET_KEY } from '@bridge/testing';

/** The admin key every fault-scenario bridge is bootstrapped with. */
export const FAULTS_ADMIN_KEY = 'faults-admin-key-0123456789abcdef';

export type StackLayout = 'standalone' | 'split';

/**
 * The bridge processes of one fault scenario: a standalone process, or a gateway and a worker
 * (the split layout), all on the scenario's own database schema and AMQP namespace. Processes
 * can be killed and started again; everything started is stopped by `stop()`.
 */
export class BridgeStack {
  private readonly roles = new Map<'gateway' | 'worker' | 'standalone', BridgeProcess>();
  private readonly all: BridgeProcess[] = [];

  private constructor(
    readonly layout: StackLayout,
    readonly env: Record<string, string>,
  ) {}

  /** Starts the processes of `layout` with `env` (DATABASE_URL, BRIDGE_NAMESPACE, ...). */
  static async start(layout: StackLayout, env: Record<string, string>): Promise<BridgeStack> {
    const stack = new BridgeStack(layout, {
      BRIDGE_SECRET_KEY: TEST_SECRET_KEY,
      BRIDGE_BOOTSTRAP_ADMIN_KEY: FAULTS_ADMIN_KEY,
      ...env,
    });
    const roles = layout === 'split' ? (['gateway', 'worker'] as const) : (['standalone'] as const);
    try {
      for (const role of roles) await stack.startRole(role);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** The process serving HTTP (the gateway, or the standalone process). */
  get http(): BridgeProcess {
    return this.process(this.layout === 'split' ? 'gateway' : 'standalone');
  }

  /** The process running the delivery workers (the worker, or the standalone process). */
  get worker(): BridgeProcess {
    return this.process(this.layout === 'split' ? 'worker' : 'standalone');
  }

  process(role: 'gateway' | 'worker' | 'standalone'): BridgeProcess {
    const found = this.roles.get(role);
    if (!found) throw new Error(`this ${this.layout} stack runs no ${role}`);
    return found;
  }

  /** Starts (or starts again) the process of `role` and waits until it is ready. */
  async startRole(role: 'gateway' | 'worker' | 'standalone'): Promise<BridgeProcess> {
    const started = await BridgeProcess.start({ role, env: this.env, waitReady: false });
    this.roles.set(role, started);
    this.all.push(started);
    // Generous: on a loaded two-core machine a start can take far longer than the usual 3 s.
    await started.waitReady(90_000);
    return started;
  }

  /** SIGKILL of the process of `role`, wherever it is. */
  async kill(role: 'gateway' | 'worker' | 'standalone'): Promise<void> {
    await this.process(role).kill();
  }

  /** POSTs postal events (one batch) to the HTTP process as the postal backend does. */
  async post(events: CloudEvent[], signal?: AbortSignal): Promise<Response> {
    return fetch(`${this.http.url}/api/v1/postal/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAULTS_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
      signal,
    });
  }

  /** The last output of every process started, for a failure message. */
  logs(): string {
    return this.all.map((p, i) => `--- process ${i} (pid ${p.child.pid}) ---\n${p.log()}`).join('\n');
  }

  /** Stops (SIGTERM, drain) every process still running. */
  async stop(): Promise<void> {
    await Promise.all(this.all.map((p) => p.stop().catch(() => undefined)));
  }
}
