import { outputFps, outputHeight, outputWidth } from '../ffmpeg/video-format.js';

export interface PortraitGraphInput {
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly durationSec: number;
  /** A soft bar that glows with the speech level, so the clip visibly reacts to the voice. */
  readonly levelBar: boolean;
}

// The still is laid out on a canvas 12.5% larger than the frame, so the camera can zoom and
// drift inside it while always scaling down (never up, which would blur).
const canvasWidth = 1216;
const canvasHeight = 2160;
const frameAspect = outputWidth / outputHeight;

/**
 * The filter graph for the local talking head: input 0 is the portrait (one frame), input 1 the
 * speech. Everything expensive (layout, blur) happens once on the single frame; then
 * `loop` repeats it and `zoompan` moves the camera. Per-pixel `geq` is avoided on purpose.
 */
export function buildPortraitGraph(input: PortraitGraphInput): string {
  const frames = Math.max(1, Math.ceil(input.durationSec * outputFps));
  const canvas = `[0:v]setsar=1,${canvasLayout(input.imageWidth, input.imageHeight)},format=yuv420p`;
  // A slow push-in over the whole clip, a ~4 s "breathing" scale and a lazy sideways drift; the
  // periods are unrelated so the motion never visibly repeats.
  const zoom = `1.03+0.05*on/${frames}+0.006*sin(2*PI*on/${outputFps * 4})`;
  const x = `(iw-iw/zoom)/2*(1+0.5*sin(2*PI*on/${outputFps * 11}))`;
  const y = `(ih-ih/zoom)*(0.4+0.1*sin(2*PI*on/${outputFps * 9}))`;
  const camera = `loop=loop=-1:size=1:start=0,zoompan=z='${zoom}':x='${x}':y='${y}':d=1:s=${outputWidth}x${outputHeight}:fps=${outputFps}`;
  if (!input.levelBar) return `${canvas},${camera}[v]`;
  return [
    `${canvas},${camera}[frame]`,
    levelBar('[1:a]', '[bar]'),
    `[frame][bar]overlay=x=(W-w)/2:y=H-h-170:format=yuv420:shortest=1[v]`,
  ].join(';');
}

export interface LipSyncGraphInput {
  readonly durationSec: number;
  /**
   * The still body's size (input 0): a little larger than the frame, for the camera to drift over.
   */
  readonly stage: { readonly width: number; readonly height: number };
  /** Where the head (input 2, with transparency) sits on the body when it is still. */
  readonly head: { readonly x: number; readonly y: number };
  /** Where the face sprites (input 3, raw RGBA frames) sit on the body when the head is still. */
  readonly face: { readonly x: number; readonly y: number };
}

/**
 * The speaking portrait of a drawn character: input 0 is its body (one frame), 1 the speech, 2 its
 * head (one frame with transparency), 3 the face box of every frame (mouth shapes and blinks) from
 * a pipe. The head sways and nods a few pixels on the still body, the face moves with it, and the
 * camera drifts slowly by cropping the larger stage. Nothing is scaled per frame, and everything
 * stays 4:2:0 (the head moves in steps of two pixels; 4:4:4 overlays cost 40% more CPU). No level
 * bar: the mouth shows the voice.
 */
export function buildLipSyncGraph(input: LipSyncGraphInput): string {
  // Unrelated periods, so the motion never visibly repeats; a few pixels at most.
  const dx = `(3*sin(2*PI*t/5.3)+1.5*sin(2*PI*t/2.3+1))`;
  const dy = `(2*sin(2*PI*t/4.1+2)+sin(2*PI*t/1.7))`;
  const spareX = input.stage.width - outputWidth;
  const spareY = input.stage.height - outputHeight;
  const cameraX = `${spareX / 2}*(1+0.8*sin(2*PI*t/11))`;
  const cameraY = `${spareY}*(0.45+0.35*sin(2*PI*t/9))`;
  return [
    `[0:v]setsar=1,format=yuv420p,loop=loop=-1:size=1:start=0[body]`,
    `[2:v]setsar=1,format=yuva420p,loop=loop=-1:size=1:start=0[head]`,
    `[3:v]setsar=1[face]`,
    `[body][head]overlay=x='${input.head.x}+${dx}':y='${input.head.y}+${dy}':eval=frame:format=yuv420[moved]`,
    `[moved][face]overlay=x='${input.face.x}+${dx}':y='${input.face.y}+${dy}':eval=frame:format=yuv420:shortest=1,crop=${outputWidth}:${outputHeight}:x='${cameraX}':y='${cameraY}'[v]`,
  ].join(';');
}

function canvasLayout(width: number, height: number): string {
  const aspect = width / height;
  if (aspect <= frameAspect * 1.05) {
    // Tall enough: cover the canvas, cropping sides and keeping more of the top, where the head is.
    return `scale=${canvasWidth}:${canvasHeight}:force_original_aspect_ratio=increase,setsar=1,crop=${canvasWidth}:${canvasHeight}:(iw-ow)/2:(ih-oh)*0.3`;
  }
  // Wider (e.g. square catalog portraits): fit the width and stand the portrait on the bottom
  // edge, where its shoulders are cut anyway; above it, stretch its own top rows and blur them,
  // which continues a plain backdrop seamlessly and keeps the colour-key cut-out working.
  const fittedHeight = Math.min(
    canvasHeight - 2,
    2 * Math.round((canvasWidth * height) / width / 2),
  );
  const fillHeight = canvasHeight - fittedHeight;
  const stripHeight = Math.max(2, Math.round(height * 0.03));
  return [
    `split[top][body]`,
    `[top]crop=iw:${stripHeight}:0:0,scale=${canvasWidth}:${fillHeight},setsar=1,boxblur=20:1[fill]`,
    `[body]scale=${canvasWidth}:${fittedHeight},setsar=1[fitted]`,
    `[fill][fitted]vstack`,
  ].join(';');
}

/** A centred bar that grows both ways with the speech level and glows softly. */
function levelBar(audio: string, output: string): string {
  return [
    `${audio}aformat=channel_layouts=mono,showvolume=r=${outputFps}:w=300:h=14:f=0.6:t=0:v=0:b=0:p=0:m=r:ds=log:dm=0:c=0xFFFFFFFF,format=rgba,split[right][left]`,
    `[left]hflip[mirrored]`,
    // White under the transparent padding, so the blur spreads light rather than a dark fringe.
    `[mirrored][right]hstack,pad=iw+60:ih+60:30:30:color=white@0,lutrgb=r=255:g=255:b=255,split[sharp][soft]`,
    `[soft]boxblur=14:2[glow]`,
    `[glow][sharp]overlay,colorchannelmixer=aa=0.85,format=yuva420p${output}`,
  ].join(';');
}
