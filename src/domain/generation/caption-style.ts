import type { GenerationEventData } from '../events/generation-events.js';
import { defaultCaptionStyle, type CaptionStyle } from '../events/values.js';

type CaptionedRequest = Pick<GenerationEventData<'GenerationStarted'>, 'format' | 'captionStyle'>;

/**
 * The captions a generation burns: the recorded style, or its format's old behaviour when none was
 * recorded.
 */
export function captionStyleOf(request: CaptionedRequest): CaptionStyle {
  return request.captionStyle ?? defaultCaptionStyle(request.format);
}

/**
 * Whether a talking-head generation has a captions step after its video: the background format
 * burns its captions in the overlay pass, and a talking head without captions is final as rendered.
 */
export function captionsAfterTalkingHead(request: CaptionedRequest | null): boolean {
  return (
    request !== null && request.format === 'talking_head' && captionStyleOf(request) !== 'none'
  );
}
