import {
  AdapterAuth,
  AdapterSpec,
  AdapterStore,
  CallContext,
  CompiledMapping,
  compileMapping,
  IntegrationError,
} from '@bridge/adapter-sdk';
import { mapHttpError, parseJsonBody } from './rest-errors';
import { RestHttpClient, RestResponse } from './rest-http-client';
import { joinUrl, RestAdapterOptions } from './rest-options';
import { CachedToken, TokenCache } from './rest-token-cache';

const DEFAULT_SESSION_TTL_MS = 30 * 60_000;

/**
 * Puts the agency's credentials on each request. Token kinds (OAuth2 client credentials,
 * session login) fetch and cache a token; after a 401 the caller asks for a fresh one once.
 */
export class RestAuthenticator {
  private readonly cache?: TokenCache;
  private readonly tokenPath?: CompiledMapping;
  private readonly auth: AdapterAuth;
  private readonly endpoint: string;

  constructor(
    spec: Pick<AdapterSpec, 'auth' | 'endpoint' | 'dates' | 'statusCodes' | 'limits'>,
    private readonly http: RestHttpClient,
    private readonly options: RestAdapterOptions,
    agencyCode: string,
    store: AdapterStore | undefined,
  ) {
    const auth = spec.auth;
    this.auth = auth;
    this.endpoint = spec.endpoint;
    if (auth.type === 'oauth2-client-credentials') {
      this.cache = new TokenCache(
        store,
        agencyCode,
        `oauth2|${auth.tokenUrl}|${auth.clientId}|${auth.scope ?? ''}`,
      );
    }
    if (auth.type === 'session-login') {
      this.cache = new TokenCache(store, agencyCode, `session|${auth.loginUrl}|${auth.username}`);
      // An expression from the agency file like any mapping, so with the same budget.
      this.tokenPath = compileMapping('auth.tokenPath', auth.tokenPath ?? 'token', {
        dates: spec.dates,
        statusCodes: spec.statusCodes,
        agency: agencyCode,
        limits: spec.limits,
      });
    }
  }

  /** Whether a 401 may be cured by fetching a new token. */
  get refreshable(): boolean {
    return this.cache !== undefined;
  }

  /** The headers that authenticate one request. */
  async headers(ctx: CallContext): Promise<Record<string, string>> {
    const auth = this.auth;
    switch (auth.type) {
      case 'none':
        return {};
      case 'api-key':
        return { [auth.header]: auth.key };
      case 'bearer':
        return { authorization: `Bearer ${auth.token}` };
      case 'basic':
        return { authorization: basic(auth.username, auth.password) };
      case 'oauth2-client-credentials':
        return { authorization: `Bearer ${await this.cache!.get(() => this.clientCredentials(auth, ctx))}` };
      case 'session-login': {
        const token = await this.cache!.get(() => this.login(auth, ctx));
        return auth.header ? { [auth.header]: token } : { authorization: `Bearer ${token}` };
      }
      default:
        throw IntegrationError.permanent(`auth type "${auth.type}" is not supported by the rest adapter`);
    }
  }

  /** Drops the token the agency just refused, so the next `headers()` fetches a new one. */
  async invalidate(sentHeaders: Record<string, string>): Promise<void> {
    const sent = Object.values(sentHeaders)[0];
    if (this.cache && sent) await this.cache.invalidate(sent.replace(/^Bearer /, ''));
  }

  private async clientCredentials(
    auth: Extract<AdapterAuth, { type: 'oauth2-client-credentials' }>,
    ctx: CallContext,
  ): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    const response = await this.http.send(
      {
        operation: 'token',
        method: 'POST',
        url: joinUrl(this.endpoint, auth.tokenUrl),
        headers: { authorization: basic(auth.clientId, auth.clientSecret) },
        form,
        secretsInResponse: tokenLikeValues,
      },
      ctx,
    );
    const body = credentialAnswer(response, 'token endpoint') as {
      access_token?: unknown;
      expires_in?: unknown;
    };
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw IntegrationError.auth('token endpoint answered without an access_token');
    }
    const expiresIn = Number(body.expires_in);
    return {
      token: body.access_token,
      expiresAt: Date.now() + (expiresIn > 0 ? expiresIn * 1000 : DEFAULT_SESSION_TTL_MS),
    };
  }

  private async login(
    auth: Extract<AdapterAuth, { type: 'session-login' }>,
    ctx: CallContext,
  ): Promise<CachedToken> {
    const userField = this.options.login?.usernameField ?? 'username';
    const passwordField = this.options.login?.passwordField ?? 'password';
    const response = await this.http.send(
      {
        operation: 'login',
        method: 'POST',
        url: joinUrl(this.endpoint, auth.loginUrl),
        json: { [userField]: auth.username, [passwordField]: auth.password },
        recordedBody: JSON.stringify({ [userField]: auth.username, [passwordField]: '***' }),
        secretsInResponse: tokenLikeValues,
      },
      ctx,
    );
    const body = credentialAnswer(response, 'login');
    const extracted: unknown = await this.tokenPath!(body);
    const token = typeof extracted === 'string' ? extracted : '';
    if (!token)
      throw IntegrationError.auth(`login answered without a token at "${auth.tokenPath ?? 'token'}"`);
    return { token, expiresAt: Date.now() + (this.options.login?.tokenTtlMs ?? DEFAULT_SESSION_TTL_MS) };
  }
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Values of every JSON field whose name mentions a token, to keep them out of the message log. */
export function tokenLikeValues(text: string): string[] {
  return [...text.matchAll(/"[^"]*token[^"]*"\s*:\s*"([^"]+)"/gi)].map((m) => m[1]);
}

/** A refused login or token request is a configuration problem (AUTH), unless the agency is unwell. */
function credentialAnswer(response: RestResponse, what: string): unknown {
  if (response.status >= 400) {
    const error = mapHttpError(response.status, response.headers, response.bodyText);
    if (error.transient) throw error;
    throw IntegrationError.auth(`${what} refused our credentials: ${error.message}`, {
      vendorCode: error.vendorCode,
    });
  }
  return parseJsonBody(response.status, response.headers, response.bodyText);
}
