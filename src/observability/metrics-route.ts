import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

/** `GET /metrics` in the Prometheus text format; meant for the scraper on the private network. */
export async function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
