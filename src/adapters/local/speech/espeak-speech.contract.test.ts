import { describeSpeechSynthesizerContract } from '../../../ports/contracts/speech-synthesizer.contract.js';
import { EspeakSpeechSynthesizer } from './espeak-speech.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { quietLogger, requireEspeak } from '../../../testing/media/media-fixtures.js';

describeSpeechSynthesizerContract('espeak-ng (local)', async () => ({
  synthesizer: new EspeakSpeechSynthesizer({ binary: await requireEspeak(), logger: quietLogger }),
  voices: { en: 'espeak-en-f1', ru: 'espeak-ru-f1' },
  probe: new FfprobeMediaProbe({ logger: quietLogger }),
  cleanup: async () => undefined,
}));
