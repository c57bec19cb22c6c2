export {
  FfmpegMontageRenderer,
  ffmpegMontageProvider,
  type FfmpegMontageRendererOptions,
} from './ffmpeg-montage-renderer.js';
export { inspectMontageInputs, type MontageInputs } from './montage-inputs.js';
export {
  frameOnOutput,
  placeOverlay,
  type Box,
  type OverlayPlacement,
} from './overlay-placement.js';
export { measureVisibleBox } from './visible-box.js';
