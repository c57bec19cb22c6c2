import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bulkhead, type BulkheadPolicy } from 'cockatiel';
import type { Env } from '../../config/env-schema.js';
import type { Logger } from '../../logging/logger.js';
import type { MediaProbe } from '../../ports/media-probe.js';
import type {
  SpeechSynthesizer,
  SynthesisRequest,
  SynthesisResult,
  Voice,
} from '../../ports/speech-synthesizer.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { splitIntoWords } from '../local/speech/speech-words.js';
import {
  createProviderPolicy,
  httpCall,
  ProviderError,
  type ProviderPolicy,
  type ProviderPolicyOptions,
} from '../provider-calls/index.js';
import { alignmentEndSec, spreadWords, wordsFromAlignment } from './alignment-words.js';
import { classifyElevenLabsError } from './elevenlabs-errors.js';
import { elevenLabsVoiceLanguages } from './elevenlabs-languages.js';
import {
  voicesResponseSchema,
  withTimestampsResponseSchema,
  type WireVoice,
} from './elevenlabs-wire.js';

export const elevenLabsProvider = 'elevenlabs';
export const elevenLabsDefaultBaseUrl = 'https://api.elevenlabs.io';

export interface ElevenLabsSpeechOptions {
  readonly apiKey: string;
  readonly baseUrl?: string;
  readonly modelId?: string;
  /** Requests in flight at once; the plan's limit (Free 2, Starter 3, Creator 5, Pro 10). */
  readonly concurrency?: number;
  /** `mp3_44100_128`: what fal and the compositor take, and allowed on every plan. */
  readonly outputFormat?: string;
  /** Reads the real duration of the MP3; without it the alignment's end is used. */
  readonly probe?: Pick<MediaProbe, 'probe'>;
  readonly log: Logger;
  /** Per-request deadline; a 15-second script comes back in a few seconds. */
  readonly timeoutMs?: number;
  readonly policy?: Omit<ProviderPolicyOptions, 'provider' | 'log'>;
  /** How long the voice list is reused before asking again. */
  readonly voicesTtlMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * Text to speech with ElevenLabs' `/with-timestamps` endpoint: one call gives the MP3 and a
 * per-character alignment, from which the subtitle words are timed. Calls go through a bulkhead
 * sized to the plan's concurrency (going over is a 429) and the shared retry/circuit policy.
 */
export class ElevenLabsSpeechSynthesizer implements SpeechSynthesizer {
  readonly provider = elevenLabsProvider;
  private readonly baseUrl: string;
  private readonly policy: ProviderPolicy;
  private readonly slots: BulkheadPolicy;
  private voices: { readonly at: number; readonly list: Promise<readonly Voice[]> } | undefined;

  constructor(private readonly options: ElevenLabsSpeechOptions) {
    this.baseUrl = (options.baseUrl ?? elevenLabsDefaultBaseUrl).replace(/\/+$/, '');
    this.policy = createProviderPolicy({
      ...options.policy,
      provider: this.provider,
      log: options.log,
    });
    this.slots = bulkhead(options.concurrency ?? 2, Number.POSITIVE_INFINITY);
  }

  get circuit(): ProviderPolicy['circuit'] {
    return this.policy.circuit;
  }

  listVoices(): Promise<readonly Voice[]> {
    const ttl = this.options.voicesTtlMs ?? 10 * 60_000;
    if (this.voices && Date.now() - this.voices.at < ttl) return this.voices.list;
    const list = this.fetchVoices();
    this.voices = { at: Date.now(), list };
    list.catch(() => {
      if (this.voices?.list === list) this.voices = undefined;
    });
    return list;
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    const startedAt = performance.now();
    const words = splitIntoWords(request.text);
    if (words.length === 0) {
      throw new ProviderError('the text has no words to speak', {
        provider: this.provider,
        kind: 'invalid_request',
      });
    }
    const format = this.options.outputFormat ?? 'mp3_44100_128';
    const url = `${this.baseUrl}/v1/text-to-speech/${encodeURIComponent(request.voiceId)}/with-timestamps?output_format=${format}`;
    const { body, headers } = await this.call(request.signal, () =>
      httpCall({
        provider: this.provider,
        url,
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/json' }),
        body: JSON.stringify({
          text: request.text,
          model_id: this.options.modelId ?? 'eleven_multilingual_v2',
        }),
        timeoutMs: this.options.timeoutMs ?? 60_000,
        ...(request.signal ? { signal: request.signal } : {}),
        schema: withTimestampsResponseSchema,
        classify: classifyElevenLabsError,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      }),
    );
    const audio = Buffer.from(body.audio_base64, 'base64');
    if (!looksLikeMp3(audio) && format.startsWith('mp3')) {
      throw new ProviderError('audio_base64 is not an MP3', {
        provider: this.provider,
        kind: 'malformed',
        detail: audio.subarray(0, 16).toString('hex'),
      });
    }
    await writeAtomically(request.outputPath, audio);
    const alignment = body.alignment ?? body.normalized_alignment ?? undefined;
    const durationSec = this.options.probe
      ? (await this.options.probe.probe(request.outputPath)).durationSec
      : alignment
        ? alignmentEndSec(alignment)
        : 0;
    // `alignment` follows the text as sent, so its words are the script's words; the normalised
    // one (numbers spelled out) is only a fallback.
    const timings = alignment ? wordsFromAlignment(alignment) : spreadWords(words, durationSec);
    this.options.log.info(
      {
        stage: 'tts',
        provider: this.provider,
        voiceId: request.voiceId,
        characters: request.text.length,
        characterCost: headers.get('character-cost') ?? undefined,
        words: timings.length,
        aligned: alignment !== undefined,
        durationSec,
        bytes: audio.byteLength,
        elapsedMs: Math.round(performance.now() - startedAt),
      },
      'speech synthesized',
    );
    return {
      path: request.outputPath,
      durationSec,
      words: timings,
      mimeType: 'audio/mpeg',
      sizeBytes: audio.byteLength,
      provider: this.provider,
    };
  }

  private async fetchVoices(): Promise<readonly Voice[]> {
    const { body } = await this.call(undefined, () =>
      httpCall({
        provider: this.provider,
        url: `${this.baseUrl}/v1/voices`,
        headers: this.headers(),
        timeoutMs: this.options.timeoutMs ?? 30_000,
        schema: voicesResponseSchema,
        classify: classifyElevenLabsError,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      }),
    );
    const voices = body.voices
      .map((voice) => toVoice(voice, this.provider, this.options.modelId))
      .filter((voice): voice is Voice => voice !== undefined);
    const skipped = body.voices.length - voices.length;
    this.options.log.info(
      { stage: 'tts', provider: this.provider, voices: voices.length, skipped },
      'voices listed',
    );
    return voices;
  }

  private call<T>(signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    return this.slots.execute(() => this.policy.execute(attempt, signal), signal);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'xi-api-key': this.options.apiKey, accept: 'application/json', ...extra };
  }
}

/**
 * A voice as the gallery shows it. The gallery needs a gender, so a voice labelled neither male
 * nor female is left out (and counted in the log) rather than shown under a guess.
 */
export function toVoice(wire: WireVoice, provider: string, modelId?: string): Voice | undefined {
  const labels = wire.labels ?? {};
  const label = (name: string) =>
    typeof labels[name] === 'string' ? labels[name].toLowerCase() : undefined;
  const gender = label('gender');
  if (gender !== 'male' && gender !== 'female') return undefined;
  const language =
    label('language') ?? wire.verified_languages?.[0]?.language?.toLowerCase() ?? undefined;
  return {
    id: wire.voice_id,
    name: wire.name ?? wire.voice_id,
    // Multilingual v2 speaks every supported language in any voice; a voice tagged ru or en is
    // offered first for that language.
    language: language === 'ru' ? 'ru' : language === 'en' ? 'en' : 'multi',
    languages: elevenLabsVoiceLanguages(language, modelId),
    gender,
    ...(wire.preview_url ? { previewUrl: wire.preview_url } : {}),
    provider,
  };
}

/** An ID3 tag or an MPEG audio frame sync at the start. */
function looksLikeMp3(bytes: Buffer): boolean {
  if (bytes.length < 4) return false;
  if (bytes.subarray(0, 3).toString('latin1') === 'ID3') return true;
  return bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0;
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}-${Date.now()}`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

export interface ElevenLabsSpeechDeps {
  readonly config: Pick<
    Env,
    'ELEVEN_API_KEY' | 'ELEVEN_MODEL_ID' | 'ELEVEN_BASE_URL' | 'ELEVEN_CONCURRENCY'
  >;
  readonly log: Logger;
  /** Reads the MP3's real duration; an ffprobe-backed one is made when none is given. */
  readonly probe?: Pick<MediaProbe, 'probe'>;
  readonly policy?: ElevenLabsSpeechOptions['policy'];
  readonly timeoutMs?: number;
}

/** The cloud voice, or undefined when ELEVEN_API_KEY is not set (the local voice serves then). */
export function createElevenLabsSpeech(
  deps: ElevenLabsSpeechDeps,
): ElevenLabsSpeechSynthesizer | undefined {
  const { config } = deps;
  if (!config.ELEVEN_API_KEY) return undefined;
  return new ElevenLabsSpeechSynthesizer({
    apiKey: config.ELEVEN_API_KEY,
    modelId: config.ELEVEN_MODEL_ID,
    concurrency: config.ELEVEN_CONCURRENCY,
    log: deps.log.child({ provider: elevenLabsProvider }),
    ...(config.ELEVEN_BASE_URL ? { baseUrl: config.ELEVEN_BASE_URL } : {}),
    probe: deps.probe ?? new FfprobeMediaProbe({ logger: deps.log }),
    ...(deps.policy ? { policy: deps.policy } : {}),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
  });
}
