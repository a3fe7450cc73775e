import { Dossier, DossierStatus } from '@bridge/domain';
import { AgencyAdapter, AgencyStatusChange, CallContext, ExchangedMessage } from '../agency-adapter';

/**
 * What the conformance suite needs to exercise an adapter. Against a simulator every hook is
 * there; against a live agency (`bridge agencies test`) only `adapter`, `sampleDossier` and
 * `dryRun: true`, so nothing real is filed.
 */
export interface ConformanceTarget {
  adapter: AgencyAdapter;
  /** A dossier this agency accepts (its procedure, a plausible applicant). */
  sampleDossier(): Dossier;
  /** Dry run: only checks that file nothing run. */
  dryRun: boolean;
  /**
   * Makes the agency change a dossier's status on its side (simulators only); the suite then
   * expects to see the change by polling or through `deliverCallback`.
   */
  driveStatus?(agencyDossierCode: string, status: DossierStatus): Promise<void>;
  /**
   * For push-style agencies: collects what the agency pushed since the last call and passes it
   * through `adapter.parseCallback`, returning the decoded changes.
   */
  collectCallbacks?(): Promise<AgencyStatusChange[]>;
  /** How many times the agency filed each idempotency key (simulators only). */
  filedCount?(idempotencyKey: string): Promise<number>;
}

export type CheckOutcome = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  name: string;
  outcome: CheckOutcome;
  detail: string;
  durationMs: number;
}

export interface ConformanceReport {
  passed: boolean;
  results: CheckResult[];
  /** Every message the adapter exchanged during the run. */
  messages: ExchangedMessage[];
}

/** Thrown by a check to say it does not apply to this target. */
export class CheckNotApplicable extends Error {}

interface CheckState {
  agencyDossierCode?: string;
  submittedKey?: string;
}

export interface ConformanceCheck {
  name: string;
  /** Files something at the agency: not run in dry-run mode. */
  files: boolean;
  run(target: ConformanceTarget, ctx: CallContext, state: CheckState): Promise<string>;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function changesFor(
  target: ConformanceTarget,
  ctx: CallContext,
  code: string,
): Promise<AgencyStatusChange[]> {
  const deadline = Date.now() + 5_000;
  const seen: AgencyStatusChange[] = [];
  let cursor: string | undefined;
  while (Date.now() < deadline) {
    if (target.collectCallbacks) seen.push(...(await target.collectCallbacks()));
    const page = await target.adapter.poll(cursor, ctx);
    cursor = page.cursor ?? cursor;
    seen.push(...page.changes);
    await page.commit?.();
    const mine = seen.filter((c) => c.agencyDossierCode === code);
    if (mine.length > 0) return mine;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}

/** The checks, in order; later checks use what earlier ones filed. */
export const CONFORMANCE_CHECKS: ConformanceCheck[] = [
  {
    name: 'health probe answers',
    files: false,
    async run(target, ctx) {
      const result = await target.adapter.probe(ctx);
      assert(result.ok, `probe failed: ${result.detail}`);
      return result.detail;
    },
  },
  {
    name: 'look-up of an unknown bridge id finds nothing',
    files: false,
    async run(target, ctx) {
      const unknown = `00000000-0000-4000-8000-${Date.now().toString().padStart(12, '0').slice(-12)}`;
      const receipt = await target.adapter.lookup(unknown, ctx);
      assert(receipt === null, `expected no dossier, got ${JSON.stringify(receipt)}`);
      return 'null as expected';
    },
  },
  {
    name: 'submit returns a receipt with the agency dossier code',
    files: true,
    async run(target, ctx, state) {
      const dossier = target.sampleDossier();
      const receipt = await target.adapter.submit({ idempotencyKey: dossier.id, dossier }, ctx);
      assert(receipt.agencyDossierCode, 'receipt has no agency dossier code');
      state.agencyDossierCode = receipt.agencyDossierCode;
      state.submittedKey = dossier.id;
      return `dossier code ${receipt.agencyDossierCode}, appointment ${receipt.appointmentDate ?? '(none)'}`;
    },
  },
  {
    name: 'submitting the same dossier again files it once',
    files: true,
    async run(target, ctx, state) {
      assert(state.submittedKey, 'nothing was submitted before');
      const dossier = { ...target.sampleDossier(), id: state.submittedKey };
      const again = await target.adapter.submit({ idempotencyKey: state.submittedKey, dossier }, ctx);
      assert(
        again.agencyDossierCode === state.agencyDossierCode,
        `second submit gave ${again.agencyDossierCode}, first gave ${state.agencyDossierCode}`,
      );
      if (target.filedCount) {
        const count = await target.filedCount(state.submittedKey);
        assert(count === 1, `the agency filed the dossier ${count} times`);
      }
      return 'same dossier code, filed once';
    },
  },
  {
    name: 'look-up by bridge id finds the filed dossier',
    files: true,
    async run(target, ctx, state) {
      assert(state.submittedKey, 'nothing was submitted before');
      const receipt = await target.adapter.lookup(state.submittedKey, ctx);
      assert(
        receipt?.agencyDossierCode === state.agencyDossierCode,
        `look-up gave ${JSON.stringify(receipt)}`,
      );
      return `found ${state.agencyDossierCode}`;
    },
  },
  {
    name: 'a status change at the agency reaches the bridge',
    files: true,
    async run(target, ctx, state) {
      if (!target.driveStatus) throw new CheckNotApplicable('the target cannot be driven');
      assert(state.agencyDossierCode, 'nothing was submitted before');
      await target.driveStatus(state.agencyDossierCode, 'processing');
      const changes = await changesFor(target, ctx, state.agencyDossierCode);
      assert(
        changes.some((c) => c.status === 'processing'),
        `no 'processing' change seen (got ${JSON.stringify(changes)})`,
      );
      return `${changes.length} change(s) seen`;
    },
  },
  {
    name: 'supplementary documents are accepted',
    files: true,
    async run(target, ctx, state) {
      assert(state.agencyDossierCode && state.submittedKey, 'nothing was submitted before');
      await target.adapter.submitSupplement(
        {
          idempotencyKey: `${state.submittedKey}:supplement:1`,
          agencyDossierCode: state.agencyDossierCode,
          documents: [{ name: 'Bản sao giấy khai sinh', form: 'copy', count: 1 }],
          collectedAt: new Date().toISOString(),
        },
        ctx,
      );
      return 'accepted';
    },
  },
  {
    name: 'the delivery notice is accepted',
    files: true,
    async run(target, ctx, state) {
      assert(state.agencyDossierCode && state.submittedKey, 'nothing was submitted before');
      await target.adapter.notifyDelivered(
        {
          idempotencyKey: `${state.submittedKey}:delivered`,
          agencyDossierCode: state.agencyDossierCode,
          resultItemId: 'EC136431858VN',
          deliveredAt: new Date().toISOString(),
        },
        ctx,
      );
      return 'accepted';
    },
  },
];
