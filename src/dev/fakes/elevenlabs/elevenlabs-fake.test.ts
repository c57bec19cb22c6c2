import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitIntoWords } from '../../../adapters/local/speech/speech-words.js';
import { startElevenLabsFake, type ElevenLabsFake } from './elevenlabs-fake.js';
import { alignmentFromWords } from './fake-alignment.js';
import { fakeVoiceIds } from './fake-voices.js';

let fake: ElevenLabsFake;

beforeAll(async () => {
  fake = await startElevenLabsFake({ maxConcurrent: 1, latencyMs: 150 });
});

afterAll(async () => {
  await fake?.stop();
});

const tts = (text: unknown, headers: Record<string, string> = { 'xi-api-key': fake.apiKey }) =>
  fetch(
    `${fake.url}/v1/text-to-speech/${fakeVoiceIds.ru}/with-timestamps?output_format=mp3_44100_128`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ text, model_id: 'eleven_multilingual_v2' }),
    },
  );

describe('ElevenLabs fake wire protocol', () => {
  it('answers a bad key with 401 invalid_api_key in the documented shape', async () => {
    const response = await tts('Привет', { 'xi-api-key': 'nope' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      detail: { status: 'invalid_api_key', message: 'Invalid API key' },
    });
  });

  it('answers a missing text with FastAPI 422 detail[]', async () => {
    const response = await tts(undefined);
    expect(response.status).toBe(422);
    expect(
      ((await response.json()) as { detail: Array<{ loc: string[] }> }).detail[0]!.loc,
    ).toEqual(['body', 'text']);
  });

  it('returns MP3 speech with a parallel-array alignment over the original text', async () => {
    const text = 'Привет, мир!';
    const body = (await (await tts(text)).json()) as {
      audio_base64: string;
      alignment: {
        characters: string[];
        character_start_times_seconds: number[];
        character_end_times_seconds: number[];
      };
    };
    const audio = Buffer.from(body.audio_base64, 'base64');
    expect(audio.subarray(0, 3).toString('latin1') === 'ID3' || audio[0] === 0xff).toBe(true);
    expect(body.alignment.characters.join('')).toBe(text);
    expect(body.alignment.character_start_times_seconds).toHaveLength(text.length);
    expect(body.alignment.character_end_times_seconds).toHaveLength(text.length);
    const ends = body.alignment.character_end_times_seconds;
    expect([...ends].sort((a, b) => a - b)).toEqual(ends);
    expect(ends.at(-1)!).toBeGreaterThan(0.3);
  });

  it('answers 429 too_many_concurrent_requests over the plan limit', async () => {
    const [first, second] = await Promise.all([
      tts('Один.'),
      new Promise((r) => setTimeout(r, 30)).then(() => tts('Два.')),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(((await second.json()) as { detail: { status: string } }).detail.status).toBe(
      'too_many_concurrent_requests',
    );
  });
});

describe('alignmentFromWords', () => {
  it('spreads each word over its characters and covers the spaces with the gaps', () => {
    const text = 'Да — нет';
    const words = splitIntoWords(text).map((word, index) => ({
      word,
      start: index,
      end: index + 0.5,
    }));
    const alignment = alignmentFromWords(text, words);
    expect(alignment.characters.join('')).toBe(text);
    // "Да —" is one word (a dash is glued on): its 4 characters share 0–0.5 s.
    expect(alignment.character_start_times_seconds.slice(0, 4)).toEqual([0, 0.125, 0.25, 0.375]);
    // The space before "нет" spans the gap from 0.5 to 1.
    expect([
      alignment.character_start_times_seconds[4],
      alignment.character_end_times_seconds[4],
    ]).toEqual([0.5, 1]);
    expect(alignment.character_end_times_seconds.at(-1)).toBe(1.5);
  });
});
