import { Module } from '@nestjs/common';
import { AsyncApiController } from './asyncapi.controller';

/**
 * `/asyncapi` and `/asyncapi.yaml`. The OpenAPI side (`/docs`, `/docs-json`) is mounted on the
 * app by {@link setupApiDocs}, since Swagger UI lives outside the controllers.
 */
@Module({ controllers: [AsyncApiController] })
export class DocsModule {}
