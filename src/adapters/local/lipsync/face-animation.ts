import type { EyeState } from '../../../catalog/portraits/viseme.js';
import type { WordTiming } from '../../../ports/speech-synthesizer.js';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { blinkStates } from './blinks.js';
import { espeakWordPhonemes } from './espeak-phonemes.js';
import { graphemeMouthSounds } from './grapheme-visemes.js';
import { wordMouthSounds, type MouthSound } from './ipa-visemes.js';
import type { SpeechLoudness } from './speech-loudness.js';
import { phonemeVoiceFor } from './speech-voice.js';
import {
  mouthFrames,
  visemeCues,
  withLoudness,
  type MouthFrame,
  type VisemeCue,
} from './viseme-timeline.js';

export interface FaceAnimationInput {
  readonly words: readonly WordTiming[];
  readonly voiceId?: string;
  readonly frameCount: number;
  readonly fps: number;
  /**
   * The speech's loudness: places the sounds within each word, opens the jaw more for louder
   * vowels and closes it in silence.
   */
  readonly loudness?: SpeechLoudness;
  /** eSpeak NG for the phonemes; without it (or when it fails) the letters are read by rule. */
  readonly espeak?: ResolvedBinary;
  readonly signal?: AbortSignal;
}

export interface FaceAnimation {
  readonly cues: readonly VisemeCue[];
  readonly mouths: readonly MouthFrame[];
  readonly eyes: readonly EyeState[];
  /** Where the sounds came from: eSpeak NG's phonemes, or letters (rough, any script). */
  readonly phonemes: 'espeak' | 'letters';
}

/**
 * Everything the face does, frame by frame: mouth shapes from the words' sounds, the jaw from the
 * voice's loudness, blinks on their own clock.
 */
export async function planFaceAnimation(input: FaceAnimationInput): Promise<FaceAnimation> {
  const texts = input.words.map((w) => w.word);
  let sounds: MouthSound[][] | undefined;
  if (input.espeak) {
    const voice = phonemeVoiceFor(input.voiceId, texts.join(' '));
    const phonemes = await espeakWordPhonemes(input.espeak, voice, texts, input.signal).catch(
      (error: unknown) => {
        if (input.signal?.aborted) throw error;
        return undefined;
      },
    );
    sounds = phonemes?.map((word, i) => {
      const fromPhonemes = wordMouthSounds(word);
      return fromPhonemes.length > 0 ? fromPhonemes : graphemeMouthSounds(texts[i] ?? '');
    });
  }
  const phonemes = sounds ? 'espeak' : 'letters';
  sounds ??= texts.map(graphemeMouthSounds);
  const cues = visemeCues(
    input.words,
    sounds,
    input.loudness?.perStep ? relativeToUsual(input.loudness.perStep) : undefined,
  );
  // The same words blink the same way: a re-render is identical frame for frame.
  const seed = texts
    .join(' ')
    .split('')
    .reduce((hash, c) => (Math.imul(hash, 31) + c.charCodeAt(0)) >>> 0, 7);
  const frames = mouthFrames(cues, input.frameCount, input.fps);
  return {
    cues,
    mouths: input.loudness ? withLoudness(frames, input.loudness.perFrame) : frames,
    eyes: blinkStates(input.frameCount, input.fps, seed),
    phonemes,
  };
}

/** Loudness relative to the speech's usual level (the 90th percentile of its sounding steps). */
function relativeToUsual(envelope: readonly number[]): number[] {
  const sounding = envelope.filter((v) => v > 0.002).sort((a, b) => a - b);
  const usual = sounding[Math.floor(sounding.length * 0.9)] ?? 0;
  return usual > 0 ? envelope.map((v) => v / usual) : envelope.map(() => 0);
}
