import {
  KurrentDBClient,
  START,
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
  type Position,
} from '@kurrent/kurrentdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventStoreDbFake, type EventStoreDbFake } from './index.js';

/** The fake driven by the real client directly, for what the adapter itself does not use. */
describe('EventStoreDB fake over the wire', () => {
  let fake: EventStoreDbFake;
  let client: KurrentDBClient;

  beforeAll(async () => {
    fake = await startEventStoreDbFake();
    client = KurrentDBClient.connectionString(fake.url.replace('esdb://', 'kurrentdb://'));
  });
  afterAll(async () => {
    await client?.dispose();
    await fake?.close();
  });

  it('a filtered subscription to $all sends checkpoints every window × multiplier scanned events, matched or not', async () => {
    const checkpoints: Position[] = [];
    const seen: string[] = [];
    for (let n = 0; n < 20; n += 1)
      await client.appendToStream(`noise-${n}`, [jsonEvent({ type: 'Noise', data: { n } })]);
    await client.appendToStream('wanted-1', [jsonEvent({ type: 'Wanted', data: {} })]);
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({
        prefixes: ['wanted-'],
        maxSearchWindow: 4,
        checkpointInterval: 2,
        checkpointReached: (_sub, position) => void checkpoints.push(position),
      }),
    });
    for await (const resolved of subscription) {
      seen.push(resolved.event!.streamId);
      break;
    }
    await subscription.unsubscribe();
    expect(seen).toEqual(['wanted-1']);
    // 3 events of the server's own, then 20 of noise: the 8th and 16th scanned are checkpoints.
    const records = fake.log.all;
    expect(checkpoints.map((position) => position.commit)).toEqual([
      records[7]!.position,
      records[15]!.position,
    ]);
  });

  it('filters $all reads on the server by event-type regex, with count bounding the matches', async () => {
    const read: string[] = [];
    for await (const resolved of client.readAll({
      fromPosition: START,
      maxCount: 2,
      filter: eventTypeFilter({ regex: '^(Noise|Wanted)$' }),
    })) {
      read.push(resolved.event!.type);
    }
    expect(read).toEqual(['Noise', 'Noise']);
  });

  it('answers a stream that does not exist with the stream-not-found error the client maps', async () => {
    const error = await (async () => {
      for await (const _ of client.readStream('nowhere')) return undefined;
      return undefined;
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'stream-not-found' });
  });
});
