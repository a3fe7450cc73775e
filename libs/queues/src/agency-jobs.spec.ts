import fc from 'fast-check';
import { AgencyJobName, agencyQueueName, deterministicJobId, encodeNameSegment } from './agency-jobs';

describe('deterministicJobId', () => {
  it('gives the same id for the same work', () => {
    const first = deterministicJobId(AgencyJobName.SubmitDossier, 'HCM.Q1', 'dossier-42');
    expect(deterministicJobId(AgencyJobName.SubmitDossier, 'HCM.Q1', 'dossier-42')).toBe(first);
    expect(first).toBe('submit-dossier.HCM~2EQ1.dossier-42');
  });

  it('never yields a colon or an integer, the two things BullMQ refuses in custom ids (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(AgencyJobName)),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (name, agency, key) => {
          const id = deterministicJobId(name, agency, key);
          expect(id).not.toContain(':');
          expect(`${parseInt(id, 10)}`).not.toBe(id);
        },
      ),
    );
  });

  it('keeps different work apart, even when the parts contain the separator (property)', () => {
    const partsArb = fc.tuple(
      fc.constantFrom(...Object.values(AgencyJobName)),
      fc.string({ minLength: 1 }),
      fc.string({ minLength: 1 }),
    );
    fc.assert(
      fc.property(partsArb, partsArb, (a, b) => {
        fc.pre(a.join('\u0000') !== b.join('\u0000'));
        expect(deterministicJobId(...a)).not.toBe(deterministicJobId(...b));
      }),
    );
    expect(deterministicJobId(AgencyJobName.SubmitSupplement, 'a.b', 'c')).not.toBe(
      deterministicJobId(AgencyJobName.SubmitSupplement, 'a', 'b.c'),
    );
  });

  it('encodes Vietnamese text and colons into safe characters', () => {
    expect(encodeNameSegment('key', 'Sở Tư pháp:01')).toMatch(/^[A-Za-z0-9_~-]+$/);
  });

  it('refuses an empty key or an unknown job name, naming the problem', () => {
    expect(() => deterministicJobId(AgencyJobName.SubmitDossier, 'HCM', '')).toThrow(
      'job key must be a non-empty string',
    );
    expect(() => deterministicJobId('launch-rocket' as AgencyJobName, 'HCM', 'k')).toThrow(
      'unknown agency job name "launch-rocket"',
    );
  });
});

describe('agencyQueueName', () => {
  it('joins the prefix and the agency code with safe characters only', () => {
    expect(agencyQueueName('agency', '000.00.01:H29')).toBe('agency.000~2E00~2E01~3AH29');
  });
});
