import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startElevenLabsFake,
  type ElevenLabsFake,
} from '../../dev/fakes/elevenlabs/elevenlabs-fake.js';
import { fakeVoiceIds } from '../../dev/fakes/elevenlabs/fake-voices.js';
import {
  OpenApiContract,
  type SpecViolation,
} from '../../dev/fakes/spec-conformance/openapi-contract.js';
import {
  recordingFetch,
  type RecordedExchange,
} from '../../dev/fakes/spec-conformance/recording-fetch.js';
import { createLogger } from '../../logging/logger.js';
import { ElevenLabsSpeechSynthesizer } from './elevenlabs-speech.js';

/**
 * The ElevenLabs client and fake held against ElevenLabs' own OpenAPI document
 * (specs/elevenlabs): the request line and body the client sends for speech with timestamps and
 * the voice list, and every answer of the fake that the document gives a schema.
 */
const spec = OpenApiContract.load(
  new URL('../../../specs/elevenlabs/text-to-speech-and-voices.openapi.json', import.meta.url),
  'elevenlabs',
);
const log = createLogger({ level: 'silent' });

function violationsOf(exchanges: readonly RecordedExchange[]): SpecViolation[] {
  const out: SpecViolation[] = [];
  for (const exchange of exchanges) {
    const path = exchange.url.pathname + exchange.url.search;
    const line = `${exchange.method} ${path}`;
    out.push(
      ...spec
        .checkRequest(exchange.method, path, exchange.requestJson)
        .map((v) => ({ ...v, where: `${line} request ${v.where}` })),
    );
    if (spec.definesStatus(exchange.method, path, exchange.status)) {
      out.push(
        ...spec
          .checkResponse(exchange.method, path, exchange.status, exchange.responseJson)
          .map((v) => ({ ...v, where: `${line} → ${exchange.status} ${v.where}` })),
      );
    }
  }
  return out;
}

describe('the ElevenLabs client and fake against the vendored definition', () => {
  let fake: ElevenLabsFake;
  let dir: string;
  const recorder = recordingFetch();

  beforeAll(async () => {
    fake = await startElevenLabsFake({ maxCharacters: 200 });
    dir = await mkdtemp(join(tmpdir(), 'elevenlabs-spec-'));
  });
  afterAll(async () => {
    await fake?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('speech in two languages and models, the voice list, a refused text: every message conforms', async () => {
    const client = (modelId?: string) =>
      new ElevenLabsSpeechSynthesizer({
        apiKey: fake.apiKey,
        baseUrl: fake.url,
        log,
        fetch: recorder.fetch,
        policy: { baseDelayMs: 5, random: () => 0 },
        ...(modelId ? { modelId } : {}),
      });
    await client().synthesize({
      text: 'Hello there, friend.',
      voiceId: fakeVoiceIds.en,
      outputPath: join(dir, 'en.mp3'),
    });
    await client('eleven_flash_v2_5').synthesize({
      text: 'Привет, как дела?',
      voiceId: fakeVoiceIds.ru,
      outputPath: join(dir, 'ru.mp3'),
    });
    expect((await client().listVoices()).length).toBeGreaterThan(0);
    await expect(
      client().synthesize({
        text: 'word '.repeat(60),
        voiceId: fakeVoiceIds.en,
        outputPath: join(dir, 'long.mp3'),
      }),
    ).rejects.toThrow();

    const routes = recorder.exchanges.map(
      (e) =>
        `${e.method} ${e.url.pathname.replace(/\/text-to-speech\/[^/]+\//, '/text-to-speech/{voice}/')} ${e.status}`,
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/text-to-speech/{voice}/with-timestamps 200',
        'GET /v1/voices 200',
      ]),
    );
    expect(violationsOf(recorder.exchanges)).toEqual([]);
  });

  it("the fake's FastAPI-style 422 is the document's HTTPValidationError", async () => {
    const response = await fetch(
      `${fake.url}/v1/text-to-speech/${fakeVoiceIds.en}/with-timestamps`,
      {
        method: 'POST',
        headers: { 'xi-api-key': fake.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ model_id: 'eleven_multilingual_v2' }),
      },
    );
    expect(response.status).toBe(422);
    expect(
      spec.checkResponse(
        'POST',
        `/v1/text-to-speech/${fakeVoiceIds.en}/with-timestamps`,
        422,
        await response.json(),
      ),
    ).toEqual([]);
  });

  it('catches what it is for: an undeclared query parameter, an unknown output format, an invented body field', () => {
    const path = `/v1/text-to-speech/${fakeVoiceIds.en}/with-timestamps`;
    expect(
      spec.checkRequest('POST', `${path}?output_format=mp3_44100_128`, {
        text: 'Hi',
        model_id: 'eleven_multilingual_v2',
      }),
    ).toEqual([]);
    expect(
      spec.checkRequest('POST', `${path}?output_format=mp3_48000_320`, { text: 'Hi' }),
    ).not.toEqual([]);
    expect(spec.checkRequest('POST', `${path}?format=mp3`, { text: 'Hi' })).not.toEqual([]);
    expect(spec.checkRequest('POST', path, { text: 'Hi', voice: 'x' })).not.toEqual([]);
    expect(spec.checkResponse('POST', path, 200, { audio: 'x' })).not.toEqual([]);
  });
});
