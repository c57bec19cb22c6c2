/** Where the person is in the first frame, as fractions of the frame's width and height. */
export interface SubjectBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * How to cut the person out of a talking-head video. The colour-key implementation returns a
 * filter; a segmentation model would return a matte video. The compositor handles both, so a
 * model can replace the colour key without touching the compositor.
 */
export type Matte =
  /** An ffmpeg filter chain applied to the scaled head video that sets its alpha channel. */
  (
    | { readonly kind: 'filter'; readonly filter: string; readonly description: string }
    /** A grayscale video (white = person), frame-aligned with the head video, any size. */
    | { readonly kind: 'mask-video'; readonly path: string; readonly description: string }
    /**
     * Gray8 masks made while the composite runs: `pipe` writes one width × height frame per head
     * frame into the encoder's input pipe and ends it; nothing touches the disk. When the request
     * asked for `headFrames` and `headFrames` is set here, `pipe` also writes the head video itself
     * into `head` (raw yuv420p at that size, 30 fps) from the decode the masks came from.
     */
    | {
        readonly kind: 'mask-stream';
        readonly width: number;
        readonly height: number;
        readonly description: string;
        readonly headFrames?: { readonly width: number; readonly height: number };
        pipe(
          sink: import('node:stream').Writable,
          signal?: AbortSignal,
          head?: import('node:stream').Writable,
        ): Promise<void>;
      }
  ) & {
    /**
     * Present when the segmenter is confident; the compositor frames the circle/rectangle on it.
     */
    readonly subject?: SubjectBox;
  };

export interface SegmentationRequest {
  readonly videoPath: string;
  /** A scratch directory the segmenter may write into; removed by the caller. */
  readonly workDir: string;
  /**
   * `framing`: only the subject box is wanted (circle, rounded rectangle), so a segmenter may
   * skip its expensive model. Absent means the cut-out.
   */
  readonly purpose?: 'cutout' | 'framing';
  /**
   * The compositor will scale the head video to this size: a segmenter that decodes the video
   * anyway may hand those frames over (see the `mask-stream` matte), saving a second decode.
   */
  readonly headFrames?: { readonly width: number; readonly height: number };
  readonly signal?: AbortSignal;
}

export interface Segmenter {
  readonly name: string;
  matte(request: SegmentationRequest): Promise<Matte>;
}
