import { join } from 'node:path';
import { describeCompositorContract } from '../../ports/contracts/compositor.contract.js';
import { LocalMatteMaker } from '../local/matte/local-matte-maker.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { quietLogger } from '../../testing/media/media-fixtures.js';
import { FfmpegMontageRenderer } from '../local/montage/ffmpeg-montage-renderer.js';
import { MatteMontageCompositor } from './matte-montage-compositor.js';

// The cloud pair (Modal's matte, Shotstack's montage) has contracts of its own against their fakes;
// here the composition itself is held to the Compositor's promises over the local matte maker
// and montage renderer, which make real files.
describeCompositorContract(
  'MatteMontageCompositor (local matte maker + ffmpeg montage)',
  async (tools, dir) => {
    const probe = new FfprobeMediaProbe({
      ffprobePath: tools.ffprobe,
      ffmpegPath: tools.ffmpeg,
      logger: quietLogger,
    });
    return {
      compositor: new MatteMontageCompositor({
        matte: new LocalMatteMaker({
          ffmpegPath: tools.ffmpeg,
          probe,
          logger: quietLogger,
          maskDir: join(dir, 'masks'),
          preset: 'ultrafast',
        }),
        montage: new FfmpegMontageRenderer({
          ffmpegPath: tools.ffmpeg,
          probe,
          logger: quietLogger,
          preset: 'ultrafast',
        }),
      }),
      cleanup: async () => undefined,
    };
  },
);
