import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineWorld, until } from '../testing/pipeline/pipeline-world.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await PipelineWorld.pglite();
});

afterAll(async () => {
  await world?.close();
});

const progressOf = (generationId: string) =>
  world.notifier.progressUpdates.filter((update) => update.generationId === generationId);

describe('the progress message says when a generation was resumed', () => {
  it('after a crash (the lease ran out): every update of the new run says resumed, none of the first run did', async () => {
    world.providers.talkingHead.script = ['block'];
    const a = world.pipeline();
    a.start();
    const requested = await world.request({
      format: 'talking_head',
      text: 'resume flag after a crash',
    });
    await until(
      () => world.providers.talkingHead.count(requested.text) === 1,
      10_000,
      'the talking head to start',
    );
    a.halt();
    const before = progressOf(requested.generationId).length;
    expect(before).toBeGreaterThan(0);
    expect(progressOf(requested.generationId).some((update) => update.resumed)).toBe(false);

    const b = world.pipeline();
    b.start();
    expect(await world.settled(requested.generationId)).toBe('delivered');
    await b.stop();
    const after = progressOf(requested.generationId).slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((update) => update.resumed === true)).toBe(true);
  });

  it('after a graceful stop (the job was released): the next run says resumed', async () => {
    world.providers.compositor.script = ['block'];
    const a = world.pipeline();
    a.start();
    const requested = await world.request({
      format: 'background',
      text: 'resume flag after a stop',
    });
    await until(
      () => world.providers.compositor.count(requested.text) === 1,
      10_000,
      'the compositor to start',
    );
    await a.stop();
    const before = progressOf(requested.generationId).length;
    const b = world.pipeline();
    b.start();
    expect(await world.settled(requested.generationId)).toBe('delivered');
    await b.stop();
    expect(
      progressOf(requested.generationId)
        .slice(before)
        .every((update) => update.resumed === true),
    ).toBe(true);
  });

  it('a retry after a failed step is not a resume, and neither is a first run', async () => {
    world.providers.speech.script = [new Error('speech service hiccup')];
    const a = world.pipeline();
    a.start();
    const requested = await world.request({
      format: 'talking_head',
      text: 'no resume flag on a retry',
    });
    expect(await world.settled(requested.generationId)).toBe('delivered');
    await a.stop();
    expect(world.providers.speech.count(requested.text)).toBe(2);
    expect(progressOf(requested.generationId).some((update) => update.resumed)).toBe(false);
  });
});
