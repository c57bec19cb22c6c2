import { describeOverlayMatteMakerContract } from '../../../ports/contracts/overlay-matte-maker.contract.js';
import { quietLogger, tempDir } from '../media/test-fixtures.js';
import { ColorKeySegmenter } from '../media/color-key-segmenter.js';
import { LocalMatteMaker } from './local-matte-maker.js';

describeOverlayMatteMakerContract('local ffmpeg', async () => ({
  maker: new LocalMatteMaker({ segmenter: new ColorKeySegmenter({ logger: quietLogger }), logger: quietLogger, maskDir: await tempDir('matte-masks') }),
  resumable: false,
  cleanup: async () => undefined,
}));
