import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { runFfmpeg } from '../../src/adapters/local/media/ffmpeg-run.js';
import { starterCharacters } from '../../src/catalog/starter/starter-characters.js';
import { buildClipLayers, canvasHeight, canvasWidth } from './clip-layers.js';
import { clipSeconds, type RenderClipSpec } from './clip-specs.js';

const fps = 30;
const headPad = 60;

/**
 * Renders one test clip the way the local talking head is made (a still on a canvas, a camera
 * that zooms, pans and rolls over it) plus what the still cannot show: the head tilting and
 * shifting on its own and hands entering the frame. 1080×1920, 30 fps, 15 s, with a voice-like
 * tone. Reused when it already exists in `dir`.
 */
export async function makeRenderClip(ffmpeg: string, spec: RenderClipSpec, dir: string): Promise<string> {
  const output = join(dir, `${spec.name}.mp4`);
  if ((await stat(output).catch(() => undefined))?.size) return output;
  const character = starterCharacters.find((c) => c.id === spec.characterId);
  if (!character) throw new Error(`no starter character ${spec.characterId}`);
  const work = join(dir, `${spec.name}.layers`);
  await mkdir(work, { recursive: true });
  try {
    const layers = await buildClipLayers(character.portrait, spec.backdrop);
    const headPadded = await sharp(layers.head)
      .extend({ top: headPad, bottom: headPad, left: headPad, right: headPad, background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .png()
      .toBuffer();
    const files = { backdrop: join(work, 'backdrop.png'), body: join(work, 'body.png'), head: join(work, 'head.png'), hand: join(work, 'hand.png') };
    await Promise.all([
      writeFile(files.backdrop, layers.backdrop),
      writeFile(files.body, layers.body),
      writeFile(files.head, headPadded),
      writeFile(files.hand, layers.hand),
    ]);
    const still = (label: string, index: number) => `[${index}:v]format=rgba,loop=loop=-1:size=1:start=0,setpts=N/${fps}/TB${label}`;
    const headX = layers.headBox.x - headPad;
    const headY = layers.headBox.y - headPad;
    const graph = [
      `[0:v]format=rgb24,loop=loop=-1:size=1:start=0,setpts=N/${fps}/TB[bg]`,
      still('[body]', 1),
      `${still('', 2)},rotate=a='${spec.head.tilt}':c=none[head]`,
      `[bg][body]overlay=0:0:format=rgb[withbody]`,
      `[withbody][head]overlay=x='${headX}+${spec.head.shiftX}':y='${headY}+${spec.head.shiftY}':format=rgb:eval=frame[scene0]`,
    ];
    let scene = 'scene0';
    if (spec.hands.length > 0) {
      graph.push(`${still('', 3)},split=${spec.hands.length}${spec.hands.map((_, i) => `[hand${i}src]`).join('')}`);
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
      graph.push(`[${label}src]${hand.side === 'left' ? 'hflip,' : ''}rotate=a='${hand.side === 'left' ? 0.25 : -0.25}+0.1*sin(2*PI*t)':c=none:ow=hypot(iw\\,ih):oh=ow[${label}]`);
      graph.push(`[${scene}][${label}]overlay=x='${x}':y='${y}':format=rgb:eval=frame[scene${i + 1}]`);
      scene = `scene${i + 1}`;
    });
    const frames = clipSeconds * fps;
    graph.push(
      `[${scene}]rotate=a='${spec.camera.roll}':fillcolor=black,` +
        `zoompan=z='${spec.camera.zoom}':x='(iw-iw/zoom)*(${spec.camera.panX})':y='(ih-ih/zoom)*(${spec.camera.panY})':d=1:s=1080x1920:fps=${fps},` +
        `format=yuv420p,trim=end_frame=${frames}[v]`,
    );
    const partial = `${output}.partial.mp4`;
    try {
      await runFfmpeg(
        ffmpeg,
        'render-clip',
        [
          '-i', files.backdrop, '-i', files.body, '-i', files.head,
          '-i', files.hand,
          '-f', 'lavfi', '-i', `sine=f=180:d=${clipSeconds}:sample_rate=44100`,
          '-filter_complex', graph.join(';'),
          '-map', '[v]', '-map', '4:a',
          '-af', `volume='0.4+0.4*sin(2*PI*t*3)':eval=frame`,
          '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-r', String(fps),
          '-c:a', 'aac', '-b:a', '96k', '-t', String(clipSeconds), '-movflags', '+faststart', '-y', partial,
        ],
        { timeoutMs: 600_000 },
      );
      await rename(partial, output);
    } finally {
      await rm(partial, { force: true });
    }
    return output;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
