import fc from 'fast-check';
import { CloudEvent, EventValidator, POSTAL_EVENT_TYPES, Validation } from '@bridge/domain';
import { collectedEvent, nextS10, postalEvent } from '@bridge/testing';

const validator = new EventValidator();
const REQUIRED = ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'] as const;

/** A valid event of each postal type, built the way the postal system sends them. */
function validEvent(type: string): CloudEvent {
  if (type === 'postal.dossier.collected') return collectedEvent('000.00.53.H48');
  const extra: Record<string, unknown> =
    type === 'postal.result.collected'
      ? { resultItemId: nextS10('RR') }
      : type === 'postal.supplement.collected'
        ? { documents: [{ name: 'Bản sao giấy chứng sinh', form: 'copy', count: 1 }] }
        : type === 'postal.result.delivery_failed' || type === 'postal.dossier.cancelled'
          ? { reason: 'Người nhận vắng nhà' }
          : {};
  return postalEvent(type, nextS10(), extra);
}

function isOutcome(result: Validation<unknown>): boolean {
  if (result.ok) return typeof result.event === 'object';
  return (
    result.errors.length > 0 &&
    result.errors.every((e) => typeof e.path === 'string' && e.path.startsWith('/') && e.message.length > 0)
  );
}

describe('EventValidator properties', () => {
  it('answers any JSON value with ok or named errors, never an exception', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (doc) => {
        expect(isOutcome(validator.validatePostalEvent(doc))).toBe(true);
        expect(isOutcome(validator.validateBridgeEvent(doc))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers events with any attribute replaced by any JSON value, never an exception', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POSTAL_EVENT_TYPES),
        fc.constantFrom(...REQUIRED, 'subject', 'correlationid'),
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom('', 'data'),
        (type, attribute, value, where) => {
          const event = structuredClone(validEvent(type)) as unknown as Record<
            string,
            Record<string, unknown>
          >;
          if (where === 'data' && typeof event.data === 'object') event.data[attribute] = value;
          else (event as Record<string, unknown>)[attribute] = value;
          expect(isOutcome(validator.validatePostalEvent(event))).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('accepts every valid postal event (the control for the property below)', () => {
    for (const type of POSTAL_EVENT_TYPES) {
      const result = validator.validatePostalEvent(validEvent(type));
      expect({ type, errors: result.ok ? [] : result.errors }).toEqual({ type, errors: [] });
    }
  });

  it('refuses a valid event with any one required attribute removed, naming that attribute', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POSTAL_EVENT_TYPES), fc.constantFrom(...REQUIRED), (type, attribute) => {
        const event = { ...validEvent(type) } as Record<string, unknown>;
        delete event[attribute];
        const result = validator.validatePostalEvent(event);
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.errors).toContainEqual({
            path: `/${attribute}`,
            message: expect.stringMatching(/required/),
          });
      }),
      { numRuns: 300 },
    );
  });
});
