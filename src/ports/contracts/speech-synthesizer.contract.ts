import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaProbe } from '../media-probe.js';
import type { SpeechSynthesizer, SynthesisResult } from '../speech-synthesizer.js';

export interface SpeechSynthesizerUnderTest {
  readonly synthesizer: SpeechSynthesizer;
  /** A voice of this provider speaking English, and one speaking Russian. */
  readonly voices: { readonly en: string; readonly ru: string };
  /** Reads what was written, independently of the synthesizer. */
  readonly probe: Pick<MediaProbe, 'probe'>;
  cleanup(): Promise<void>;
}

const english = 'Stop scrolling! This serum works, really.';
const russian = '«Привет»! Это — лучший крем, честно.';

/** What every text-to-speech provider promises the pipeline, whichever it is. */
export function describeSpeechSynthesizerContract(
  name: string,
  open: () => Promise<SpeechSynthesizerUnderTest>,
  skip: boolean | string = false,
): void {
  describe.skipIf(skip !== false)(
    `speech synthesizer contract: ${name}${typeof skip === 'string' ? ` (skipped: ${skip})` : ''}`,
    () => {
      let subject: SpeechSynthesizerUnderTest;
      let dir: string;

      beforeAll(async () => {
        subject = await open();
        dir = await mkdtemp(join(tmpdir(), 'speech-contract-'));
      });

      afterAll(async () => {
        await subject?.cleanup();
        if (dir) await rm(dir, { recursive: true, force: true });
      });

      it('lists voices with a gender, a language and its own provider name, including the test voices', async () => {
        const voices = await subject.synthesizer.listVoices();
        expect(voices.length).toBeGreaterThan(0);
        for (const voice of voices) {
          expect(voice.id).not.toBe('');
          expect(voice.name).not.toBe('');
          // An ISO 639 code (two or three letters, with a region or script where it matters), or
          // `multi`.
          expect(voice.language).toMatch(/^(multi|[a-z]{2,3}(-[a-z0-9]+)*)$/i);
          for (const language of voice.languages ?? [])
            expect(language).toMatch(/^[a-z]{2,3}(-[a-z0-9]+)*$/i);
          expect(['male', 'female']).toContain(voice.gender);
          expect(voice.provider).toBe(subject.synthesizer.provider);
        }
        const ids = voices.map((voice) => voice.id);
        expect(ids).toContain(subject.voices.en);
        expect(ids).toContain(subject.voices.ru);
      });

      const speaks = (language: 'en' | 'ru', text: string) => async () => {
        const outputPath = join(dir, `${language}-${Date.now()}`, 'speech.audio');
        const result = await subject.synthesizer.synthesize({
          text,
          voiceId: subject.voices[language],
          outputPath,
        });
        await expectRealSpeech(result, outputPath, subject, text);
      };

      it(
        'speaks English into the requested file, with the word timings of the script',
        speaks('en', english),
      );
      it('speaks Russian (Cyrillic, guillemets, a dash) the same way', speaks('ru', russian));

      it('refuses a voice it does not have', async () => {
        await expect(
          subject.synthesizer.synthesize({
            text: 'Hello there.',
            voiceId: 'no-such-voice-000',
            outputPath: join(dir, 'missing-voice.audio'),
          }),
        ).rejects.toThrow();
      });

      it('refuses text with nothing to say', async () => {
        await expect(
          subject.synthesizer.synthesize({
            text: ' … — ',
            voiceId: subject.voices.en,
            outputPath: join(dir, 'empty.audio'),
          }),
        ).rejects.toThrow();
      });

      it('stops when its signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort(new Error('user went away'));
        await expect(
          subject.synthesizer.synthesize({
            text: 'Never spoken.',
            voiceId: subject.voices.en,
            outputPath: join(dir, 'aborted.audio'),
            signal: controller.signal,
          }),
        ).rejects.toThrow();
      });
    },
  );
}

async function expectRealSpeech(
  result: SynthesisResult,
  outputPath: string,
  subject: SpeechSynthesizerUnderTest,
  text: string,
): Promise<void> {
  expect(result.path).toBe(outputPath);
  expect(result.provider).toBe(subject.synthesizer.provider);
  const { size } = await stat(outputPath);
  expect(result.sizeBytes).toBe(size);
  expect(result.mimeType).toBe(sniffAudioType(await head(outputPath)));
  const info = await subject.probe.probe(outputPath);
  expect(info.audio).toBeDefined();
  expect(info.durationSec).toBeGreaterThan(1);
  // The duration the pipeline budgets with is the file's, within an MP3 frame or two.
  expect(Math.abs(result.durationSec - info.durationSec)).toBeLessThan(0.15);
  const normalized = text.split(/\s+/u).filter(Boolean).join(' ');
  expect(result.words.map((word) => word.word).join(' ')).toBe(normalized);
  let previousStart = 0;
  for (const word of result.words) {
    expect(word.start).toBeGreaterThanOrEqual(previousStart);
    expect(word.end).toBeGreaterThanOrEqual(word.start);
    expect(word.end).toBeLessThanOrEqual(result.durationSec + 0.1);
    previousStart = word.start;
  }
  // Words are spread over the speech, not piled at the start.
  expect(result.words.at(-1)!.start).toBeGreaterThan(result.durationSec * 0.4);
}

async function head(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(12);
    await file.read(buffer, 0, 12, 0);
    return buffer;
  } finally {
    await file.close();
  }
}

function sniffAudioType(bytes: Buffer): string {
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WAVE'
  )
    return 'audio/wav';
  if (
    bytes.subarray(0, 3).toString('latin1') === 'ID3' ||
    (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)
  )
    return 'audio/mpeg';
  return 'application/octet-stream';
}
