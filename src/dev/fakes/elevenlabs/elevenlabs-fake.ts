import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedExecutable } from '../../../adapters/local/binaries/media-binaries.js';
import { runBinary } from '../../../adapters/local/binaries/run-binary.js';
import { EspeakSpeechSynthesizer } from '../../../adapters/local/speech/espeak-speech.js';
import { createLogger, type Logger } from '../../../logging/logger.js';
import { alignmentFromWords } from './fake-alignment.js';
import { fakeElevenLabsVoices, type FakeVoice } from './fake-voices.js';

export type ElevenLabsRoute = 'tts' | 'tts-stream' | 'voices' | 'models' | 'preview';

/**
 * One planned misbehaviour; it applies to the next `times` (default 1) requests on `route` (default
 * any).
 */
export type ElevenLabsFault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      readonly retryAfterSec?: number;
      readonly route?: ElevenLabsRoute;
      readonly times?: number;
    }
  /** Accept the connection and never answer. */
  | { readonly kind: 'hang'; readonly route?: ElevenLabsRoute; readonly times?: number }
  /** 200 with a body that is not the documented shape (`text`: not JSON at all). */
  | {
      readonly kind: 'malformed';
      readonly body?: 'text' | 'json';
      readonly route?: ElevenLabsRoute;
      readonly times?: number;
    };

export interface ElevenLabsFakeRequest {
  readonly route: ElevenLabsRoute | 'unknown';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly voiceId?: string;
  readonly text?: string;
  readonly modelId?: string;
  readonly outputFormat?: string;
  readonly fault?: ElevenLabsFault['kind'];
  readonly at: number;
}

export interface ElevenLabsFakeOptions {
  /** The accepted `xi-api-key`; default `fake-eleven-key`. */
  readonly apiKey?: string;
  /** Delay before every answer. */
  readonly latencyMs?: number;
  /** Requests in flight before a 429 `too_many_concurrent_requests` (the plan limit). */
  readonly maxConcurrent?: number;
  readonly maxCharacters?: number;
  readonly voices?: readonly FakeVoice[];
  readonly logger?: Logger;
}

export interface ElevenLabsFake {
  readonly url: string;
  readonly apiKey: string;
  readonly requests: readonly ElevenLabsFakeRequest[];
  count(route: ElevenLabsRoute): number;
  inject(fault: ElevenLabsFault): void;
  /** Drops faults not yet used. */
  clearFaults(): void;
  stop(): Promise<void>;
}

const defaultKey = 'fake-eleven-key';

/**
 * A local ElevenLabs speaking the documented wire protocol: `xi-api-key`
 * auth, `/v1/text-to-speech/{voice}/with-timestamps` with real MP3 speech (eSpeak NG encoded by
 * ffmpeg) and a character alignment that matches it, `/v1/voices` with previews it serves itself,
 * error bodies in ElevenLabs' `{detail:{status,message}}` shape, the plan's concurrency limit,
 * and per-test faults.
 */
export async function startElevenLabsFake(
  options: ElevenLabsFakeOptions = {},
): Promise<ElevenLabsFake> {
  const apiKey = options.apiKey ?? defaultKey;
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const voices = options.voices ?? fakeElevenLabsVoices;
  const espeak = new EspeakSpeechSynthesizer({ logger });
  const workDir = await mkdtemp(join(tmpdir(), 'elevenlabs-fake-'));
  const requests: ElevenLabsFakeRequest[] = [];
  const faults: Array<{ fault: ElevenLabsFault; left: number }> = [];
  const previews = new Map<string, Promise<Buffer>>();
  let inFlight = 0;
  let sequence = 0;
  let url = '';

  const takeFault = (route: ElevenLabsRoute): ElevenLabsFault | undefined => {
    const index = faults.findIndex(
      (entry) => entry.fault.route === undefined || entry.fault.route === route,
    );
    if (index < 0) return undefined;
    const entry = faults[index]!;
    entry.left -= 1;
    if (entry.left <= 0) faults.splice(index, 1);
    return entry.fault;
  };

  // The same words in the same voice sound the same; tests repeat short phrases a lot.
  const spokenCache = new Map<
    string,
    Promise<{ audio: Buffer; alignment: ReturnType<typeof alignmentFromWords> }>
  >();
  const speak = (voice: FakeVoice, text: string) => {
    const key = `${voice.voice_id}\n${text}`;
    let spoken = spokenCache.get(key);
    if (!spoken) {
      spoken = speakUncached(voice, text);
      spokenCache.set(key, spoken);
      spoken.catch(() => spokenCache.delete(key));
    }
    return spoken;
  };
  const speakUncached = async (voice: FakeVoice, text: string) => {
    const dir = join(workDir, String((sequence += 1)));
    try {
      const wav = await espeak.synthesize({
        text,
        voiceId: voice.espeakVoiceId,
        outputPath: join(dir, 'speech.wav'),
      });
      const ffmpeg = await sharedExecutable('ffmpeg', logger);
      const mp3 = join(dir, 'speech.mp3');
      await runBinary(
        ffmpeg.path,
        [
          '-nostdin',
          '-v',
          'error',
          '-y',
          '-i',
          wav.path,
          '-c:a',
          'libmp3lame',
          '-b:a',
          '128k',
          '-ar',
          '44100',
          mp3,
        ],
        { timeoutMs: 60_000 },
      );
      return { audio: await readFile(mp3), alignment: alignmentFromWords(text, wav.words) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://fake');
    const path = parsed.pathname;
    const method = req.method ?? 'GET';
    const tts = /^\/v1\/text-to-speech\/([^/]+)(\/with-timestamps|\/stream)?$/.exec(path);
    const preview = /^\/previews\/([^/]+)\.mp3$/.exec(path);
    const route: ElevenLabsRoute | 'unknown' =
      tts && method === 'POST'
        ? tts[2] === '/with-timestamps' || tts[2] === undefined
          ? 'tts'
          : 'tts-stream'
        : path === '/v1/voices' && method === 'GET'
          ? 'voices'
          : path === '/v1/models' && method === 'GET'
            ? 'models'
            : preview && method === 'GET'
              ? 'preview'
              : 'unknown';
    const record: { -readonly [K in keyof ElevenLabsFakeRequest]: ElevenLabsFakeRequest[K] } = {
      route,
      method,
      path,
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    const body = method === 'POST' ? await readBody(req) : '';
    if (options.latencyMs) await delay(options.latencyMs);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text =
        typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
      res.writeHead(status, {
        'content-type':
          typeof payload === 'string' || Buffer.isBuffer(payload)
            ? 'text/plain'
            : 'application/json',
        'request-id': `req-${requests.length}`,
        ...headers,
      });
      res.end(text);
    };
    const fail = (
      status: number,
      code: string,
      message: string,
      headers: Record<string, string> = {},
    ) => send(status, { detail: { status: code, message } }, headers);

    if (route === 'unknown') return send(404, { detail: 'Not Found' });
    const fault = takeFault(route);
    if (fault) {
      record.fault = fault.kind;
      if (fault.kind === 'hang') return;
      if (fault.kind === 'malformed') {
        return fault.body === 'json'
          ? send(200, { audio: 'where?', alignment: 42 })
          : send(200, '<html>502 Bad Gateway</html>');
      }
      return fail(
        fault.status,
        fault.code ?? defaultCode(fault.status),
        fault.message ?? `injected ${fault.status}`,
        fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {},
      );
    }
    if (route === 'preview') {
      const voice = voices.find((candidate) => candidate.voice_id === preview?.[1]);
      if (!voice) return fail(404, 'voice_not_found', 'No preview for this voice');
      let sample = previews.get(voice.voice_id);
      if (!sample) {
        sample = speak(
          voice,
          voice.labels.language === 'ru' ? 'Привет, это мой голос.' : 'Hi, this is my voice.',
        ).then((spoken) => spoken.audio);
        previews.set(voice.voice_id, sample);
      }
      record.status = 200;
      const audio = await sample;
      res
        .writeHead(200, {
          'content-type': 'audio/mpeg',
          'content-length': String(audio.byteLength),
        })
        .end(audio);
      return;
    }
    if (req.headers['xi-api-key'] !== apiKey) {
      return fail(
        401,
        'invalid_api_key',
        req.headers['xi-api-key'] ? 'Invalid API key' : 'Missing xi-api-key header',
      );
    }
    if (route === 'voices') {
      return send(200, {
        voices: voices.map((voice) => ({
          voice_id: voice.voice_id,
          name: voice.name,
          category: 'premade',
          labels: voice.labels,
          description: null,
          preview_url: `${url}/previews/${voice.voice_id}.mp3`,
          settings: { stability: 0.5, similarity_boost: 0.75 },
          samples: null,
          // Required by ElevenLabs' definition (specs/elevenlabs); premade voices are on every
          // tier.
          available_for_tiers: [],
          high_quality_base_model_ids: ['eleven_multilingual_v2'],
          is_owner: false,
        })),
      });
    }
    if (route === 'models') {
      return send(200, [
        {
          model_id: 'eleven_multilingual_v2',
          name: 'Eleven Multilingual v2',
          can_do_text_to_speech: true,
          maximum_text_length_per_request: options.maxCharacters ?? 10_000,
        },
      ]);
    }
    if (route === 'tts-stream') return fail(400, 'invalid_parameters', 'the fake does not stream');
    let input: { text?: unknown; model_id?: unknown };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      return send(400, { detail: { status: 'invalid_json', message: 'Body is not JSON' } });
    }
    if (typeof input.text !== 'string')
      return send(422, {
        detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }],
      });
    record.voiceId = decodeURIComponent(tts![1]!);
    record.text = input.text;
    record.modelId = typeof input.model_id === 'string' ? input.model_id : undefined;
    record.outputFormat = parsed.searchParams.get('output_format') ?? undefined;
    const voice = voices.find((candidate) => candidate.voice_id === record.voiceId);
    if (!voice)
      return fail(404, 'voice_not_found', `A voice with voice_id ${record.voiceId} was not found.`);
    const limit = options.maxCharacters ?? 10_000;
    if (input.text.length > limit)
      return fail(
        400,
        'max_character_limit_exceeded',
        `Text is ${input.text.length} characters; the limit is ${limit}.`,
      );
    if (!/[\p{L}\p{N}]/u.test(input.text))
      return fail(400, 'invalid_parameters', 'Text has nothing to say');
    const maxConcurrent = options.maxConcurrent ?? 5;
    if (inFlight >= maxConcurrent) {
      return fail(
        429,
        'too_many_concurrent_requests',
        `Already ${inFlight} requests in flight; the plan allows ${maxConcurrent}.`,
      );
    }
    inFlight += 1;
    try {
      const spoken = await speak(voice, input.text);
      const concurrency = {
        'current-concurrent-requests': String(inFlight),
        'maximum-concurrent-requests': String(maxConcurrent),
        'character-cost': String(input.text.length),
      };
      if (tts![2] === undefined) {
        record.status = 200;
        res.writeHead(200, { 'content-type': 'audio/mpeg', ...concurrency }).end(spoken.audio);
        return;
      }
      return send(
        200,
        {
          audio_base64: spoken.audio.toString('base64'),
          alignment: spoken.alignment,
          normalized_alignment: spoken.alignment,
        },
        concurrency,
      );
    } finally {
      inFlight -= 1;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'elevenlabs fake failed');
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ detail: { status: 'internal_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    requests,
    count: (route) => requests.filter((request) => request.route === route).length,
    inject: (fault) => faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => faults.splice(0),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

function defaultCode(status: number): string {
  if (status === 401) return 'invalid_api_key';
  if (status === 429) return 'system_busy';
  if (status === 422) return 'invalid_parameters';
  if (status >= 500) return 'internal_error';
  return 'invalid_request';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
