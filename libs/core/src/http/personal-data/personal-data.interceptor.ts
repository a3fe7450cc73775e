import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, map, mergeMap } from 'rxjs';
import { MessageLogService } from '../../audit';
import { maskPersonalValues } from '../../logging';
import { isUuid } from '../../common/uuid';
import type { AuthenticatedRequest } from '../../security';

/** Metadata key of {@link Revealable}. */
export const REVEALABLE_KEY = 'bridge:revealable';

/**
 * Marks a route that answers one record (named by its one path parameter) whose personal data
 * an admin may see in full with `?reveal=true`; the value names the kind of record in the
 * audit entry. The handler itself must then answer unmasked (this interceptor only stops
 * masking what it is given).
 */
export const Revealable = (record: string) => SetMetadata(REVEALABLE_KEY, record);

/** Paths whose answers are masked: everything operators read about dossiers and messages. */
export const MASKED_PATH_PREFIXES = ['/api/v1/ops', '/api/v1/dossiers'] as const;

/** Operation of the message-log entry that records a reveal. */
export const REVEAL_OPERATION = 'personal-data.revealed';

function masked(path: string): boolean {
  return MASKED_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Masks citizen ids, phone numbers and personal tax codes in every answer under
 * {@link MASKED_PATH_PREFIXES}, whichever controller produced it, so a new route is masked
 * without doing anything. `?reveal=true` on a {@link Revealable} route lets an admin (no other
 * role) see that one record in full, and is itself written to the message log — who, which
 * record, when — before the answer leaves; no entry, no answer.
 */
@Injectable()
export class PersonalDataInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(MessageLogService) private readonly messageLog: MessageLogService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!masked(request.path)) return next.handle();
    const reveal = (request.query as Record<string, unknown> | undefined)?.reveal;
    if (reveal === undefined) return next.handle().pipe(map((body) => maskPersonalValues(body)));

    if (reveal !== 'true') throw new BadRequestException('reveal: must be "true" when given');
    const record = this.reflector.get<string | undefined>(REVEALABLE_KEY, context.getHandler());
    if (!record)
      throw new BadRequestException(
        'reveal: not offered on this route; personal data is revealed one record at a time (GET /api/v1/ops/dead-letters/:id or /api/v1/dossiers/:ref with ?reveal=true)',
      );
    const principal = request.principal;
    if (principal?.role !== 'admin')
      throw new ForbiddenException(
        `role ${principal?.role ?? 'none'} may not reveal personal data (allowed: admin)`,
      );
    const id = Object.values(request.params as Record<string, string>).join(' ');
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const answer = body as { dossierId?: unknown; dossier?: { id?: unknown } } | null;
        const dossierId = answer?.dossierId ?? answer?.dossier?.id;
        await this.messageLog.append([
          {
            channel: 'operator',
            direction: 'inbound',
            operation: REVEAL_OPERATION,
            dossierId: typeof dossierId === 'string' && isUuid(dossierId) ? dossierId : undefined,
            status: 'ok',
            body: JSON.stringify({
              by: `${principal.role}:${principal.name}`,
              keyId: principal.keyId,
              record: `${record} ${id}`,
              path: request.path,
            }),
          },
        ]);
        return body;
      }),
    );
  }
}
