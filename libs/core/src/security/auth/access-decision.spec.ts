import { decideAccess } from './access-decision';
import type { RequiredRole } from './roles.decorator';

const HN = '000.00.00.H26';
const HCM = '000.00.00.H79';

describe('decideAccess', () => {
  const table: Array<
    [role: string, required: RequiredRole[], routeCode: string | undefined, allowed: boolean]
  > = [
    // admin may do everything, even admin-only routes and other agencies' callbacks
    ['admin', [], undefined, true],
    ['admin', ['operator'], undefined, true],
    ['admin', ['agency'], HCM, true],
    // routes without roles are admin-only
    ['operator', [], undefined, false],
    ['postal', [], undefined, false],
    [`agency:${HN}`, [], HN, false],
    // listed fixed roles
    ['operator', ['operator'], undefined, true],
    ['operator', ['operator', 'postal'], undefined, true],
    ['postal', ['postal'], undefined, true],
    ['postal', ['operator'], undefined, false],
    ['operator', ['postal'], undefined, false],
    ['operator', ['admin'], undefined, false],
    // agency keys: only for their own agency's :code
    [`agency:${HN}`, ['agency'], HN, true],
    [`agency:${HN}`, ['agency'], HN.toLowerCase(), true],
    [`agency:${HN}`, ['agency'], HCM, false],
    [`agency:${HN}`, ['agency'], undefined, false],
    [`agency:${HN}`, ['operator', 'postal'], HN, false],
    // "agency" on a route never lets the fixed roles in
    ['operator', ['agency'], HN, false],
    ['postal', ['agency'], HN, false],
    // a role string that is not a known role gets nothing
    ['agency', ['agency'], HN, false],
    ['guest', ['operator', 'postal', 'agency'], HN, false],
  ];

  it.each(table)(
    'role %s, route roles %j, route code %s → allowed %s',
    (role, required, routeCode, allowed) => {
      expect(decideAccess(role, required, routeCode).allowed).toBe(allowed);
    },
  );

  it('names the role and what it may not do', () => {
    expect(decideAccess('postal', ['operator'])).toEqual({
      allowed: false,
      reason: 'role postal may not call this route (allowed: admin, operator)',
    });
    expect(decideAccess(`agency:${HN}`, ['agency'], HCM)).toEqual({
      allowed: false,
      reason: `role agency:${HN} may not act for agency ${HCM} (allowed: admin, agency:<code>)`,
    });
  });
});
