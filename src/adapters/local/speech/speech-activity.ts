/** A stretch of audible sound, in seconds from the start of the audio. */
export interface SpeechSpan {
  readonly start: number;
  readonly end: number;
}

export interface SpeechActivityOptions {
  /** Analysis window. */
  readonly windowSec?: number;
  /** Silences shorter than this are bridged (stop consonants close the mouth for ~30–60 ms). */
  readonly minGapSec?: number;
  /** A window is sound when its peak exceeds this fraction of the loudest sample. */
  readonly relativeThreshold?: number;
}

/**
 * Splits audio into sounding spans separated by silences of at least `minGapSec`. eSpeak NG
 * writes exact digital silence between phrases, so a simple peak gate is enough here.
 */
export function findSpeechSpans(
  samples: Int16Array,
  sampleRate: number,
  options: SpeechActivityOptions = {},
): SpeechSpan[] {
  const window = Math.max(1, Math.round((options.windowSec ?? 0.005) * sampleRate));
  const minGap = options.minGapSec ?? 0.06;
  let loudest = 0;
  for (const sample of samples) loudest = Math.max(loudest, Math.abs(sample));
  if (loudest === 0) return [];
  const threshold = Math.max(64, loudest * (options.relativeThreshold ?? 0.02));

  const raw: SpeechSpan[] = [];
  let openedAt: number | undefined;
  for (let from = 0; from < samples.length; from += window) {
    const to = Math.min(samples.length, from + window);
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i] ?? 0));
    const sounding = peak > threshold;
    if (sounding && openedAt === undefined) openedAt = from;
    if (!sounding && openedAt !== undefined) {
      raw.push({ start: openedAt / sampleRate, end: from / sampleRate });
      openedAt = undefined;
    }
  }
  if (openedAt !== undefined)
    raw.push({ start: openedAt / sampleRate, end: samples.length / sampleRate });

  const merged: SpeechSpan[] = [];
  for (const span of raw) {
    const last = merged.at(-1);
    if (last && span.start - last.end < minGap)
      merged[merged.length - 1] = { start: last.start, end: span.end };
    else merged.push(span);
  }
  return merged;
}

/** Total sounding time, i.e. the audio minus the silences `findSpeechSpans` found. */
export function soundingSeconds(spans: readonly SpeechSpan[]): number {
  return spans.reduce((sum, span) => sum + (span.end - span.start), 0);
}
