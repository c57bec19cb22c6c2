import type { OverlayShape } from './compositor.js';

/**
 * How the overlay's transparency travels: Shotstack takes no alpha video, so the person comes
 * either
 * on a pure green (#00FF00) backdrop to chroma-key, or as a fill video plus a grayscale matte
 * (white = visible) for a luma clip.
 */
export type MatteMode = 'greenscreen' | 'matte';

export interface MatteRequest {
  /** The talking-head video (local path); the maker uploads it where its service can read it. */
  readonly talkingHeadPath: string;
  readonly shape: OverlayShape;
  readonly mode: MatteMode;
  /** Where the overlay MP4 is written: the green-screen video, or the grayscale matte. */
  readonly outputPath: string;
  /** A previous request id (e.g. a Modal call id) to poll instead of submitting again. */
  readonly resumeRequestId?: string;
  /** Called with the request id as soon as it exists, before the wait. */
  readonly onSubmitted?: (requestId: string) => Promise<void> | void;
  readonly signal?: AbortSignal;
}

export interface MatteResult {
  readonly path: string;
  readonly mode: MatteMode;
  readonly width: number;
  readonly height: number;
  readonly durationSec: number;
  readonly frames: number;
  readonly sizeBytes: number;
  readonly provider: string;
  readonly costUsd?: number;
}

/**
 * Talking head → the person cut out in the chosen shape (circle, rounded rectangle, or the body's
 * own outline), full frame, same size and timing as the input. The Modal GPU service in the cloud;
 * the local compositor's segmenter otherwise.
 */
export interface OverlayMatteMaker {
  readonly provider: string;
  makeMatte(request: MatteRequest): Promise<MatteResult>;
}
