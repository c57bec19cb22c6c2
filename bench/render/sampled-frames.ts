/** Frames compared with ISNet: `count` spread over the clip, skipping frame 0 (the reference). */
export function sampledFrames(totalFrames: number, count: number): number[] {
  const step = Math.floor((totalFrames - 20) / count);
  return Array.from({ length: count }, (_, k) => 20 + k * step);
}
