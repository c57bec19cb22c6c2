/** The fake account's voices: real-looking ElevenLabs ids, each spoken by an eSpeak NG voice. */
export interface FakeVoice {
  readonly voice_id: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly espeakVoiceId: string;
}

export const fakeElevenLabsVoices: readonly FakeVoice[] = [
  {
    voice_id: '21m00Tcm4TlvDq8ikWAM',
    name: 'Rachel',
    labels: { gender: 'female', accent: 'american', language: 'en', use_case: 'narration' },
    espeakVoiceId: 'espeak-en-f1',
  },
  {
    voice_id: 'pNInz6obpgDQGcFmaJgB',
    name: 'Adam',
    labels: { gender: 'male', accent: 'american', language: 'en' },
    espeakVoiceId: 'espeak-en-m1',
  },
  {
    voice_id: 'AnnaRu7fakeVoice0001',
    name: 'Анна',
    labels: { gender: 'female', language: 'ru' },
    espeakVoiceId: 'espeak-ru-f1',
  },
  {
    voice_id: 'BorisRu7fakeVoice002',
    name: 'Борис',
    labels: { gender: 'male', language: 'ru' },
    espeakVoiceId: 'espeak-ru-m1',
  },
  // Premade voices come with neither language nor a binary gender; the client must cope.
  {
    voice_id: 'RiverMultiFakeVoice3',
    name: 'River',
    labels: { gender: 'non-binary', accent: 'american' },
    espeakVoiceId: 'espeak-en-m2',
  },
  {
    voice_id: 'AriaMultiFakeVoice04',
    name: 'Aria',
    labels: { gender: 'female', accent: 'british' },
    espeakVoiceId: 'espeak-en-f2',
  },
];

export const fakeVoiceIds = {
  en: '21m00Tcm4TlvDq8ikWAM',
  ru: 'AnnaRu7fakeVoice0001',
} as const;
