import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyService, ApiPrincipal } from '../security';
import { bearerToken, checkCaller, INVALID_API_KEY_MESSAGE, TOO_MANY_WRONG_KEYS_MESSAGE } from '../security';

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
 * express router), deciding with the same check as the guard. A missing or wrong key gets 401
 * with a Basic challenge, so the browser asks for it; too many wrong keys 429; a key whose role
 * is neither operator nor admin gets 403 naming the role.
 */
export function operatorAuthMiddleware(
  apiKeys: ApiKeyService,
  realm = 'Postal One-Stop Bridge queues',
): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const key = apiKeyOfRequest(request.headers.authorization);
    checkCaller(apiKeys, key, request.ip, ['operator']).then((outcome) => {
      switch (outcome.kind) {
        case 'allowed':
          (request as Request & { principal?: ApiPrincipal }).principal = outcome.principal;
          next();
          return;
        case 'unauthenticated':
          response.setHeader('WWW-Authenticate', [`Basic realm="${realm}", charset="UTF-8"`, 'Bearer']);
          response
            .status(401)
            .json({ statusCode: 401, error: 'Unauthorized', message: INVALID_API_KEY_MESSAGE });
          return;
        case 'throttled':
          response.setHeader('Retry-After', String(outcome.retryAfterSeconds));
          response
            .status(429)
            .json({ statusCode: 429, error: 'Too Many Requests', message: TOO_MANY_WRONG_KEYS_MESSAGE });
          return;
        case 'forbidden':
          response.status(403).json({
            statusCode: 403,
            error: 'Forbidden',
            message: outcome.reason.replace('call this route', 'open the queue board'),
          });
      }
    }, next);
  };
}
