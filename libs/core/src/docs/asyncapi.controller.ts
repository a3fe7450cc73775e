import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { stringify } from 'yaml';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { BRIDGE_TOPOLOGY_NAMES, BridgeTopologyNames } from '@bridge/messaging';
import { AsyncApiDocument, buildAsyncApiDocument } from '@bridge/domain';
import { Public } from '../security';

/**
 * The AsyncAPI document of the AMQP contract, open like the OpenAPI docs: the postal backend's
 * developers read it before they have a key. Built on the first request and kept (it only
 * changes with the code); a process nobody asks for it does not hold it in memory.
 */
@ApiTags('docs')
@Controller()
@Public()
export class AsyncApiController {
  private document?: AsyncApiDocument;
  private yaml?: string;

  constructor(
    @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology: BridgeTopologyNames,
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
  ) {}

  @Get('asyncapi')
  @ApiOperation({ summary: 'AsyncAPI 3.0 document of the AMQP contract (JSON)' })
  @ApiResponse({ status: 200, description: 'postal.inbound types in, bridge.events types out' })
  json(): AsyncApiDocument {
    this.document ??= withInstallationExchanges(
      buildAsyncApiDocument({ brokerHost: brokerHostOf(this.config.amqpUrl) }),
      this.topology,
    );
    return this.document;
  }

  @Get('asyncapi.yaml')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  @ApiOperation({ summary: 'The same AsyncAPI document as YAML' })
  @ApiProduces('application/yaml')
  yamlDocument(): string {
    this.yaml ??= stringify(this.json(), { aliasDuplicateObjects: false });
    return this.yaml;
  }
}

/**
 * With BRIDGE_NAMESPACE set the exchanges carry a prefix (`<ns>.postal.inbound`); the document
 * names the exchanges this installation really uses.
 */
function withInstallationExchanges(doc: AsyncApiDocument, topology: BridgeTopologyNames): AsyncApiDocument {
  const rename: Record<string, string> = {
    'postal.inbound': topology.postalInboundExchange,
    'bridge.events': topology.bridgeEventsExchange,
  };
  if (Object.entries(rename).every(([from, to]) => from === to)) return doc;
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  const channels = (copy.channels ?? {}) as Record<
    string,
    { bindings?: { amqp?: { exchange?: { name?: string } } } }
  >;
  for (const channel of Object.values(channels)) {
    const exchange = channel.bindings?.amqp?.exchange;
    if (exchange?.name && rename[exchange.name]) exchange.name = rename[exchange.name];
  }
  return copy as AsyncApiDocument;
}

/** `host:port` of the broker, never its credentials. */
function brokerHostOf(amqpUrl: string): string | undefined {
  try {
    const url = new URL(amqpUrl);
    return `${url.hostname}:${url.port || (url.protocol === 'amqps:' ? '5671' : '5672')}`;
  } catch {
    return undefined;
  }
}
