import type { Writable } from 'node:stream';
import { BinaryRunError, BinaryTimeoutError } from '../binaries/binary-errors.js';
import { spawnSupervised } from '../binaries/supervised-child.js';

export interface RawFrameSource {
  /** Frames in order, each exactly width × height × channels bytes; the buffer is the caller's. */
  frames(): AsyncGenerator<Uint8Array>;
  /** Resolves when ffmpeg has exited (rejects if it failed). */
  readonly done: Promise<void>;
  stop(): void;
}

export interface RawFrameOptions {
  readonly ffmpegPath: string;
  readonly videoPath: string;
  readonly width: number;
  readonly height: number;
  readonly pixFmt: 'rgb24' | 'gray';
  /** Extra filters before the scale (e.g. `select=…`). */
  readonly preFilter?: string;
  /** Decoder threads; one leaves the other core to the encoder. */
  readonly threads?: number;
  readonly signal?: AbortSignal;
  /** Stops the decoder after this long (a stuck read must not hold the composite forever). */
  readonly timeoutMs?: number;
  /**
   * A second output of the same decode, scaled (bilinear) to this size as raw yuv420p, written
   * straight into `into`: the input pipe of another process (the compositor's encoder), handed
   * to ffmpeg as its fd 3, so the frames never pass through this process and the video is not
   * decoded twice. This process's end of `into` is closed once ffmpeg has it.
   */
  readonly alsoScaled?: {
    readonly width: number;
    readonly height: number;
    readonly into: Writable;
  };
}

/**
 * Decodes a video to raw frames on ffmpeg's stdout, scaled down in ffmpeg. Reading is pulled: a
 * slow consumer stops the pipe and so ffmpeg, which keeps memory bounded to a few frames.
 */
export function rawFrames(options: RawFrameOptions): RawFrameSource {
  const channels = options.pixFmt === 'rgb24' ? 3 : 1;
  const frameBytes = options.width * options.height * channels;
  const small = `scale=${options.width}:${options.height}:flags=area`;
  const scaled = options.alsoScaled;
  const outputs = scaled
    ? [
        '-filter_complex',
        `[0:v]${options.preFilter ? `${options.preFilter},` : ''}split=2[a][b];[a]${small}[small];[b]scale=${scaled.width}:${scaled.height}:flags=bilinear,setsar=1[big]`,
        '-map',
        '[small]',
        '-f',
        'rawvideo',
        '-pix_fmt',
        options.pixFmt,
        'pipe:1',
        '-map',
        '[big]',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'yuv420p',
        'pipe:3',
      ]
    : [
        '-vf',
        [options.preFilter, small].filter(Boolean).join(','),
        '-f',
        'rawvideo',
        '-pix_fmt',
        options.pixFmt,
        'pipe:1',
      ];
  const args = [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-threads',
    String(options.threads ?? 1),
    '-i',
    options.videoPath,
    '-an',
    '-vsync',
    '0',
    ...outputs,
  ];
  const { child, exited, stop } = spawnSupervised(
    options.ffmpegPath,
    args,
    { stdio: scaled ? ['ignore', 'pipe', 'pipe', scaled.into] : ['ignore', 'pipe', 'pipe'] },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
  );
  // ffmpeg holds its own copy now; ours must go, or the reader never sees the end of the stream.
  scaled?.into.destroy();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const done = exited.then((exit) => {
    if (exit.code === 0 && !exit.stoppedBy) return;
    if (exit.stoppedBy === 'timeout')
      throw new BinaryTimeoutError(options.ffmpegPath, args, options.timeoutMs ?? 0, stderr.trim());
    if (exit.stoppedBy === 'abort')
      throw options.signal?.reason ?? new Error('ffmpeg decode stopped');
    throw new BinaryRunError(options.ffmpegPath, args, exit.code, exit.signal, stderr.trim(), {
      cause: exit.spawnError,
    });
  });
  // A consumer that fails (or is stopped) before it awaits `done` must not turn the decoder's exit
  // into an unhandled rejection: that is what ended whole test runs and services with an
  // AbortError.
  done.catch(() => undefined);
  async function* frames(): AsyncGenerator<Uint8Array> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= frameBytes) {
        const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        yield new Uint8Array(
          joined.buffer.slice(joined.byteOffset, joined.byteOffset + frameBytes),
        );
        const rest = joined.subarray(frameBytes);
        pending = rest.length ? [rest] : [];
        pendingBytes = rest.length;
      }
    }
  }
  return {
    frames,
    done,
    stop: () => stop('abort'),
  };
}
