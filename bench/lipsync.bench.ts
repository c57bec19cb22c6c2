import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sharedBinary, sharedExecutable } from '../src/adapters/local/binaries/media-binaries.js';
import { planFaceAnimation } from '../src/adapters/local/lipsync/face-animation.js';
import { mouthOpening, mouthWindow } from '../src/adapters/local/lipsync/mouth-opening.js';
import { EspeakSpeechSynthesizer } from '../src/adapters/local/speech/espeak-speech.js';
import { espeakVoices } from '../src/adapters/local/speech/espeak-voices.js';
import { outputFps } from '../src/adapters/local/ffmpeg/video-format.js';
import { monoPcm16, parseWav } from '../src/adapters/local/speech/wav-file.js';
import { rawFrames } from '../src/adapters/local/segmentation/raw-frames.js';
import { renderPortraitPng } from '../src/catalog/portraits/render-portrait.js';
import { starterCharacters } from '../src/catalog/starter/starter-characters.js';
import { createLogger } from '../src/logging/logger.js';
import { rmsPerFrame, speechLoudness } from '../src/adapters/local/lipsync/speech-loudness.js';
import { pearson } from './lipsync/sync-measures.js';
import type { RenderChildArgs, RenderChildReport } from './lipsync/render-child.js';
import { runMeasuredChild } from './lib/measured-child.js';

/**
 * `npm run bench:lipsync [-- --cast N]`: the starter cast speaks, half in English and half in
 * Russian (each character one clip of about 10 s, the product's renderer and preset). From every
 * rendered video the mouth's opening is read back per frame (the dark mouth-interior pixels in
 * the window where the mouth can be), never from the timeline the renderer was given, and set
 * against the speech:
 * - r: Pearson's correlation of the opening with the loudness (RMS per frame of the audio);
 * - bilabials closed: of the p, b and m the speech says (eSpeak NG's phonemes within the word
 *   timings), the share whose middle frame shows no mouth interior;
 * - silent frames closed: of the frames where the audio is silent, the share with no interior;
 * - the render's wall time and CPU time per 10 s of speech, and its peak memory: each render runs
 *   in a fresh child process (the product's renderer, as the service runs it), and the child with
 *   its ffmpeg is sampled from /proc while it renders.
 * The machine may be shared: CPU seconds say what the work costs when wall time cannot.
 */
const { values } = parseArgs({
  options: {
    cast: { type: 'string', default: String(starterCharacters.length) },
    dir: { type: 'string', default: 'bench/out/lipsync' },
  },
});

const texts = {
  en: 'Meet the new Bloom bottle: it keeps your coffee hot for twelve hours. Simple, bold, and made to last. Buy one today, and pay less with our summer promo!',
  ru: 'Познакомьтесь с новой бутылкой Блум: она держит кофе горячим двенадцать часов. Просто, модно и надолго. Купите сегодня и платите меньше по нашей промо-акции!',
} as const;
const voiceFor = (language: 'en' | 'ru', gender: 'male' | 'female') =>
  espeakVoices.find((v) => v.language === language && v.gender === gender)!;

const logger = createLogger({ level: 'warn' });
const loadavg = () =>
  readFile('/proc/loadavg', 'utf8')
    .then((s) => s.trim().split(' ').slice(0, 3).join(' '))
    .catch(() => 'n/a');
const cast = starterCharacters.slice(0, Math.max(1, Number(values.cast)));
await rm(values.dir, { recursive: true, force: true });
await mkdir(values.dir, { recursive: true });
console.log(
  `lipsync bench: ${cast.length} starter characters, English and Russian in turn; load ${await loadavg()}`,
);

const ffmpeg = (await sharedExecutable('ffmpeg', logger)).path;
const espeak = await sharedBinary('espeak-ng', logger);
const tts = new EspeakSpeechSynthesizer({ binary: espeak, logger });

interface ClipResult {
  readonly id: string;
  readonly language: string;
  readonly r: number;
  readonly bilabials: number;
  readonly bilabialsClosed: number;
  readonly silent: number;
  readonly silentClosed: number;
  readonly speechSec: number;
  readonly wallSec: number;
  readonly cpuSec: number;
  readonly peakBytes: number;
}
const results: ClipResult[] = [];

for (const [index, character] of cast.entries()) {
  const language = index % 2 === 0 ? 'en' : 'ru';
  const voice = voiceFor(language, character.gender);
  const portrait = join(values.dir, `${character.id}.png`);
  await renderPortraitPng(character.portrait, portrait);
  const speech = await tts.synthesize({
    text: texts[language],
    voiceId: voice.id,
    outputPath: join(values.dir, `${character.id}.wav`),
  });
  const output = join(values.dir, `${character.id}.mp4`);

  const { report, peakBytes } = await renderInChild({
    imagePath: portrait,
    audioPath: speech.path,
    outputPath: output,
    words: speech.words,
    voiceId: voice.id,
  });
  const { seconds: wallSec, cpuSeconds: cpuSec } = report;
  if (!report.lipSync)
    throw new Error(`${character.id}: the renderer did not lip-sync its own starter portrait`);

  // Read the mouth back from the video.
  const window = mouthWindow;
  const source = rawFrames({
    ffmpegPath: ffmpeg,
    videoPath: output,
    width: window.width,
    height: window.height,
    pixFmt: 'rgb24',
    preFilter: `crop=${window.width}:${window.height}:${window.x}:${window.y}`,
    threads: 1,
  });
  const opening: number[] = [];
  for await (const frame of source.frames()) opening.push(mouthOpening(frame));
  await source.done;

  const wav = await readFile(speech.path);
  const info = parseWav(wav);
  const loudness = rmsPerFrame(monoPcm16(wav, info), info.sampleRate, outputFps, opening.length);
  const r = pearson(opening, loudness);

  // Where the speech says p, b and m: the same phonemes, word timings and placement the product
  // uses.
  const placing = await speechLoudness(ffmpeg, speech.path, outputFps, opening.length);
  const plan = await planFaceAnimation({
    words: speech.words,
    voiceId: voice.id,
    frameCount: opening.length,
    fps: outputFps,
    espeak,
    loudness: placing,
  });
  const maxOpening = Math.max(...opening);
  const closed = (frame: number) => (opening[frame] ?? 0) <= Math.max(8, 0.03 * maxOpening);
  const bilabialFrames = plan.cues
    .filter((c) => c.bilabial)
    .map((c) =>
      Math.min(opening.length - 1, Math.round(((c.start + c.end) / 2) * outputFps - 0.5)),
    );
  const loud = [...loudness].sort((a, b) => a - b)[Math.floor(loudness.length * 0.95)] ?? 0;
  const silentFrames = loudness.flatMap((value, frame) => (value <= 0.015 * loud ? [frame] : []));
  const result: ClipResult = {
    id: character.id,
    language,
    r,
    bilabials: bilabialFrames.length,
    bilabialsClosed: bilabialFrames.filter(closed).length,
    silent: silentFrames.length,
    silentClosed: silentFrames.filter(closed).length,
    speechSec: speech.durationSec,
    wallSec,
    cpuSec,
    peakBytes,
  };
  results.push(result);
  console.log(
    `${character.id} (${language}, ${voice.id}): r ${r.toFixed(3)}, bilabials closed ${result.bilabialsClosed}/${result.bilabials}, ` +
      `silent frames closed ${result.silentClosed}/${result.silent}, ${speech.durationSec.toFixed(1)} s of speech in ${wallSec.toFixed(2)} s ` +
      `(${cpuSec.toFixed(2)} CPU-s), peak ${mb(peakBytes)} MB; load ${await loadavg()}`,
  );
}

const sum = (pick: (c: ClipResult) => number) => results.reduce((total, c) => total + pick(c), 0);
const meanR = sum((c) => c.r) / results.length;
const bilabialShare =
  (100 * sum((c) => c.bilabialsClosed)) /
  Math.max(
    1,
    sum((c) => c.bilabials),
  );
const silentShare =
  (100 * sum((c) => c.silentClosed)) /
  Math.max(
    1,
    sum((c) => c.silent),
  );
const speechSec = sum((c) => c.speechSec);
const per10 = (10 * sum((c) => c.wallSec)) / speechSec;
const cpuPer10 = (10 * sum((c) => c.cpuSec)) / speechSec;
const peak = Math.max(...results.map((c) => c.peakBytes));
for (const language of ['en', 'ru'] as const) {
  const some = results.filter((c) => c.language === language);
  if (some.length === 0) continue;
  const r = some.reduce((t, c) => t + c.r, 0) / some.length;
  const b =
    some.reduce((t, c) => t + c.bilabialsClosed, 0) /
    Math.max(
      1,
      some.reduce((t, c) => t + c.bilabials, 0),
    );
  console.log(
    `${language}: ${some.length} clips, r ${r.toFixed(3)} (worst ${Math.min(...some.map((c) => c.r)).toFixed(3)}), bilabials closed ${(100 * b).toFixed(1)}%`,
  );
}
console.log(
  `silent frames closed ${silentShare.toFixed(1)}% (${sum((c) => c.silentClosed)}/${sum((c) => c.silent)}); ` +
    `CPU ${cpuPer10.toFixed(2)} CPU-s per 10 s of speech (two idle cores: at least ${(cpuPer10 / 2).toFixed(2)} s wall); load ${await loadavg()}`,
);
console.log(
  `lipsync: r ${meanR.toFixed(3)}, bilabials closed ${bilabialShare.toFixed(1)}%, ${per10.toFixed(2)} s per 10 s of speech (${(10 / per10).toFixed(1)}x real time), peak ${mb(peak)} MB`,
);

async function renderInChild(
  args: RenderChildArgs,
): Promise<{ report: RenderChildReport; peakBytes: number }> {
  const { report, peakBytes } = await runMeasuredChild<RenderChildReport>(
    fileURLToPath(new URL('./lipsync/render-child.ts', import.meta.url)),
    args,
    'render',
  );
  return { report, peakBytes };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
