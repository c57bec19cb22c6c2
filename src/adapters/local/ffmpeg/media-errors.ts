import type { ErrorCode } from '../../../errors/error-codes.js';
import { ProviderError, type ProviderErrorKind } from '../../../ports/provider-error.js';

interface LocalMediaErrorOptions extends ErrorOptions {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly code?: ErrorCode;
}

/**
 * Base for failures of the local media providers: provider errors like the cloud ones, so a bad
 * input, a timeout or a crash is retried, fallen back from and recorded alike. The messages
 * name the program or the file already, so they carry no `provider:` prefix.
 */
export abstract class LocalMediaError extends ProviderError {
  constructor(message: string, options: LocalMediaErrorOptions) {
    super(message, { ...options, namedInMessage: true });
  }
}

/**
 * The kind of a failure caused by another provider error (a program that timed out), else
 * `fallback`.
 */
function kindOf(cause: unknown, fallback: ProviderErrorKind): ProviderErrorKind {
  return cause instanceof ProviderError ? cause.kind : fallback;
}

/** The bytes are not a WAV file we can read (not RIFF/WAVE, no fmt/data chunk, not PCM). */
export class InvalidWavError extends LocalMediaError {
  override readonly name: string = 'InvalidWavError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, { provider: 'local-audio', kind: 'malformed', code: 'INVALID_WAV', ...options });
  }
}

export class UnknownVoiceError extends LocalMediaError {
  override readonly name: string = 'UnknownVoiceError';
  constructor(
    readonly voiceId: string,
    options?: ErrorOptions,
  ) {
    super(`Unknown espeak-ng voice id "${voiceId}"`, {
      provider: 'espeak-ng',
      kind: 'not_found',
      code: 'UNKNOWN_VOICE',
      ...options,
    });
  }
}

/** The text has nothing to say (empty, or only punctuation and symbols). */
export class NothingToSpeakError extends LocalMediaError {
  override readonly name: string = 'NothingToSpeakError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, {
      provider: 'espeak-ng',
      kind: 'invalid_request',
      code: 'NOTHING_TO_SPEAK',
      ...options,
    });
  }
}

/**
 * The voice cannot read the text (its letters are of a language the voice does not speak): it
 * would spell them out. Final: the same text and voice fail the same way, so the credit is
 * refunded.
 */
export class VoiceCannotReadError extends LocalMediaError {
  override readonly name: string = 'VoiceCannotReadError';
  constructor(
    readonly voiceId: string,
    readonly voiceLanguages: readonly string[],
    /** What it cannot read: a language (`cmn`), or the characters themselves. */
    readonly unreadable: string,
  ) {
    super(
      `voice ${voiceId} (${voiceLanguages.join(', ') || 'unknown languages'}) cannot read ${unreadable}`,
      {
        provider: 'espeak-ng',
        kind: 'invalid_request',
        code: 'VOICE_CANNOT_READ',
      },
    );
  }
}

export class SpeechSynthesisError extends LocalMediaError {
  override readonly name: string = 'SpeechSynthesisError';
  constructor(message: string, options?: ErrorOptions) {
    const kind = kindOf(options?.cause, 'server');
    super(message, {
      provider: 'espeak-ng',
      kind,
      ...(kind === 'server' ? { code: 'SPEECH_SYNTHESIS_FAILED' } : {}),
      ...options,
    });
  }
}

/**
 * ffprobe could not read a file, or described it in a shape we do not understand: the file is
 * unusable (missing, not media), so probing it again cannot help, unless ffprobe itself timed out
 * or was stopped, which keeps that kind.
 */
export class MediaProbeError extends LocalMediaError {
  override readonly name: string = 'MediaProbeError';
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    const causeKind = kindOf(options?.cause, 'invalid_request');
    const kind = causeKind === 'server' ? 'invalid_request' : causeKind;
    super(`Cannot probe ${path}: ${message}`, {
      provider: 'ffprobe',
      kind,
      ...(kind === 'invalid_request' ? { code: 'MEDIA_PROBE_FAILED' } : {}),
      ...options,
    });
  }
}

/**
 * An ffmpeg render step failed; `step` says which one for the logs and the refund reason. A run
 * that timed out or was stopped keeps that kind; an input the step cannot use (no video stream,
 * no speech) is `invalid_request`, final like a cloud provider's refusal of its input.
 */
export class RenderError extends LocalMediaError {
  override readonly name: string = 'RenderError';
  constructor(
    readonly step: string,
    message: string,
    options?: ErrorOptions & { readonly kind?: ProviderErrorKind },
  ) {
    const kind = options?.kind ?? kindOf(options?.cause, 'server');
    super(`${step}: ${message}`, {
      provider: 'local-ffmpeg',
      kind,
      ...(kind === 'server' ? { code: 'RENDER_FAILED' } : {}),
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}
