import { copyFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinary } from '../binaries/run-binary.js';
import { FfprobeMediaProbe } from './ffprobe-probe.js';
import { MediaProbeError } from '../ffmpeg/media-errors.js';
import {
  makeClip,
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';

const limits = { maxDurationSec: 15, maxBytes: 20 * 1024 * 1024 };

let tools: MediaTools;
let dir: string;
let probe: FfprobeMediaProbe;

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('probe-test');
  probe = new FfprobeMediaProbe({
    ffmpegPath: tools.ffmpeg,
    ffprobePath: tools.ffprobe,
    logger: quietLogger,
  });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('FfprobeMediaProbe.probe', () => {
  it('describes an MP4 with its video and audio streams', async () => {
    const path = await makeClip(tools, join(dir, 'info.mp4'), {
      seconds: 2,
      width: 320,
      height: 180,
    });
    const info = await probe.probe(path);
    expect(info.container).toBe('mp4');
    expect(info.durationSec).toBeCloseTo(2, 1);
    expect(info.sizeBytes).toBe((await readFile(path)).length);
    expect(info.video).toEqual({ codec: 'h264', width: 320, height: 180, fps: 30 });
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 44100, channels: 1 });
  });

  it('throws a typed error for a file ffprobe cannot read', async () => {
    const path = join(dir, 'garbage.bin');
    await writeFile(path, 'not media at all');
    await expect(probe.probe(path)).rejects.toBeInstanceOf(MediaProbeError);
  });
});

describe('FfprobeMediaProbe.checkBackgroundUpload', () => {
  it('accepts a 5 s MOV', async () => {
    const path = await makeClip(tools, join(dir, 'ok.mov'), { seconds: 5 });
    const result = await probe.checkBackgroundUpload(path, limits);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.info.container).toBe('mov');
      expect(result.info.durationSec).toBeCloseTo(5, 1);
    }
  });

  it('accepts a 5 s AVI', async () => {
    const path = await makeClip(tools, join(dir, 'ok.avi'), {
      seconds: 5,
      codecArgs: ['-c:v', 'mpeg4', '-q:v', '6', '-c:a', 'pcm_s16le'],
    });
    const result = await probe.checkBackgroundUpload(path, limits);
    expect(result).toMatchObject({
      ok: true,
      info: { container: 'avi', video: { codec: 'mpeg4' } },
    });
  });

  it('rejects a 16 s clip as too long', async () => {
    const path = await makeClip(tools, join(dir, 'long.mp4'), {
      seconds: 16,
      width: 160,
      height: 90,
      audio: false,
    });
    const result = await probe.checkBackgroundUpload(path, limits);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection.code).toBe('too_long');
      expect(result.rejection).toMatchObject({ maxSec: 15 });
      expect((result.rejection as { durationSec: number }).durationSec).toBeCloseTo(16, 1);
    }
  });

  it('rejects a 25 MB file as too large before reading it', async () => {
    // Zero bytes: if it were probed it would come back corrupt or unsupported, not too_large.
    const path = join(dir, 'big.mp4');
    await writeFile(path, '');
    await truncate(path, 25 * 1024 * 1024);
    await expect(probe.checkBackgroundUpload(path, limits)).resolves.toEqual({
      ok: false,
      rejection: { code: 'too_large', sizeBytes: 25 * 1024 * 1024, maxBytes: limits.maxBytes },
    });
  });

  it('rejects a GIF renamed .mp4 by its content, not its name', async () => {
    const gif = join(dir, 'anim.gif');
    await runBinary(tools.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=160x90:r=10:d=2',
      gif,
    ]);
    const disguised = join(dir, 'anim.mp4');
    await copyFile(gif, disguised);
    await expect(probe.checkBackgroundUpload(disguised, limits)).resolves.toEqual({
      ok: false,
      rejection: { code: 'unsupported_format', detected: 'gif' },
    });
  });

  it('rejects a JPEG', async () => {
    const jpeg = join(dir, 'photo.jpg');
    await runBinary(tools.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x180',
      '-frames:v',
      '1',
      jpeg,
    ]);
    const result = await probe.checkBackgroundUpload(jpeg, limits);
    expect(result).toMatchObject({ ok: false, rejection: { code: 'unsupported_format' } });
  });

  it('rejects a text file renamed .mp4 as an unsupported format', async () => {
    const path = join(dir, 'notes.mp4');
    await writeFile(path, 'hello, this is not a video\n');
    await expect(probe.checkBackgroundUpload(path, limits)).resolves.toEqual({
      ok: false,
      rejection: { code: 'unsupported_format', detected: 'unknown' },
    });
  });

  it.each([
    ['index at the end (moov lost)', []],
    ['index at the front (+faststart, data cut)', ['-movflags', '+faststart']],
  ])('rejects a truncated MP4 with its %s as corrupt', async (name, flags) => {
    const whole = await makeClip(tools, join(dir, `whole-${flags.length}.mp4`), {
      seconds: 4,
      codecArgs: [
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        ...flags,
      ],
    });
    const bytes = await readFile(whole);
    const cut = join(dir, `cut-${flags.length}.mp4`);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const result = await probe.checkBackgroundUpload(cut, limits);
    expect(result, name).toMatchObject({ ok: false, rejection: { code: 'corrupt' } });
  });

  it('rejects an MP4 with sound but no picture', async () => {
    const path = join(dir, 'voice.mp4');
    await runBinary(tools.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=2',
      '-c:a',
      'aac',
      path,
    ]);
    await expect(probe.checkBackgroundUpload(path, limits)).resolves.toEqual({
      ok: false,
      rejection: { code: 'no_video_stream' },
    });
  });
});
