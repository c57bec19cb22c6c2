export interface MediaInfo {
  readonly container: string;
  readonly durationSec: number;
  readonly sizeBytes: number;
  readonly video?: {
    readonly codec: string;
    readonly width: number;
    readonly height: number;
    readonly fps: number;
  };
  readonly audio?: {
    readonly codec: string;
    readonly sampleRate: number;
    readonly channels: number;
  };
}

export type UploadRejection =
  | { readonly code: 'unsupported_format'; readonly detected: string }
  | { readonly code: 'too_long'; readonly durationSec: number; readonly maxSec: number }
  | { readonly code: 'too_large'; readonly sizeBytes: number; readonly maxBytes: number }
  | { readonly code: 'corrupt'; readonly reason: string }
  | { readonly code: 'no_video_stream' };

export type UploadCheck =
  | { readonly ok: true; readonly info: MediaInfo }
  | { readonly ok: false; readonly rejection: UploadRejection };

/** ffprobe-backed inspection of media files. */
export interface MediaProbe {
  probe(path: string): Promise<MediaInfo>;
  /** MP4/MOV/AVI only, at most `maxDurationSec`, at most `maxBytes`, and actually decodable. */
  checkBackgroundUpload(
    path: string,
    limits: { maxDurationSec: number; maxBytes: number },
  ): Promise<UploadCheck>;
}
