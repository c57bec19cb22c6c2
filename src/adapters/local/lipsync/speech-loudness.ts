import { runFfmpeg } from '../ffmpeg/ffmpeg-run.js';
import { envelopeRate } from './loudness-alignment.js';

const sampleRate = 16_000;

/** Loudness per video frame: the RMS (0–1) of the samples each frame spans. */
export function rmsPerFrame(
  samples: Int16Array,
  rate: number,
  fps: number,
  frameCount: number,
): number[] {
  const out: number[] = [];
  for (let frame = 0; frame < frameCount; frame++) {
    const from = Math.floor((frame * rate) / fps);
    const to = Math.min(samples.length, Math.floor(((frame + 1) * rate) / fps));
    let sum = 0;
    for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
    out.push(to > from ? Math.sqrt(sum / (to - from)) / 32768 : 0);
  }
  return out;
}

export interface SpeechLoudness {
  /** RMS per video frame. */
  readonly perFrame: number[];
  /** RMS per 10 ms step, for placing sounds. */
  readonly perStep: number[];
}

/** The speech's loudness, from any audio ffmpeg reads (WAV from eSpeak NG, MP3 from the cloud). */
export async function speechLoudness(
  ffmpeg: string,
  audioPath: string,
  fps: number,
  frameCount: number,
  signal?: AbortSignal,
): Promise<SpeechLoudness> {
  const pcm = await runFfmpeg(
    ffmpeg,
    'loudness',
    ['-i', audioPath, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', 'pipe:1'],
    { signal, timeoutMs: 60_000 },
  );
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.byteLength / 2));
  const steps = Math.ceil((samples.length / sampleRate) * envelopeRate);
  return {
    perFrame: rmsPerFrame(samples, sampleRate, fps, frameCount),
    perStep: rmsPerFrame(samples, sampleRate, envelopeRate, steps),
  };
}
