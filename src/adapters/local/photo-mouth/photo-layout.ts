import type { PhotoFace, Point } from '../../../catalog/photo-face.js';
import { outputFps, outputHeight, outputWidth } from '../ffmpeg/video-format.js';
import type { Lips } from './mouth-rig.js';

// The photo covers a stage a little larger than the frame, for the camera to drift over.
export const stageWidth = 1216;
export const stageHeight = 2160;

/** How the photo is laid on the stage: scaled to cover it, then cropped around the face. */
export interface PhotoLayout {
  readonly scale: number;
  readonly scaledWidth: number;
  readonly scaledHeight: number;
  /** The stage's top-left corner in the scaled photo. */
  readonly cropX: number;
  readonly cropY: number;
  /** The lips in stage pixels. */
  readonly lips: Lips;
}

/**
 * Covers the stage with the photo (never letterboxed), keeping the face in view: centred across,
 * and a little above the middle, where a talking head's face sits; the crop never leaves the photo.
 */
export function layPhoto(face: PhotoFace): PhotoLayout {
  const scale = Math.max(stageWidth / face.width, stageHeight / face.height);
  const scaledWidth = Math.max(stageWidth, Math.round(face.width * scale));
  const scaledHeight = Math.max(stageHeight, Math.round(face.height * scale));
  const faceX = (face.box.x + face.box.width / 2) * scale;
  const faceY = (face.box.y + face.box.height / 2) * scale;
  const cropX = Math.round(clamp(faceX - stageWidth / 2, 0, scaledWidth - stageWidth));
  const cropY = Math.round(clamp(faceY - stageHeight * 0.36, 0, scaledHeight - stageHeight));
  const onStage = (p: Point): Point => [p[0] * scale - cropX, p[1] * scale - cropY];
  return {
    scale,
    scaledWidth,
    scaledHeight,
    cropX,
    cropY,
    lips: { outer: face.outerLips.map(onStage), inner: face.innerLips.map(onStage) },
  };
}

/**
 * The filter graph: input 0 is the stage (one raw frame), 1 the speech, 2 the mouth patch of every
 * frame (raw RGBA from a pipe), laid at `mouth`. The camera drifts slowly by cropping the stage, so
 * nothing is scaled per frame; the overlay runs in 4:4:4, the patch's pixels meet the photo's
 * exactly, and only the encoder's input is 4:2:0.
 */
export function buildPhotoMouthGraph(mouth: { readonly x: number; readonly y: number }): string {
  const spareX = stageWidth - outputWidth;
  const spareY = stageHeight - outputHeight;
  // Unrelated periods, so the drift never visibly repeats.
  const cameraX = `${spareX / 2}*(1+0.7*sin(2*PI*t/11))`;
  const cameraY = `${spareY / 2}*(1+0.6*sin(2*PI*t/9+1))`;
  return [
    `[0:v]setsar=1,format=yuv444p,loop=loop=-1:size=1:start=0[stage]`,
    `[2:v]setsar=1,fps=${outputFps}[mouth]`,
    `[stage][mouth]overlay=x=${mouth.x}:y=${mouth.y}:format=yuv444:shortest=1,crop=${outputWidth}:${outputHeight}:x='${cameraX}':y='${cameraY}',format=yuv420p[v]`,
  ].join(';');
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
