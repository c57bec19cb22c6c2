export interface TalkingHeadRequest {
  /** Local path of the character portrait (PNG/JPEG). */
  readonly imagePath: string;
  /** Local path of the speech audio. */
  readonly audioPath: string;
  readonly outputPath: string;
  /**
   * `intermediate`: the video is composited again (the background format), so a local renderer
   * may trade file size for speed; `final` (default): it is what the user receives.
   */
  readonly purpose?: 'final' | 'intermediate';
  /** A previous provider request id to resume instead of paying twice (cloud providers). */
  readonly resumeRequestId?: string;
  /** Called with the provider's request id as soon as it exists, before waiting for the result. */
  readonly onSubmitted?: (requestId: string) => Promise<void> | void;
  readonly signal?: AbortSignal;
}

export interface VideoResult {
  readonly path: string;
  readonly durationSec: number;
  readonly width: number;
  readonly height: number;
  readonly sizeBytes: number;
  readonly provider: string;
  /** True when the mouth moves with the speech; the local renderer says false, honestly. */
  readonly lipSync: boolean;
  readonly costUsd?: number;
}

/** Portrait + speech → a 1080×1920 H.264/AAC talking-head video. */
export interface TalkingHeadRenderer {
  readonly provider: string;
  render(request: TalkingHeadRequest): Promise<VideoResult>;
}
