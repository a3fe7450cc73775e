import { Logger } from '@nestjs/common';
import { DrainSequence, DrainStep } from './drain-sequence';

describe('DrainSequence', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('stops the parts in step order whatever order they registered in, each after the previous finished', async () => {
    const drain = new DrainSequence();
    const events: string[] = [];
    const part = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} end`);
    };
    drain.add(DrainStep.Runtime, 'runtime', part('runtime', 1));
    drain.add(DrainStep.Relay, 'relay', part('relay', 5));
    drain.add(DrainStep.Consumer, 'consumer', part('consumer', 20));
    drain.add(DrainStep.Queues, 'queues', part('queues', 10));

    expect(drain.order()).toEqual(['consumer', 'queues', 'relay', 'runtime']);
    await drain.beforeApplicationShutdown('SIGTERM');
    expect(events).toEqual([
      'consumer start',
      'consumer end',
      'queues start',
      'queues end',
      'relay start',
      'relay end',
      'runtime start',
      'runtime end',
    ]);
  });

  it('goes on with the next part when one fails to stop, and names the one that failed', async () => {
    const drain = new DrainSequence();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const stopped: string[] = [];
    drain.add(DrainStep.Queues, 'queues', () => {
      throw new Error('Connection is closed');
    });
    drain.add(DrainStep.Relay, 'outbox relay', () => void stopped.push('outbox relay'));

    await drain.beforeApplicationShutdown();
    expect(stopped).toEqual(['outbox relay']);
    expect(warn).toHaveBeenCalledWith('queues stop: Connection is closed');
  });
});
