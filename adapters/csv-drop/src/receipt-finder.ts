import { AdapterStore, AgencyReceipt, AgencyStatusChange } from '@bridge/adapter-sdk';
import { CompleteFile } from './outbox-scanner';

/** Where a receipt was found: the shared store, or a file still in the outbox. */
export interface FoundReceipt {
  receipt: AgencyReceipt;
  source: string;
}

type ReceiptsByBridgeId = Map<string, AgencyReceipt>;

/**
 * Adds the receipts some rows of a file hold: the first row per bridge id that carries the
 * agency's dossier code.
 */
export function addReceipts(receipts: ReceiptsByBridgeId, changes: AgencyStatusChange[]): ReceiptsByBridgeId {
  for (const change of changes) {
    if (!change.bridgeId || !change.agencyDossierCode) continue;
    const known = receipts.get(change.bridgeId);
    if (known) {
      known.appointmentDate ??= change.appointmentDate;
      continue;
    }
    receipts.set(change.bridgeId, {
      agencyDossierCode: change.agencyDossierCode,
      receivedAt: change.at,
      status: change.status,
      ...(change.appointmentDate ? { appointmentDate: change.appointmentDate } : {}),
    });
  }
  return receipts;
}

/**
 * Finds the agency's receipt for a bridge id. A file-drop agency answers asynchronously: its
 * receipt row appears in some outbox file a while after the submission was dropped, and poll
 * later archives that file. So the finder looks in the shared store first (receipts recorded
 * when files were committed) and then in the outbox files themselves, parsing each file once
 * per process (cached by name, size and time) page by page, keeping only its receipts.
 */
export class ReceiptFinder {
  private readonly cache = new Map<string, { stamp: string; receipts: ReceiptsByBridgeId }>();

  constructor(
    private readonly store: AdapterStore,
    private readonly keyPrefix: string,
    private readonly listFiles: () => Promise<CompleteFile[]>,
    /** The changes of a file page by page; none when the file is unusable. */
    private readonly readPages: (file: CompleteFile) => AsyncIterable<AgencyStatusChange[]>,
  ) {}

  private storeKey(bridgeId: string): string {
    return `${this.keyPrefix}:receipt:${bridgeId}`;
  }

  /** Looks the bridge id up in the store, then in the outbox. */
  async find(bridgeId: string): Promise<FoundReceipt | null> {
    const stored = await this.store.get(this.storeKey(bridgeId));
    if (stored) return { receipt: JSON.parse(stored) as AgencyReceipt, source: 'store' };
    const files = await this.listFiles();
    const present = new Set(files.map((f) => f.name));
    for (const name of this.cache.keys()) if (!present.has(name)) this.cache.delete(name);
    for (const file of files) {
      const receipt = (await this.receiptsIn(file)).get(bridgeId);
      if (receipt) {
        await this.store.set(this.storeKey(bridgeId), JSON.stringify(receipt), { onlyIfAbsent: true });
        return { receipt, source: file.name };
      }
    }
    return null;
  }

  /** Records the receipts of committed files, which are about to leave the outbox. */
  async record(changes: AgencyStatusChange[]): Promise<void> {
    const entries = [...addReceipts(new Map(), changes)];
    for (let i = 0; i < entries.length; i += 256) {
      await Promise.all(
        entries
          .slice(i, i + 256)
          .map(([bridgeId, receipt]) =>
            this.store.set(this.storeKey(bridgeId), JSON.stringify(receipt), { onlyIfAbsent: true }),
          ),
      );
    }
  }

  private async receiptsIn(file: CompleteFile): Promise<ReceiptsByBridgeId> {
    const stamp = `${file.size}:${file.mtimeMs}`;
    const cached = this.cache.get(file.name);
    if (cached?.stamp === stamp) return cached.receipts;
    const receipts: ReceiptsByBridgeId = new Map();
    try {
      for await (const changes of this.readPages(file)) addReceipts(receipts, changes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map(); // archived meanwhile
      throw error;
    }
    this.cache.set(file.name, { stamp, receipts });
    return receipts;
  }
}
