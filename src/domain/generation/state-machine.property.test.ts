import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { fold } from '../decider.js';
import { validateEvent } from '../events/catalog.js';
import type { GenerationEvent } from '../events/generation-events.js';
import { startGenerationFrom, type GenerationCommand } from './commands.js';
import { generationDecider } from './generation-decider.js';
import { isTerminal, type GenerationStatus } from './state.js';

const EDGES: Readonly<Record<GenerationStatus, readonly GenerationStatus[]>> = {
  not_started: ['started'],
  started: ['audio_ready', 'audio_rejected', 'failed'],
  audio_ready: ['talking_head_requested', 'talking_head_ready', 'failed'],
  talking_head_requested: ['talking_head_requested', 'talking_head_ready', 'failed'],
  // A captioned talking head goes through subtitled; one without captions completes directly.
  talking_head_ready: ['overlay_requested', 'overlay_ready', 'subtitled', 'completed', 'failed'],
  overlay_requested: ['overlay_requested', 'overlay_ready', 'failed'],
  overlay_ready: ['subtitled', 'failed'],
  subtitled: ['completed', 'failed'],
  // Send attempts and their failures are recorded while the video stays completed.
  completed: ['completed', 'delivered', 'delivery_abandoned'],
  delivered: [],
  delivery_abandoned: [],
  failed: [],
  audio_rejected: [],
};

const command: fc.Arbitrary<GenerationCommand> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('talking_head' as const, 'background' as const),
      fc.constantFrom(
        undefined,
        'none' as const,
        'classic' as const,
        'bold' as const,
        'boxed' as const,
      ),
    )
    .map(([format, captionStyle]) =>
      startGenerationFrom(
        7,
        {
          generationId: 'g',
          format,
          characterId: 'c',
          characterImageKey: 'c.png',
          characterGender: 'male',
          characterAge: '30',
          voiceId: 'v',
          voiceProvider: 'p',
          script: 's',
          speechText: 's',
          backgroundVideoKey: format === 'background' ? 'bg.mp4' : null,
          overlayShape: null,
          cost: 1,
          ...(captionStyle === undefined ? {} : { captionStyle }),
        },
        '2026-03-01T10:00:00Z',
      ),
    ),
  fc.record({
    type: fc.constant('RecordAudio' as const),
    audioKey: fc.constant('a'),
    durationSec: fc.double({ min: 0.5, max: 20, noNaN: true }),
    maxDurationSec: fc.constant(15),
    provider: fc.constant('p'),
    elapsedMs: fc.nat(),
    words: fc.constant([]),
  }),
  fc.record({
    type: fc.constant('RecordTalkingHeadRequest' as const),
    provider: fc.constant('fal'),
    requestId: fc.constantFrom('r1', 'r2'),
  }),
  fc.record({
    type: fc.constant('RecordTalkingHead' as const),
    videoKey: fc.constant('h'),
    durationSec: fc.constant(3),
    provider: fc.constant('fal'),
    elapsedMs: fc.nat(),
    lipSync: fc.boolean(),
    costUsd: fc.constant(null),
  }),
  fc.record({
    type: fc.constant('RecordOverlayRequest' as const),
    provider: fc.constant('m'),
    requestId: fc.constant('o'),
  }),
  fc.record({
    type: fc.constant('RecordOverlay' as const),
    videoKey: fc.constant('o'),
    provider: fc.constant('m'),
    elapsedMs: fc.nat(),
  }),
  fc.record({
    type: fc.constant('RecordSubtitles' as const),
    videoKey: fc.constant('s'),
    provider: fc.constant('f'),
    elapsedMs: fc.nat(),
  }),
  fc.record({
    type: fc.constant('CompleteGeneration' as const),
    videoKey: fc.constant('s'),
    durationSec: fc.constant(3),
    width: fc.constant(1080),
    height: fc.constant(1920),
  }),
  fc.record({
    type: fc.constant('FailGeneration' as const),
    stage: fc.constantFrom(
      'tts' as const,
      'video' as const,
      'overlay' as const,
      'render' as const,
      'delivery' as const,
    ),
    reason: fc.constant('x'),
    retryable: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('MarkDelivered' as const),
    chatId: fc.constant(7),
    messageId: fc.nat(),
  }),
  fc.record({
    type: fc.constant('RecordSendAttempt' as const),
    at: fc.constant('2026-03-01T10:05:00Z'),
  }),
  fc.record({
    type: fc.constant('RecordSendFailure' as const),
    errorCode: fc.constantFrom(429, 500, null),
    reason: fc.constant('x'),
    retryAfterSec: fc.constantFrom(null, 70),
  }),
  fc.record({
    type: fc.constant('AbandonDelivery' as const),
    reason: fc.constant('x'),
    errorCode: fc.constantFrom(403, null),
  }),
);

describe('the generation state machine, for any sequence of commands', () => {
  test.prop([fc.array(command, { minLength: 1, maxLength: 40, size: 'large' })], { numRuns: 300 })(
    'moves only along its edges, stops at terminal states, and completes a background or a captioned talking head only after subtitles',
    (commands) => {
      let state = generationDecider.initialState;
      const accepted: GenerationEvent[] = [];
      for (const cmd of commands) {
        const decision = generationDecider.decide(cmd, state);
        if (!decision.ok) continue;
        expect(isTerminal(state)).toBe(false);
        expect(decision.events).toHaveLength(1);
        // Never a second upload while an earlier one is unanswered.
        if (cmd.type === 'RecordSendAttempt') expect(state.sending.pending).toBe(false);
        for (const event of decision.events) validateEvent(event);
        const next = fold(generationDecider, decision.events, state);
        expect(EDGES[state.status]).toContain(next.status);
        if (next.status === 'completed' && next.request?.format === 'background') {
          expect(accepted.map((e) => e.type)).toContain('SubtitlesBurned');
        }
        // A talking head is subtitled exactly when it has captions (none when the request named no
        // style).
        if (next.status === 'completed' && next.request?.format === 'talking_head') {
          const captioned = (next.request.captionStyle ?? 'none') !== 'none';
          expect(accepted.some((e) => e.type === 'SubtitlesBurned')).toBe(captioned);
        }
        accepted.push(...decision.events);
        state = next;
      }
      expect(fold(generationDecider, accepted)).toEqual(state);
    },
  );
});
