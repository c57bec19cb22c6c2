import { createReadStream } from 'node:fs';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import {
  BotApiError,
  badRequest,
  entityTooLarge,
  notFound,
  unauthorized,
} from './bot-api-error.js';
import { dispatch } from './dispatch.js';
import type { EmulatorState } from './emulator-state.js';
import type { MethodRegistry } from './methods/method-registry.js';
import { boundaryOf, MultipartError, parseMultipart } from './multipart-parser.js';
import { paramsFromRequest } from './request-params.js';

export interface BotApiServerOptions {
  readonly state: EmulatorState;
  readonly methods: MethodRegistry;
  readonly logger?: Logger;
}

const API_PATH = /^\/bot([^/]+)\/([^/]*)$/;
const FILE_PATH = /^\/file\/bot([^/]+)\/(.+)$/;

/**
 * The HTTP face of the emulator: `/bot<token>/<method>` for calls, `/file/bot<token>/<path>`
 * for downloads, Telegram's envelope for every answer — including parser failures and 404s,
 * which a stock fastify would answer in its own shape and grammY could not read.
 */
export function createBotApiServer({
  state,
  methods,
  logger,
}: BotApiServerOptions): FastifyInstance {
  const app = Fastify({
    // Without the assertion fastify infers the instance's logger type from pino's and no longer
    // matches FastifyInstance; the lint rule does not see that.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    ...(logger === undefined ? { logger: false } : { loggerInstance: logger as FastifyBaseLogger }),
    // Room for a 50 MB file plus the multipart framing; larger uploads get Telegram's 413.
    bodyLimit: state.limits.uploadBytes + 1024 * 1024,
    // grammY keeps connections alive; closing must not wait for them.
    forceCloseConnections: true,
  });
  registerBodyParsers(app);

  app.route({
    method: ['GET', 'POST'],
    url: '/*',
    handler: async (request, reply) => {
      const path = new URL(request.url, 'http://emulator').pathname;
      const api = API_PATH.exec(path);
      if (api !== null)
        return handleApiCall(request, reply, decodeURIComponent(api[1] ?? ''), api[2] ?? '');
      const file = FILE_PATH.exec(path);
      if (file !== null && request.method === 'GET')
        return handleDownload(
          reply,
          decodeURIComponent(file[1] ?? ''),
          decodeURIComponent(file[2] ?? ''),
        );
      return sendError(reply, notFound());
    },
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, notFound()));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error instanceof BotApiError) return sendError(reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413)
      return sendError(reply, entityTooLarge());
    if (error.statusCode !== undefined && error.statusCode < 500)
      return sendError(reply, badRequest(error.message));
    logger?.error({ err: error }, 'telegram emulator: request failed');
    return sendError(reply, new BotApiError(500, `Internal Server Error: ${error.message}`));
  });

  async function handleApiCall(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    method: string,
  ): Promise<unknown> {
    if (token !== state.token) return sendError(reply, unauthorized());
    const params = paramsFromRequest(request.query, request.body);
    const gone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    const outcome = await dispatch(state, methods, method, params, gone.signal, logger);
    if (outcome.kind === 'drop-connection') {
      reply.hijack();
      request.raw.socket.destroy();
      return undefined;
    }
    return reply.code(outcome.status).header('content-type', 'application/json').send(outcome.body);
  }

  async function handleDownload(
    reply: FastifyReply,
    token: string,
    filePath: string,
  ): Promise<unknown> {
    if (token !== state.token) return sendError(reply, unauthorized());
    const file = state.files.getByPath(filePath);
    // Files above the getFile limit never got a path, so they cannot be downloaded either.
    if (file === undefined || file.size > state.limits.getFileBytes)
      return sendError(reply, notFound());
    return reply
      .header('content-type', file.mimeType ?? 'application/octet-stream')
      .header('content-length', file.size)
      .send(createReadStream(file.diskPath));
  }

  return app;
}

function sendError(reply: FastifyReply, error: BotApiError): FastifyReply {
  return reply
    .code(error.errorCode)
    .header('content-type', 'application/json')
    .send(error.toEnvelope());
}

function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  // grammY posts `{}`-less calls (getMe) with an empty body now and then; that is not an error.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest("can't parse JSON request body"), undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    const boundary = boundaryOf(request.headers['content-type'] ?? '');
    if (boundary === undefined) return done(badRequest('multipart boundary is missing'), undefined);
    try {
      done(null, parseMultipart(body as Buffer, boundary));
    } catch (error) {
      done(
        error instanceof MultipartError
          ? badRequest(`can't parse multipart body: ${error.message}`)
          : (error as Error),
        undefined,
      );
    }
  });
  // Anything else (text/plain from a curious curl, no content type at all) is read as JSON if it is
  // JSON.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      const text = String(body).trim();
      done(null, text === '' ? {} : JSON.parse(text));
    } catch {
      done(null, {});
    }
  });
}
