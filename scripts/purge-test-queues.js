#!/usr/bin/env node
// Deletes the queues that test and bench runs left on the local broker (names with a
// `<namespace>.bridge.` prefix, and `<namespace>.postal.bridge-events`; a suite killed midway cannot clean up after itself). Hundreds of
// leftover quorum queues make RabbitMQ slow to start and, in the end, unresponsive. Reads the
// queue names, each optionally followed by its consumer count, on standard input (from
// `rabbitmqctl list_queues -q name consumers`); never fails the caller.
const amqp = require('amqplib');

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  // Lines are "<name>" or "<name> <consumers>": a queue someone consumes from belongs to a run
  // still going (another suite on the same broker), and is left alone.
  const names = input
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([name, consumers]) => name && !(Number(consumers) > 0))
    .map(([name]) => name)
    .filter((name) => /^[a-z0-9-]+\.(bridge\.|postal\.bridge-events$)/.test(name));
  if (names.length === 0) return;
  const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  let channel = await connection.createChannel();
  let deleted = 0;
  for (const name of names) {
    try {
      await channel.deleteQueue(name);
      deleted++;
    } catch {
      channel = await connection.createChannel();
    }
  }
  await connection.close();
  console.log(`purge-test-queues: deleted ${deleted} of ${names.length} leftover queues`);
}

main().catch((error) => console.log(`purge-test-queues: skipped (${error.message})`));
