import type { X264Preset } from './ffmpeg-run.js';

/** The deliverable every local renderer writes: vertical 1080×1920, 30 fps. */
export const outputWidth = 1080;
export const outputHeight = 1920;
export const outputFps = 30;

/**
 * Encoder settings Telegram and phones play everywhere: H.264 High yuv420p, AAC, and the index
 * at the front (+faststart) so playback starts before the download ends. `copyAudio` keeps a
 * source that is already AAC at 44.1 kHz as it is (no decode and re-encode, no second loss).
 */
export function h264AacOutputArgs(options: {
  preset: X264Preset;
  crf: number;
  copyAudio?: boolean;
}): string[] {
  return [
    '-c:v',
    'libx264',
    '-preset',
    options.preset,
    '-crf',
    String(options.crf),
    '-pix_fmt',
    'yuv420p',
    '-profile:v',
    'high',
    '-r',
    String(outputFps),
    ...(options.copyAudio ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k', '-ar', '44100']),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
  ];
}
