import type { Kysely } from 'kysely';
import type { UserCommands } from '../commands/user-commands.js';
import type { Config } from '../config/config.js';
import type { EventStore } from '../ports/event-store/event-store.js';
import type { Position } from '../ports/event-store/position.js';
import type { Logger } from '../logging/logger.js';
import type { CaptionPreviewText } from '../catalog/caption-previews.js';
import type { Catalog } from '../ports/catalog.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import type { ImageEditor } from '../ports/image-editor.js';
import type { MediaProbe } from '../ports/media-probe.js';
import type { ReadModelDatabase } from '../database/schema.js';

export type BotConfig = Pick<
  Config,
  | 'DEFAULT_CREDITS'
  | 'COST_UGC_VIDEO'
  | 'MAX_AUDIO_DURATION'
  | 'MAX_EDIT_ITERATIONS'
  | 'ADMIN_IDS'
  | 'ADMIN_FEEDBACK_CHAT_ID'
  | 'DOWNLOAD_LINK_TTL_HOURS'
  | 'STARS_PACKS'
>;

/**
 * Everything the bot talks to. The bot holds no state of its own: every change is a command on
 * `users`, every screen is rendered from the command outcome, the read models or the event log.
 */
export interface BotDeps {
  readonly users: UserCommands;
  readonly readModels: Kysely<ReadModelDatabase>;
  /** Read-your-writes: wait until the read models include a position. */
  readonly projections: {
    waitFor(position: Position, options: { timeoutMs?: number }): Promise<void>;
  };
  /** The event log, for `/audit` and "member since". */
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly storage: FileStorage;
  readonly probe: MediaProbe;
  readonly imageEditor: ImageEditor;
  readonly config: BotConfig;
  readonly log: Logger;
  now(): Date;
  /**
   * Random ids, for things no update names. The bot itself derives its ids (commands,
   * generations, edits, uploads) from the update, so a redelivered update repeats nothing.
   */
  newId(): string;
  /**
   * Whether the talking-head provider moves the lips to the speech: `true` always (fal.ai
   * OmniHuman), `'drawn-characters'` for the drawn starter characters as drawn (the local
   * renderer; photos and edited portraits are animated without). The confirmation screen says so
   * honestly. Default false.
   */
  readonly lipSync?: boolean | 'drawn-characters';
  /**
   * The storage key of the caption-style preview image for a language's texts. Default: rendered
   * with ffmpeg from a catalog portrait on first use and kept in storage (`CaptionPreviews`).
   */
  readonly captionPreviews?: { imageKey(text: CaptionPreviewText): Promise<string> };
}
