import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sharedExecutable } from '../../adapters/local/binaries/media-binaries.js';
import { FfprobeMediaProbe } from '../../adapters/local/probe/ffprobe-probe.js';
import { renderDriftingGradient } from '../../catalog/starter/drifting-gradient.js';
import { startService } from '../../app/service.js';
import { loadEnvFileOrExit, loadStartupConfig } from '../../config/startup-config.js';
import { createLogger } from '../../logging/logger.js';
import { creditAudit } from '../../queries/credit-audit.js';
import { startTelegramEmulator } from '../telegram-emulator/index.js';
import { buyCredits } from './buy-credits.js';
import { deliveredVideoFacts, type DeliveredVideoFacts } from './delivered-video-facts.js';
import { orderBackground, orderTalkingHead } from './scripted-user.js';

/** Said as the video's caption says it: the local renderer's lip-sync is named as such. */
function lipSyncOf(generation: DeliveredVideoFacts): string {
  const { provider, lipSync } = generation.talkingHead;
  if (!lipSync) return 'no lip-sync';
  return provider === 'local-portrait' ? 'lip-sync (local)' : `lip-sync (${provider})`;
}

/**
 * `npm run demo`: the whole product offline. A local Telegram Bot API emulator stands in for
 * Telegram; the real service (embedded event store, projections, bot, pipeline, local providers)
 * talks to it; a scripted user buys a credit pack with Telegram Stars and orders one video of each
 * format. Prints where the MP4s are, how long they run, and the user's credit ledger read from the
 * event log, the purchase included.
 */
loadEnvFileOrExit('demo');
const log = createLogger({ name: 'demo', level: process.env.LOG_LEVEL ?? 'warn' });
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const runDir = join(dataDir, 'demo', new Date().toISOString().replace(/[:.]/g, '-'));
await mkdir(runDir, { recursive: true });

const token = '123456789:DEMO-local-emulator-token-000000';
const emulator = await startTelegramEmulator({
  token,
  fileDirectory: join(runDir, 'telegram-files'),
});
const config = loadStartupConfig('demo', {
  overrides: {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    WEBHOOK_URL: '',
    DATABASE_URL: '',
    EVENTSTORE_URL: '',
    DATA_DIR: join(runDir, 'service'),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: process.env.DEMO_HTTP_PORT ?? '18181',
    ADMIN_IDS: '',
    // The demo shows a purchase whatever the operator's .env says about packs.
    STARS_PACKS: '10:50,50:200,120:400',
  },
});
const started = Date.now();
console.log('demo: starting the service (first run builds the starter catalog, ~20 s)…');
const service = await startService(config, log);
let failed = false;
try {
  const ffmpeg = await sharedExecutable('ffmpeg');
  // The user's upload: the same kind of clip the starter catalog's example uses, made by filters
  // every ffmpeg build has, so the demo runs on the npm-shipped ffmpeg of a bare machine too.
  const backgroundPath = await renderDriftingGradient(ffmpeg.path, join(runDir, 'background.mp4'), {
    width: 1080,
    height: 1920,
    seconds: 8,
    colors: ['0x1e3c72', '0xf0a040', '0x6a82fb'],
  });

  const user = emulator.user({
    id: 1001,
    firstName: 'Demo',
    username: 'demo_user',
    languageCode: 'en',
  });
  await user.sendCommand('/start');
  await user.waitFor('What would you like to do?', { timeoutMs: 20_000 });
  const purchase = await buyCredits(user, /^10 credits/);

  const probe = new FfprobeMediaProbe();
  const results: Array<{
    format: string;
    path: string;
    durationSec: number;
    speechDurationSec: number;
    width: number;
    height: number;
    codecs: string;
    seconds: number;
    generation: DeliveredVideoFacts;
  }> = [];
  for (const [format, order] of [
    [
      'talking head',
      () =>
        orderTalkingHead(
          user,
          'Meet our new cold brew: smooth, bold, and ready in seconds. Try it today!',
        ),
    ],
    [
      'background (cut-out)',
      () =>
        orderBackground(
          user,
          backgroundPath,
          'This weekend only: every sneaker is twenty percent off. Come and see!',
          /Cut-out/,
        ),
    ],
  ] as const) {
    const t0 = Date.now();
    const video = await order();
    const bytes = await user.downloadMedia(video.messageId);
    const path = join(runDir, `${format.split(' (')[0]!.replace(' ', '-')}-result.mp4`);
    await writeFile(path, bytes);
    const info = await probe.probe(path);
    const generation = await deliveredVideoFacts(service.store, user.chatId, video.messageId);
    results.push({
      format,
      path,
      durationSec: info.durationSec,
      speechDurationSec: generation.speechDurationSec,
      width: info.video?.width ?? 0,
      height: info.video?.height ?? 0,
      codecs: `${info.video?.codec ?? '?'}+${info.audio?.codec ?? '?'}`,
      seconds: (Date.now() - t0) / 1000,
      generation,
    });
  }
  // For scripts that check the demo's output (scripts/ci/bare-machine-demo.sh): the files and what
  // the event log says each one should be.
  await writeFile(
    join(runDir, 'demo-result.json'),
    `${JSON.stringify({ videos: results }, null, 2)}\n`,
  );

  console.log('\nVideos:');
  for (const r of results) {
    console.log(
      `  ${r.format.padEnd(20)} ${r.path}  ${r.durationSec.toFixed(2)} s (speech ${r.speechDurationSec.toFixed(2)} s)  ${r.width}x${r.height} ${r.codecs}  ${lipSyncOf(r.generation)}  (made in ${r.seconds.toFixed(1)} s)`,
    );
  }
  console.log(
    `\nTelegram Stars: bought 10 credits for ${purchase.stars} ⭐ (charge ${purchase.chargeId}); the emulated bot holds ${emulator.starBalance()} ⭐`,
  );
  const audit = await creditAudit(service.store, 1001);
  console.log('\nCredit ledger of user 1001 (from the event log):');
  for (const entry of audit.entries) {
    console.log(
      `  #${entry.globalPosition.toString().padStart(5)}  ${entry.type.padEnd(16)} ${(entry.delta > 0 ? '+' : '') + entry.delta}`.padEnd(
        48,
      ) +
        `balance ${String(entry.balanceAfter).padStart(3)}  ${entry.reason}  (${entry.actor.kind})`,
    );
  }
  console.log(
    `\ndemo: done in ${((Date.now() - started) / 1000).toFixed(1)} s; files in ${runDir}`,
  );
} catch (error) {
  failed = true;
  console.error('demo failed:', error);
} finally {
  await service.stop();
  await emulator.close();
}
process.exit(failed ? 1 : 0);
