export {
  buildMontageEdit,
  defaultCaptionStyle,
  defaultChromaKey,
  overlayGeometry,
  type CaptionStyle,
  type MontageEditInput,
} from './build-montage-edit.js';
export {
  createShotstackMontage,
  type CreateShotstackMontageOptions,
} from './create-shotstack-montage.js';
export type { ShotstackEdit } from './edit-types.js';
export { ShotstackApi, shotstackProvider } from './shotstack-api.js';
export {
  defaultPricePerMinuteUsd,
  ShotstackMontageRenderer,
  ShotstackRenderFailedError,
  ShotstackSubmitUncertainError,
  type ShotstackMontageRendererOptions,
} from './shotstack-montage-renderer.js';
export { formatSrtTime, toSrt } from './srt.js';
