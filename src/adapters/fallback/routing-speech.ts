import { voiceLanguages } from '../../catalog/voice-languages.js';
import { detectScriptLanguage } from '../../domain/language/detect-script-language.js';
import { checkVoiceSpeaks, voiceSpeaks } from '../../domain/language/voice-speaks.js';
import type { Logger } from '../../logging/logger.js';
import type {
  SpeechSynthesizer,
  SynthesisRequest,
  SynthesisResult,
  Voice,
} from '../../ports/speech-synthesizer.js';
import { NoStandInVoiceError } from './no-stand-in-voice-error.js';
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
      this.#log?.warn(
        { stage: 'tts', provider: this.#cloud.provider, err: error },
        'cloud voices unavailable; offering local voices only',
      );
      return local;
    }
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    const localVoices = await this.#local.listVoices();
    if (localVoices.some((voice) => voice.id === request.voiceId))
      return this.#local.synthesize(request);
    let cloudFailure: unknown;
    return withFallback(
      {
        stage: 'tts',
        primary: this.#cloud.provider,
        fallback: this.#local.provider,
        ...(this.#log ? { log: this.#log } : {}),
      },
      () =>
        this.#cloud.synthesize(request).catch((error: unknown) => {
          cloudFailure = error;
          throw error;
        }),
      async () => {
        const cloudVoice = (await this.cloudVoices().catch(() => [] as readonly Voice[])).find(
          (voice) => voice.id === request.voiceId,
        );
        const substitute = closestVoice(localVoices, cloudVoice, request.text);
        if (!substitute) {
          const unreadable = unreadableByAny(localVoices, request.text);
          this.#log?.warn(
            { stage: 'tts', voiceId: request.voiceId, unreadable },
            'no local voice can read the script; not speaking it with another language',
          );
          throw new NoStandInVoiceError(request.voiceId, unreadable, cloudFailure);
        }
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

/**
 * The local voice to stand in for a cloud voice: only voices that can read the script (by the same
 * script-language check the domain makes before charging), then those speaking the language its
 * letters identify (a multilingual cloud voice reads Spanish as Spanish, so an English stand-in
 * would not do), then the cloud voice's own labelled language, then the same gender, then the
 * gallery's order. Undefined when no local voice can read the script.
 */
export function closestVoice(
  candidates: readonly Voice[],
  wanted: Voice | undefined,
  text: string,
): Voice | undefined {
  const detection = detectScriptLanguage(text);
  const part = detection.parts[0];
  const labelled = wanted && wanted.language !== 'multi' ? wanted.language : undefined;
  // A guess the letters do not back ("Super!" is "likely" English) yields to the voice's label.
  const preferred = part?.identified ? [part.likely, labelled] : [labelled, part?.likely];
  const languageRank = (languages: readonly string[]): number => {
    const at = preferred.findIndex(
      (language) => language !== undefined && languages.includes(language),
    );
    return at === -1 ? preferred.length : at;
  };
  const ranked = candidates
    .map((voice, index) => ({ voice, index, languages: voiceLanguages(voice) }))
    .filter(({ languages }) => voiceSpeaks(languages, detection))
    .map((entry) => ({
      ...entry,
      rank:
        2 * languageRank(entry.languages) +
        (wanted !== undefined && entry.voice.gender === wanted.gender ? 0 : 1),
    }));
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked[0]?.voice;
}

/**
 * What no candidate reads, for the error and the log: the first part of the script none can say.
 */
function unreadableByAny(candidates: readonly Voice[], text: string): string {
  const detection = detectScriptLanguage(text);
  const part = detection.parts.find(
    (p) => !candidates.some((voice) => checkVoiceSpeaks(voiceLanguages(voice), { parts: [p] }).ok),
  );
  return part ? `${part.likely} (${part.system} letters)` : 'the script';
}
