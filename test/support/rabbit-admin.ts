import type { Channel, GetMessage } from 'amqplib';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `rabbitmqctl` lives in /usr/sbin, which is not on every PATH. */
function rabbitmqctl(): string {
  const candidates = [
    '/usr/sbin/rabbitmqctl',
    '/usr/local/sbin/rabbitmqctl',
    '/usr/lib/rabbitmq/bin/rabbitmqctl',
  ];
  return candidates.find((path) => existsSync(path)) ?? 'rabbitmqctl';
}

/**
 * Closes, on the broker side, every AMQP connection whose client-provided name
 * (`clientProperties.connection_name`) is exactly `name` — as an operator's
 * `rabbitmqctl close_connection` or a broker restart would — without touching any other test's
 * connections. Returns how many were closed. Needs `rabbitmqctl` and the rights to run it (root).
 */
export async function closeAmqpConnectionsNamed(name: string, reason = 'closed by test'): Promise<number> {
  if (!/^[A-Za-z0-9._:-]+$/.test(name)) {
    throw new Error(`connection name "${name}" may hold only letters, digits, '.', '_', ':' and '-'`);
  }
  const ctl = rabbitmqctl();
  // The plain format prints pids as <rabbit@host.N.N.N>, which close_connection accepts; the JSON
  // formatter prints a node-local form it rejects.
  const { stdout } = await run(ctl, [
    'list_connections',
    'pid',
    'client_properties',
    '--no-table-headers',
    '-q',
  ]);
  const marker = `{"connection_name","${name}"}`;
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => line.split('\t')[0].trim())
    .filter((pid) => /^<[^>]+>$/.test(pid));
  for (const pid of pids) {
    await run(ctl, ['close_connection', pid, reason]);
  }
  return pids.length;
}

/** The broker the integration tests use. */
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A prefix unique to one test run, for exchange, queue and connection names (`t-1a2b3c4d`). */
export function uniqueAmqpPrefix(label = 't'): string {
  return `${label.replace(/[^A-Za-z0-9_-]/g, '-')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Takes (and acknowledges) `count` messages from `queue`, polling until they are there. Rejects,
 * saying how many arrived, if they are not all there within `timeoutMs`.
 */
export async function takeMessages(
  channel: Channel,
  queue: string,
  count: number,
  timeoutMs = 5_000,
): Promise<GetMessage[]> {
  const taken: GetMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const message = await channel.get(queue, { noAck: true });
    if (message) {
      taken.push(message);
    } else if (Date.now() > deadline) {
      throw new Error(`expected ${count} messages in ${queue} within ${timeoutMs} ms, got ${taken.length}`);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return taken;
}

/**
 * Sets (or, with `definition` undefined, clears) a policy on the local broker, as an operator
 * would with `rabbitmqctl set_policy`: the bridge sets some broker features (the alternate
 * exchange of `bridge.events`) only by policy. Needs `rabbitmqctl` and the rights to run it.
 */
export async function setBrokerPolicy(
  name: string,
  pattern: string,
  applyTo: 'exchanges' | 'queues',
  definition: Record<string, unknown> | undefined,
): Promise<void> {
  const ctl = rabbitmqctl();
  if (definition === undefined) {
    await run(ctl, ['clear_policy', name]);
    return;
  }
  await run(ctl, ['set_policy', '--apply-to', applyTo, name, pattern, JSON.stringify(definition)]);
}
