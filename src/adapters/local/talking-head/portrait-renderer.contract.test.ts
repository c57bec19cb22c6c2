import { join } from 'node:path';
import { describeTalkingHeadRendererContract } from '../../../ports/contracts/talking-head-renderer.contract.js';
import { EspeakSpeechSynthesizer } from '../speech/espeak-speech.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from './portrait-renderer.js';
import {
  makePortrait,
  quietLogger,
  requireEspeak,
  requireMediaTools,
  tempDir,
} from '../../../testing/media/media-fixtures.js';
import { rm } from 'node:fs/promises';

describeTalkingHeadRendererContract('local portrait renderer', async () => {
  const [tools, espeak] = await Promise.all([requireMediaTools(), requireEspeak()]);
  const dir = await tempDir('portrait-contract');
  const imagePath = await makePortrait(tools, join(dir, 'portrait.png'), {
    width: 480,
    height: 640,
  });
  const speech = await new EspeakSpeechSynthesizer({
    binary: espeak,
    logger: quietLogger,
  }).synthesize({
    text: 'Try it today.',
    voiceId: 'espeak-en-f1',
    outputPath: join(dir, 'speech.wav'),
  });
  const probe = new FfprobeMediaProbe({
    ffprobePath: tools.ffprobe,
    ffmpegPath: tools.ffmpeg,
    logger: quietLogger,
  });
  return {
    renderer: new LocalPortraitRenderer({
      ffmpegPath: tools.ffmpeg,
      probe,
      logger: quietLogger,
      preset: 'ultrafast',
    }),
    imagePath,
    audioPath: speech.path,
    probe,
    remote: false,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
