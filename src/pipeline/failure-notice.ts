import type { GenerationState } from '../domain/generation/state.js';
import { checkVoiceSpeaks } from '../domain/language/voice-speaks.js';
import { voiceLanguagesOf } from '../domain/user/voice-languages.js';
import type { FailureNotice, ScriptLanguageRef } from '../ports/user-notifier.js';

/** What the user is told about a generation that produced no video. */
export function failureNotice(state: GenerationState): FailureNotice {
  if (state.status === 'audio_rejected' && state.audioRejection) {
    return {
      kind: 'audio_too_long',
      durationSec: state.audioRejection.durationSec,
      maxDurationSec: state.audioRejection.maxDurationSec,
    };
  }
  // Only in logs written before a send problem stopped failing a rendered video (now its delivery
  // is abandoned, the video kept): those generations still settle with this notice.
  if (state.failure?.stage === 'delivery') return { kind: 'delivery_failed' };
  if (state.failure?.code === 'VOICE_CANNOT_READ')
    return { kind: 'voice_cannot_read', script: unreadPart(state) };
  return { kind: 'provider_failed', stage: state.failure?.stage ?? 'queued' };
}

/**
 * The part of the script the chosen voice does not speak, by the same check the bot makes before
 * charging.
 */
function unreadPart(state: GenerationState): ScriptLanguageRef | null {
  if (!state.request) return null;
  const check = checkVoiceSpeaks(
    voiceLanguagesOf({ voiceId: state.request.voiceId }),
    state.request.speechText,
  );
  if (check.ok) return null;
  const { system, likely, identified } = check.part;
  return { system, likely, identified };
}

/** The refund's reason in the credit ledger: admins audit it, so it names the cause. */
export function refundReason(state: GenerationState): string {
  if (state.status === 'audio_rejected' && state.audioRejection) {
    const { durationSec, maxDurationSec } = state.audioRejection;
    return `audio too long: ${durationSec.toFixed(1)} s > ${maxDurationSec} s`;
  }
  if (state.failure)
    return `generation failed at ${state.failure.stage}: ${state.failure.reason}`.slice(0, 400);
  return 'generation could not start';
}
