import { captionStyleOf } from '../../domain/generation/caption-style.js';
import { generationKeys } from '../storage-keys.js';
import { elapsedSince, requestOf, type StageStep } from '../stage-context.js';
import { providerRequest } from './provider-request.js';

/**
 * The background format: the talking head in the chosen shape over the user's clip, with
 * word-by-word subtitles from the speech's timings. The compositor burns the subtitles in the same
 * pass, so this records the overlay with the pass's whole time and `recordSubtitles` follows.
 */
export const compositeOverlay: StageStep = async (ctx, state) => {
  const request = requestOf(state);
  const head = state.talkingHead?.result;
  if (!head || !state.audio) throw new Error('overlay before the talking head');
  if (!request.backgroundVideoKey)
    throw new Error('a background generation without a background video');
  const { compositor } = ctx.deps.providers;
  const [backgroundPath, talkingHeadPath] = await Promise.all([
    ctx.files.fetch(request.backgroundVideoKey, 'background'),
    ctx.files.fetch(head.videoKey, 'talking-head-input'),
  ]);
  // A cloud compositor reports its job ids as they appear (Modal call, then Shotstack render); each
  // is recorded before the wait so a restart polls them instead of paying again.
  const startedAt = performance.now();
  const job = providerRequest(ctx, state, 'overlay', compositor.provider, startedAt);
  const captionStyle = captionStyleOf(request);
  const result = await compositor.composite({
    backgroundPath,
    talkingHeadPath,
    shape: request.overlayShape ?? 'circle',
    // A video without captions is one whose compositor is given no words to show.
    words: captionStyle === 'none' ? [] : state.audio.words,
    ...(captionStyle === 'none' ? {} : { captionStyle }),
    outputPath: await ctx.files.path('final.mp4'),
    ...job.resume,
    onSubmitted: job.onSubmitted,
    signal: ctx.signal,
  });
  const key = generationKeys(ctx.generationId).composite;
  const bytes = await ctx.files.store(key, result.path, 'video/mp4');
  const elapsedMs = elapsedSince(startedAt);
  ctx.log.info(
    {
      stage: 'overlay',
      elapsedMs,
      bytes,
      durationSec: result.durationSec,
      shape: request.overlayShape,
      captionStyle,
      words: state.audio.words.length,
      provider: result.provider,
    },
    'overlay composited with subtitles',
  );
  return ctx.record(
    { type: 'RecordOverlay', videoKey: key, provider: result.provider, elapsedMs },
    job.state(),
  );
};

/**
 * The subtitles are already in the overlay's video (one compositor pass), so they cost no time of
 * their own: recording 0 ms is the honest figure, and their video is the overlay's. Splitting the
 * pass's time between the two would invent numbers.
 */
export const recordSubtitles: StageStep = async (ctx, state) => {
  const overlay = state.overlay?.result;
  if (!overlay) throw new Error('subtitles before the overlay');
  ctx.log.info(
    { stage: 'montage', elapsedMs: 0, provider: overlay.provider },
    'subtitles burned in the overlay pass',
  );
  return ctx.record(
    {
      type: 'RecordSubtitles',
      videoKey: overlay.videoKey,
      provider: overlay.provider,
      elapsedMs: 0,
    },
    state,
  );
};
