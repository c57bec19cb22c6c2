/**
 * The languages each ElevenLabs model speaks, as ISO 639 codes (ElevenLabs' "Chinese" is Mandarin,
 * `cmn`). Every voice of a multilingual model speaks all of them. docs/voice-languages.md lists
 * them by name; `eleven_v3` speaks more than listed here, but only these are relied on.
 */
const multilingualV2 = [
  'en',
  'ja',
  'cmn',
  'de',
  'hi',
  'fr',
  'ko',
  'pt',
  'it',
  'es',
  'id',
  'nl',
  'tr',
  'fil',
  'pl',
  'sv',
  'bg',
  'ro',
  'ar',
  'cs',
  'el',
  'fi',
  'hr',
  'ms',
  'sk',
  'da',
  'ta',
  'uk',
  'ru',
] as const;
const v25 = [...multilingualV2, 'hu', 'no', 'vi'] as const;

const byModel: Readonly<Record<string, readonly string[]>> = {
  eleven_multilingual_v2: multilingualV2,
  eleven_flash_v2_5: v25,
  eleven_turbo_v2_5: v25,
  eleven_v3: v25,
  eleven_monolingual_v1: ['en'],
  eleven_flash_v2: ['en'],
  eleven_turbo_v2: ['en'],
};

/** The model's languages, or an empty list (unknown, not judged) for a model not listed here. */
export function elevenLabsModelLanguages(modelId: string | undefined): readonly string[] {
  return byModel[modelId ?? 'eleven_multilingual_v2'] ?? [];
}

/**
 * A voice's languages under the model: the one it is labelled with first (it sounds most natural
 * there), then the rest of the model's.
 */
export function elevenLabsVoiceLanguages(
  label: string | undefined,
  modelId: string | undefined,
): readonly string[] {
  const model = elevenLabsModelLanguages(modelId);
  const own = label === 'zh' || label === 'chinese' ? 'cmn' : label;
  return own && model.includes(own)
    ? [own, ...model.filter((language) => language !== own)]
    : model;
}
