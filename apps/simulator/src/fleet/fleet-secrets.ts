/**
 * The credentials the demo's simulated agencies accept, under the environment names the
 * agency files reference as `${env:NAME}`. Local demo values only: a real installation sets
 * its own variables, and the files never hold a credential.
 */
export const DEMO_SECRETS = {
  BRIDGE_AGENCY_DEMO_VENDOR_A_PASSWORD: 'mat-khau-lien-thong-a',
  BRIDGE_AGENCY_DEMO_VENDOR_B_PASSWORD: 'mat-khau-lien-thong-b',
  BRIDGE_AGENCY_DEMO_IGATE_SIGNING_KEY: 'khoa-ky-igate-demo-0123456789',
} as const;

/** The environment with every demo secret set (values already set win). */
export function withDemoSecrets(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(DEMO_SECRETS)) if (!out[name]) out[name] = value;
  return out;
}
