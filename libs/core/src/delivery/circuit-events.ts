import { DataSource } from 'typeorm';
import { CircuitData } from '@bridge/domain';
import { CircuitClosedInfo, CircuitOpenedInfo } from '@bridge/queues';
import { bridgeEvent, deterministicUuid, OutboxWriter } from '../outbox/outbox-writer';
import { inTransaction } from '../common/transaction';

/**
 * Announces an agency's circuit opening and closing on `bridge.events` through the outbox.
 * The event id derives from the agency and the time the circuit opened, so a breaker that
 * reports twice announces once.
 */
export class CircuitEvents {
  constructor(private readonly dataSource: DataSource) {}

  async opened(agencyCode: string, info: CircuitOpenedInfo): Promise<void> {
    const data: CircuitData = {
      agencyCode,
      state: 'open',
      consecutiveFailures: info.failures,
      reason: `${info.lastError.code}: ${info.lastError.message}`,
    };
    await this.publish('agency.circuit_opened', `${agencyCode}:open:${info.openedAt.toISOString()}`, data);
  }

  async closed(agencyCode: string, info: CircuitClosedInfo): Promise<void> {
    const data: CircuitData = {
      agencyCode,
      state: 'closed',
      reason: info.stillPausedByOperator
        ? 'the agency answers again; it stays paused by an operator'
        : 'the agency answers again',
    };
    await this.publish('agency.circuit_closed', `${agencyCode}:closed:${info.openedAt.toISOString()}`, data);
  }

  private async publish(
    type: 'agency.circuit_opened' | 'agency.circuit_closed',
    key: string,
    data: CircuitData,
  ): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      new OutboxWriter(manager).event(
        bridgeEvent(type, deterministicUuid(key), data, { subject: data.agencyCode }),
      ),
    );
  }
}
