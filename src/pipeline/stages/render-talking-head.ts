import { generationKeys } from '../storage-keys.js';
import { elapsedSince, requestOf, type StageStep } from '../stage-context.js';
import { providerRequest } from './provider-request.js';

/**
 * Portrait + speech → talking-head video. A cloud provider's request id is recorded the moment it
 * exists (`onSubmitted`), before the long wait; a restarted run passes it back as
 * `resumeRequestId`, so the provider is polled rather than paid a second time.
 */
export const renderTalkingHead: StageStep = async (ctx, state) => {
  const request = requestOf(state);
  if (!state.audio) throw new Error('talking head before audio');
  const { talkingHead } = ctx.deps.providers;
  const [imagePath, audioPath] = await Promise.all([
    ctx.files.fetch(request.characterImageKey, 'character'),
    ctx.files.fetch(state.audio.audioKey, 'speech-input'),
  ]);
  const startedAt = performance.now();
  const job = providerRequest(ctx, state, 'talking_head', talkingHead.provider, startedAt);
  const result = await talkingHead.render({
    imagePath,
    audioPath,
    outputPath: await ctx.files.path('talking-head.mp4'),
    purpose: request.format === 'background' ? 'intermediate' : 'final',
    ...job.resume,
    onSubmitted: job.onSubmitted,
    signal: ctx.signal,
    // The local renderer moves a drawn character's mouth from the words; cloud providers ignore it.
    speech: { words: state.audio.words, voiceId: request.voiceId },
  });
  const key = generationKeys(ctx.generationId).talkingHead;
  const bytes = await ctx.files.store(key, result.path, 'video/mp4');
  const elapsedMs = elapsedSince(startedAt);
  ctx.log.info(
    {
      stage: 'video',
      elapsedMs,
      bytes,
      durationSec: result.durationSec,
      provider: result.provider,
      lipSync: result.lipSync,
      resumed: job.resumed,
    },
    'talking head rendered',
  );
  return ctx.record(
    {
      type: 'RecordTalkingHead',
      videoKey: key,
      durationSec: result.durationSec,
      provider: result.provider,
      elapsedMs,
      lipSync: result.lipSync,
      costUsd: result.costUsd ?? null,
    },
    job.state(),
  );
};
