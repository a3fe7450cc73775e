import { BRIDGE_EVENT_TYPES, POSTAL_EVENT_TYPES } from './event-types';
import { EventValidator } from './event-validator';
import circuitOpened from './fixtures/agency-circuit-opened.json';
import auditCheckpoint from './fixtures/audit-checkpoint.json';
import dossierReceived from './fixtures/dossier-received.json';
import collected from './fixtures/postal-dossier-collected.json';
import deliveryFailed from './fixtures/postal-result-delivery-failed.json';
import rawEmh from './fixtures/raw-tracking-emh.json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit fixture documents freely
type EditableDoc = any;

/** A deep copy of a fixture with one change, so each test states only what it breaks. */
function variant<T>(fixture: T, change: (doc: EditableDoc) => void): T {
  const copy = structuredClone(fixture);
  change(copy);
  return copy;
}

describe('EventValidator', () => {
  const validator = new EventValidator();

  it('accepts the recorded postal and bridge events', () => {
    expect(validator.validatePostalEvent(collected)).toEqual({ ok: true, event: collected });
    expect(validator.validatePostalEvent(deliveryFailed).ok).toBe(true);
    expect(validator.validateBridgeEvent(dossierReceived).ok).toBe(true);
    expect(validator.validateBridgeEvent(circuitOpened).ok).toBe(true);
    expect(validator.validateBridgeEvent(auditCheckpoint).ok).toBe(true);
  });

  it('names the field and the rule of a bad citizen id', () => {
    const doc = variant(collected, (d) => (d.data.applicant.citizenId = '04818900123'));
    expect(validator.validatePostalEvent(doc)).toEqual({
      ok: false,
      errors: [
        {
          path: '/data/applicant/citizenId',
          message: 'must be a citizen id number (CCCD) of exactly 12 digits',
        },
      ],
    });
  });

  it('checks the organization branch of the applicant, including the tax code check digit', () => {
    const doc = variant(collected, (d) => {
      d.data.applicant = {
        ...d.data.applicant,
        kind: 'organization',
        name: 'Công ty A',
        taxCode: '0100233480',
      };
      delete d.data.applicant.fullName;
      delete d.data.applicant.citizenId;
    });
    expect(validator.validatePostalEvent(doc)).toEqual({
      ok: false,
      errors: [
        { path: '/data/applicant/taxCode', message: 'check digit of tax code 010023348? should be 8, got 0' },
      ],
    });
  });

  it('reports missing and unknown fields by path', () => {
    const doc = variant(collected, (d) => {
      delete d.data.agencyCode;
      d.data.weight = 120;
    });
    const result = validator.validatePostalEvent(doc);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual(
      expect.arrayContaining([
        { path: '/data/agencyCode', message: 'is required' },
        { path: '/data/weight', message: 'is not a known field' },
      ]),
    );
  });

  it('refuses an item id with a wrong S10 check digit, and a domestic code unless allowed', () => {
    const typo = variant(collected, (d) => (d.data.itemId = 'EB123456789VN'));
    expect(validator.validatePostalEvent(typo)).toEqual({
      ok: false,
      errors: [{ path: '/data/itemId', message: 'check digit of EB12345678?VN should be 5, got 9' }],
    });
    const domestic = variant(collected, (d) => (d.data.itemId = 'DN2025070200017'));
    expect(validator.validatePostalEvent(domestic).ok).toBe(false);
    expect(new EventValidator({ allowNonS10ItemIds: true }).validatePostalEvent(domestic).ok).toBe(true);
  });

  it('requires a reference event to name its dossier by itemId or dossierRef', () => {
    const doc = variant(deliveryFailed, (d) => delete d.data.itemId);
    expect(validator.validatePostalEvent(doc)).toEqual({
      ok: false,
      errors: [
        {
          path: '/data',
          message: 'must be an object naming its dossier by itemId or dossierRef (at least one is required)',
        },
      ],
    });
    expect(
      validator.validatePostalEvent(variant(doc, (d) => (d.data.dossierRef = 'G09.20-20260609-0092637'))).ok,
    ).toBe(true);
  });

  it('lists the known types when the type is unknown, or posted to the wrong side', () => {
    const unknown = validator.validatePostalEvent(
      variant(collected, (d) => (d.type = 'postal.dossier.lost')),
    );
    expect(unknown.ok).toBe(false);
    const [first] = !unknown.ok ? unknown.errors : [];
    expect(first.path).toBe('/type');
    expect(first.message).toContain('unknown event type "postal.dossier.lost"');
    for (const type of POSTAL_EVENT_TYPES) expect(first.message).toContain(type);

    const wrongSide = validator.validateBridgeEvent(collected);
    expect(!wrongSide.ok && wrongSide.errors[0].message).toContain(BRIDGE_EVENT_TYPES.join(', '));
  });

  it('checks the CloudEvents envelope: version, time with offset, attribute names', () => {
    const doc = variant(collected, (d) => {
      d.specversion = '0.3';
      d.time = '2025-07-02 09:15';
      d.spec_version = '1.0';
    });
    const result = validator.validatePostalEvent(doc);
    expect(!result.ok && result.errors).toEqual(
      expect.arrayContaining([
        { path: '/specversion', message: 'must be "1.0"' },
        { path: '/time', message: expect.stringContaining('RFC 3339 timestamp with a time-zone offset') },
        { path: '/spec_version', message: 'is not a known field' },
      ]),
    );
    expect(validator.validatePostalEvent('not json')).toEqual({
      ok: false,
      errors: [{ path: '/', message: 'must be a JSON object (a CloudEvent)' }],
    });
  });

  it('bounds every CloudEvent attribute, naming the one too long and its limit', () => {
    const doc = variant(collected, (d) => {
      d.id = 'x'.repeat(8_000);
      d.source = `/vnpost/${'s'.repeat(300)}`;
      d.subject = 'y'.repeat(257);
      d.correlationid = 'c'.repeat(257);
      d.traceparent = 't'.repeat(1_025);
    });
    const result = validator.validatePostalEvent(doc);
    expect(!result.ok && result.errors).toEqual(
      expect.arrayContaining([
        { path: '/id', message: 'is longer than 256 characters' },
        { path: '/source', message: 'is longer than 256 characters' },
        { path: '/subject', message: 'is longer than 256 characters' },
        { path: '/correlationid', message: 'is longer than 256 characters' },
        { path: '/traceparent', message: 'is longer than 1024 characters' },
      ]),
    );
    const atLimit = variant(collected, (d) => (d.id = 'x'.repeat(256)));
    expect(validator.validatePostalEvent(atLimit).ok).toBe(true);
  });

  it('requires the snapshot of a dossier.<status> event to be in that status', () => {
    const doc = variant(dossierReceived, (d) => (d.data.dossier.status = 'processing'));
    expect(validator.validateBridgeEvent(doc)).toEqual({
      ok: false,
      errors: [{ path: '/data/dossier/status', message: 'must be "received"' }],
    });
  });

  it('refuses timestamps keyed by something that is not a status', () => {
    const doc = variant(
      dossierReceived,
      (d) => (d.data.dossier.timestamps.archived = '2025-07-03T10:00:00+07:00'),
    );
    const result = validator.validateBridgeEvent(doc);
    expect(!result.ok && result.errors).toEqual([
      {
        path: '/data/dossier/timestamps/archived',
        message: 'is not allowed as a key: keys must be a dossier status',
      },
    ]);
  });

  it('refuses an audit checkpoint without its signature', () => {
    const doc = variant(auditCheckpoint, (d) => delete d.data.signature);
    expect(validator.validateBridgeEvent(doc).ok).toBe(false);
  });

  it('checks operational events too', () => {
    const doc = variant(circuitOpened, (d) => (d.data.state = 'closed'));
    expect(validator.validateBridgeEvent(doc)).toEqual({
      ok: false,
      errors: [{ path: '/data/state', message: 'must be "open"' }],
    });
  });

  it('accepts raw tracking events with operator fields, and checks their item id', () => {
    expect(validator.validateRawTrackingEvent(rawEmh)).toEqual({ ok: true, event: rawEmh });
    const bad = validator.validateRawTrackingEvent(variant(rawEmh, (d) => delete d.time));
    expect(bad).toEqual({ ok: false, errors: [{ path: '/time', message: 'is required' }] });
  });
});
