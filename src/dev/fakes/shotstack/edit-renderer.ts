import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { filterValue, runFfmpeg } from '../../../adapters/local/ffmpeg/ffmpeg-run.js';
import type { FfprobeMediaProbe } from '../../../adapters/local/probe/ffprobe-probe.js';
import { captionsToAss, parseSrt } from './srt-captions.js';
import type { FakeClip, FakeEdit } from './edit-schema.js';

export interface EditRenderTools {
  readonly ffmpegPath: string;
  readonly probe: FfprobeMediaProbe;
  /** Local copies of the asset URLs the edit names. */
  readonly assets: ReadonlyMap<string, string>;
  readonly workDir: string;
  readonly outputPath: string;
  readonly signal?: AbortSignal;
}

interface AssetInfo {
  readonly width: number;
  readonly height: number;
  readonly durationSec: number;
  readonly hasAudio: boolean;
}

/** Base sizes of `output.resolution` (16:9), reshaped by `aspectRatio`. */
const resolutions = {
  preview: [512, 288],
  mobile: [640, 360],
  sd: [1024, 576],
  hd: [1280, 720],
  '1080': [1920, 1080],
  '4k': [3840, 2160],
} as const;

/**
 * Renders an Edit with ffmpeg by Shotstack's documented rules, so a wrong Edit gives a visibly
 * wrong video: tracks[0] on top; `fit` crop (fill, keep aspect, crop the overflow) / cover
 * (stretch) / contain / none, then `scale` multiplies; `position` anchors the clip to one of nine
 * points and `offset` moves it by fractions of the viewport (x right, y up); `chromaKey`
 * threshold/halo are RGB distances (0..441) turned into colorkey's similarity/blend; a `luma` clip
 * masks the visual clip it shares a track with at that clip's size and place, white = transparent
 * as Shotstack's staff describe the Edit API (src/adapters/shotstack/luma-polarity.ts);
 * captions are drawn from the SRT with `margin.top` as the text's top edge. Transitions, effects
 * and filters are ignored.
 */
export async function renderEdit(
  edit: FakeEdit,
  tools: EditRenderTools,
): Promise<{ durationSec: number }> {
  const { output } = edit;
  if (output.format !== 'mp4') throw new Error(`the fake renders mp4 only, not ${output.format}`);
  const [W, H] = frameSize(output);
  const fps = output.fps ?? 25;
  const info = new Map<string, AssetInfo>();
  for (const clip of edit.timeline.tracks.flatMap((track) => track.clips)) {
    const asset = clip.asset;
    if (asset.type === 'caption' || info.has(asset.src)) continue;
    info.set(asset.src, await probeAsset(tools, asset.src));
  }
  const clipEnd = (clip: FakeClip): number | undefined => {
    if (typeof clip.length === 'number') return clip.start + clip.length;
    if (clip.length === 'auto' && clip.asset.type !== 'caption') {
      const trim = 'trim' in clip.asset ? (clip.asset.trim ?? 0) : 0;
      return clip.start + Math.max(0, info.get(clip.asset.src)!.durationSec - trim);
    }
    return undefined;
  };
  const total = Math.max(
    0,
    ...edit.timeline.tracks.flatMap((track) => track.clips.map((clip) => clipEnd(clip) ?? 0)),
  );
  if (!(total > 0)) throw new Error('the timeline has no length');

  const args: string[] = [];
  let inputs = 0;
  const addInput = (path: string, extra: string[] = []) => {
    args.push(...extra, '-i', path);
    return inputs++;
  };
  const graph: string[] = [
    `color=c=0x${(edit.timeline.background ?? '#000000').slice(1, 7)}:s=${W}x${H}:r=${fps}:d=${total.toFixed(3)},format=yuv420p[base0]`,
  ];
  let current = 'base0';
  let label = 0;
  const audio: string[] = [];
  const captions: Array<{ clip: FakeClip; end: number }> = [];

  for (const track of [...edit.timeline.tracks].reverse()) {
    const lumas = track.clips.filter((clip) => clip.asset.type === 'luma');
    for (const clip of track.clips) {
      const asset = clip.asset;
      const start = clip.start;
      const end = Math.min(clipEnd(clip) ?? total, total);
      const length = end - start;
      if (length <= 0) continue;
      if (asset.type === 'caption') {
        captions.push({ clip, end });
        continue;
      }
      if (asset.type === 'luma') continue;
      const path = localPath(tools, asset.src);
      const trim = 'trim' in asset && asset.trim ? ['-ss', String(asset.trim)] : [];
      const index =
        asset.type === 'image'
          ? addInput(path, ['-loop', '1', '-framerate', String(fps)])
          : addInput(path, trim);
      const timing = `trim=duration=${length.toFixed(3)},setpts=PTS-STARTPTS+${start.toFixed(3)}/TB`;
      if (asset.type === 'audio' || asset.type === 'video') {
        const volume = asset.volume ?? 1;
        if (volume > 0 && info.get(asset.src)!.hasAudio) {
          audio.push(
            `[${index}:a]atrim=duration=${length.toFixed(3)},asetpts=PTS-STARTPTS,volume=${volume},${mixable(start)}[a${audio.length}]`,
          );
        }
        if (asset.type === 'audio') continue;
      }
      const source = info.get(asset.src)!;
      const box = clipBox(clip, source, W, H);
      const chain = [`[${index}:v]${timing},fps=${fps},setsar=1`];
      if (asset.type === 'video' && asset.chromaKey) {
        const distance = (value: number) =>
          Math.min(1, Math.max(0.00001, value / (255 * Math.sqrt(3))));
        chain.push(
          `format=rgba,colorkey=0x${asset.chromaKey.color.slice(1)}:${distance(asset.chromaKey.threshold ?? 150)}:${distance(asset.chromaKey.halo ?? 100)}`,
        );
      }
      chain.push(box.filter);
      const layer = `l${++label}`;
      const luma = lumas.find((other) => other.start < end && (clipEnd(other) ?? total) > start);
      if (luma && luma.asset.type === 'luma') {
        const lumaLength = Math.min(clipEnd(luma) ?? total, total) - luma.start;
        const lumaIndex = addInput(
          localPath(tools, luma.asset.src),
          luma.asset.trim ? ['-ss', String(luma.asset.trim)] : [],
        );
        graph.push(`${chain.join(',')},format=yuv420p[${layer}fill]`);
        graph.push(
          `[${lumaIndex}:v]trim=duration=${lumaLength.toFixed(3)},setpts=PTS-STARTPTS+${luma.start.toFixed(3)}/TB,fps=${fps},setsar=1,${clipBox(clip, info.get(luma.asset.src)!, W, H).filter},format=gray,negate[${layer}matte]`,
        );
        graph.push(`[${layer}fill][${layer}matte]alphamerge[${layer}keyed]`);
        graph.push(`[${layer}keyed]${opacityFilter(clip)}format=yuva420p[${layer}]`);
      } else {
        graph.push(`${chain.join(',')},${opacityFilter(clip)}format=yuva420p[${layer}]`);
      }
      const next = `b${label}`;
      graph.push(
        `[${current}][${layer}]overlay=x=${box.x}:y=${box.y}:format=auto:eof_action=pass:enable='between(t,${start.toFixed(3)},${end.toFixed(3)})'[${next}]`,
      );
      current = next;
    }
  }

  for (const [i, { clip, end }] of captions.entries()) {
    if (clip.asset.type !== 'caption') continue;
    if (clip.asset.src.startsWith('alias://'))
      throw new Error('the fake cannot transcribe: alias:// captions are not supported');
    const font = clip.asset.font ?? {};
    const srt = await readFile(localPath(tools, clip.asset.src), 'utf8');
    const assPath = join(tools.workDir, `captions-${i}.ass`);
    await writeFile(
      assPath,
      captionsToAss(
        parseSrt(srt),
        {
          width: W,
          height: H,
          family: font.family ?? font.name ?? font.fontFamily,
          size: font.size ?? font.fontSize,
          color: font.color,
          stroke: font.stroke,
          strokeWidth: font.strokeWidth,
          margin: clip.asset.margin,
        },
        { start: clip.start, end },
      ),
    );
    graph.push(`[${current}]ass=filename=${filterValue(assPath)}[c${i}]`);
    current = `c${i}`;
  }
  graph.push(`[${current}]format=yuv420p[vout]`);

  if (edit.timeline.soundtrack) {
    const soundtrack = edit.timeline.soundtrack;
    const index = addInput(localPath(tools, soundtrack.src));
    audio.push(`[${index}:a]volume=${soundtrack.volume ?? 1},${mixable(0)}[a${audio.length}]`);
  }
  const mute = output.mute === true;
  if (!mute) {
    if (audio.length === 0) graph.push('anullsrc=r=44100:cl=stereo[aout]');
    else
      graph.push(
        ...audio,
        `${audio.map((_, i) => `[a${i}]`).join('')}${sumOf(audio.length)}[aout]`,
      );
  }

  await runFfmpeg(
    tools.ffmpegPath,
    'fake shotstack render',
    [
      ...args,
      '-filter_complex',
      graph.join(';'),
      '-map',
      '[vout]',
      ...(mute ? ['-an'] : ['-map', '[aout]', '-c:a', 'aac', '-b:a', '128k', '-ar', '44100']),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-r',
      String(fps),
      '-movflags',
      '+faststart',
      '-t',
      total.toFixed(3),
      '-f',
      'mp4',
      '-y',
      tools.outputPath,
    ],
    { signal: tools.signal, timeoutMs: 300_000 },
  );
  return { durationSec: total };
}

// The audio mix is written for every ffmpeg the project may run, the npm 4.1 build included, which
// has neither `adelay=…:all=1` nor `amix=…:normalize=0`. Every track becomes stereo, is delayed to
// its start (one delay per channel: the only form every build reads) and padded with silence
// without end, so no amix input ever ends, amix's 1/n scaling stays constant and `volume=n` undoes
// it exactly: the plain sum Shotstack plays. `-t` cuts the output at the timeline's end.
function mixable(startSec: number): string {
  const ms = Math.round(startSec * 1000);
  return `aformat=sample_fmts=fltp:sample_rates=44100:channel_layouts=stereo,adelay=${ms}|${ms},apad`;
}

function sumOf(inputs: number): string {
  return `amix=inputs=${inputs}:duration=first,volume=${inputs}`;
}

function frameSize(output: FakeEdit['output']): [number, number] {
  if (output.size) return [output.size.width, output.size.height];
  const [w, h] = resolutions[output.resolution ?? 'sd'];
  const even = (value: number) => 2 * Math.round(value / 2);
  switch (output.aspectRatio) {
    case '9:16':
      return [h, w];
    case '1:1':
      return [h, h];
    case '4:5':
      return [even((h * 4) / 5), h];
    case '4:3':
      return [even((h * 4) / 3), h];
    default:
      return [w, h];
  }
}

/** Size and place of a visual clip on the W×H viewport, and the filters that size it. */
export function clipBox(
  clip: Pick<FakeClip, 'fit' | 'scale' | 'position' | 'offset'>,
  source: { width: number; height: number },
  W: number,
  H: number,
) {
  const s = clip.scale ?? 1;
  const { width: w, height: h } = source;
  const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));
  let filter: string;
  let cw: number;
  let ch: number;
  switch (clip.fit ?? 'crop') {
    case 'cover':
      cw = even(W * s);
      ch = even(H * s);
      filter = `scale=${cw}:${ch}`;
      break;
    case 'contain': {
      const k = Math.min(W / w, H / h) * s;
      cw = even(w * k);
      ch = even(h * k);
      filter = `scale=${cw}:${ch}`;
      break;
    }
    case 'none':
      cw = even(w * s);
      ch = even(h * s);
      filter = `scale=${cw}:${ch}`;
      break;
    default: {
      const k = Math.max(W / w, H / h);
      cw = even(Math.min(w * k, W) * s);
      ch = even(Math.min(h * k, H) * s);
      filter = `scale=${even(w * k * s)}:${even(h * k * s)},crop=${cw}:${ch}`;
    }
  }
  const position = clip.position ?? 'center';
  const x0 = /Left|^left$/.test(position)
    ? 0
    : /Right|^right$/.test(position)
      ? W - cw
      : (W - cw) / 2;
  const y0 = /^top/.test(position) ? 0 : /^bottom/.test(position) ? H - ch : (H - ch) / 2;
  return {
    width: cw,
    height: ch,
    x: Math.round(x0 + (clip.offset?.x ?? 0) * W),
    y: Math.round(y0 - (clip.offset?.y ?? 0) * H),
    filter: `${filter},setsar=1`,
  };
}

function opacityFilter(clip: FakeClip): string {
  return clip.opacity !== undefined && clip.opacity < 1
    ? `format=rgba,colorchannelmixer=aa=${clip.opacity},`
    : '';
}

function localPath(tools: EditRenderTools, url: string): string {
  const path = tools.assets.get(url);
  if (!path) throw new Error(`asset not fetched: ${url}`);
  return path;
}

async function probeAsset(tools: EditRenderTools, url: string): Promise<AssetInfo> {
  const raw = await tools.probe.probeRaw(localPath(tools, url), tools.signal);
  const video = raw.streams.find((s) => s.codec_type === 'video');
  return {
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    durationSec: raw.format.duration ?? 0,
    hasAudio: raw.streams.some((s) => s.codec_type === 'audio'),
  };
}
