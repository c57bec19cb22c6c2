import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startElevenLabsFake,
  type ElevenLabsFake,
} from '../../dev/fakes/elevenlabs/elevenlabs-fake.js';
import { fakeVoiceIds } from '../../dev/fakes/elevenlabs/fake-voices.js';
import { createLogger } from '../../logging/logger.js';
import { ProviderError } from '../provider-calls/index.js';
import { classifyElevenLabsError, elevenLabsOperatorHint } from './elevenlabs-errors.js';
import {
  createElevenLabsSpeech,
  ElevenLabsSpeechSynthesizer,
  type ElevenLabsSpeechOptions,
} from './elevenlabs-speech.js';

const log = createLogger({ level: 'silent' });
let fake: ElevenLabsFake;
let dir: string;
let n = 0;

beforeAll(async () => {
  fake = await startElevenLabsFake({ maxCharacters: 200, maxConcurrent: 2 });
  dir = await mkdtemp(join(tmpdir(), 'elevenlabs-test-'));
});

afterAll(async () => {
  await fake?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(() => fake.clearFaults());

const client = (options: Partial<ElevenLabsSpeechOptions> = {}) =>
  new ElevenLabsSpeechSynthesizer({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    log,
    policy: { baseDelayMs: 5, random: () => 0 },
    ...options,
  });

const say = (
  synth: ElevenLabsSpeechSynthesizer,
  text = 'Hi there.',
  voiceId: string = fakeVoiceIds.en,
) => synth.synthesize({ text, voiceId, outputPath: join(dir, `speech-${(n += 1)}.mp3`) });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const ttsCalls = async <T>(work: () => Promise<T>): Promise<{ calls: number; result: T }> => {
  const before = fake.count('tts');
  const result = await work();
  return { calls: fake.count('tts') - before, result };
};

describe('ElevenLabsSpeechSynthesizer against the fake', () => {
  it('sends the key, model and MP3 format the API expects', async () => {
    await say(client({ modelId: 'eleven_flash_v2_5' }));
    const sent = fake.requests.filter((request) => request.route === 'tts').at(-1)!;
    expect(sent).toMatchObject({
      status: 200,
      voiceId: fakeVoiceIds.en,
      modelId: 'eleven_flash_v2_5',
      outputFormat: 'mp3_44100_128',
      text: 'Hi there.',
    });
  });

  it('maps an invalid key to auth, without retrying', async () => {
    const { calls, result } = await ttsCalls(() => failure(say(client({ apiKey: 'wrong' }))));
    expect(result.kind).toBe('auth');
    expect(result.status).toBe(401);
    expect(result.fallbackAllowed).toBe(true);
    expect(elevenLabsOperatorHint(result)).toMatch(/ELEVEN_API_KEY/);
    expect(calls).toBe(1);
  });

  it('tells spent credits (a 401 with quota_exceeded) from a bad key', async () => {
    fake.inject({ kind: 'status', status: 401, code: 'quota_exceeded', route: 'tts' });
    const error = await failure(say(client()));
    expect(error.kind).toBe('quota');
    expect(error.detail).toMatch(/quota_exceeded/);
  });

  it('maps an unknown voice to not_found and an over-long text to invalid_request', async () => {
    expect((await failure(say(client(), 'Hello.', 'gone-voice'))).kind).toBe('not_found');
    const long = await failure(say(client(), 'word '.repeat(60)));
    expect(long.kind).toBe('invalid_request');
    expect(long.detail).toMatch(/max_character_limit_exceeded/);
  });

  it('does not retry a 422', async () => {
    fake.inject({ kind: 'status', status: 422, route: 'tts', times: 5 });
    const { calls, result } = await ttsCalls(() => failure(say(client())));
    expect(result.kind).toBe('invalid_request');
    expect(calls).toBe(1);
  });

  it('retries a 429 after the retry-after it was given, then succeeds', async () => {
    fake.inject({
      kind: 'status',
      status: 429,
      code: 'too_many_concurrent_requests',
      retryAfterSec: 0.4,
      route: 'tts',
    });
    const started = Date.now();
    const { calls, result } = await ttsCalls(() => say(client()));
    expect(result.sizeBytes).toBeGreaterThan(1000);
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('retries a 500 and succeeds', async () => {
    fake.inject({ kind: 'status', status: 500, route: 'tts', times: 2 });
    const { calls, result } = await ttsCalls(() => say(client()));
    expect(result.words.map((word) => word.word)).toEqual(['Hi', 'there.']);
    expect(calls).toBe(3);
  });

  it('gives up on a hanging server at the deadline, once per attempt', async () => {
    fake.inject({ kind: 'hang', route: 'tts', times: 2 });
    const { calls, result } = await ttsCalls(() =>
      failure(say(client({ timeoutMs: 300, policy: { maxAttempts: 2, baseDelayMs: 5 } }))),
    );
    expect(result.kind).toBe('timeout');
    expect(calls).toBe(2);
  });

  it('rejects a body that is not JSON, or JSON of the wrong shape, as malformed', async () => {
    fake.inject({ kind: 'malformed', body: 'text', route: 'tts' });
    expect((await failure(say(client({ policy: { maxAttempts: 1 } })))).kind).toBe('malformed');
    fake.inject({ kind: 'malformed', body: 'json', route: 'tts' });
    expect((await failure(say(client({ policy: { maxAttempts: 1 } })))).kind).toBe('malformed');
  });

  it('opens the circuit after repeated failures and then fails fast without calling', async () => {
    fake.inject({ kind: 'status', status: 503, route: 'tts', times: 10 });
    const synth = client({ policy: { maxAttempts: 1, breakAfter: 2, halfOpenAfterMs: 60_000 } });
    expect((await failure(say(synth))).kind).toBe('server');
    expect((await failure(say(synth))).kind).toBe('server');
    expect(synth.circuit).toBe('open');
    const { calls, result } = await ttsCalls(() => failure(say(synth)));
    expect(result.kind).toBe('unavailable');
    expect(calls).toBe(0);
  });

  it('keeps to its concurrency limit, so the plan never answers 429', async () => {
    const synth = client({ concurrency: 2 });
    const before = fake.requests.length;
    const results = await Promise.all(['One.', 'Two.', 'Three.'].map((text) => say(synth, text)));
    expect(results.map((result) => result.words[0]!.word)).toEqual(['One.', 'Two.', 'Three.']);
    expect(fake.requests.slice(before).map((request) => request.status)).toEqual([200, 200, 200]);
  });

  it('lists voices with preview URLs, gender and language from the labels, leaving out ungendered ones', async () => {
    const voices = await client().listVoices();
    expect(voices.map((voice) => voice.id)).not.toContain('RiverMultiFakeVoice3');
    expect(voices.find((voice) => voice.id === fakeVoiceIds.ru)).toMatchObject({
      name: 'Анна',
      language: 'ru',
      gender: 'female',
      provider: 'elevenlabs',
    });
    const aria = voices.find((voice) => voice.id === 'AriaMultiFakeVoice04')!;
    expect(aria.language).toBe('multi');
    const preview = await fetch(aria.previewUrl!);
    expect(preview.headers.get('content-type')).toBe('audio/mpeg');
    expect((await preview.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('reuses the voice list for a while instead of asking every time', async () => {
    const synth = client();
    const before = fake.count('voices');
    await synth.listVoices();
    await synth.listVoices();
    expect(fake.count('voices') - before).toBe(1);
  });
});

describe('createElevenLabsSpeech', () => {
  it('makes nothing without a key, and with one a client for ELEVEN_BASE_URL and ELEVEN_MODEL_ID that measures the MP3', async () => {
    const config = {
      ELEVEN_MODEL_ID: 'eleven_turbo_v2_5',
      ELEVEN_CONCURRENCY: 2,
      ELEVEN_BASE_URL: fake.url,
    };
    expect(
      createElevenLabsSpeech({ config: { ...config, ELEVEN_API_KEY: undefined }, log }),
    ).toBeUndefined();
    const synth = createElevenLabsSpeech({
      config: { ...config, ELEVEN_API_KEY: fake.apiKey },
      log,
    })!;
    const result = await synth.synthesize({
      text: 'Hi there.',
      voiceId: fakeVoiceIds.en,
      outputPath: join(dir, 'factory.mp3'),
    });
    expect(fake.requests.filter((request) => request.route === 'tts').at(-1)!.modelId).toBe(
      'eleven_turbo_v2_5',
    );
    // ffprobe's length of the MP3 (which carries encoder padding), not the alignment's last word.
    expect(result.durationSec).toBeGreaterThan(result.words.at(-1)!.end);
  });
});

describe('classifyElevenLabsError', () => {
  it('reads the code from the current, legacy and FastAPI error shapes', () => {
    expect(
      classifyElevenLabsError(400, {
        detail: { type: 'validation_error', code: 'voice_not_found', message: 'no' },
      })?.kind,
    ).toBe('not_found');
    expect(
      classifyElevenLabsError(401, { detail: { status: 'quota_exceeded', message: 'spent' } })
        ?.kind,
    ).toBe('quota');
    expect(classifyElevenLabsError(429, { detail: { status: 'system_busy' } })?.kind).toBe(
      'rate_limited',
    );
    expect(
      classifyElevenLabsError(422, { detail: [{ loc: ['body', 'text'], msg: 'field required' }] }),
    ).toEqual({ kind: 'invalid_request', detail: 'body.text: field required' });
    expect(classifyElevenLabsError(500, '<html>')).toBeUndefined();
  });
});
