import { join } from 'node:path';
import { describeCompositorContract } from '../../../ports/contracts/compositor.contract.js';
import { FfmpegCompositor } from './ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import { quietLogger } from '../../../testing/media/media-fixtures.js';

describeCompositorContract('FfmpegCompositor', async (tools, dir) => ({
  compositor: new FfmpegCompositor({
    ffmpegPath: tools.ffmpeg,
    probe: new FfprobeMediaProbe({
      ffprobePath: tools.ffprobe,
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
    }),
    logger: quietLogger,
    maskDir: join(dir, 'masks'),
    preset: 'ultrafast',
  }),
  cleanup: async () => undefined,
}));
