import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyService, ApiPrincipal } from '../security';
import { bearerToken, INVALID_API_KEY_MESSAGE } from '../security';

/** Roles that may open the queue board. */
const BOARD_ROLES = new Set(['admin', 'operator']);

/**
 * The API key of a request: `Authorization: Bearer <key>`, or HTTP Basic with the key as the
 * password (any user name) so a browser's own sign-in prompt can open the board.
 */
export function apiKeyOfRequest(header: string | string[] | undefined): string | undefined {
  const bearer = bearerToken(header);
  if (bearer) return bearer;
  const value = Array.isArray(header) ? header[0] : header;
  const basic = value ? /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(value)?.[1] : undefined;
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  return password.trim() || undefined;
}

/**
 * Express middleware in front of routes Nest's guard does not see (Bull Board is a plain
 * express router). A missing or wrong key gets 401 with a Basic challenge, so the browser asks
 * for it; a key whose role is neither operator nor admin gets 403 naming the role.
 */
export function operatorAuthMiddleware(
  apiKeys: Pick<ApiKeyService, 'authenticate'>,
  realm = 'Postal One-Stop Bridge queues',
): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const key = apiKeyOfRequest(request.headers.authorization);
    const check: Promise<ApiPrincipal | null> = key ? apiKeys.authenticate(key) : Promise.resolve(null);
    check.then(
      (principal) => {
        if (!principal) {
          response.setHeader('WWW-Authenticate', [`Basic realm="${realm}", charset="UTF-8"`, 'Bearer']);
          response
            .status(401)
            .json({ statusCode: 401, error: 'Unauthorized', message: INVALID_API_KEY_MESSAGE });
          return;
        }
        if (!BOARD_ROLES.has(principal.role)) {
          response.status(403).json({
            statusCode: 403,
            error: 'Forbidden',
            message: `role ${principal.role} may not open the queue board (allowed: admin, operator)`,
          });
          return;
        }
        (request as Request & { principal?: ApiPrincipal }).principal = principal;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
