import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { runFfmpeg } from '../../src/adapters/local/ffmpeg/ffmpeg-run.js';
import { starterCharacters } from '../../src/catalog/starter/starter-characters.js';
import { buildClipLayers, canvasHeight, canvasWidth } from './clip-layers.js';
import { clipSeconds, type RenderClipSpec } from './clip-specs.js';

const fps = 30;
const headPad = 60;

export interface RenderClip {
  /** The clip, 1080×1920 30 fps with sound. */
  readonly video: string;
  /**
   * The same motion with the person white on black (lossless gray): the true mask of every frame.
   */
  readonly truth: string;
}

interface LayerFiles {
  readonly backdrop: string;
  readonly body: string;
  readonly head: string;
  readonly hand: string;
}

/**
 * Renders one test clip the way the local talking head is made (a still on a canvas, a camera
 * that zooms, pans and rolls over it) plus what the still cannot show: the head tilting and
 * shifting on its own and hands entering the frame. 1080×1920, 30 fps, 15 s, with a voice-like
 * tone. Also renders the true person mask of every frame from the same layers and motion.
 * Reused when both already exist in `dir`.
 */
export async function makeRenderClip(
  ffmpeg: string,
  spec: RenderClipSpec,
  dir: string,
): Promise<RenderClip> {
  const output = join(dir, `${spec.name}.mp4`);
  const truth = join(dir, `${spec.name}.truth.mkv`);
  const exists = async (path: string) => Boolean((await stat(path).catch(() => undefined))?.size);
  if ((await exists(output)) && (await exists(truth))) return { video: output, truth };
  const character = starterCharacters.find((c) => c.id === spec.characterId);
  if (!character) throw new Error(`no starter character ${spec.characterId}`);
  const work = join(dir, `${spec.name}.layers`);
  await mkdir(work, { recursive: true });
  try {
    const layers = await buildClipLayers(character.portrait, spec.backdrop);
    const headPadded = await sharp(layers.head)
      .extend({
        top: headPad,
        bottom: headPad,
        left: headPad,
        right: headPad,
        background: { r: 0, g: 0, b: 0, alpha: 0 },
      })
      .png()
      .toBuffer();
    const files: LayerFiles = {
      backdrop: join(work, 'backdrop.png'),
      body: join(work, 'body.png'),
      head: join(work, 'head.png'),
      hand: join(work, 'hand.png'),
    };
    await Promise.all([
      writeFile(files.backdrop, layers.backdrop),
      writeFile(files.body, layers.body),
      writeFile(files.head, headPadded),
      writeFile(files.hand, layers.hand),
    ]);
    const graph = clipGraph(spec, layers.headBox, 'colour');
    const partial = `${output}.partial.mp4`;
    try {
      await runFfmpeg(
        ffmpeg,
        'render-clip',
        [
          '-i',
          files.backdrop,
          '-i',
          files.body,
          '-i',
          files.head,
          '-i',
          files.hand,
          '-f',
          'lavfi',
          '-i',
          `sine=f=180:d=${clipSeconds}:sample_rate=44100`,
          '-filter_complex',
          graph.join(';'),
          '-map',
          '[v]',
          '-map',
          '4:a',
          '-af',
          `volume='0.4+0.4*sin(2*PI*t*3)':eval=frame`,
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '18',
          '-pix_fmt',
          'yuv420p',
          '-r',
          String(fps),
          '-c:a',
          'aac',
          '-b:a',
          '96k',
          '-t',
          String(clipSeconds),
          '-movflags',
          '+faststart',
          '-y',
          partial,
        ],
        { timeoutMs: 600_000 },
      );
      await rename(partial, output);
    } finally {
      await rm(partial, { force: true });
    }
    await renderTruth(ffmpeg, spec, layers.headBox, files, truth);
    return { video: output, truth };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The clip's filter graph. `colour` draws the scene; `truth` draws the same layers and motion
 * with the backdrop black and every person layer (body, head, hands) white, so its frames are
 * the exact masks of the colour clip's frames.
 */
function clipGraph(
  spec: RenderClipSpec,
  headBox: { readonly x: number; readonly y: number },
  look: 'colour' | 'truth',
): string[] {
  const paint = look === 'truth' ? ',lutrgb=r=255:g=255:b=255' : '';
  const still = (label: string, index: number) =>
    `[${index}:v]format=rgba${paint},loop=loop=-1:size=1:start=0,setpts=N/${fps}/TB${label}`;
  const headX = headBox.x - headPad;
  const headY = headBox.y - headPad;
  const frames = clipSeconds * fps;
  const graph = [
    `[0:v]format=rgb24${look === 'truth' ? ',lutrgb=r=0:g=0:b=0' : ''},loop=loop=-1:size=1:start=0,setpts=N/${fps}/TB[bg]`,
    still('[body]', 1),
    `${still('', 2)},rotate=a='${spec.head.tilt}':c=none[head]`,
    `[bg][body]overlay=0:0:format=rgb[withbody]`,
    `[withbody][head]overlay=x='${headX}+${spec.head.shiftX}':y='${headY}+${spec.head.shiftY}':format=rgb:eval=frame[scene0]`,
  ];
  let scene = 'scene0';
  if (spec.hands.length > 0) {
    graph.push(
      `${still('', 3)},split=${spec.hands.length}${spec.hands.map((_, i) => `[hand${i}src]`).join('')}`,
    );
  }
  spec.hands.forEach((hand, i) => {
    const label = `hand${i}`;
    // In over a second, hold, out over a second; off-canvas otherwise.
    const presence = `clip(min(t-${hand.from}\\,${hand.to}-t)\\,0\\,1)`;
    const handWidth = 320;
    const x =
      hand.side === 'right'
        ? `${canvasWidth}-${presence}*${Math.round(handWidth * 1.1)}+20*sin(2*PI*t)`
        : `-${handWidth}+${presence}*${Math.round(handWidth * 1.1)}+20*sin(2*PI*t)`;
    const y = `${Math.round(canvasHeight * hand.height)}+30*sin(2*PI*t/1.7)`;
    graph.push(
      `[${label}src]${hand.side === 'left' ? 'hflip,' : ''}rotate=a='${hand.side === 'left' ? 0.25 : -0.25}+0.1*sin(2*PI*t)':c=none:ow=hypot(iw\\,ih):oh=ow[${label}]`,
    );
    graph.push(
      `[${scene}][${label}]overlay=x='${x}':y='${y}':format=rgb:eval=frame[scene${i + 1}]`,
    );
    scene = `scene${i + 1}`;
  });
  graph.push(
    `[${scene}]rotate=a='${spec.camera.roll}':fillcolor=black,` +
      `zoompan=z='${spec.camera.zoom}':x='(iw-iw/zoom)*(${spec.camera.panX})':y='(ih-ih/zoom)*(${spec.camera.panY})':d=1:s=1080x1920:fps=${fps},` +
      `format=${look === 'truth' ? 'gray' : 'yuv420p'},trim=end_frame=${frames}[v]`,
  );
  return graph;
}

/** The truth render: lossless FFV1 gray, so no compression blurs the masks' edges. */
async function renderTruth(
  ffmpeg: string,
  spec: RenderClipSpec,
  headBox: { readonly x: number; readonly y: number },
  files: LayerFiles,
  output: string,
): Promise<void> {
  const partial = `${output}.partial.mkv`;
  try {
    await runFfmpeg(
      ffmpeg,
      'render-clip',
      [
        '-i',
        files.backdrop,
        '-i',
        files.body,
        '-i',
        files.head,
        '-i',
        files.hand,
        '-filter_complex',
        clipGraph(spec, headBox, 'truth').join(';'),
        '-map',
        '[v]',
        '-c:v',
        'ffv1',
        '-pix_fmt',
        'gray',
        '-r',
        String(fps),
        '-t',
        String(clipSeconds),
        '-y',
        partial,
      ],
      { timeoutMs: 600_000 },
    );
    await rename(partial, output);
  } finally {
    await rm(partial, { force: true });
  }
}
