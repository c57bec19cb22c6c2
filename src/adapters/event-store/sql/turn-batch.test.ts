import { describe, expect, it } from 'vitest';
import { TurnBatch } from './turn-batch.js';

function recordingBatch(failMany = false) {
  const one: string[] = [];
  const many: string[][] = [];
  const batch = new TurnBatch<string, string>(
    async (request) => {
      one.push(request);
      return `one:${request}`;
    },
    async (requests) => {
      many.push([...requests]);
      if (failMany) throw new Error('connection lost');
      return requests.map((request) => `many:${request}`);
    },
  );
  return { batch, one, many };
}

describe('TurnBatch', () => {
  it('makes the requests of one turn one query, answering each in order', async () => {
    const { batch, one, many } = recordingBatch();
    const results = await Promise.all([batch.run('a'), batch.run('b'), batch.run('a')]);
    expect(results).toEqual(['many:a', 'many:b', 'many:a']);
    expect(many).toEqual([['a', 'b', 'a']]);
    expect(one).toEqual([]);
  });

  it('sends a lone request as it is, and a later turn gets a batch of its own', async () => {
    const { batch, one, many } = recordingBatch();
    expect(await batch.run('a')).toBe('one:a');
    await Promise.all([batch.run('b'), batch.run('c')]);
    expect(one).toEqual(['a']);
    expect(many).toEqual([['b', 'c']]);
  });

  it('a failed query fails every request in it', async () => {
    const { batch } = recordingBatch(true);
    const runs = [batch.run('a'), batch.run('b')];
    for (const run of runs) await expect(run).rejects.toThrow('connection lost');
  });
});
