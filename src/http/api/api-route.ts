import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ApiPrincipal, ApiScope } from './api-tokens.js';
import { openApiSchema, parseInput } from './input.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope an API route needs; routes without one are not API routes. */
    apiScope?: ApiScope;
  }
  interface FastifyRequest {
    apiPrincipal?: ApiPrincipal;
    /** The bearer token presented, valid or not (undefined when none was). */
    apiToken?: string;
  }
}

export interface ApiRouteInput<Query, Params> {
  readonly query: Query;
  readonly params: Params;
  /** The JSON body of a POST route with a `body` schema, validated by it. */
  readonly body: unknown;
  readonly principal: ApiPrincipal;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * One endpoint (GET unless it says POST): its scope, its documentation and its zod-validated input.
 */
export interface ApiRoute<Query, Params> {
  readonly method?: 'GET' | 'POST';
  readonly url: string;
  readonly scope: ApiScope;
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  readonly query: z.ZodType<Query>;
  readonly params?: z.ZodType<Params>;
  readonly body?: z.ZodType;
  handle(input: ApiRouteInput<Query, Params>): Promise<unknown>;
}

export const defineRoute = <Query, Params = Record<string, never>>(
  route: ApiRoute<Query, Params>,
) => route;

const errorBody = (description: string) => ({
  description,
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
});

/** Documented answers of every route; the 200 body is described in prose, not constrained. */
const responses = {
  200: { description: 'OK', type: 'object', additionalProperties: true },
  400: errorBody('Bad input: the message names the parameter'),
  401: errorBody('No bearer token, or an unknown one'),
  403: errorBody('The token lacks the scope this endpoint needs'),
  404: errorBody('No such resource'),
  409: errorBody('Conflicts with what was done already (e.g. a payment refunded already)'),
  429: errorBody('Rate limit per token exceeded; see retry-after'),
  502: errorBody('An upstream service (Telegram) refused; nothing was recorded'),
  503: errorBody('Not available on this instance'),
  504: errorBody('`atPosition` was not reached by the read models in time'),
};

const scopeNote: Record<ApiScope, string> = {
  analyst: 'Scope: analyst (admin tokens work too).',
  admin: 'Scope: admin only.',
};

export function mountRoute<Query, Params>(
  app: FastifyInstance,
  route: ApiRoute<Query, Params>,
): void {
  app.route({
    method: route.method ?? 'GET',
    url: route.url,
    config: { apiScope: route.scope },
    schema: {
      tags: [route.tag],
      summary: route.summary,
      description: `${route.description}\n\n${scopeNote[route.scope]}`,
      querystring: openApiSchema(route.query),
      ...(route.params ? { params: openApiSchema(route.params) } : {}),
      ...(route.body ? { body: openApiSchema(route.body) } : {}),
      security: [{ bearerAuth: [] }],
      response: responses,
    },
    handler: async (request, reply) => {
      const query = parseInput(route.query, request.query, 'query');
      const params = route.params
        ? parseInput(route.params, request.params, 'params')
        : ({} as Params);
      const body = route.body ? parseInput(route.body, request.body ?? {}, 'body') : undefined;
      // The auth hook ran first; a route reached without a principal is a wiring bug.
      if (!request.apiPrincipal) throw new Error('API route reached without authentication');
      return route.handle({ query, params, body, principal: request.apiPrincipal, request, reply });
    },
  });
}
