import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * The order in which a process stops what it runs (docs/architecture.md, rule 6): take no more
 * postal messages, stop polling agencies, let in-flight agency jobs finish (or release them),
 * stop the sweeper, flush the outbox, publish a last checkpoint, chain what is staged, close
 * the adapters, then the connections. Each part registers its step; the numbers are the order.
 */
export enum DrainStep {
  Consumer = 1,
  Polling = 2,
  Lookups = 3,
  Queues = 4,
  Sweeper = 5,
  Relay = 6,
  Checkpoints = 7,
  Chainer = 8,
  Runtime = 9,
  Connections = 10,
}

interface Registered {
  step: DrainStep;
  name: string;
  stop: () => Promise<void> | void;
}

/**
 * Stops the parts of the process one after the other, in {@link DrainStep} order, on shutdown.
 * Nest calls the shutdown hooks of one module's providers all at once, so the parts do not
 * stop themselves: each registers here. A part that fails to stop is logged and the next one
 * stops anyway. The messaging and persistence modules close the AMQP connection and the pool
 * after this (their `onApplicationShutdown`).
 */
@Injectable()
export class DrainSequence implements BeforeApplicationShutdown {
  private readonly logger = new Logger('bridge');
  private readonly parts: Registered[] = [];

  /** Registers what stops at `step`; parts of the same step stop in registration order. */
  add(step: DrainStep, name: string, stop: () => Promise<void> | void): void {
    this.parts.push({ step, name, stop });
  }

  /** The registered parts in the order they stop (for logs and tests). */
  order(): string[] {
    return this.sorted().map((part) => part.name);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down (${signal ?? 'close'}): draining`);
    for (const part of this.sorted()) {
      try {
        await part.stop();
      } catch (error) {
        this.logger.warn(`${part.name} stop: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private sorted(): Registered[] {
    // Array.prototype.sort is stable: registration order within a step is kept.
    return [...this.parts].sort((a, b) => a.step - b.step);
  }
}
