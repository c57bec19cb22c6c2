/** Base for failures of the local media providers; `code` is stable for callers and logs. */
export abstract class LocalMediaError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The bytes are not a WAV file we can read (not RIFF/WAVE, no fmt/data chunk, not PCM). */
export class InvalidWavError extends LocalMediaError {
  override readonly name = 'InvalidWavError';
  readonly code = 'INVALID_WAV';
}

export class UnknownVoiceError extends LocalMediaError {
  override readonly name = 'UnknownVoiceError';
  readonly code = 'UNKNOWN_VOICE';
  constructor(
    readonly voiceId: string,
    options?: ErrorOptions,
  ) {
    super(`Unknown espeak-ng voice id "${voiceId}"`, options);
  }
}

/** The text has nothing to say (empty, or only punctuation and symbols). */
export class NothingToSpeakError extends LocalMediaError {
  override readonly name = 'NothingToSpeakError';
  readonly code = 'NOTHING_TO_SPEAK';
}

/**
 * The voice cannot read the text (its letters are of a language the voice does not speak): it
 * would spell them out. Final: the same text and voice fail the same way, so the credit is refunded.
 */
export class VoiceCannotReadError extends LocalMediaError {
  override readonly name = 'VoiceCannotReadError';
  readonly code = 'VOICE_CANNOT_READ';
  readonly retryable = false;
  constructor(
    readonly voiceId: string,
    readonly voiceLanguages: readonly string[],
    /** What it cannot read: a language (`cmn`), or the characters themselves. */
    readonly unreadable: string,
  ) {
    super(`voice ${voiceId} (${voiceLanguages.join(', ') || 'unknown languages'}) cannot read ${unreadable}`);
  }
}

export class SpeechSynthesisError extends LocalMediaError {
  override readonly name = 'SpeechSynthesisError';
  readonly code = 'SPEECH_SYNTHESIS_FAILED';
}

/** ffprobe could not read a file, or described it in a shape we do not understand. */
export class MediaProbeError extends LocalMediaError {
  override readonly name = 'MediaProbeError';
  readonly code = 'MEDIA_PROBE_FAILED';
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot probe ${path}: ${message}`, options);
  }
}

/** An ffmpeg render step failed; `step` says which one for the logs and the refund reason. */
export class RenderError extends LocalMediaError {
  override readonly name = 'RenderError';
  readonly code = 'RENDER_FAILED';
  constructor(
    readonly step: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${step}: ${message}`, options);
  }
}
