import { describeMontageRendererContract } from '../../../ports/contracts/montage-renderer.contract.js';
import { quietLogger } from '../media/test-fixtures.js';
import { FfmpegMontageRenderer } from './ffmpeg-montage-renderer.js';

describeMontageRendererContract('FfmpegMontageRenderer', async () => ({
  renderer: new FfmpegMontageRenderer({ logger: quietLogger, preset: 'ultrafast' }),
  resumable: false,
  cleanup: async () => undefined,
}));
