import type { CaptionStyle } from '../domain/events/values.js';
import type { WordTiming } from './speech-synthesizer.js';
import type { VideoResult } from './talking-head-renderer.js';

export interface CaptionBurnRequest {
  /**
   * The finished talking-head video (local path); its picture gets the captions, its sound is kept.
   */
  readonly videoPath: string;
  /** When each word is spoken, from the speech stage. */
  readonly words: readonly WordTiming[];
  readonly style: Exclude<CaptionStyle, 'none'>;
  readonly outputPath: string;
  readonly signal?: AbortSignal;
}

/**
 * Word-by-word captions burned over a finished video, as a step of its own after whichever
 * provider made the video, so a local and a cloud talking head get the same captions.
 */
export interface CaptionBurner {
  readonly provider: string;
  burn(request: CaptionBurnRequest): Promise<VideoResult>;
}
