import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel } from 'amqplib';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '@bridge/config';
import {
  BRIDGE_POSTAL_INBOUND_QUEUE,
  bridgeTopologyNames,
  declareBridgeTopology,
  POSTAL_INBOUND_DELIVERY_LIMIT,
} from '@bridge/messaging';

/** The deployment files in docker/ are only run by users; these checks stand in for a Docker engine. */
const root = join(__dirname, '..', '..', '..', '..');
const dockerFile = (name: string) => readFileSync(join(root, 'docker', name), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required: boolean }[];
  ports?: string[];
  restart?: string;
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };
const compose = parse(dockerFile('compose.yaml'), { merge: true }) as Compose;
const services = compose.services;
const bridgeServices = Object.entries(services).filter(([, s]) => s.build !== undefined);
const devOverride = parse(dockerFile('compose.dev.yaml'), { merge: true }) as Compose;

/** Compose's merge of an override file: maps merged, sequences (ports) appended, scalars replaced. */
function withOverride(base: Compose, override: Compose): Compose {
  const merged = structuredClone(base);
  for (const [name, extra] of Object.entries(override.services)) {
    const service = merged.services[name] as Record<string, unknown>;
    for (const [key, value] of Object.entries(extra)) {
      const current = service[key];
      if (key === 'ports') service[key] = [...((current as string[]) ?? []), ...(value as string[])];
      else if (current && typeof current === 'object' && !Array.isArray(current))
        service[key] = { ...current, ...(value as object) };
      else service[key] = value;
    }
  }
  return merged;
}

/** Compose's interpolation of one value: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$. */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    /\$\$|\$\{(\w+)(?:(:?)([-?])([^}]*))?\}/g,
    (whole, name?: string, colon?: string, op?: string, arg?: string) => {
      if (whole === '$$') return '$';
      const raw = env[name!];
      const missing = raw === undefined || (colon === ':' && raw === '');
      if (op === '?' && missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return op === '-' && missing ? arg! : (raw ?? '');
    },
  );
}

function interpolateAll(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, env));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env)]));
  return node;
}

/** docker/.env as docker/init-env.sh writes it, in a scratch copy of docker/ (run twice). */
function initEnv(): { first: Record<string, string>; second: Record<string, string>; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-docker-'));
  try {
    execFileSync('cp', ['-r', join(root, 'docker'), dir]);
    const read = () =>
      Object.fromEntries(
        readFileSync(join(dir, 'docker', '.env'), 'utf8')
          .split('\n')
          .filter((line) => /^\w+=/.test(line))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ) as Record<string, string>;
    execFileSync('sh', [join(dir, 'docker', 'init-env.sh')], { stdio: 'ignore' });
    const first = read();
    execFileSync('sh', [join(dir, 'docker', 'init-env.sh')], { stdio: 'ignore' });
    return {
      first,
      second: read(),
      keyFile: readFileSync(join(dir, 'docker', 'prometheus', 'metrics-key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment a bridge container gets: the image's ENV lines, docker/.env, its own environment. */
function containerEnv(service: Service, envFile: Record<string, string>): Record<string, string> {
  const envInstruction = /^ENV ((?:.*\\\n)*.*)$/m.exec(dockerFile('Dockerfile'))![1];
  const imageEnv = Object.fromEntries([...envInstruction.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  const fromFile = service.env_file?.some((f) => f.path === '.env') ? envFile : {};
  return {
    ...imageEnv,
    ...fromFile,
    ...(interpolateAll(service.environment, envFile) as Record<string, string>),
  };
}

describe('docker/compose.yaml', () => {
  it('defines the services, the one-shot migration, two workers and the monitoring', () => {
    expect(Object.keys(services).sort()).toEqual([
      'gateway',
      'grafana',
      'migrate',
      'postgres',
      'prometheus',
      'rabbitmq',
      'redis',
      'worker',
    ]);
    expect(services.migrate.command).toEqual(['node', 'bin/bridge.js', 'migrate']);
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.worker.deploy?.replicas).toBe(2);
    for (const name of ['gateway', 'worker']) {
      expect(services[name].depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
      });
      expect(services[name].stop_grace_period).toBe('40s');
      expect(services[name].restart).toBe('unless-stopped');
    }
  });

  it('is safe by default: passwords everywhere, no trust, no guest, only the gateway and monitoring published', () => {
    expect(services.postgres.environment!.POSTGRES_HOST_AUTH_METHOD).toBe('scram-sha-256');
    expect(services.rabbitmq.environment!.BRIDGE_AMQP_LOCAL_GUEST).toBe('false');
    expect(services.redis.command!.join(' ')).toMatch(/test -n "\$\$REDIS_PASSWORD" \|\|.*exit 1/);
    expect(services.redis.command!.join(' ')).toContain('requirepass');
    expect(services.redis.command!.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(services.grafana.entrypoint!.join(' ')).toMatch(/test -n "\$\$GF_SECURITY_ADMIN_PASSWORD" \|\|/);
    const published = Object.entries(services).filter(([, s]) => s.ports?.length);
    expect(published.map(([name]) => name).sort()).toEqual(['gateway', 'grafana', 'prometheus']);
    for (const [, service] of published)
      for (const port of service.ports!) expect(port).toMatch(/^(\$\{BRIDGE_HTTP_BIND:-)?127\.0\.0\.1/);
    // Compose interpolates the whole file even for `up postgres redis rabbitmq`: no variable may be required.
    expect(() => interpolateAll(compose, {})).not.toThrow();
    // The bridge's role owns its database and is not a superuser.
    const role = readFileSync(join(root, 'docker', 'postgres', 'init-bridge-role.sh'), 'utf8');
    expect(role).toMatch(/CREATE ROLE bridge LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE/);
    expect(services.postgres.volumes).toContain(
      './postgres/init-bridge-role.sh:/docker-entrypoint-initdb.d/10-bridge-role.sh:ro',
    );
  });

  it('keeps the developer defaults in compose.dev.yaml: trust, guest, no Redis password, standard ports', () => {
    const dev = withOverride(compose, devOverride).services;
    expect(dev.postgres.environment!.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    expect(dev.rabbitmq.environment!.BRIDGE_AMQP_LOCAL_GUEST).toBe('true');
    expect(dev.redis.command).toEqual(expect.not.arrayContaining([expect.stringContaining('requirepass')]));
    expect(dev.postgres.ports).toContain('127.0.0.1:5432:5432');
    expect(dev.redis.ports).toContain('127.0.0.1:6379:6379');
    expect(dev.rabbitmq.ports).toContain('127.0.0.1:5672:5672');
    expect(readFileSync(join(root, 'scripts', 'services-up.sh'), 'utf8')).toContain(
      '-f "$here/docker/compose.dev.yaml"',
    );
  });

  it('runs every bridge service from files the build produces, with a live healthcheck unless one-shot', () => {
    expect(bridgeServices.map(([name]) => name).sort()).toEqual(['gateway', 'migrate', 'worker']);
    for (const [name, service] of bridgeServices) {
      const script = service.command![1];
      const source = script.startsWith('dist/') ? script.replace(/^dist\/(.*)\.js$/, '$1.ts') : script;
      expect(existsSync(join(root, source))).toBe(true);
      if (name === 'migrate') expect(service.healthcheck).toEqual({ disable: true });
      else expect(service.healthcheck?.test?.join(' ')).toContain('/health/live');
    }
  });

  it("gives every bridge container docker/.env, the operator's agency files and writable CSV folders", () => {
    for (const [, service] of bridgeServices) {
      expect(service.env_file).toEqual([{ path: '.env', required: false }]);
      expect(service.volumes).toContain('${BRIDGE_AGENCY_DIR:-./agencies}:/etc/bridge/agencies:ro');
      expect(service.volumes).toContain('csv-drop:/var/lib/bridge/csv-drop');
    }
    expect(Object.keys(compose.volumes)).toContain('csv-drop');
    const dockerfile = dockerFile('Dockerfile');
    expect(dockerfile).toMatch(
      /^RUN mkdir -p \/var\/lib\/bridge\/csv-drop .*chown node:node \/var\/lib\/bridge\/csv-drop\nUSER node$/m,
    );
  });

  it('refuses to start without docker/.env, and starts on the secrets init-env.sh writes once and keeps', () => {
    const unset = containerEnv(services.gateway, {});
    expect(() => loadConfig(unset)).toThrow(ConfigError);
    expect(() => loadConfig(unset)).toThrow(/BRIDGE_SECRET_KEY/);

    const { first, second, keyFile } = initEnv();
    expect(second).toEqual(first);
    expect(keyFile).toBe('');
    expect(first.BRIDGE_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    const config = loadConfig(containerEnv(services.worker, { ...first, LOG_LEVEL: 'debug' }));
    const database = new URL(config.databaseUrl);
    expect([database.host, database.username, database.password]).toEqual([
      'postgres:5432',
      'bridge',
      first.BRIDGE_DB_PASSWORD,
    ]);
    expect(new URL(config.redisUrl).password).toBe(first.REDIS_PASSWORD);
    expect(new URL(config.amqpUrl).username).toBe('bridge');
    expect(config).toMatchObject({ port: 3000, logLevel: 'debug', namespace: '' });
    // The services take their passwords from the same file.
    const withSecrets = interpolateAll(compose, first) as Compose;
    expect(withSecrets.services.postgres.environment!.BRIDGE_DB_PASSWORD).toBe(first.BRIDGE_DB_PASSWORD);
    expect(withSecrets.services.redis.environment!.REDIS_PASSWORD).toBe(first.REDIS_PASSWORD);
    expect(withSecrets.services.rabbitmq.environment!.BRIDGE_AMQP_PASSWORD).toBe(first.BRIDGE_AMQP_PASSWORD);
    expect(withSecrets.services.grafana.environment!.GF_SECURITY_ADMIN_PASSWORD).toBe(
      first.GRAFANA_ADMIN_PASSWORD,
    );
  });

  it('keeps docker/.env and the metrics key out of the image and out of git', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/.env', 'docker/prometheus/metrics-key']));
    const gitignored = readFileSync(join(root, '.gitignore'), 'utf8').split('\n');
    expect(gitignored).toEqual(expect.arrayContaining(['docker/.env', 'docker/prometheus/metrics-key']));
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = dockerFile('Dockerfile');

  it('builds in stages on node:22-bookworm-slim and ships only production dependencies and the build', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    expect([...dockerfile.matchAll(/^FROM (\S+)(?: AS (\w+))?/gm)].map((m) => m[2])).toEqual([
      'deps',
      'build',
      'runtime',
    ]);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toContain('npm ci --omit=dev');
    const copied = [...runtime.matchAll(/^COPY (?:--from=build )?(.+) \S+$/gm)].map((m) => m[1]);
    expect(copied).toEqual(['package.json package-lock.json', '/app/dist', '/app/bin', '/app/config']);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production/m);
  });

  it('runs as a non-root user and checks /health/live with node', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*CMD \["node", "-e", ".*\/health\/live/m);
  });
});

/** The parts of a RabbitMQ definitions file the bridge's topology is compared with. */
interface Definitions {
  exchanges: {
    name: string;
    vhost: string;
    type: string;
    durable: boolean;
    auto_delete: boolean;
    internal: boolean;
    arguments: Record<string, string>;
  }[];
  queues: { name: string; durable: boolean; arguments: Record<string, string> }[];
  bindings: { source: string; destination: string; routing_key: string }[];
}

describe('docker/rabbitmq', () => {
  const renderDir = mkdtempSync(join(tmpdir(), 'bridge-rabbitmq-definitions-'));
  /** What declareBridgeTopology asks the broker for, recorded from a channel that only listens. */
  async function declaredTopology() {
    const calls: { method: string; args: unknown[] }[] = [];
    const record =
      (method: string) =>
      async (...args: unknown[]) =>
        void calls.push({ method, args });
    const channel = {
      assertExchange: record('exchange'),
      assertQueue: record('queue'),
      bindQueue: record('bind'),
    };
    await declareBridgeTopology(channel as unknown as Channel, bridgeTopologyNames(), 'quorum');
    return calls;
  }

  function renderedDefinitions(env: Record<string, string>) {
    const script = join(root, 'docker', 'rabbitmq', 'render-definitions.sh');
    const body = readFileSync(script, 'utf8')
      .replace(
        '/etc/rabbitmq/definitions.template.json',
        join(root, 'docker', 'rabbitmq', 'definitions.json'),
      )
      .replace('out_dir=/tmp/rabbitmq-definitions', 'out_dir=$OUT_DIR')
      .replace(/exec docker-entrypoint\.sh "\$@"/, 'cat "$out_dir/definitions.json"');
    const out = execFileSync('sh', ['-c', body], {
      env: { ...env, OUT_DIR: renderDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.toString()) as Record<string, Record<string, unknown>[]>;
  }

  afterAll(() => rmSync(renderDir, { recursive: true, force: true }));

  it('declares exactly what the bridge declares, arguments included', async () => {
    const definitions = JSON.parse(dockerFile('rabbitmq/definitions.json')) as Definitions;
    const calls = await declaredTopology();
    const exchanges = calls
      .filter((c) => c.method === 'exchange')
      .map(({ args: [name, type, o] }) => ({ name, type, o }));
    expect(
      definitions.exchanges.map((x) => ({
        name: x.name,
        type: x.type,
        o: {
          durable: x.durable,
          ...(x.arguments['alternate-exchange']
            ? { alternateExchange: x.arguments['alternate-exchange'] }
            : {}),
        },
      })),
    ).toEqual(exchanges);
    expect(definitions.exchanges.every((x) => !x.auto_delete && !x.internal && x.vhost === '/')).toBe(true);

    const queues = calls
      .filter((c) => c.method === 'queue')
      .map((c) => ({ name: c.args[0], ...(c.args[1] as object) }));
    expect(
      definitions.queues.map((q) => ({ name: q.name, durable: q.durable, arguments: q.arguments })),
    ).toEqual(queues);
    expect(
      definitions.queues.find((q) => q.name === BRIDGE_POSTAL_INBOUND_QUEUE)!.arguments['x-queue-type'],
    ).toBe('quorum');

    const bindings = calls.filter((c) => c.method === 'bind').map((c) => c.args);
    expect(definitions.bindings.map((b) => [b.destination, b.source, b.routing_key])).toEqual(bindings);
  });

  it('gives queues and exchanges made before the delivery limit and the alternate exchange both, by policy', () => {
    const definitions = JSON.parse(dockerFile('rabbitmq/definitions.json')) as Definitions & {
      policies: { pattern: string; 'apply-to': string; definition: Record<string, unknown> }[];
    };
    const policyOf = (name: string, applyTo: string) =>
      definitions.policies.find((p) => p['apply-to'] === applyTo && new RegExp(p.pattern).test(name))
        ?.definition;
    expect(policyOf(BRIDGE_POSTAL_INBOUND_QUEUE, 'queues')).toEqual({
      'delivery-limit': POSTAL_INBOUND_DELIVERY_LIMIT,
    });
    expect(policyOf('bridge.events', 'exchanges')).toEqual({
      'alternate-exchange': 'bridge.events.unroutable',
    });
    // Anchored: a namespaced installation's or another application's names are not touched.
    expect(policyOf(`x.${BRIDGE_POSTAL_INBOUND_QUEUE}`, 'queues')).toBeUndefined();
    expect(policyOf('bridge.events.unroutable', 'exchanges')).toBeUndefined();
  });

  it('renders the bridge user with the password from the environment, and guest only when asked', () => {
    const production = renderedDefinitions({ BRIDGE_AMQP_PASSWORD: 'Strong.pass_1-~' });
    expect(production.users).toEqual([{ name: 'bridge', password: 'Strong.pass_1-~', tags: '' }]);
    expect(production.permissions.map((p) => p.user)).toEqual(['bridge']);

    const local = renderedDefinitions({ BRIDGE_AMQP_PASSWORD: 'x', BRIDGE_AMQP_LOCAL_GUEST: 'true' });
    expect(local.users.map((u) => u.name)).toEqual(['guest', 'bridge']);
    expect(() => renderedDefinitions({ BRIDGE_AMQP_PASSWORD: 'a"b' })).toThrow(/letters, digits/);
    expect(() => renderedDefinitions({})).toThrow(/BRIDGE_AMQP_PASSWORD must be set/);
  });

  it('loads the rendered definitions at boot', () => {
    expect(dockerFile('rabbitmq/rabbitmq.conf')).toMatch(
      /^load_definitions = \/tmp\/rabbitmq-definitions\/definitions\.json$/m,
    );
    expect(services.rabbitmq.entrypoint).toEqual(['sh', '/etc/rabbitmq/render-definitions.sh']);
    expect(services.rabbitmq.image).toBe('rabbitmq:3.13-management');
  });
});
