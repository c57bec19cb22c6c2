import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundClipLimit } from '../../../domain/user/background-clip.js';
import { sharedExecutable } from '../binaries/media-binaries.js';
import { runBinary } from '../binaries/run-binary.js';
import { FfprobeMediaProbe } from './ffprobe-probe.js';
import { quietLogger, tempDir } from '../../../testing/media/media-fixtures.js';

/** The upload check applies the domain's clip rule to real files: "15 s" phone clips pass. */
describe('background upload length', () => {
  let dir: string;
  const clip = async (seconds: number): Promise<string> => {
    const path = join(dir, `clip-${seconds}.mp4`);
    const ffmpeg = (await sharedExecutable('ffmpeg')).path;
    await runBinary(ffmpeg, [
      '-y',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=160x284:d=${seconds}:rate=10`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      path,
    ]);
    return path;
  };
  beforeAll(async () => {
    dir = await tempDir('clip-limit');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts 15.4 s and refuses 15.6 s against the 15 s label', async () => {
    const probe = new FfprobeMediaProbe({ logger: quietLogger });
    const limits = { maxDurationSec: backgroundClipLimit.labelSec, maxBytes: 20 * 1024 * 1024 };
    const accepted = await probe.checkBackgroundUpload(await clip(15.4), limits);
    expect(accepted.ok ? accepted.info.durationSec : accepted.rejection).toBeCloseTo(15.4, 1);
    const refused = await probe.checkBackgroundUpload(await clip(15.6), limits);
    expect(refused).toMatchObject({ ok: false, rejection: { code: 'too_long', maxSec: 15 } });
  }, 60_000);
});
