import { describeSpeechSynthesizerContract } from '../../../ports/contracts/speech-synthesizer.contract.js';
import { EspeakSpeechSynthesizer } from './espeak-speech.js';
import { FfprobeMediaProbe } from './ffprobe-probe.js';
import { quietLogger, requireEspeak } from './test-fixtures.js';

describeSpeechSynthesizerContract('espeak-ng (local)', async () => ({
  synthesizer: new EspeakSpeechSynthesizer({ binary: await requireEspeak(), logger: quietLogger }),
  voices: { en: 'espeak-en-f1', ru: 'espeak-ru-f1' },
  probe: new FfprobeMediaProbe({ logger: quietLogger }),
  cleanup: async () => undefined,
}));
