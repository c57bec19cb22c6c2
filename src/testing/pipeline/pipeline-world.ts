import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import { openPGliteEventStore } from '../../adapters/event-store/pglite/pglite-event-store.js';
import { GenerationCommands } from '../../commands/generation-commands.js';
import { UserCommands } from '../../commands/user-commands.js';
import { deleteCheckpoint } from '../../consumers/checkpoints.js';
import type { CaptionStyle, OverlayShape, VideoFormat } from '../../domain/events/values.js';
import type { UserCommand } from '../../domain/user/commands.js';
import type { EventStore, RecordedEvent } from '../../ports/event-store/event-store.js';
import type { PipelineJobStatus } from '../../database/schema.js';
import { openReadModels, type ReadModels } from '../../database/open-read-models.js';
import { silentLogger } from '../pg-world.js';
import { GenerationPipeline } from '../../pipeline/generation-pipeline.js';
import { intakeCheckpointName } from '../../pipeline/intake.js';
import type { GenerationPipelineOptions, PipelineConfig } from '../../pipeline/pipeline-options.js';
import { fakeProviders, FakeThumbnails } from './fake-providers.js';
import { RecordingNotifier } from './recording-notifier.js';
import { TempDirStorage } from './temp-dir-storage.js';

export const characterKey = 'catalog/characters/female-young-1.png';

export interface GenerationRequest {
  readonly format: VideoFormat;
  readonly text?: string;
  readonly shape?: OverlayShape;
  /** Picked in the wizard after the script; left unpicked (the format's default) when absent. */
  readonly captionStyle?: CaptionStyle;
  readonly userId?: number;
  /**
   * The confirmation the bot turned into the progress message; absent as in requests from before it
   * did.
   */
  readonly progressMessage?: { readonly chatId: number; readonly messageId: number };
}

export interface Requested {
  readonly generationId: string;
  readonly userId: number;
  readonly text: string;
}

export type PipelineOverrides = Partial<Omit<GenerationPipelineOptions, 'config'>> & {
  readonly config?: Partial<PipelineConfig>;
};

/**
 * A store, read models, storage and a user ready to request generations, plus a factory for
 * pipeline instances wired to them (fake providers unless told otherwise). Every instance made
 * here is stopped on close; halted ones are abandoned, as a dead process would be.
 */
export class PipelineWorld {
  readonly notifier = new RecordingNotifier();
  readonly providers = fakeProviders();
  readonly thumbnails = new FakeThumbnails();
  readonly users: UserCommands;
  private readonly pipelines: GenerationPipeline[] = [];
  private nextUser = 100_000 + Math.floor(Math.random() * 1_000_000) * 10;

  private constructor(
    readonly store: EventStore,
    readonly readModels: Pick<ReadModels, 'db' | 'kind' | 'lock'>,
    readonly storage: TempDirStorage,
    readonly workRoot: string,
    private readonly closeInfrastructure: () => Promise<void>,
    readonly log: Logger,
  ) {
    this.users = new UserCommands({ store });
  }

  /** The embedded default: PGlite for both the event store and the read models. */
  static async pglite(log: Logger = silentLogger): Promise<PipelineWorld> {
    const { store, sql: client } = await openPGliteEventStore({ pollIntervalMs: 50 });
    const readModels = await openReadModels({ kind: 'pglite', client });
    return PipelineWorld.on(store, readModels, async () => store.close(), log);
  }

  static async on(
    store: EventStore,
    readModels: Pick<ReadModels, 'db' | 'kind' | 'lock'>,
    close: () => Promise<void>,
    log: Logger = silentLogger,
  ): Promise<PipelineWorld> {
    const storage = await TempDirStorage.create();
    await storage.put(characterKey, Buffer.from('portrait'), 'image/png');
    const workRoot = await mkdtemp(join(tmpdir(), 'pipeline-work-'));
    return new PipelineWorld(store, readModels, storage, workRoot, close, log);
  }

  pipeline(overrides: PipelineOverrides = {}): GenerationPipeline {
    const { config, ...rest } = overrides;
    const pipeline = new GenerationPipeline({
      store: this.store,
      readModels: this.readModels,
      users: new UserCommands({ store: this.store }),
      generations: new GenerationCommands({ store: this.store }),
      providers: this.providers,
      storage: this.storage,
      notifier: this.notifier,
      thumbnails: this.thumbnails,
      log: this.log,
      ...rest,
      config: {
        maxAudioDurationSec: 15,
        workerId: `test-${this.pipelines.length + 1}`,
        leaseMs: 500,
        pollIntervalMs: 50,
        retryBaseMs: 10,
        retryMaxMs: 50,
        progressIntervalMs: 1000,
        workRoot: this.workRoot,
        ...config,
      },
    });
    this.pipelines.push(pipeline);
    return pipeline;
  }

  /** Registers a user with a finished wizard and presses "Generate". */
  async request(request: GenerationRequest): Promise<Requested> {
    const userId = request.userId ?? this.nextUser++;
    const generationId = randomUUID();
    const text = request.text ?? `Buy our coffee ${generationId.slice(0, 8)}`;
    const backgroundKey = `uploads/${userId}/background-${generationId}.mp4`;
    const steps: UserCommand[] = [];
    const state = await this.users.state(userId);
    if (!state.registered) {
      steps.push({
        type: 'RegisterUser',
        telegramId: userId,
        username: null,
        firstName: 'Test',
        language: 'en',
        welcomeCredits: 10,
        grantId: `welcome-${userId}`,
      });
    }
    steps.push({ type: 'SelectFormat', format: request.format });
    if (request.format === 'background') {
      await this.storage.put(backgroundKey, Buffer.from(`background-${generationId}`), 'video/mp4');
      steps.push(
        {
          type: 'UploadBackgroundVideo',
          assetId: `bg-${generationId}`,
          storageKey: backgroundKey,
          durationSec: 5,
          sizeBytes: 1000,
          width: 640,
          height: 360,
          mimeType: 'video/mp4',
          maxDurationSec: 15,
          maxSizeBytes: 20 * 1024 * 1024,
        },
        { type: 'SelectOverlayShape', shape: request.shape ?? 'circle' },
      );
    }
    steps.push(
      { type: 'ChooseCharacterGender', gender: 'female' },
      {
        type: 'SelectCharacter',
        characterId: 'female-young-1',
        gender: 'female',
        age: 'young',
        imageKey: characterKey,
      },
      { type: 'SelectVoice', voiceId: 'espeak-en-f1', provider: 'espeak-ng' },
      { type: 'WriteScript', text, maxLength: 1000 },
      ...(request.captionStyle
        ? [{ type: 'SelectCaptionStyle', style: request.captionStyle } as const]
        : []),
      {
        type: 'RequestGeneration',
        generationId,
        cost: 1,
        ...(request.progressMessage ? { progressMessage: request.progressMessage } : {}),
      },
    );
    for (const command of steps) {
      const outcome = await this.users.execute(userId, command, {
        commandId: randomUUID(),
        actor: { kind: 'user', id: String(userId) },
      });
      if (!outcome.ok) throw new Error(`${command.type} rejected: ${outcome.rejection.code}`);
    }
    return { generationId, userId, text };
  }

  async jobStatus(generationId: string): Promise<PipelineJobStatus | undefined> {
    const row = await this.readModels.db
      .selectFrom('pipeline_jobs')
      .select('status')
      .where('generation_id', '=', generationId)
      .executeTakeFirst();
    return row?.status;
  }

  async job(generationId: string) {
    return this.readModels.db
      .selectFrom('pipeline_jobs')
      .selectAll()
      .where('generation_id', '=', generationId)
      .executeTakeFirst();
  }

  /** Waits until the job is delivered, refunded or abandoned. */
  async settled(generationId: string, timeoutMs = 20_000): Promise<PipelineJobStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.jobStatus(generationId);
      if (status === 'delivered' || status === 'refunded' || status === 'abandoned') return status;
      if (Date.now() > deadline)
        throw new Error(
          `generation ${generationId} not settled after ${timeoutMs} ms (job ${status ?? 'absent'})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async generationEvents(generationId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(`generation-${generationId}`);
  }

  async generationEventTypes(generationId: string): Promise<string[]> {
    return (await this.generationEvents(generationId)).map((event) => event.type);
  }

  /** Credit events of the user that concern this generation. */
  async creditEvents(userId: number, generationId: string): Promise<string[]> {
    const events = await this.store.readStream(`user-${userId}`);
    return events
      .filter(
        (event) =>
          (event.type === 'CreditsSpent' || event.type === 'CreditsRefunded') &&
          event.data.generationId === generationId,
      )
      .map((event) => event.type);
  }

  async workDirsLeft(): Promise<string[]> {
    return readdir(this.workRoot);
  }

  async resetIntakeCheckpoint(): Promise<void> {
    await deleteCheckpoint(this.readModels.db, intakeCheckpointName);
  }

  async close(): Promise<void> {
    await Promise.all(this.pipelines.map((pipeline) => pipeline.stop()));
    await this.closeInfrastructure();
    await this.storage.dispose();
    await rm(this.workRoot, { recursive: true, force: true });
  }
}

/** Polls until `check` is true. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
