import { MessagingError } from './errors';
import { bridgeTopologyNames, brokerSupportsQuorumQueues } from './topology';

describe('bridgeTopologyNames', () => {
  it('gives the contract names without a prefix', () => {
    expect(bridgeTopologyNames()).toEqual({
      postalInboundExchange: 'postal.inbound',
      bridgeEventsExchange: 'bridge.events',
      postalInboundQueue: 'bridge.postal-inbound',
      deadLetterExchange: 'bridge.dlx',
      postalInboundDeadQueue: 'bridge.postal-inbound.dead',
      postalEventsQueue: 'postal.bridge-events',
      unroutableExchange: 'bridge.events.unroutable',
      unroutableQueue: 'bridge.events.unroutable',
    });
  });

  it("names the postal backend's queue as configured, and refuses a name that is no plain queue name", () => {
    expect(bridgeTopologyNames('t1', 'vnpost.tracking-in').postalEventsQueue).toBe('t1.vnpost.tracking-in');
    expect(() => bridgeTopologyNames('', 'a#b')).toThrow('postal events queue "a#b"');
  });

  it('prefixes every name so a test can isolate its own topology', () => {
    const names = bridgeTopologyNames('t123');
    expect(Object.values(names).every((name) => name.startsWith('t123.'))).toBe(true);
    expect(names.postalInboundExchange).toBe('t123.postal.inbound');
  });

  it('refuses a prefix that would change the routing (wildcards, spaces)', () => {
    expect(() => bridgeTopologyNames('t#1')).toThrow(MessagingError);
    expect(() => bridgeTopologyNames('a b')).toThrow('may hold only');
  });
});

describe('brokerSupportsQuorumQueues', () => {
  it('is true from RabbitMQ 3.8 on and false before or for other brokers', () => {
    expect(brokerSupportsQuorumQueues({ product: 'RabbitMQ', version: '3.10.8' })).toBe(true);
    expect(brokerSupportsQuorumQueues({ product: 'RabbitMQ', version: '4.1.0' })).toBe(true);
    expect(brokerSupportsQuorumQueues({ product: 'RabbitMQ', version: '3.7.28' })).toBe(false);
    expect(brokerSupportsQuorumQueues({ product: 'LavinMQ', version: '2.0.0' })).toBe(false);
    expect(brokerSupportsQuorumQueues({})).toBe(false);
  });
});
