import { captionStyleOf } from '../../domain/generation/caption-style.js';
import { generationKeys } from '../storage-keys.js';
import { elapsedSince, requestOf, type StageStep } from '../stage-context.js';
import { recordSubtitles } from './composite-overlay.js';

/**
 * The subtitles step. The background format burned its captions in the overlay pass, so that
 * pass is recorded; a captioned talking head gets them now, burned over the finished video by
 * the caption burner whichever provider made it, and the captioned file is the final cut.
 */
export const burnSubtitles: StageStep = async (ctx, state) => {
  const request = requestOf(state);
  if (request.format === 'background') return recordSubtitles(ctx, state);
  const style = captionStyleOf(request);
  const head = state.talkingHead?.result;
  if (!head || !state.audio) throw new Error('captions before the talking head');
  if (style === 'none') throw new Error('a captions step for a talking head without captions');
  const { captions } = ctx.deps;
  const startedAt = performance.now();
  const videoPath = await ctx.files.fetch(head.videoKey, 'talking-head-input');
  const result = await captions.burn({
    videoPath,
    words: state.audio.words,
    style,
    outputPath: await ctx.files.path('final.mp4'),
    signal: ctx.signal,
  });
  const key = generationKeys(ctx.generationId).composite;
  const bytes = await ctx.files.store(key, result.path, 'video/mp4');
  const elapsedMs = elapsedSince(startedAt);
  ctx.log.info(
    {
      stage: 'montage',
      elapsedMs,
      bytes,
      style,
      words: state.audio.words.length,
      provider: captions.provider,
    },
    'captions burned over the talking head',
  );
  return ctx.record(
    { type: 'RecordSubtitles', videoKey: key, provider: captions.provider, elapsedMs },
    state,
  );
};
