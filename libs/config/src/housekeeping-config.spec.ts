import { loadConfig } from './bridge-config';

describe('housekeeping configuration', () => {
  it('defaults to a day for parked events, five intervals for polls and finite retention', () => {
    const { housekeeping } = loadConfig({});
    expect(housekeeping.parkedEventExpiryMs).toBe(24 * 3_600_000);
    expect(housekeeping.pollStaleIntervals).toBe(5);
    expect(housekeeping.retention).toEqual({
      dossierPersonalData: 90 * 86_400_000,
      messageBodies: 180 * 86_400_000,
      inbox: 30 * 86_400_000,
      publishedOutbox: 7 * 86_400_000,
      resolvedDeadLetters: 90 * 86_400_000,
    });
    expect(housekeeping.purgeEveryMs).toBe(3_600_000);
  });

  it('reads durations with units and turns a retention off', () => {
    const { housekeeping } = loadConfig({
      BRIDGE_PARKED_EVENT_EXPIRY: '90s',
      BRIDGE_RETAIN_INBOX: 'off',
      BRIDGE_RETAIN_MESSAGE_BODIES: '12h',
      BRIDGE_POLL_STALE_INTERVALS: '3',
    });
    expect(housekeeping.parkedEventExpiryMs).toBe(90_000);
    expect(housekeeping.retention.inbox).toBeNull();
    expect(housekeeping.retention.messageBodies).toBe(12 * 3_600_000);
    expect(housekeeping.pollStaleIntervals).toBe(3);
  });

  it.each([
    ['BRIDGE_PARKED_EVENT_EXPIRY', '24', /BRIDGE_PARKED_EVENT_EXPIRY must be a duration/],
    ['BRIDGE_PARKED_EVENT_EXPIRY', 'off', /BRIDGE_PARKED_EVENT_EXPIRY must be a duration/],
    ['BRIDGE_PARKED_EVENT_EXPIRY', '30d', /BRIDGE_PARKED_EVENT_EXPIRY must be .* to 2147483647 ms/],
    ['BRIDGE_RETAIN_INBOX', '-1d', /BRIDGE_RETAIN_INBOX must be a duration/],
    ['BRIDGE_RETAIN_INBOX', '500ms', /BRIDGE_RETAIN_INBOX must be .* from 1000 ms/],
    ['BRIDGE_RETAIN_DOSSIER_PERSONAL_DATA', '99999d', /BRIDGE_RETAIN_DOSSIER_PERSONAL_DATA must be/],
    ['BRIDGE_POLL_STALE_INTERVALS', '1', /BRIDGE_POLL_STALE_INTERVALS must be a whole number from 2/],
    ['BRIDGE_PURGE_EVERY', 'hourly', /BRIDGE_PURGE_EVERY must be a duration/],
  ])('refuses %s=%s and names the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
