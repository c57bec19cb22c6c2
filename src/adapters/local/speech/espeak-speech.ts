import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../../logging/logger.js';
import { createLogger } from '../../../logging/logger.js';
import type {
  SpeechSynthesizer,
  SynthesisRequest,
  SynthesisResult,
  Voice,
} from '../../../ports/speech-synthesizer.js';
import { sharedBinary } from '../binaries/media-binaries.js';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { createEspeakEngine, type EspeakEngine } from './espeak-engine.js';
import {
  espeakProvider,
  espeakVoices,
  findEspeakVoice,
  previewTextFor,
  type EspeakVoice,
} from './espeak-voices.js';
import { unreadableByEspeak } from './espeak-readable.js';
import {
  NothingToSpeakError,
  UnknownVoiceError,
  VoiceCannotReadError,
} from '../ffmpeg/media-errors.js';
import { findSpeechSpans, soundingSeconds, type SpeechSpan } from './speech-activity.js';
import { escapeSsml, splitIntoWords } from './speech-words.js';
import { monoPcm16, parseWav } from './wav-file.js';
import { alignWords } from './word-alignment.js';

export interface EspeakSpeechOptions {
  /**
   * Which eSpeak NG to run; by default the shared resolution (ESPEAK_NG_PATH → PATH → npm WASM).
   */
  readonly binary?: ResolvedBinary;
  readonly logger?: Logger;
  readonly voices?: readonly EspeakVoice[];
  /** Replaces the engine made from `binary` (tests use it to provoke the slow timing path). */
  readonly engine?: EspeakEngine;
}

/** How the word timings were obtained, for the log and for tests. */
export type TimingMethod = 'measured-with-breaks' | 'measured-word-by-word';

// The measuring pass puts this much silence between words; pauses longer than `wordGapSec` in
// its output separate words, shorter ones are pauses inside a word (numbers, hyphens).
const measuringBreak = '800ms';
const wordGapSec = 0.4;
const perWordConcurrency = 4;

/**
 * Local text to speech with eSpeak NG. It has no word-timing output, so the text is spoken twice:
 * once as the user hears it, and once with a long break after every word, which shows how long
 * each word sounds in this voice. Those durations are then laid onto the real utterance
 * (`alignWords`), snapping word boundaries onto its real pauses.
 */
export class EspeakSpeechSynthesizer implements SpeechSynthesizer {
  readonly provider = espeakProvider;
  private readonly voices: readonly EspeakVoice[];
  private readonly logger: Logger;
  private engine: Promise<EspeakEngine> | undefined;

  constructor(private readonly options: EspeakSpeechOptions = {}) {
    this.voices = options.voices ?? espeakVoices;
    this.logger = options.logger ?? createLogger();
  }

  listVoices(): Promise<readonly Voice[]> {
    return Promise.resolve(this.voices);
  }

  async synthesize(
    request: SynthesisRequest,
  ): Promise<SynthesisResult & { readonly timingMethod: TimingMethod }> {
    const startedAt = performance.now();
    const voice =
      this.voices.find((candidate) => candidate.id === request.voiceId) ??
      findEspeakVoice(request.voiceId);
    if (!voice) throw new UnknownVoiceError(request.voiceId);
    // Whatever the domain let through (an old draft, a fallback for a cloud voice): eSpeak NG
    // spells out letters its voice cannot read ("Chinese letter…"), and nobody pays for that.
    const unreadable = unreadableByEspeak(voice.languages, request.text);
    if (unreadable) throw new VoiceCannotReadError(voice.id, voice.languages, unreadable);
    const words = splitIntoWords(request.text);
    if (words.length === 0) throw new NothingToSpeakError('The text has no words to speak');
    const engine = await this.getEngine();

    const escaped = words.map(escapeSsml);
    const speak = () =>
      engine.synthesize(voice.espeakVoice, `<speak>${escaped.join(' ')}</speak>`, request.signal);
    const measure = () =>
      engine.synthesize(
        voice.espeakVoice,
        `<speak>${escaped.join(`<break time="${measuringBreak}"/>`)}</speak>`,
        request.signal,
      );
    const [wav, measured] = engine.parallel
      ? await Promise.all([speak(), measure()])
      : [await speak(), await measure()];
    const synthesizedAt = performance.now();

    const info = parseWav(wav);
    const spans = findSpeechSpans(monoPcm16(wav, info), info.sampleRate);
    let timingMethod: TimingMethod = 'measured-with-breaks';
    let durations = wordDurationsFromBreaks(measured, words.length);
    if (!durations) {
      timingMethod = 'measured-word-by-word';
      durations = await this.measureWordByWord(engine, voice, escaped, request.signal);
    }
    const timings = alignWords({
      words,
      wordSoundingSec: durations,
      spans,
      audioDurationSec: info.durationSec,
    });

    await mkdir(dirname(request.outputPath), { recursive: true });
    await writeFile(request.outputPath, wav);
    this.logger.info(
      {
        stage: 'tts',
        provider: this.provider,
        voiceId: voice.id,
        source: engine.binary.source,
        words: words.length,
        timingMethod,
        durationSec: info.durationSec,
        sizeBytes: wav.byteLength,
        synthMs: Math.round(synthesizedAt - startedAt),
        totalMs: Math.round(performance.now() - startedAt),
      },
      'speech synthesized',
    );
    return {
      path: request.outputPath,
      durationSec: info.durationSec,
      words: timings,
      mimeType: 'audio/wav',
      sizeBytes: wav.byteLength,
      provider: this.provider,
      timingMethod,
    };
  }

  /** The gallery's audio sample for a voice, in its own language. */
  async synthesizePreview(
    voiceId: string,
    outputPath: string,
    signal?: AbortSignal,
  ): Promise<SynthesisResult> {
    const voice = this.voices.find((candidate) => candidate.id === voiceId);
    if (!voice) throw new UnknownVoiceError(voiceId);
    const text = previewTextFor(voice.language);
    return this.synthesize({ text, voiceId, outputPath, signal });
  }

  private getEngine(): Promise<EspeakEngine> {
    if (this.options.engine) return Promise.resolve(this.options.engine);
    this.engine ??= (
      this.options.binary
        ? Promise.resolve(this.options.binary)
        : sharedBinary('espeak-ng', this.logger)
    ).then(createEspeakEngine);
    // A failed resolution is not cached, so installing espeak-ng later fixes a running service.
    this.engine.catch(() => {
      this.engine = undefined;
    });
    return this.engine;
  }

  /** The slow, always-correct path: speak every word alone. */
  private async measureWordByWord(
    engine: EspeakEngine,
    voice: EspeakVoice,
    escaped: readonly string[],
    signal?: AbortSignal,
  ): Promise<number[]> {
    const durations: number[] = new Array<number>(escaped.length).fill(0);
    let next = 0;
    const worker = async () => {
      while (next < escaped.length) {
        const index = next++;
        const wav = await engine.synthesize(
          voice.espeakVoice,
          `<speak>${escaped[index]}</speak>`,
          signal,
        );
        const info = parseWav(wav);
        durations[index] = soundingSeconds(findSpeechSpans(monoPcm16(wav, info), info.sampleRate));
      }
    };
    await Promise.all(Array.from({ length: engine.parallel ? perWordConcurrency : 1 }, worker));
    return durations;
  }
}

/**
 * Each word's sounding time from the measuring pass, or undefined when its long breaks do not
 * split it into exactly one group per word (then the caller measures word by word).
 */
export function wordDurationsFromBreaks(wav: Uint8Array, wordCount: number): number[] | undefined {
  const info = parseWav(wav);
  const spans = findSpeechSpans(monoPcm16(wav, info), info.sampleRate);
  const groups: SpeechSpan[][] = [];
  for (const span of spans) {
    const group = groups.at(-1);
    const previous = group?.at(-1);
    if (group && previous && span.start - previous.end < wordGapSec) group.push(span);
    else groups.push([span]);
  }
  return groups.length === wordCount ? groups.map(soundingSeconds) : undefined;
}
