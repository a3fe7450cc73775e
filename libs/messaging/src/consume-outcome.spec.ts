import type { ConsumeMessage } from 'amqplib';
import { INVALID_JSON_REASON, assertOutcome, decodeDelivery } from './consume-outcome';
import { DEAD_LETTER_REASON_HEADER, ORIGINAL_QUEUE_HEADER, deadLetterProperties } from './dead-letter';

function delivery(body: string, properties: Partial<ConsumeMessage['properties']> = {}): ConsumeMessage {
  return {
    content: Buffer.from(body),
    fields: {
      deliveryTag: 1,
      redelivered: false,
      exchange: 'postal.inbound',
      routingKey: 'postal.x',
      consumerTag: 'c',
    },
    properties: {
      headers: { 'x-correlation-id': 'corr-1' },
      messageId: 'evt-1',
      type: 'postal.x',
      ...properties,
    },
  } as ConsumeMessage;
}

describe('decodeDelivery', () => {
  it('parses a JSON body and surfaces the message properties', () => {
    const decoded = decodeDelivery(delivery('{"id":"evt-1"}'));
    expect(decoded).toMatchObject({
      body: { id: 'evt-1' },
      messageId: 'evt-1',
      type: 'postal.x',
      routingKey: 'postal.x',
    });
  });

  it('turns a body that is not JSON into a dead-letter outcome with the reason', () => {
    expect(decodeDelivery(delivery('<xml/>'))).toEqual({
      action: 'dead-letter',
      reason: INVALID_JSON_REASON,
    });
  });
});

describe('assertOutcome', () => {
  it('accepts the three outcomes', () => {
    expect(assertOutcome({ action: 'ack' })).toEqual({ action: 'ack' });
    expect(assertOutcome({ action: 'requeue' })).toEqual({ action: 'requeue' });
    expect(assertOutcome({ action: 'dead-letter', reason: 'bad' })).toEqual({
      action: 'dead-letter',
      reason: 'bad',
    });
  });

  it('names what a handler returned when it is not an outcome', () => {
    expect(() => assertOutcome(undefined)).toThrow('message handler returned undefined');
    expect(() => assertOutcome({ action: 'dead-letter' })).toThrow('"action":"dead-letter"');
  });
});

describe('deadLetterProperties', () => {
  it('keeps the original properties and headers and adds the reason and origin', () => {
    const properties = deadLetterProperties(delivery('{}'), 'unknown agency', 'bridge.postal-inbound');
    expect(properties).toMatchObject({ persistent: true, messageId: 'evt-1', type: 'postal.x' });
    expect(properties.headers).toMatchObject({
      'x-correlation-id': 'corr-1',
      [DEAD_LETTER_REASON_HEADER]: 'unknown agency',
      [ORIGINAL_QUEUE_HEADER]: 'bridge.postal-inbound',
      'x-original-exchange': 'postal.inbound',
    });
    expect('correlationId' in properties).toBe(false);
  });

  it('cuts a huge reason so the header table stays within AMQP limits', () => {
    const properties = deadLetterProperties(delivery('{}'), 'x'.repeat(100_000), 'q');
    expect((properties.headers as Record<string, string>)[DEAD_LETTER_REASON_HEADER].length).toBeLessThan(
      2_100,
    );
  });
});
