import { CLOUDEVENTS_CONTENT_TYPE, encodeCloudEvent } from './confirmed-publisher';
import { MessagingErrorCode } from './errors';

describe('encodeCloudEvent', () => {
  const event = {
    specversion: '1.0',
    id: 'evt-1',
    source: '/bridge',
    type: 'dossier.collected',
    data: { a: 1 },
  };

  it('makes a persistent CloudEvents message whose id and type travel as AMQP properties', () => {
    const { content, properties } = encodeCloudEvent(event, {
      correlationId: 'corr-9',
      headers: { tenant: 'hn' },
    });
    expect(JSON.parse(content.toString())).toEqual(event);
    expect(properties).toMatchObject({
      persistent: true,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: 'evt-1',
      type: 'dossier.collected',
      correlationId: 'corr-9',
      headers: { tenant: 'hn', 'x-correlation-id': 'corr-9' },
    });
  });

  it('refuses an event without an id or a type, naming the field', () => {
    expect(() => encodeCloudEvent({ type: 't' })).toThrow("non-empty string 'id'");
    expect(() => encodeCloudEvent({ id: 'x', type: '' })).toThrow(
      expect.objectContaining({ code: MessagingErrorCode.INVALID_ARGUMENT }),
    );
  });
});
