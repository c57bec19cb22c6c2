/**
 * How long a background clip may be. Phones label clips by whole seconds and record a few frames
 * more: a "15 s" clip is 15.2–15.5 s long. One rule for the upload check, the decider and the
 * message, so what the user is told and what is accepted never disagree.
 */
export interface ClipLimit {
  /** The limit as the user is told it. */
  readonly labelSec: number;
  /** How far past the label a clip may run and still count as that long. */
  readonly toleranceSec: number;
}

export const backgroundClipLimit: ClipLimit = { labelSec: 15, toleranceSec: 0.5 };

export const clipFits = (durationSec: number, limit: ClipLimit = backgroundClipLimit): boolean =>
  Number.isFinite(durationSec) && durationSec <= limit.labelSec + limit.toleranceSec;

/**
 * A refused clip's length as the message shows it, rounded up to a tenth: never rounded down into
 * the accepted range (15.54 s is shown as 15.6 s, not 15.5 s).
 */
export const shownClipSeconds = (durationSec: number): number =>
  Math.ceil(durationSec * 10 - 1e-9) / 10;
