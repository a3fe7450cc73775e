import {
  AdapterDependencies,
  AdapterFactory,
  AdapterKind,
  AdapterSpec,
  AgencyAdapter,
  IntegrationError,
} from '@bridge/adapter-sdk';
import { ActiveAgencySpec, AgencyRegistry } from '../agencies';
import { AdapterProvider } from './adapter-provider';

interface LoadedAgency {
  version: number;
  spec: AdapterSpec;
  adapter: AgencyAdapter;
}

/** Told of each agency (re)loaded, before its previous adapter closes; the refresh waits for it. */
export type AgencyLoadListener = (agency: ActiveAgencySpec) => Promise<void>;
/** Told after a refresh changed something, with every agency now loaded. */
export type AgencyChangeListener = (
  agencies: ReadonlyMap<string, { spec: AdapterSpec; version: number }>,
) => void;

/**
 * The live adapters of this process. Every few seconds it compares the stored spec versions
 * with what it runs and rebuilds what changed — so applying an agency file takes effect in
 * running workers without a restart.
 */
export class AgencyRuntime implements AdapterProvider {
  private readonly loaded = new Map<string, LoadedAgency>();
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private stopping = false;
  private readonly loadListeners: AgencyLoadListener[] = [];
  private readonly changeListeners: AgencyChangeListener[] = [];

  constructor(
    private readonly registry: Pick<AgencyRegistry, 'currentSpecs' | 'specVersions'>,
    private readonly factories: Record<AdapterKind, AdapterFactory>,
    private readonly dependencies: AdapterDependencies,
  ) {}

  /** Subscribes to every agency (re)loaded: the delivery queues take its limits and pause so. */
  onLoad(listener: AgencyLoadListener): void {
    this.loadListeners.push(listener);
  }

  /** Subscribes to the refreshes that changed something: the pollers re-time so. */
  onChange(listener: AgencyChangeListener): void {
    this.changeListeners.push(listener);
  }

  adapterFor(agencyCode: string): AgencyAdapter {
    const entry = this.loaded.get(agencyCode);
    if (!entry)
      throw IntegrationError.permanent(
        `agency ${agencyCode} has no active adapter (not registered, retired, or without an adapter section)`,
      );
    return entry.adapter;
  }

  specOf(agencyCode: string): AdapterSpec | undefined {
    return this.loaded.get(agencyCode)?.spec;
  }

  agencies(): string[] {
    return [...this.loaded.keys()];
  }

  async start(intervalMs = 2_000): Promise<void> {
    this.stopping = false;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    // A refresh under way may fail now that the queues are closing; stopping goes on.
    await this.refreshing?.catch(() => undefined);
    await Promise.all([...this.loaded.values()].map((e) => e.adapter.close().catch(() => undefined)));
    this.loaded.clear();
  }

  /** Loads what changed since the last refresh; one refresh at a time. */
  refresh(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const versions = await this.registry.specVersions();
    const changed = [...versions].some(([code, v]) => this.loaded.get(code)?.version !== v);
    const removed = [...this.loaded.keys()].filter((code) => !versions.has(code));
    if (!changed && removed.length === 0) return;

    const specs = changed ? await this.registry.currentSpecs() : [];
    for (const active of specs) {
      if (this.loaded.get(active.code)?.version === active.version) continue;
      await this.load(active);
    }
    for (const code of removed) {
      const entry = this.loaded.get(code)!;
      this.loaded.delete(code);
      await entry.adapter.close().catch(() => undefined);
    }
    for (const listener of this.changeListeners) listener(this.loaded);
  }

  private async load(active: ActiveAgencySpec): Promise<void> {
    const factory = this.factories[active.spec.kind];
    const adapter = factory.create({ code: active.code, name: active.name }, active.spec, this.dependencies);
    const previous = this.loaded.get(active.code);
    this.loaded.set(active.code, { version: active.version, spec: active.spec, adapter });
    for (const listener of this.loadListeners) await listener(active);
    await previous?.adapter.close().catch(() => undefined);
  }
}
