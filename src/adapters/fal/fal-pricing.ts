/**
 * What fal.ai charges, for the cost figures in events and logs (not for billing users).
 * OmniHuman v1.5: $0.16 per second of output video, from the model page
 * (fal.ai/models/fal-ai/bytedance/omnihuman/v1.5); the output lasts as long
 * as the audio. nano-banana edit: $0.039 per image, from third-party listings of the model page
 * (an estimate of ≈ $0.04–0.05): an assumption until checked on fal.ai.
 */
export const omniHumanUsdPerSecond = 0.16;
export const nanoBananaUsdPerImage = 0.039;

export function omniHumanCostUsd(durationSec: number): number {
  return Math.round(durationSec * omniHumanUsdPerSecond * 10_000) / 10_000;
}
