import { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';
import { bridgeSideAsTemporary } from './agency-delivery.processor';

describe('bridgeSideAsTemporary', () => {
  it('keeps what an adapter decided', () => {
    const permanent = IntegrationError.permanent('the agency refused the dossier');
    expect(bridgeSideAsTemporary(permanent)).toBe(permanent);
  });

  it('retries failures of the bridge itself, such as the database pool timing out', () => {
    const result = bridgeSideAsTemporary(
      new Error('timeout exceeded when trying to connect'),
    ) as IntegrationError;
    expect(result).toBeInstanceOf(IntegrationError);
    expect(result.code).toBe(IntegrationErrorCode.TEMPORARY);
    expect(result.message).toMatch(/timeout exceeded when trying to connect/);
  });
});
