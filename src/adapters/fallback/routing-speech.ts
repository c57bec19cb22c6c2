import type { Logger } from '../../logging/logger.js';
import type { SpeechSynthesizer, SynthesisRequest, SynthesisResult, Voice } from '../../ports/speech-synthesizer.js';
import { withFallback } from './with-fallback.js';

export interface RoutingSpeechOptions {
  readonly cloud: SpeechSynthesizer;
  readonly local: SpeechSynthesizer;
  readonly log?: Logger;
  /** How long the cloud's voice list is trusted before it is fetched again. */
  readonly voiceListTtlMs?: number;
  readonly now?: () => number;
}

/**
 * One synthesizer over two providers: a voice from the local gallery is spoken locally; a cloud
 * voice by the cloud, or — when the cloud fails — by the local voice closest to it (same language
 * and gender), so a generation survives an ElevenLabs outage with a plainer voice.
 */
export class RoutingSpeechSynthesizer implements SpeechSynthesizer {
  readonly provider: string;
  readonly #cloud: SpeechSynthesizer;
  readonly #local: SpeechSynthesizer;
  readonly #log: Logger | undefined;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #cloudVoices: { at: number; voices: readonly Voice[] } | undefined;

  constructor(options: RoutingSpeechOptions) {
    this.#cloud = options.cloud;
    this.#local = options.local;
    this.#log = options.log;
    this.#ttlMs = options.voiceListTtlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
    this.provider = options.cloud.provider;
  }

  /** Cloud voices first (they lip-sync best with OmniHuman), then the local gallery. */
  async listVoices(): Promise<readonly Voice[]> {
    const local = await this.#local.listVoices();
    try {
      return [...(await this.cloudVoices()), ...local];
    } catch (error) {
      this.#log?.warn({ stage: 'tts', provider: this.#cloud.provider, err: error }, 'cloud voices unavailable; offering local voices only');
      return local;
    }
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    const localVoices = await this.#local.listVoices();
    if (localVoices.some((voice) => voice.id === request.voiceId)) return this.#local.synthesize(request);
    return withFallback(
      { stage: 'tts', primary: this.#cloud.provider, fallback: this.#local.provider, ...(this.#log ? { log: this.#log } : {}) },
      () => this.#cloud.synthesize(request),
      async () => {
        const cloudVoice = (await this.cloudVoices().catch(() => [] as readonly Voice[])).find((voice) => voice.id === request.voiceId);
        const substitute = closestVoice(localVoices, cloudVoice, request.text);
        if (!substitute) throw new Error(`no local voice to stand in for ${request.voiceId}`);
        return this.#local.synthesize({ ...request, voiceId: substitute.id });
      },
    );
  }

  /** The cloud provider's voices alone (cached), for the gallery. */
  listCloudVoices(): Promise<readonly Voice[]> {
    return this.cloudVoices();
  }

  private async cloudVoices(): Promise<readonly Voice[]> {
    const cached = this.#cloudVoices;
    if (cached && this.#now() - cached.at < this.#ttlMs) return cached.voices;
    const voices = await this.#cloud.listVoices();
    this.#cloudVoices = { at: this.#now(), voices };
    return voices;
  }
}

/** Same language (from the text when the cloud voice is multilingual or unknown), then same gender. */
export function closestVoice(candidates: readonly Voice[], wanted: Voice | undefined, text: string): Voice | undefined {
  const language = wanted && wanted.language !== 'multi' ? wanted.language : /[\u0400-\u04FF]/.test(text) ? 'ru' : 'en';
  const sameLanguage = candidates.filter((voice) => voice.language === language);
  const pool = sameLanguage.length > 0 ? sameLanguage : candidates;
  return pool.find((voice) => voice.gender === wanted?.gender) ?? pool[0];
}
