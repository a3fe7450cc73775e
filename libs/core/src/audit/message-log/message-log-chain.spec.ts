import { GENESIS_HASH, canonicalContent, chainHash } from './message-log-chain';

const content = {
  loggedAt: new Date('2025-03-14T08:30:00.123Z'),
  channel: 'agency',
  direction: 'outbound',
  agencyCode: '000.00.00.H26',
  dossierId: null,
  operation: 'submit',
  correlationId: 'c-1',
  status: null,
  body: '{"maHoSo":"H26.1"}',
};

describe('message log chain hashing', () => {
  it('serializes the content fields in a fixed order with nulls kept', () => {
    expect(canonicalContent(content)).toBe(
      '["2025-03-14T08:30:00.123Z","agency","outbound","000.00.00.H26",null,"submit","c-1",null,"{\\"maHoSo\\":\\"H26.1\\"}"]',
    );
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, content);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, content)).toBe(base);
    expect(chainHash('1'.repeat(64), content)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...content, body: content.body.replace('1', '2') })).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...content, status: '' })).not.toBe(base);
    // Moving text between fields cannot keep the hash.
    expect(chainHash(GENESIS_HASH, { ...content, operation: 'submitc-1', correlationId: '' })).not.toBe(base);
  });
});
