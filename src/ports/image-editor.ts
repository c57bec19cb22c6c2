export interface ImageEditRequest {
  readonly imagePath: string;
  readonly prompt: string;
  readonly outputPath: string;
  readonly signal?: AbortSignal;
}

export type ImageEditResult =
  | {
      readonly ok: true;
      readonly path: string;
      readonly provider: string;
      readonly costUsd?: number;
    }
  | {
      readonly ok: false;
      readonly reason: 'content_policy' | 'unavailable' | 'failed';
      readonly message: string;
    };

/** AI edit of a character portrait (fal.ai nano-banana). There is no local implementation. */
export interface ImageEditor {
  readonly provider: string;
  readonly available: boolean;
  edit(request: ImageEditRequest): Promise<ImageEditResult>;
}
