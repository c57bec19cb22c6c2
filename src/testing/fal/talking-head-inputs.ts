import { join } from 'node:path';
import { EspeakSpeechSynthesizer } from '../../adapters/local/speech/espeak-speech.js';
import {
  makePortrait,
  quietLogger,
  requireEspeak,
  requireMediaTools,
} from '../media/media-fixtures.js';

/** A small portrait and about a second and a half of real speech, made on the spot. */
export async function makeTalkingHeadInputs(
  dir: string,
): Promise<{ imagePath: string; audioPath: string }> {
  const [tools, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
  const imagePath = await makePortrait(tools, join(dir, 'portrait.png'), {
    width: 360,
    height: 480,
  });
  const speech = await new EspeakSpeechSynthesizer({
    binary: espeak,
    logger: quietLogger,
  }).synthesize({
    text: 'Try it today.',
    voiceId: 'espeak-en-f1',
    outputPath: join(dir, 'speech.wav'),
  });
  return { imagePath, audioPath: speech.path };
}
