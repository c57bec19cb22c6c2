import type { CaptionStyle } from '../domain/events/values.js';
import type { OverlayShape } from './compositor.js';
import type { MatteMode } from './overlay-matte-maker.js';
import type { WordTiming } from './speech-synthesizer.js';
import type { VideoResult } from './talking-head-renderer.js';

export interface MontageRequest {
  /** The user's background clip (local path). */
  readonly backgroundPath: string;
  /** The talking-head video (local path): its audio is the speech, its picture the fill. */
  readonly talkingHeadPath: string;
  /** The overlay from an OverlayMatteMaker: the green-screen video, or the grayscale matte. */
  readonly overlayPath: string;
  readonly overlayMode: MatteMode;
  readonly shape: OverlayShape;
  /** Word timings; the renderer makes its captions (an SRT for Shotstack) from them. */
  readonly words: readonly WordTiming[];
  /** How the captions look; classic when absent. */
  readonly captionStyle?: Exclude<CaptionStyle, 'none'>;
  readonly outputPath: string;
  /** A previous render id (e.g. Shotstack's) to poll instead of rendering again. */
  readonly resumeRequestId?: string;
  readonly onSubmitted?: (requestId: string) => Promise<void> | void;
  readonly signal?: AbortSignal;
}

/**
 * The final 1080×1920 video of the background format: the user's clip, the overlay placed in the
 * lower part of the frame, the speech, and captions burned in; no longer than the speech.
 * Shotstack in the cloud; ffmpeg locally.
 */
export interface MontageRenderer {
  readonly provider: string;
  render(request: MontageRequest): Promise<VideoResult>;
}
