import type { WordTiming } from './speech-synthesizer.js';

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
  /**
   * What the speech says and when (the speech step's word timings) and which voice said it, for a
   * renderer that moves the mouth from the words; the others listen to the audio alone.
   */
  readonly speech?: { readonly words: readonly WordTiming[]; readonly voiceId?: string };
}

export interface VideoResult {
  readonly path: string;
  readonly durationSec: number;
  readonly width: number;
  readonly height: number;
  readonly sizeBytes: number;
  readonly provider: string;
  /**
   * True when the mouth moves with the speech: the cloud providers, and the local renderer for a
   * drawn starter character it can animate; false for any other picture, honestly.
   */
  readonly lipSync: boolean;
  readonly costUsd?: number;
}

/** Portrait + speech → a 1080×1920 H.264/AAC talking-head video. */
export interface TalkingHeadRenderer {
  readonly provider: string;
  render(request: TalkingHeadRequest): Promise<VideoResult>;
}
