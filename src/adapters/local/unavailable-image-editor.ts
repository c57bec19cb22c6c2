import type { ImageEditor, ImageEditRequest, ImageEditResult } from '../../ports/image-editor.js';

/**
 * There is no local model for prompt-based portrait edits: without a fal.ai key the bot explains
 * that the edit needs the cloud provider instead of pretending.
 */
export class UnavailableImageEditor implements ImageEditor {
  readonly provider = 'none';
  readonly available = false;

  async edit(_request: ImageEditRequest): Promise<ImageEditResult> {
    return {
      ok: false,
      reason: 'unavailable',
      message: 'Character editing needs the fal.ai provider (FALAI_API_TOKEN).',
    };
  }
}
