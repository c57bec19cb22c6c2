import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedExecutable } from '../../src/adapters/local/binaries/media-binaries.js';
import { runBinary } from '../../src/adapters/local/binaries/run-binary.js';
import { FfprobeMediaProbe } from '../../src/adapters/local/probe/ffprobe-probe.js';
import {
  bandAt,
  meanAbsDifference,
  type MediaTools,
} from '../../src/testing/media/media-fixtures.js';
import { orderTalkingHead } from '../../src/dev/demo/scripted-user.js';
import type { TelegramEmulator } from '../../src/dev/telegram-emulator/index.js';
import { startLocalService, type LocalServiceWorld } from './local-service.js';

/**
 * Captions over the talking head, through the real service and the emulator: the user picks a
 * style from the preview picture, and the video they receive has the captions burned in. Judged
 * from the delivered file: the same order without captions is the reference frame by frame.
 */
describe('talking-head captions end to end (emulated Telegram, local providers)', () => {
  let world: LocalServiceWorld | undefined;
  let emulator: TelegramEmulator;
  let dir: string;
  let tools: MediaTools;
  const token = '987654321:E2E-captions-emulator-token-00000';

  beforeAll(async () => {
    world = await startLocalService({ name: 'captions', token });
    ({ dir, emulator } = world);
    tools = {
      ffmpeg: (await sharedExecutable('ffmpeg')).path,
      ffprobe: (await sharedExecutable('ffprobe')).path,
    };
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  /** Pixels of the bold style's highlight yellow (#FFE11A) in an RGB strip. */
  // The highlight's yellow (#FFD21F, #FFE11A) and not a drawn character's golden hair (about
  // 220, 170, 80), which the lower third can hold and which an encoder shifts by a few levels.
  function yellowPixels(rgb: Uint8Array): number {
    let count = 0;
    for (let i = 0; i + 2 < rgb.length; i += 3)
      if (rgb[i]! > 225 && rgb[i + 1]! > 190 && rgb[i + 2]! < 100) count += 1;
    return count;
  }

  it('burns the style picked from the preview into the delivered video, in the lower third only', async () => {
    const user = emulator.user({ id: 3101, firstName: 'Cleo', languageCode: 'en' });
    await user.sendCommand('/start');
    await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
    const script = 'Fresh bread every morning, baked with love.';

    const captioned = await orderTalkingHead(user, script, { captions: 'Bold' });
    // The preview the style was picked from is a real picture of the styles, made by the same
    // renderer.
    const preview = user
      .messages()
      .find(
        (m) =>
          m.sender === 'bot' && m.media?.kind === 'photo' && (m.caption ?? '').includes('Step 4b'),
      );
    expect(preview).toBeDefined();
    const previewPath = join(dir, 'preview.jpg');
    await writeFile(previewPath, await user.downloadMedia(preview!.messageId));
    const { stdout } = await runBinary(tools.ffprobe, [
      '-v',
      'error',
      '-show_entries',
      'stream=width,height,codec_name',
      '-of',
      'json',
      previewPath,
    ]);
    expect(JSON.parse(stdout.toString('utf8')).streams[0]).toMatchObject({
      codec_name: 'mjpeg',
      width: 1332,
      height: 780,
    });

    const plain = await orderTalkingHead(user, script, { captions: 'No captions' });

    const paths = await Promise.all(
      [captioned, plain].map(async (video, i) => {
        const path = join(dir, `talking-head-${i}.mp4`);
        await writeFile(path, await user.downloadMedia(video.messageId));
        return path;
      }),
    );
    const [withCaptions, without] = paths as [string, string];
    const probe = new FfprobeMediaProbe();
    for (const path of paths)
      expect((await probe.probe(path)).video).toMatchObject({
        codec: 'h264',
        width: 1080,
        height: 1920,
      });

    // While the first words are spoken: captions in the lower third, the face above untouched.
    const atSec = 0.9;
    const lowerThird = { y: 1280, height: 640 };
    const [capturedLow, plainLow] = await Promise.all([
      bandAt(tools, withCaptions, atSec, lowerThird.y, lowerThird.height),
      bandAt(tools, without, atSec, lowerThird.y, lowerThird.height),
    ]);
    const [capturedTop, plainTop] = await Promise.all([
      bandAt(tools, withCaptions, atSec, 0, 1200),
      bandAt(tools, without, atSec, 0, 1200),
    ]);
    const lowDiff = meanAbsDifference(capturedLow, plainLow);
    const topDiff = meanAbsDifference(capturedTop, plainTop);
    expect(
      lowDiff,
      `lower third differs by ${lowDiff.toFixed(2)}, the picture above by ${topDiff.toFixed(2)}`,
    ).toBeGreaterThan(topDiff + 2);
    expect(yellowPixels(capturedLow), 'highlighted word in the captioned video').toBeGreaterThan(
      300,
    );
    expect(yellowPixels(plainLow), 'yellow in the uncaptioned video').toBeLessThan(50);

    const events = await world!.service.store.readStream('user-3101');
    const requested = events
      .filter((e) => e.type === 'GenerationRequested')
      .map((e) => (e.data as { captionStyle?: string }).captionStyle);
    expect(requested).toEqual(['bold', 'none']);
  }, 400_000);
});
