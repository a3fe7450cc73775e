import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Where the OpenAPI document is served: Swagger UI at `/docs`, the JSON at `/docs-json`. */
export const API_DOCS_PATH = 'docs';

/** The OpenAPI document of every controller the app has. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Postal One-Stop Bridge')
    .setDescription(
      [
        'HTTP API of the bridge between the postal tracking system and the one-stop (một cửa) software of each agency.',
        'Authenticate with `Authorization: Bearer <api key>`. Roles: `admin` (everything), `operator` (ops, reading),',
        '`postal` (postal events in, dossier look-ups), `agency:<code>` (callbacks for that agency only).',
        'Health probes, these docs and `/asyncapi` are open; `/metrics` is open only when BRIDGE_METRICS_PUBLIC=true.',
        'Errors: a 4xx names the field and the rule; a 500 carries only an `errorId` that the log holds.',
        'The AMQP side (postal.inbound in, bridge.events out) is described by the AsyncAPI document at `/asyncapi`.',
      ].join(' '),
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An API key created with `bridge keys create`',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Mounts Swagger UI at `/docs` and the JSON at `/docs-json`. They are plain HTTP routes outside
 * the controllers, so the API-key guard does not apply: the docs are readable without a key.
 * The document is built on the first request for it and kept: a process that nobody asks for
 * its docs neither spends start-up time on it nor holds it in memory.
 * Call it after the app is created and before `listen` / `init`.
 */
export function setupApiDocs(app: INestApplication): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${API_DOCS_PATH}-json`,
    customSiteTitle: 'Postal One-Stop Bridge — API',
    swaggerOptions: { persistAuthorization: true },
  });
}
