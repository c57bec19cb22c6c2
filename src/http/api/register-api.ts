import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parsePosition } from '../../ports/event-store/position.js';
import { ProjectionTimeoutError } from '../../projections/projection-runner.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';
import { mountRoute } from './api-route.js';
import { allows, ApiTokens, bearerToken } from './api-tokens.js';
import { parseInput, positionText } from './input.js';
import { generationRoutes } from './routes/generation-routes.js';
import { statsRoutes } from './routes/stats-routes.js';
import { userRoutes } from './routes/user-routes.js';

export const API_PREFIX = '/api/v1';
/** The header form of `?atPosition=`, for clients that cannot touch the query string. */
export const AT_POSITION_HEADER = 'x-at-position';
const DEFAULT_WAIT_MS = 5000;
const DEFAULT_UNAUTHENTICATED_LIMIT = 30;
const TOKEN_KEY = 'token:';

/** A valid token's bucket is the token's; anything else shares its client address's bucket. */
function rateLimitKey(request: FastifyRequest): string {
  return request.apiPrincipal
    ? `${TOKEN_KEY}${request.apiPrincipal.tokenId}`
    : `address:${normalizeIP(request.ip)}`;
}

const atPositionInput = z.object({ atPosition: positionText.optional() });

/**
 * The analysts' and admins' read API under `/api/v1`, its OpenAPI document at `/docs`. Every route
 * needs a bearer token (analyst ⊂ admin), is rate-limited per token, validates its input with zod
 * and answers errors as `{error:{code,message}}`. Call before `listen`.
 */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const tokens = new ApiTokens(deps.tokens);
  const unauthenticatedLimit =
    deps.unauthenticatedRateLimitPerMinute ??
    Math.min(deps.rateLimitPerMinute, DEFAULT_UNAUTHENTICATED_LIMIT);
  if (tokens.isEmpty)
    deps.log.warn(
      'ANALYST_API_TOKENS and ADMIN_API_TOKENS are empty: every /api/v1 request is refused',
    );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'UGC Studio analytics API',
        version: '1',
        description:
          'Read-only access to the read models and the event log. Bearer tokens come from ANALYST_API_TOKENS (aggregates and generations) and ADMIN_API_TOKENS (also users, credit ledgers, credit audits and raw events). Errors: `{"error":{"code","message"}}`; 400 bad input, 401 no or unknown token, 403 wrong scope, 429 rate limit (per token, API_RATE_LIMIT_PER_MINUTE; without a valid token per client address, API_UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE), 504 when `atPosition` was not reached in time. Every endpoint takes `atPosition=<commit>:<prepare>` (or the `X-At-Position` header) to read its own writes.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    // Only the API's own routes are documented, not health checks or the webhook.
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(
    async (api) => {
      // zod validates in the handlers (with the house error shape); the JSON schemas are docs only.
      api.setValidatorCompiler(() => (data: unknown) => ({ value: data }));

      // Who is asking comes first, without refusing anyone yet: the rate limit needs it for its
      // key.
      api.addHook('onRequest', async (request) => {
        const token = bearerToken(request.headers.authorization);
        request.apiToken = token;
        request.apiPrincipal = token === undefined ? undefined : tokens.authenticate(token);
      });

      // Then the limit, as an instance hook so it runs before the refusal below: requests without a
      // valid token (none, unknown, malformed) are counted per client address and get 429 once it
      // is spent, so guessing tokens is throttled; a valid token has its own, larger budget, which
      // a
      // stranger on the same address cannot spend. (The plugin's default `global` mode adds a route
      // hook, which fastify runs after instance hooks — after a 401, i.e. never for bad tokens.)
      await api.register(rateLimit, {
        global: false,
        timeWindow: 60_000,
        keyGenerator: (request: FastifyRequest) => rateLimitKey(request),
        max: (_request: FastifyRequest, key: string) =>
          key.startsWith(TOKEN_KEY) ? deps.rateLimitPerMinute : unauthenticatedLimit,
        errorResponseBuilder: (_request, context) =>
          new ApiError(
            429,
            'RATE_LIMITED',
            `Rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`,
          ),
      });
      api.addHook('onRequest', api.rateLimit());

      api.addHook('onRequest', async (request, reply) => {
        const scope = request.routeOptions.config.apiScope;
        if (!scope) return;
        const principal = request.apiPrincipal;
        if (!principal) {
          void reply.header('www-authenticate', 'Bearer');
          throw new ApiError(
            401,
            'UNAUTHORIZED',
            request.apiToken === undefined
              ? 'Send a bearer token: Authorization: Bearer <token>'
              : 'Unknown token',
          );
        }
        if (!allows(principal, scope))
          throw new ApiError(403, 'FORBIDDEN', `This endpoint needs an ${scope} token`);
      });

      api.addHook('preHandler', async (request) => {
        if (!request.routeOptions.config.apiScope) return;
        const header = request.headers[AT_POSITION_HEADER];
        const fromQuery = (request.query as Record<string, unknown> | undefined)?.atPosition;
        const raw = fromQuery ?? (typeof header === 'string' ? header : undefined);
        const { atPosition } = parseInput(
          atPositionInput,
          { atPosition: raw },
          fromQuery === undefined ? 'headers' : 'query',
        );
        if (!atPosition) return;
        const timeoutMs = deps.readYourWritesTimeoutMs ?? DEFAULT_WAIT_MS;
        try {
          await deps.projections.waitFor(parsePosition(atPosition), { timeoutMs });
        } catch (error) {
          if (error instanceof ProjectionTimeoutError) {
            throw new ApiError(
              504,
              'PROJECTION_TIMEOUT',
              `The read models did not reach ${atPosition} within ${timeoutMs} ms; retry shortly`,
              { cause: error },
            );
          }
          throw error;
        }
      });

      api.setNotFoundHandler(async (request, reply) =>
        reply.status(404).send({
          error: {
            code: 'NOT_FOUND',
            message: `No endpoint ${request.method} ${request.url.split('?')[0]}`,
          },
        }),
      );

      for (const route of [...statsRoutes(deps), ...generationRoutes(deps), ...userRoutes(deps)])
        mountRoute(api, route as Parameters<typeof mountRoute>[1]);
    },
    { prefix: API_PREFIX },
  );
}
