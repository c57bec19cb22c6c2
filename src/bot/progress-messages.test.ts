import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerationCommands } from '../commands/generation-commands.js';
import { startGenerationFrom } from '../domain/generation/commands.js';
import { PipelineWorld } from '../testing/pipeline/pipeline-world.js';
import { EventSourcedProgressMessages } from './progress-messages.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await PipelineWorld.pglite();
});

afterAll(async () => {
  await world?.close();
});

describe('EventSourcedProgressMessages', () => {
  it('finds the confirmation named in the request, and a message one instance records is what the others find fresh', async () => {
    const commands = new GenerationCommands({ store: world.store });
    const started = await commands.execute(
      'g-progress',
      startGenerationFrom(
        42,
        {
          generationId: 'g-progress',
          format: 'talking_head',
          characterId: 'c',
          characterImageKey: 'c.png',
          characterGender: 'female',
          characterAge: 'adult',
          voiceId: 'v',
          voiceProvider: 'espeak-ng',
          script: 'Hi',
          speechText: 'Hi',
          backgroundVideoKey: null,
          overlayShape: null,
          cost: 1,
          progressMessage: { chatId: 42, messageId: 5 },
        },
        new Date().toISOString(),
      ),
      { commandId: 'start-g-progress', actor: { kind: 'system', id: 'test' } },
    );
    expect(started.ok).toBe(true);

    const a = new EventSourcedProgressMessages(commands);
    const b = new EventSourcedProgressMessages(new GenerationCommands({ store: world.store }));
    expect(await a.find('g-progress')).toEqual({ chatId: 42, messageId: 5 });
    expect(await b.find('g-progress')).toEqual({ chatId: 42, messageId: 5 });

    // B could not edit it and posted a replacement: recorded for everyone, once.
    await b.record('g-progress', { chatId: 42, messageId: 9 });
    await b.record('g-progress', { chatId: 42, messageId: 9 });
    expect(await b.find('g-progress')).toEqual({ chatId: 42, messageId: 9 });
    expect(await a.find('g-progress')).toEqual({ chatId: 42, messageId: 5 });
    expect(await a.find('g-progress', { fresh: true })).toEqual({ chatId: 42, messageId: 9 });
    expect((await world.generationEventTypes('g-progress')).filter((type) => type === 'ProgressMessagePosted')).toHaveLength(1);
    expect(await new EventSourcedProgressMessages(commands).find('no-such-generation')).toBeUndefined();
  });
});
