import { AppError, isRetryable } from '../../errors/app-error.js';

/**
 * The cloud could not speak the script and no local voice can read its language either: speaking
 * it with another voice would spell the letters out ("Chinese letter…"), so nothing is spoken.
 * Retryable exactly when the cloud's own failure was (an outage may pass; an exhausted quota not),
 * so a retry goes back to the cloud voice the user chose.
 */
export class NoStandInVoiceError extends AppError {
  override readonly name = 'NoStandInVoiceError';
  readonly code = 'NO_STAND_IN_VOICE';
  readonly retryable: boolean;

  constructor(
    readonly voiceId: string,
    /** The script's language (or writing system) no local voice reads, e.g. `ja (kana letters)`. */
    readonly unreadable: string,
    cause: unknown,
  ) {
    super(`the cloud could not speak for voice ${voiceId} and no local voice reads ${unreadable}`, {
      cause,
    });
    this.retryable = isRetryable(cause);
  }
}
