import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineWorld } from '../testing/pipeline/pipeline-world.js';

// Captions for the talking head are a step of their own after the video: the style the user
// picked is burned over whatever the talking-head provider made, and that captioned cut is what
// the user receives. Without captions (the old default) the video goes out as rendered.

describe('the pipeline, for a talking head with captions', () => {
  let world: PipelineWorld;
  beforeAll(async () => {
    world = await PipelineWorld.pglite();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('burns the picked style over the talking head and delivers the captioned cut', async () => {
    const pipeline = world.pipeline();
    pipeline.start();
    const { generationId, text } = await world.request({
      format: 'talking_head',
      captionStyle: 'boxed',
    });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();

    expect(await world.generationEventTypes(generationId)).toEqual([
      'GenerationStarted',
      'AudioSynthesized',
      'TalkingHeadRequested',
      'TalkingHeadGenerated',
      'SubtitlesBurned',
      'GenerationCompleted',
      'VideoSendAttempted',
      'VideoDelivered',
    ]);
    const { captions, compositor } = world.providers;
    expect(captions.calls).toEqual([text]);
    expect(captions.requests[0]).toMatchObject({
      style: 'boxed',
      words: text.split(' ').map((word) => expect.objectContaining({ word })),
    });
    expect(compositor.calls).toEqual([]);
    const events = await world.generationEvents(generationId);
    const completed = events.find((event) => event.type === 'GenerationCompleted');
    const burned = events.find((event) => event.type === 'SubtitlesBurned');
    expect(burned?.data).toMatchObject({ provider: 'fake-captions' });
    expect(completed?.data).toMatchObject({
      videoKey: (burned?.data as { videoKey: string }).videoKey,
      providers: { subtitles: 'fake-captions' },
    });
    const delivered = await world.storage.get((burned?.data as { videoKey: string }).videoKey);
    const content = Buffer.concat(await delivered.toArray()).toString('utf8');
    expect(content).toBe(`captions(head(audio(${text}))|boxed|${text.split(' ').length} words)`);
  });

  it('sends the talking head as rendered when the user picked no captions, with no captions step', async () => {
    const pipeline = world.pipeline();
    pipeline.start();
    const before = world.providers.captions.calls.length;
    const { generationId } = await world.request({ format: 'talking_head', captionStyle: 'none' });
    expect(await world.settled(generationId)).toBe('delivered');
    await pipeline.stop();
    expect(await world.generationEventTypes(generationId)).not.toContain('SubtitlesBurned');
    expect(world.providers.captions.calls.length).toBe(before);
  });

  it('gives the background compositor the picked style, and no words when captions are off', async () => {
    const pipeline = world.pipeline();
    pipeline.start();
    const bold = await world.request({ format: 'background', captionStyle: 'bold' });
    const none = await world.request({ format: 'background', captionStyle: 'none' });
    expect(await world.settled(bold.generationId)).toBe('delivered');
    expect(await world.settled(none.generationId)).toBe('delivered');
    await pipeline.stop();
    const { compositor } = world.providers;
    const of = (text: string) => compositor.requests[compositor.calls.indexOf(text)];
    expect(of(bold.text)).toMatchObject({ captionStyle: 'bold' });
    expect(of(bold.text)?.words.length).toBeGreaterThan(0);
    expect(of(none.text)?.words).toEqual([]);
    expect(of(none.text)).not.toHaveProperty('captionStyle');
  });
});
