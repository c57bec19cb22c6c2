/** One spoken word and when it is heard, for word-by-word subtitles. Seconds from the start. */
export interface WordTiming {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

export interface Voice {
  readonly id: string;
  readonly name: string;
  /** The language it is labelled with (an ISO 639 code), or `multi`. */
  readonly language: string;
  /**
   * Every language it speaks (ISO 639 codes; Mandarin `cmn`, Cantonese `yue`), its own first.
   * Absent: only `language` is known (see `voiceLanguages`).
   */
  readonly languages?: readonly string[];
  readonly gender: 'male' | 'female';
  /** Storage key or URL of a short sample the gallery plays. */
  readonly previewKey?: string;
  readonly previewUrl?: string;
  readonly provider: string;
}

export interface SynthesisRequest {
  readonly text: string;
  readonly voiceId: string;
  /** Where the audio file must be written (local path). */
  readonly outputPath: string;
  readonly signal?: AbortSignal;
}

export interface SynthesisResult {
  readonly path: string;
  readonly durationSec: number;
  readonly words: readonly WordTiming[];
  readonly mimeType: string;
  readonly sizeBytes: number;
  readonly provider: string;
}

/** Text to speech: espeak-ng locally, ElevenLabs in the cloud. */
export interface SpeechSynthesizer {
  readonly provider: string;
  listVoices(): Promise<readonly Voice[]>;
  synthesize(request: SynthesisRequest): Promise<SynthesisResult>;
}
