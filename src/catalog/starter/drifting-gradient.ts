import { runFfmpeg, type X264Preset } from '../../adapters/local/ffmpeg/ffmpeg-run.js';

export interface DriftingGradientSpec {
  readonly width: number;
  readonly height: number;
  readonly seconds: number;
  /** Top to bottom, `0xRRGGBB`; at least two. */
  readonly colors: readonly string[];
  readonly fps?: number;
  readonly preset?: X264Preset;
}

/**
 * A stand-in for a user's background clip: a soft vertical gradient that drifts down and back.
 * Made of a few 2×2 colour frames stacked and scaled up once (bilinear, so the bands blend), then
 * a crop that moves with time: sources and filters every ffmpeg build has. The `gradients` source
 * would be simpler but is missing from older builds, the npm-shipped 4.1 among them, and this clip
 * is made on a machine's first start, where no build may be assumed.
 */
export async function renderDriftingGradient(
  ffmpegPath: string,
  outputPath: string,
  spec: DriftingGradientSpec,
): Promise<string> {
  if (spec.colors.length < 2) throw new Error('a gradient needs at least two colours');
  const fps = spec.fps ?? 30;
  const even = (value: number) => 2 * Math.round(value / 2);
  const width = even(spec.width);
  const height = even(spec.height);
  const swatches = spec.colors.map(
    (color, i) => `color=c=${color}:s=2x2:r=${fps}:d=${(1 / fps).toFixed(4)}[c${i}]`,
  );
  const stack = `${spec.colors.map((_, i) => `[c${i}]`).join('')}vstack=inputs=${spec.colors.length}`;
  // Twice the frame's height, so the crop can travel one frame's height. One swing down and back
  // takes the whole clip: it ends where it began, so the compositor's loop has no visible seam.
  const graph = [
    ...swatches,
    `${stack},format=rgb24,scale=${width}:${height * 2}:flags=bilinear,format=yuv420p,loop=loop=-1:size=1:start=0,` +
      `crop=${width}:${height}:0:'(ih-oh)*(0.5-0.5*cos(2*PI*t/${spec.seconds.toFixed(3)}))',setsar=1[v]`,
  ];
  await runFfmpeg(ffmpegPath, 'background clip', [
    '-filter_complex',
    graph.join(';'),
    '-map',
    '[v]',
    '-t',
    spec.seconds.toFixed(3),
    '-r',
    String(fps),
    '-c:v',
    'libx264',
    '-preset',
    spec.preset ?? 'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-an',
    '-y',
    outputPath,
  ]);
  return outputPath;
}
