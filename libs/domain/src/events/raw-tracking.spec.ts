import rawEmh from './fixtures/raw-tracking-emh.json';
import { DEFAULT_TRACKING_TABLE, mapRawTrackingEvent, RawTrackingEvent, TrackingTable } from './raw-tracking';

const raw = (eventCode: string, extra: Partial<RawTrackingEvent> = {}): RawTrackingEvent => ({
  itemId: 'EC136431858VN',
  eventCode,
  office: '550100',
  time: '2025-07-03T08:00:00+07:00',
  ...extra,
});

describe('mapRawTrackingEvent with the default table', () => {
  it('maps delivery to the agency on the inbound leg to handed_over', () => {
    expect(mapRawTrackingEvent(raw('EMI'), DEFAULT_TRACKING_TABLE, 'inbound')).toEqual({
      kind: 'mapped',
      type: 'postal.dossier.handed_over',
      data: { itemId: 'EC136431858VN', office: '550100', at: '2025-07-03T08:00:00+07:00' },
    });
  });

  it('maps the result leg: EMA collected (with its result item id), EMI delivered, EMH failed', () => {
    expect(mapRawTrackingEvent(raw('EMA'), DEFAULT_TRACKING_TABLE, 'result')).toMatchObject({
      kind: 'mapped',
      type: 'postal.result.collected',
      data: { itemId: 'EC136431858VN', resultItemId: 'EC136431858VN' },
    });
    expect(mapRawTrackingEvent(raw('emi', { leg: 'result' }))).toMatchObject({
      type: 'postal.result.delivered',
    });
    expect(mapRawTrackingEvent(rawEmh as RawTrackingEvent, undefined, 'result')).toEqual({
      kind: 'mapped',
      type: 'postal.result.delivery_failed',
      data: {
        itemId: 'EE000000005VN',
        office: '550100',
        at: '2025-07-20T16:30:00+07:00',
        reason: 'Người nhận vắng nhà — Phát lại lần 2',
      },
    });
  });

  it('ignores posting on the inbound leg and transit codes: they move nothing', () => {
    expect(mapRawTrackingEvent(raw('EMA'), DEFAULT_TRACKING_TABLE, 'inbound')).toMatchObject({
      kind: 'ignored',
    });
    expect(mapRawTrackingEvent(raw('EMG'), DEFAULT_TRACKING_TABLE, 'result')).toMatchObject({
      kind: 'ignored',
    });
  });

  it('reports an unknown code or an unknown leg as unmapped instead of throwing', () => {
    expect(mapRawTrackingEvent(raw('PHAT_OK'), DEFAULT_TRACKING_TABLE, 'result')).toEqual({
      kind: 'unmapped',
      reason: 'event code PHAT_OK on the result leg is not in the tracking table',
    });
    expect(mapRawTrackingEvent(raw('EMI'))).toEqual({
      kind: 'unmapped',
      reason: 'cannot map EMI for item EC136431858VN: its leg (inbound or result) is unknown',
    });
  });
});

describe('mapRawTrackingEvent with an operator table', () => {
  it('uses the operator codes it is given', () => {
    const table: TrackingTable = {
      inbound: { GIAO_CQ: 'postal.dossier.handed_over' },
      result: { PHAT_OK: 'postal.result.delivered', HUY: 'postal.dossier.cancelled' },
    };
    expect(mapRawTrackingEvent(raw('PHAT_OK'), table, 'result')).toMatchObject({
      type: 'postal.result.delivered',
    });
    expect(mapRawTrackingEvent(raw('EMI'), table, 'result')).toMatchObject({ kind: 'unmapped' });
  });
});
