import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynthesisResult } from '../../../ports/speech-synthesizer.js';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { createEspeakEngine, type EspeakEngine } from './espeak-engine.js';
import { EspeakSpeechSynthesizer } from './espeak-speech.js';
import { NothingToSpeakError, UnknownVoiceError } from '../ffmpeg/media-errors.js';
import { findSpeechSpans } from './speech-activity.js';
import { splitIntoWords } from './speech-words.js';
import {
  ffprobeJson,
  quietLogger,
  requireEspeak,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { monoPcm16, parseWav } from './wav-file.js';

let espeak: ResolvedBinary;
let tools: MediaTools;
let dir: string;
let tts: EspeakSpeechSynthesizer;

beforeAll(async () => {
  [espeak, tools] = await Promise.all([requireEspeak(), requireMediaTools()]);
  dir = await tempDir('espeak-test');
  tts = new EspeakSpeechSynthesizer({ binary: espeak, logger: quietLogger });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The checks every synthesis must pass, whichever way its timings were measured. */
async function expectSoundTimings(result: SynthesisResult, text: string): Promise<void> {
  const wav = await readFile(result.path);
  const info = parseWav(wav);
  expect(result.durationSec).toBe(info.durationSec);
  expect(result.sizeBytes).toBe(wav.length);
  expect(result.words.map((w) => w.word)).toEqual(splitIntoWords(text));
  expect(result.words.map((w) => w.word).join(' ')).toBe(text.trim().split(/\s+/).join(' '));
  // The words cover all of the sound: from its first sample to its last, every sounding moment
  // belongs to some word (eSpeak adds a silent tail, which belongs to none).
  const spans = findSpeechSpans(monoPcm16(wav, info), info.sampleRate);
  const first = result.words[0]!;
  const last = result.words.at(-1)!;
  expect(first.start).toBeCloseTo(spans[0]!.start, 2);
  expect(last.end).toBeCloseTo(spans.at(-1)!.end, 2);
  expect(last.end).toBeLessThanOrEqual(result.durationSec);
  for (const span of spans) {
    for (let t = span.start + 0.005; t < span.end; t += 0.01) {
      expect(
        result.words.some((w) => w.start <= t && t <= w.end),
        `sound at ${t.toFixed(3)} s is inside a word`,
      ).toBe(true);
    }
  }
  result.words.forEach((word, i) => {
    expect(word.end, `${word.word} has a length`).toBeGreaterThan(word.start);
    if (i > 0)
      expect(word.start, `${word.word} starts after its predecessor`).toBeGreaterThanOrEqual(
        result.words[i - 1]!.end,
      );
  });
}

describe('EspeakSpeechSynthesizer voices', () => {
  it('offers Russian and English, male and female, with stable ids and names', async () => {
    const voices = await tts.listVoices();
    expect(voices.length).toBeGreaterThanOrEqual(6);
    for (const language of ['ru', 'en'] as const) {
      for (const gender of ['male', 'female'] as const) {
        expect(
          voices.some((v) => v.language === language && v.gender === gender),
          `${language} ${gender}`,
        ).toBe(true);
      }
    }
    expect(new Set(voices.map((v) => v.id)).size).toBe(voices.length);
    expect(voices.every((v) => v.provider === 'espeak-ng' && v.name.length > 0)).toBe(true);
    // Ids live in events and callback data: changing one breaks stored choices.
    expect(voices.map((v) => v.id)).toEqual(
      expect.arrayContaining([
        'espeak-ru-m1',
        'espeak-ru-f1',
        'espeak-en-m1',
        'espeak-en-f1',
        'espeak-ru-m2',
        'espeak-en-f2',
      ]),
    );
  });

  it('every voice speaks', async () => {
    for (const voice of await tts.listVoices()) {
      const result = await tts.synthesizePreview(voice.id, join(dir, `preview-${voice.id}.wav`));
      expect(result.durationSec, voice.id).toBeGreaterThan(1);
    }
  });
});

describe('EspeakSpeechSynthesizer.synthesize', () => {
  const russian =
    'Привет, мир! Скидка 50% только сегодня — до 31 декабря. Успейте купить «Супер-крем» v2.0!';
  const english = 'Hello world, this is a {test}: 3 apples & 12 pears… Buy now!';

  it.each([
    ['espeak-ru-f1', russian],
    ['espeak-en-m1', english],
  ])('times every word of the text (%s)', async (voiceId, text) => {
    const result = await tts.synthesize({
      text,
      voiceId,
      outputPath: join(dir, 'nested', `${voiceId}.wav`),
    });
    expect(result).toMatchObject({
      provider: 'espeak-ng',
      mimeType: 'audio/wav',
      timingMethod: 'measured-with-breaks',
    });
    await expectSoundTimings(result, text);
  });

  it('reads the duration from the WAV header, in agreement with ffprobe', async () => {
    const result = await tts.synthesize({
      text: 'Проверка длительности.',
      voiceId: 'espeak-ru-m1',
      outputPath: join(dir, 'duration.wav'),
    });
    const probed = await ffprobeJson(tools, result.path);
    expect(result.durationSec).toBeCloseTo(Number(probed.format.duration), 2);
    expect((await stat(result.path)).size).toBe(result.sizeBytes);
  });

  it('puts the pauses of the speech between words, not inside them', async () => {
    const text = 'Первое предложение, с запятой. Второе!';
    const result = await tts.synthesize({
      text,
      voiceId: 'espeak-ru-m1',
      outputPath: join(dir, 'pauses.wav'),
    });
    const wav = await readFile(result.path);
    const info = parseWav(wav);
    const spans = findSpeechSpans(monoPcm16(wav, info), info.sampleRate);
    // Each comma and full stop makes a pause; a word boundary must sit on each of them.
    expect(spans.length).toBeGreaterThanOrEqual(3);
    for (const [before, after] of spans
      .slice(0, -1)
      .map((span, i) => [span, spans[i + 1]!] as const)) {
      const gapStart = before.end;
      const gapEnd = after.start;
      const boundary = result.words.findIndex(
        (w, i) =>
          i > 0 &&
          Math.abs(result.words[i - 1]!.end - gapStart) < 0.02 &&
          Math.abs(w.start - gapEnd) < 0.02,
      );
      expect(
        boundary,
        `a word boundary at the pause ${gapStart.toFixed(2)}–${gapEnd.toFixed(2)}`,
      ).toBeGreaterThan(0);
    }
  });

  it('falls back to measuring word by word when the breaks do not separate the words', async () => {
    const real = createEspeakEngine(espeak);
    // Drop the measuring breaks, so the measuring pass cannot be split into words.
    const unbroken: EspeakEngine = {
      binary: real.binary,
      parallel: real.parallel,
      synthesize: (voice, ssml, signal) =>
        real.synthesize(voice, ssml.replace(/<break[^>]*\/>/g, ' '), signal),
    };
    const fallback = new EspeakSpeechSynthesizer({ engine: unbroken, logger: quietLogger });
    const text = 'Раз, два, три — поехали!';
    const result = await fallback.synthesize({
      text,
      voiceId: 'espeak-ru-f2',
      outputPath: join(dir, 'fallback.wav'),
    });
    expect(result.timingMethod).toBe('measured-word-by-word');
    await expectSoundTimings(result, text);
  });

  it('rejects an unknown voice and text with nothing to say', async () => {
    await expect(
      tts.synthesize({ text: 'hi', voiceId: 'nope', outputPath: join(dir, 'x.wav') }),
    ).rejects.toBeInstanceOf(UnknownVoiceError);
    await expect(
      tts.synthesize({ text: ' — … ', voiceId: 'espeak-en-m1', outputPath: join(dir, 'y.wav') }),
    ).rejects.toBeInstanceOf(NothingToSpeakError);
  });

  it('speaks markup-like text literally', async () => {
    const text = '<b>Bold</b> & <script>x</script>';
    const result = await tts.synthesize({
      text,
      voiceId: 'espeak-en-f1',
      outputPath: join(dir, 'markup.wav'),
    });
    await expectSoundTimings(result, text);
  });
});
