import { createHmac } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { backgroundClipLimit, clipFits } from '../../domain/user/background-clip.js';
import type {
  Catalog,
  Character,
  CharacterGender,
  ExampleVideo,
  Page,
} from '../../ports/catalog.js';
import type { FileStorage, StoredObject } from '../../ports/file-storage/file-storage.js';
import type { ImageEditor, ImageEditRequest, ImageEditResult } from '../../ports/image-editor.js';
import type {
  MediaInfo,
  MediaProbe,
  UploadCheck,
  UploadRejection,
} from '../../ports/media-probe.js';
import type { Voice } from '../../ports/speech-synthesizer.js';

// Small, honest stand-ins for the catalog, storage, probe and image editor, for the bot's tests
// until (and besides) the real adapters: they keep the ports' contracts, not their machinery.

/** A PNG header is all Telegram (and the emulator) read to size an image. */
export function fakePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return header;
}

export interface FakeVideoSpec {
  readonly durationSec: number;
  readonly width?: number;
  readonly height?: number;
  readonly container?: string;
  /** Bytes after the header ("truncated" clips are marked corrupt). */
  readonly truncated?: boolean;
  readonly padTo?: number;
}

const FAKE_VIDEO_MAGIC = 'FAKEVIDEO';

/** Bytes the FakeMediaProbe understands: a marker, a JSON description, optional padding. */
export function fakeVideo(spec: FakeVideoSpec): Buffer {
  const head = Buffer.from(`${FAKE_VIDEO_MAGIC}${JSON.stringify(spec)}\n`, 'utf8');
  return spec.padTo && spec.padTo > head.length
    ? Buffer.concat([head, Buffer.alloc(spec.padTo - head.length)])
    : head;
}

/** A real GIF header: what a "GIF renamed to .mp4" starts with. */
export const gifBytes = (): Buffer =>
  Buffer.concat([Buffer.from('GIF89a', 'ascii'), Buffer.alloc(64, 1)]);

/**
 * Reads `fakeVideo` files the way the ffprobe probe reads real ones, with the same rejection codes:
 * size first, then the container, the video stream, the duration and decodability.
 */
export class FakeMediaProbe implements MediaProbe {
  readonly checked: string[] = [];

  async probe(path: string): Promise<MediaInfo> {
    const result = await this.inspect(path);
    if ('rejection' in result) throw new Error(`cannot probe ${path}: ${result.rejection.code}`);
    return result.info;
  }

  async checkBackgroundUpload(
    path: string,
    limits: { maxDurationSec: number; maxBytes: number },
  ): Promise<UploadCheck> {
    this.checked.push(path);
    const { size } = await stat(path);
    if (size > limits.maxBytes)
      return {
        ok: false,
        rejection: { code: 'too_large', sizeBytes: size, maxBytes: limits.maxBytes },
      };
    const result = await this.inspect(path);
    if ('rejection' in result) return { ok: false, rejection: result.rejection };
    const { info } = result;
    if (!['mp4', 'mov', 'avi'].includes(info.container))
      return { ok: false, rejection: { code: 'unsupported_format', detected: info.container } };
    if (!info.video) return { ok: false, rejection: { code: 'no_video_stream' } };
    if (!clipFits(info.durationSec, { ...backgroundClipLimit, labelSec: limits.maxDurationSec })) {
      return {
        ok: false,
        rejection: {
          code: 'too_long',
          durationSec: info.durationSec,
          maxSec: limits.maxDurationSec,
        },
      };
    }
    return { ok: true, info };
  }

  private async inspect(
    path: string,
  ): Promise<{ info: MediaInfo } | { rejection: UploadRejection }> {
    const bytes = await readFile(path);
    const text = bytes.subarray(0, 512).toString('utf8');
    if (text.startsWith('GIF8'))
      return { rejection: { code: 'unsupported_format', detected: 'gif' } };
    if (!text.startsWith(FAKE_VIDEO_MAGIC))
      return { rejection: { code: 'unsupported_format', detected: 'unknown' } };
    const json = text.slice(FAKE_VIDEO_MAGIC.length, text.indexOf('\n'));
    const spec = JSON.parse(json) as FakeVideoSpec;
    if (spec.truncated) return { rejection: { code: 'corrupt', reason: 'moov atom not found' } };
    return {
      info: {
        container: spec.container ?? 'mp4',
        durationSec: spec.durationSec,
        sizeBytes: bytes.length,
        video: { codec: 'h264', width: spec.width ?? 1080, height: spec.height ?? 1920, fps: 30 },
      },
    };
  }
}

/** Object storage in memory, with signed, expiring links like the local adapter's. */
export class MemoryFileStorage implements FileStorage {
  readonly provider = 'memory';
  readonly objects = new Map<string, { bytes: Buffer; contentType: string; modifiedAt: Date }>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly secret = 'test-secret',
  ) {}

  async put(key: string, body: Buffer | Readable, contentType: string): Promise<StoredObject> {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.concat(await body.toArray());
    this.objects.set(key, { bytes, contentType, modifiedAt: this.now() });
    return { key, sizeBytes: bytes.length, contentType };
  }

  async putFile(key: string, path: string, contentType: string): Promise<StoredObject> {
    return this.put(key, await readFile(path), contentType);
  }

  async get(key: string): Promise<Readable> {
    return Readable.from([this.bytes(key)]);
  }

  async toLocalFile(key: string, path: string): Promise<string> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, this.bytes(key));
    return path;
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async list(
    prefix: string,
  ): Promise<readonly { key: string; sizeBytes: number; modifiedAt: Date }[]> {
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, object]) => ({
        key,
        sizeBytes: object.bytes.length,
        modifiedAt: object.modifiedAt,
      }));
  }

  async signedUrl(key: string, ttlSec: number): Promise<string> {
    if (!this.objects.has(key)) throw new Error(`no object ${key}`);
    const expires = Math.floor(this.now().getTime() / 1000) + ttlSec;
    const signature = createHmac('sha256', this.secret)
      .update(`${key}:${expires}`)
      .digest('hex')
      .slice(0, 32);
    return `https://files.example.test/${key}?expires=${expires}&sig=${signature}`;
  }

  bytes(key: string): Buffer {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object ${key}`);
    return object.bytes;
  }
}

const characterSpecs: readonly {
  id: string;
  name: string;
  gender: CharacterGender;
  age: Character['age'];
}[] = [
  { id: 'f-young-1', name: 'Anna', gender: 'female', age: 'young' },
  { id: 'f-adult-1', name: 'Maria', gender: 'female', age: 'adult' },
  { id: 'f-senior-1', name: 'Olga', gender: 'female', age: 'senior' },
  { id: 'm-young-1', name: 'Ivan', gender: 'male', age: 'young' },
  { id: 'm-adult-1', name: 'Peter', gender: 'male', age: 'adult' },
  { id: 'm-senior-1', name: 'Boris', gender: 'male', age: 'senior' },
];

const voiceSpecs: readonly Voice[] = [
  {
    id: 'ru-f-1',
    name: 'Alyona',
    language: 'ru',
    gender: 'female',
    provider: 'espeak-ng',
    previewKey: 'catalog/voices/ru-f-1.ogg',
  },
  {
    id: 'ru-m-1',
    name: 'Dmitry',
    language: 'ru',
    gender: 'male',
    provider: 'espeak-ng',
    previewKey: 'catalog/voices/ru-m-1.ogg',
  },
  {
    id: 'en-f-1',
    name: 'Emma',
    language: 'en',
    gender: 'female',
    provider: 'espeak-ng',
    previewKey: 'catalog/voices/en-f-1.mp3',
  },
  {
    id: 'en-m-1',
    name: 'James',
    language: 'en',
    gender: 'male',
    provider: 'espeak-ng',
    previewKey: 'catalog/voices/en-m-1.ogg',
  },
  { id: 'multi-f-1', name: 'Nova', language: 'multi', gender: 'female', provider: 'espeak-ng' },
];

/**
 * Six characters (both genders, three ages), five voices (two gallery pages), two example videos.
 */
export class FakeCatalog implements Catalog {
  /** Set to make the next catalog call throw, for error-path tests. */
  failNext: Error | null = null;
  readonly characterList: readonly Character[] = characterSpecs.map((spec) => ({
    ...spec,
    imageKey: `catalog/characters/${spec.id}.png`,
  }));
  readonly voiceList: readonly Voice[] = voiceSpecs;

  async characters(
    gender: CharacterGender,
    page: number,
    pageSize: number,
  ): Promise<Page<Character>> {
    this.maybeFail();
    return paginate(
      this.characterList.filter((c) => c.gender === gender),
      page,
      pageSize,
    );
  }

  async character(id: string): Promise<Character | undefined> {
    this.maybeFail();
    return this.characterList.find((c) => c.id === id);
  }

  async voices(page: number, pageSize: number): Promise<Page<Voice>> {
    this.maybeFail();
    return paginate(this.voiceList, page, pageSize);
  }

  async voice(id: string): Promise<Voice | undefined> {
    return this.voiceList.find((v) => v.id === id);
  }

  async exampleVideo(format: ExampleVideo['format']): Promise<ExampleVideo | undefined> {
    return {
      format,
      videoKey: `catalog/examples/${format}.mp4`,
      durationSec: 8,
      width: 1080,
      height: 1920,
    };
  }

  /** Puts every file the catalog names into storage. */
  async seed(storage: FileStorage): Promise<void> {
    for (const character of this.characterList)
      await storage.put(character.imageKey, fakePng(768, 1024), 'image/png');
    for (const voice of this.voiceList) {
      if (voice.previewKey)
        await storage.put(voice.previewKey, Buffer.from(`OggS preview ${voice.id}`), 'audio/ogg');
    }
    for (const format of ['talking_head', 'background'] as const) {
      await storage.put(
        `catalog/examples/${format}.mp4`,
        fakeVideo({ durationSec: 8 }),
        'video/mp4',
      );
    }
  }

  private maybeFail(): void {
    const error = this.failNext;
    if (error) {
      this.failNext = null;
      throw error;
    }
  }
}

function paginate<T>(all: readonly T[], page: number, pageSize: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
  return {
    items: all.slice(page * pageSize, page * pageSize + pageSize),
    page,
    pageCount,
    total: all.length,
  };
}

/**
 * The image editor: unavailable (the local build) or a fake cloud provider with scripted results.
 */
export class FakeImageEditor implements ImageEditor {
  readonly provider = 'fake-nano-banana';
  readonly requests: ImageEditRequest[] = [];
  /** The next edit fails this way; edits succeed otherwise. */
  nextFailure: { reason: 'content_policy' | 'unavailable' | 'failed'; message: string } | null =
    null;

  constructor(readonly available: boolean) {}

  async edit(request: ImageEditRequest): Promise<ImageEditResult> {
    this.requests.push(request);
    if (!this.available)
      return { ok: false, reason: 'unavailable', message: 'no cloud provider configured' };
    const failure = this.nextFailure;
    if (failure) {
      this.nextFailure = null;
      return { ok: false, ...failure };
    }
    await writeFile(request.outputPath, fakePng(800, 1000 + this.requests.length));
    return { ok: true, path: request.outputPath, provider: this.provider, costUsd: 0.04 };
  }
}
