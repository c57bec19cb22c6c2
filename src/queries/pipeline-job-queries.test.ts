import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generationsWithJobStatus } from './pipeline-job-queries.js';
import { openQueryWorld, type QueryWorld } from '../testing/queries/query-world.js';

describe('pipeline job queries', () => {
  let world: QueryWorld;
  beforeAll(async () => {
    world = await openQueryWorld();
    await world.db
      .insertInto('pipeline_jobs')
      .values([
        { generation_id: 'g-delivered', user_id: '1', status: 'delivered' },
        { generation_id: 'g-running', user_id: '1', status: 'running' },
        { generation_id: 'g-refunded', user_id: '2', status: 'refunded' },
      ])
      .execute();
  });
  afterAll(() => world?.close());

  it('names which of the given generations have a job in one of the statuses', async () => {
    const finished = await generationsWithJobStatus(world.db, ['g-delivered', 'g-running', 'g-refunded', 'g-unknown'], ['delivered', 'refunded', 'abandoned']);
    expect(finished).toEqual(new Set(['g-delivered', 'g-refunded']));
  });

  it('asks nothing of the database for no generations', async () => {
    expect(await generationsWithJobStatus(world.db, [], ['delivered'])).toEqual(new Set());
  });
});
