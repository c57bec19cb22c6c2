import { randomUUID } from 'node:crypto';

/**
 * The generation stream's events, in the order the pipeline writes them. They are real catalog
 * events (src/domain/events/generation-events.ts), so our projection runner's validation accepts
 * them.
 */
export const benchEventTypes = [
  'GenerationStarted',
  'AudioSynthesized',
  'TalkingHeadGenerated',
  'GenerationCompleted',
] as const;

export type BenchJson =
  string | number | boolean | null | BenchJson[] | { [key: string]: BenchJson };

/** One event as both stores get it: identical type, data and metadata. */
export interface BenchEvent {
  readonly type: string;
  readonly data: { [key: string]: BenchJson };
  readonly metadata: { [key: string]: BenchJson };
}

const userId = (sequence: number): number => 100_000_000 + (sequence % 900_000_000);

function eventData(
  type: (typeof benchEventTypes)[number],
  sequence: number,
  generationId: string,
): { [key: string]: BenchJson } {
  switch (type) {
    case 'GenerationStarted':
      return {
        generationId,
        userId: userId(sequence),
        format: 'talking_head',
        characterImageKey: `characters/${generationId}/edited-2.png`,
        voiceId: 'en-US-Neural2-F',
        voiceProvider: 'google-tts',
        speechText: 'Tired of dull skin? Three drops every morning and I am out the door glowing.',
        backgroundVideoKey: null,
        overlayShape: null,
        cost: 5,
        requestedAt: '2025-11-25T04:35:38.000Z',
      };
    case 'AudioSynthesized':
      return {
        audioKey: `audio/${generationId}/speech.mp3`,
        durationSec: 6.42,
        provider: 'google-tts',
        elapsedMs: 1834,
        words: [
          { word: 'Tired', start: 0, end: 0.31 },
          { word: 'of', start: 0.31, end: 0.42 },
          { word: 'dull', start: 0.42, end: 0.71 },
          { word: 'skin?', start: 0.71, end: 1.12 },
        ],
      };
    case 'TalkingHeadGenerated':
      return {
        videoKey: `videos/${generationId}/talking-head.mp4`,
        durationSec: 6.5,
        provider: 'hedra-character-3',
        elapsedMs: 48_210,
        lipSync: true,
        costUsd: 0.35,
      };
    case 'GenerationCompleted':
      return {
        videoKey: `videos/${generationId}/final.mp4`,
        durationSec: 6.5,
        width: 1080,
        height: 1920,
        timings: { tts: 1834, video: 48_210, render: 5120 },
        providers: { tts: 'google-tts', video: 'hedra-character-3' },
        costUsd: 0.41,
      };
  }
}

/**
 * A realistic generation event: about 300 bytes of JSON data and 200 of metadata
 * (`payloadSizes()` gives the exact figures). Fresh uuids every call, so no two rows are alike.
 */
export function benchEvent(sequence: number): BenchEvent {
  const type = benchEventTypes[sequence % benchEventTypes.length]!;
  return {
    type,
    data: eventData(type, sequence, randomUUID()),
    metadata: {
      commandId: randomUUID(),
      causationId: randomUUID(),
      correlationId: randomUUID(),
      actor: { kind: 'user', id: String(userId(sequence)) },
      timestamp: '2025-11-25T04:35:38.000Z',
      schemaVersion: 1,
    },
  };
}

export function benchEvents(count: number, firstSequence = 0): BenchEvent[] {
  return Array.from({ length: count }, (_, index) => benchEvent(firstSequence + index));
}

/** Mean JSON sizes over one round of event types. */
export function payloadSizes(): { dataBytes: number; metadataBytes: number } {
  const events = benchEvents(benchEventTypes.length);
  const mean = (sizes: number[]) => Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
  return {
    dataBytes: mean(events.map((event) => Buffer.byteLength(JSON.stringify(event.data)))),
    metadataBytes: mean(events.map((event) => Buffer.byteLength(JSON.stringify(event.metadata)))),
  };
}
