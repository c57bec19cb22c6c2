import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startService, type RunningService, type ServiceOptions } from '../../src/app/service.js';
import { loadConfig } from '../../src/config/config.js';
import {
  startTelegramEmulator,
  type TelegramEmulator,
  type TelegramEmulatorOptions,
} from '../../src/dev/telegram-emulator/index.js';

/**
 * The real service on its embedded defaults (PGlite, local providers) and the emulator it talks to.
 */
export interface LocalServiceWorld {
  /** A fresh folder for this suite: the service's data and the emulator's files live under it. */
  readonly dir: string;
  readonly emulator: TelegramEmulator;
  readonly service: RunningService;
  /** Stops the service, then the emulator, and removes the folder. */
  close(): Promise<void>;
}

export interface LocalServiceOptions {
  /** Names the temporary folder, for whoever finds one left behind. */
  readonly name: string;
  readonly token: string;
  /** Settings beyond the defaults, as the service reads them from the environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly service?: ServiceOptions;
  /**
   * Emulator settings beyond the token and the file folder (e.g. a shorter pre-checkout deadline).
   */
  readonly emulator?: Omit<TelegramEmulatorOptions, 'token' | 'fileDirectory'>;
}

export async function startLocalService(options: LocalServiceOptions): Promise<LocalServiceWorld> {
  const dir = await mkdtemp(join(tmpdir(), `ugc-e2e-${options.name}-`));
  const emulator = await startTelegramEmulator({
    ...options.emulator,
    token: options.token,
    fileDirectory: join(dir, 'tg'),
  });
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: options.token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    DATA_DIR: join(dir, 'service'),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    ...options.env,
  });
  const service = await startService(
    config,
    pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    options.service,
  );
  return {
    dir,
    emulator,
    service,
    async close() {
      await service.stop();
      await emulator.close();
      // A file the service or the emulator was still closing can make one pass find the folder
      // not yet empty.
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}
