import { describeSpeechSynthesizerContract } from '../../ports/contracts/speech-synthesizer.contract.js';
import { startElevenLabsFake } from '../../dev/fakes/elevenlabs/elevenlabs-fake.js';
import { fakeVoiceIds } from '../../dev/fakes/elevenlabs/fake-voices.js';
import { createLogger } from '../../logging/logger.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { ElevenLabsSpeechSynthesizer } from './elevenlabs-speech.js';

const log = createLogger({ level: 'silent' });
const probe = new FfprobeMediaProbe({ logger: log });

describeSpeechSynthesizerContract('ElevenLabs on the local fake', async () => {
  const fake = await startElevenLabsFake();
  return {
    synthesizer: new ElevenLabsSpeechSynthesizer({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      probe,
      log,
      policy: { baseDelayMs: 10 },
    }),
    voices: fakeVoiceIds,
    probe,
    cleanup: () => fake.stop(),
  };
});

// The real service costs characters, so it runs only when asked for.
const realKey = process.env.ELEVEN_API_KEY;
const runReal = process.env.RUN_REAL_PROVIDER_TESTS === '1';
describeSpeechSynthesizerContract(
  'ElevenLabs, the real service',
  async () => ({
    synthesizer: new ElevenLabsSpeechSynthesizer({
      apiKey: realKey!,
      probe,
      log,
      ...(process.env.ELEVEN_BASE_URL ? { baseUrl: process.env.ELEVEN_BASE_URL } : {}),
    }),
    voices: {
      en: process.env.ELEVEN_TEST_VOICE_EN ?? fakeVoiceIds.en,
      ru: process.env.ELEVEN_TEST_VOICE_RU ?? fakeVoiceIds.en,
    },
    probe,
    cleanup: async () => undefined,
  }),
  !realKey
    ? 'ELEVEN_API_KEY is not set'
    : !runReal
      ? 'set RUN_REAL_PROVIDER_TESTS=1 to spend real characters'
      : false,
);
