import type { CaptionStyle } from '../domain/events/values.js';
import type { WordTiming } from './speech-synthesizer.js';
import type { VideoResult } from './talking-head-renderer.js';

export type OverlayShape = 'circle' | 'rounded_rect' | 'cutout';

export interface CompositeRequest {
  /** The user's background clip (local path). */
  readonly backgroundPath: string;
  /** The talking-head video (local path); its audio is the speech. */
  readonly talkingHeadPath: string;
  readonly shape: OverlayShape;
  /** Word timings for the burned-in, word-by-word subtitles; empty for none. */
  readonly words: readonly WordTiming[];
  /** How the subtitles look; classic when absent (a caption-less video passes no words). */
  readonly captionStyle?: Exclude<CaptionStyle, 'none'>;
  readonly outputPath: string;
  /** A previous provider request id to resume instead of paying twice (cloud compositors). */
  readonly resumeRequestId?: string;
  /** Called with the provider's request id whenever it changes, before waiting for the result. */
  readonly onSubmitted?: (requestId: string) => Promise<void> | void;
  readonly signal?: AbortSignal;
}

/**
 * The background format: the talking head overlaid on the user's clip in a shape, subtitles
 * burned in, output no longer than the speech.
 */
export interface Compositor {
  readonly provider: string;
  composite(request: CompositeRequest): Promise<VideoResult>;
}
