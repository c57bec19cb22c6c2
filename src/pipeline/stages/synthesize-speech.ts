import { generationKeys } from '../storage-keys.js';
import { elapsedSince, requestOf, type StageStep } from '../stage-context.js';

/**
 * Speech from the script, stored under the generation, recorded with its word timings. The
 * domain, not this stage, turns speech over the limit into AudioRejected.
 */
export const synthesizeSpeech: StageStep = async (ctx, state) => {
  const request = requestOf(state);
  const { speech } = ctx.deps.providers;
  const startedAt = performance.now();
  const result = await speech.synthesize({
    text: request.speechText,
    voiceId: request.voiceId,
    outputPath: await ctx.files.path('speech.audio'),
    signal: ctx.signal,
  });
  const key = generationKeys(ctx.generationId).speech(result.mimeType);
  const bytes = await ctx.files.store(key, result.path, result.mimeType);
  const elapsedMs = elapsedSince(startedAt);
  ctx.log.info(
    {
      stage: 'tts',
      elapsedMs,
      bytes,
      durationSec: result.durationSec,
      words: result.words.length,
      provider: result.provider,
    },
    'speech synthesized',
  );
  return ctx.record(
    {
      type: 'RecordAudio',
      audioKey: key,
      durationSec: result.durationSec,
      maxDurationSec: ctx.deps.config.maxAudioDurationSec,
      provider: result.provider,
      elapsedMs,
      words: result.words,
    },
    state,
  );
};
