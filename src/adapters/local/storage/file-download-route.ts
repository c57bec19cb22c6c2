import { basename } from 'node:path';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseRangeHeader } from './byte-range.js';
import { contentDisposition } from '../../../ports/file-storage/content-disposition.js';
import { maxDownloadTokenLength } from './download-token.js';
import type { LocalFileStorage } from './local-file-storage.js';
import {
  InvalidDownloadTokenError,
  StorageObjectNotFoundError,
} from '../../../ports/file-storage/file-storage-errors.js';

export interface FileDownloadOptions {
  /** Where links point (must match the storage's `downloadPath`); default `/files`. */
  readonly prefix?: string;
}

// A wildcard rather than `/:token`: fastify refuses parameters over 100 characters with 414,
// and a token carrying a key and a file name is often longer.
const paramsSchema = z.object({
  '*': z
    .string()
    .min(1)
    .max(maxDownloadTokenLength)
    .regex(/^[^/]+$/),
});

interface PluginOptions {
  readonly storage: LocalFileStorage;
}

/**
 * Serves the storage's signed links: `GET|HEAD <prefix>/<token>`. Answers never say why a link
 * failed beyond 403/404 and never carry paths or stack traces; the log has the details.
 */
export const fileDownloadsPlugin: FastifyPluginAsync<PluginOptions> = async (app, { storage }) => {
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ stage: 'storage', err: error }, 'file download failed');
    if (!reply.sent)
      void reply.code(500).type('application/json').send({ error: 'internal_error' });
  });
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    exposeHeadRoute: false,
    handler: (request, reply) => serve(storage, request, reply),
  });
};

/** Mounts the download route; awaiting it is optional before `app.ready()`/`listen()`. */
export function registerFileDownloads(
  app: FastifyInstance,
  storage: LocalFileStorage,
  options: FileDownloadOptions = {},
) {
  const prefix = `/${(options.prefix ?? '/files').replace(/^\/+|\/+$/g, '')}`;
  return app.register(fileDownloadsPlugin, { storage, prefix });
}

async function serve(
  storage: LocalFileStorage,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const log = request.log;
  const params = paramsSchema.safeParse(request.params);
  if (!params.success) return deny(reply, 403);

  let grant;
  try {
    grant = await storage.verifyDownload(params.data['*']);
  } catch (error) {
    if (error instanceof InvalidDownloadTokenError) {
      log.info({ stage: 'storage', problem: error.problem }, 'download link rejected');
      return deny(reply, 403);
    }
    throw error;
  }

  const info = await storage.stat(grant.key);
  if (!info) {
    log.info({ stage: 'storage', key: grant.key }, 'download link names a missing file');
    return deny(reply, 404);
  }

  const remainingSec = Math.max(0, grant.expiresAt - Math.floor(Date.now() / 1000));
  void reply
    .header('Accept-Ranges', 'bytes')
    .header('Content-Type', info.contentType)
    .header('Last-Modified', info.modifiedAt.toUTCString())
    // The link is the credential: keep it out of shared caches and out of Referer headers.
    .header('Cache-Control', `private, max-age=${remainingSec}`)
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header(
      'Content-Disposition',
      grant.downloadName !== undefined
        ? contentDisposition('attachment', grant.downloadName)
        : contentDisposition('inline', basename(grant.key)),
    );

  const range = parseRangeHeader(
    typeof request.headers.range === 'string' ? request.headers.range : undefined,
    info.sizeBytes,
  );
  if (range.kind === 'unsatisfiable') {
    return reply
      .code(416)
      .header('Content-Range', `bytes */${info.sizeBytes}`)
      .header('Content-Type', 'application/json')
      .send({ error: 'range_not_satisfiable' });
  }
  const head = request.method === 'HEAD';
  try {
    if (range.kind === 'partial') {
      void reply
        .code(206)
        .header('Content-Range', `bytes ${range.start}-${range.end}/${info.sizeBytes}`)
        .header('Content-Length', String(range.end - range.start + 1));
      return head ? reply.send() : reply.send(await storage.openRead(grant.key, range));
    }
    void reply.code(200).header('Content-Length', String(info.sizeBytes));
    return head || info.sizeBytes === 0
      ? reply.send()
      : reply.send(await storage.openRead(grant.key));
  } catch (error) {
    // Deleted between the stat and the open (a cleanup job): the same answer as before.
    if (error instanceof StorageObjectNotFoundError) {
      reply.removeHeader('Content-Range');
      reply.removeHeader('Content-Disposition');
      return deny(reply, 404);
    }
    throw error;
  }
}

function deny(reply: FastifyReply, status: 403 | 404): FastifyReply {
  for (const header of [
    'Content-Disposition',
    'Content-Range',
    'Content-Length',
    'Last-Modified',
    'Accept-Ranges',
  ])
    reply.removeHeader(header);
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('application/json')
    .send({ error: status === 403 ? 'link_invalid_or_expired' : 'file_not_found' });
}
