import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as amqp from 'amqplib';
import { freePort } from '@bridge/testing';
import { sleep } from './fault-flow';

const run = promisify(execFile);
const RABBIT_BIN = '/usr/lib/rabbitmq/bin';

/**
 * A RabbitMQ node of one test's own (its own node name, ports, database and cookie in a
 * temporary folder), so stopping and starting the broker application disturbs no other test
 * using the machine's broker. Needs the rabbitmq-server package installed (it starts in about
 * 20 s on two cores).
 */
export class PrivateRabbit {
  private child?: ChildProcess;

  private constructor(
    readonly node: string,
    readonly port: number,
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * Starts a node. `cookie` makes it share an Erlang cookie with other nodes (a cluster); by
   * default each node has a cookie of its own.
   */
  static async start(options: { cookie?: string } = {}): Promise<PrivateRabbit> {
    if (!existsSync(join(RABBIT_BIN, 'rabbitmq-server')))
      throw new Error(
        `rabbitmq-server is not installed in ${RABBIT_BIN}; the broker restart scenario needs it`,
      );
    const dir = await mkdtemp(join(tmpdir(), 'faults-rabbit-'));
    const [port, distPort] = [await freePort(), await freePort()];
    const node = `faults-${randomBytes(4).toString('hex')}@localhost`;
    await writeFile(
      join(dir, 'rabbitmq.conf'),
      `listeners.tcp.local = 127.0.0.1:${port}\nloopback_users = none\n`,
    );
    await writeFile(join(dir, 'rabbitmq-env.conf'), '');
    await writeFile(join(dir, 'enabled_plugins'), '[].\n');
    if (options.cookie) await writeFile(join(dir, '.erlang.cookie'), options.cookie, { mode: 0o400 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: dir, // the Erlang cookie lives here, shared by the node and rabbitmqctl
      RABBITMQ_NODENAME: node,
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
    const rabbit = new PrivateRabbit(node, port, dir, env);
    rabbit.child = spawn(join(RABBIT_BIN, 'rabbitmq-server'), [], { env, stdio: 'ignore' });
    try {
      await rabbit.waitAccepting(90_000);
    } catch (error) {
      await rabbit.stop();
      throw error;
    }
    return rabbit;
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /** Runs rabbitmqctl against this node. */
  async ctl(...args: string[]): Promise<string> {
    const { stdout } = await run(join(RABBIT_BIN, 'rabbitmqctl'), ['-n', this.node, ...args], {
      env: this.env,
    });
    return stdout;
  }

  /**
   * A broker restart as an operator does it: `rabbitmqctl stop_app`, down for `downMs`,
   * `start_app`. Every connection drops; durable queues and persistent messages stay.
   */
  async restartApp(downMs: number): Promise<void> {
    await this.ctl('stop_app');
    await sleep(downMs);
    await this.ctl('start_app');
    await this.waitAccepting(30_000);
  }

  /**
   * Stops the node and removes its folder. SIGTERM makes the start script stop the node
   * cleanly; if that hangs, the Erlang VM itself (its pid is in the pid file) is killed, since
   * killing only the script would leave the VM running. Safe to call twice.
   */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    const vm = Number((await readFile(join(this.dir, 'rabbit.pid'), 'utf8').catch(() => '')).trim());
    if (vm > 0) {
      try {
        process.kill(vm, 'SIGKILL');
      } catch {
        // already gone: the clean stop worked
      }
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async waitAccepting(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child && this.child.exitCode !== null)
        throw new Error(`private RabbitMQ node ${this.node} exited with ${this.child.exitCode}`);
      try {
        const connection = await amqp.connect(this.url);
        await connection.close();
        return;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`private RabbitMQ node ${this.node} did not accept connections`);
        await sleep(250);
      }
    }
  }
}
