import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageDimensions, type Dimensions } from './image-dimensions.js';
import { extensionFor } from './mime-types.js';

export type FileKind =
  | 'photo'
  | 'video'
  | 'audio'
  | 'voice'
  | 'document'
  | 'animation'
  | 'thumbnail'
  | 'video_note'
  | 'sticker';

export interface StoredFile {
  readonly fileId: string;
  readonly fileUniqueId: string;
  readonly kind: FileKind;
  readonly size: number;
  /** Where the bytes live on this machine. */
  readonly diskPath: string;
  /** The `file_path` getFile hands out, relative to `/file/bot<token>/`. */
  readonly filePath: string;
  readonly fileName?: string;
  readonly mimeType?: string;
  /** Pixel size, for images (photos, thumbnails, image documents). */
  readonly dimensions?: Dimensions;
}

/** Prefixes like real file_ids, so a log line shows at a glance what kind of file is meant. */
const idPrefix: Record<FileKind, string> = {
  photo: 'AgACAgIAAxk',
  video: 'BAACAgIAAxk',
  audio: 'CQACAgIAAxk',
  voice: 'AwACAgIAAxk',
  document: 'BQACAgIAAxk',
  animation: 'CgACAgIAAxk',
  thumbnail: 'AAMCAgADGQ',
  video_note: 'DQACAgIAAxk',
  sticker: 'CAACAgIAAxk',
};

const folder: Record<FileKind, string> = {
  photo: 'photos',
  video: 'videos',
  audio: 'music',
  voice: 'voice',
  document: 'documents',
  animation: 'animations',
  thumbnail: 'thumbnails',
  video_note: 'video_notes',
  sticker: 'stickers',
};

const defaultExtension: Record<FileKind, string> = {
  photo: 'jpg',
  video: 'mp4',
  audio: 'mp3',
  voice: 'oga',
  document: 'dat',
  animation: 'mp4',
  thumbnail: 'jpg',
  video_note: 'mp4',
  sticker: 'webp',
};

/**
 * Files the bot uploads and files simulated users send, kept on disk so 50 MB videos do not
 * sit in the heap. Identical bytes share one file_unique_id (and one copy on disk), as on
 * Telegram, while each upload gets its own file_id.
 */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private readonly written = new Set<string>();
  private counter = 0;

  private constructor(
    readonly directory: string,
    private readonly ownsDirectory: boolean,
  ) {}

  static async create(directory?: string): Promise<FileStore> {
    if (directory !== undefined) {
      await mkdir(directory, { recursive: true });
      return new FileStore(directory, false);
    }
    return new FileStore(await mkdtemp(join(tmpdir(), 'telegram-emulator-')), true);
  }

  async save(
    bytes: Uint8Array,
    meta: { kind: FileKind; fileName?: string; mimeType?: string },
  ): Promise<StoredFile> {
    const digest = createHash('sha256').update(bytes).digest('base64url');
    const fileUniqueId = `AQAD${digest.slice(0, 12)}`;
    const diskPath = join(this.directory, digest);
    if (!this.written.has(digest)) {
      await writeFile(diskPath, bytes);
      this.written.add(digest);
    }
    const number = this.counter++;
    const dimensions = imageDimensions(bytes);
    const file: StoredFile = {
      fileId: `${idPrefix[meta.kind]}${randomBytes(24).toString('base64url')}`,
      fileUniqueId,
      kind: meta.kind,
      size: bytes.byteLength,
      diskPath,
      filePath: `${folder[meta.kind]}/file_${number}.${extensionFor(meta.fileName, defaultExtension[meta.kind])}`,
      ...(meta.fileName === undefined ? {} : { fileName: meta.fileName }),
      ...(meta.mimeType === undefined ? {} : { mimeType: meta.mimeType }),
      ...(dimensions === undefined ? {} : { dimensions }),
    };
    this.byId.set(file.fileId, file);
    this.byPath.set(file.filePath, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  getByPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }

  async read(file: StoredFile): Promise<Buffer> {
    return readFile(file.diskPath);
  }

  async dispose(): Promise<void> {
    if (this.ownsDirectory) await rm(this.directory, { recursive: true, force: true });
  }
}
