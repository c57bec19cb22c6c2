import { join } from 'node:path';
import { EspeakSpeechSynthesizer } from '../adapters/local/speech/espeak-speech.js';
import { FfmpegCompositor } from '../adapters/local/compositor/ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../adapters/local/probe/ffprobe-probe.js';
import { TrackedSegmenter } from '../adapters/local/segmentation/tracked-segmenter.js';
import { LocalPortraitRenderer } from '../adapters/local/talking-head/portrait-renderer.js';
import { CatalogPhotoFaces } from '../adapters/local/photo-mouth/catalog-photo-faces.js';
import { PhotoMouthRenderer } from '../adapters/local/photo-mouth/photo-mouth-renderer.js';
import { LocalFileStorage } from '../adapters/local/storage/local-file-storage.js';
import { UnavailableImageEditor } from '../adapters/local/unavailable-image-editor.js';
import { manifestFileName } from '../catalog/catalog-manifest.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Compositor } from '../ports/compositor.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import type { ImageEditor } from '../ports/image-editor.js';
import type { MediaProbe } from '../ports/media-probe.js';
import type { SpeechSynthesizer } from '../ports/speech-synthesizer.js';
import type { TalkingHeadRenderer } from '../ports/talking-head-renderer.js';

export interface Providers {
  readonly speech: SpeechSynthesizer;
  readonly talkingHead: TalkingHeadRenderer;
  readonly compositor: Compositor;
  readonly probe: MediaProbe;
  readonly imageEditor: ImageEditor;
  readonly storage: FileStorage;
}

/** The keyless defaults: espeak-ng, ffmpeg renderer and compositor, files under DATA_DIR. */
export function localProviders(config: Config, log: Logger): Providers {
  const probe = new FfprobeMediaProbe({ logger: log });
  return {
    speech: new EspeakSpeechSynthesizer({ logger: log }),
    // An imported photo whose face was found at import moves its mouth; every other picture goes
    // to the portrait renderer. The portrait feeds a second encode in the background format, so
    // speed beats size here.
    talkingHead: new PhotoMouthRenderer({
      faces: new CatalogPhotoFaces(join(config.DATA_DIR, 'catalog', manifestFileName)),
      fallback: new LocalPortraitRenderer({ logger: log, probe, preset: 'veryfast' }),
      logger: log,
      probe,
      preset: 'veryfast',
    }),
    compositor: new FfmpegCompositor({
      logger: log,
      probe,
      maskDir: join(config.DATA_DIR, 'masks'),
      // ISNet once per character (cached), then a tracked mask: cut-outs faster than real time.
      segmenter: new TrackedSegmenter({
        logger: log,
        cacheDir: join(config.DATA_DIR, 'masks', 'reference'),
      }),
    }),
    probe,
    imageEditor: new UnavailableImageEditor(),
    storage: new LocalFileStorage({
      rootDir: join(config.DATA_DIR, 'files'),
      publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://localhost:${config.HTTP_PORT}`,
      ...(config.LINK_SIGNING_SECRET ? { signingSecret: config.LINK_SIGNING_SECRET } : {}),
      logger: log,
    }),
  };
}
