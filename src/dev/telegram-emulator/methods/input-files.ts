import { basename } from 'node:path';
import type { ApiParams } from '../api-params.js';
import { badRequest, entityTooLarge } from '../bot-api-error.js';
import type { EmulatorState } from '../emulator-state.js';
import type { FileKind, StoredFile } from '../file-store.js';
import { mimeTypeFor } from '../mime-types.js';
import type { UploadedFile } from '../uploaded-file.js';

const kindNames: Record<FileKind, string> = {
  photo: 'Photo',
  video: 'Video',
  audio: 'Audio',
  voice: 'VoiceNote',
  document: 'Document',
  animation: 'Animation',
  thumbnail: 'Thumbnail',
  video_note: 'VideoNote',
  sticker: 'Sticker',
};

/**
 * Resolves an InputFile parameter the four ways Telegram accepts one: a multipart part under the
 * parameter's own name (curl -F video=@a.mp4), an `attach://<part>` reference (what grammY
 * sends), a file_id from earlier, or an http(s) URL Telegram downloads itself.
 */
export async function resolveInputFile(
  state: EmulatorState,
  params: ApiParams,
  paramName: string,
  value: unknown,
  kind: FileKind,
): Promise<StoredFile> {
  if (value === undefined || value === null || value === '') {
    const direct = params.uploads.get(paramName);
    if (direct === undefined) throw badRequest(`there is no ${paramName} in the request`);
    return storeUpload(state, direct, kind);
  }
  if (typeof value !== 'string') throw badRequest(`wrong type of the ${paramName} field`);
  if (value.startsWith('attach://')) {
    const upload = params.uploads.get(value.slice('attach://'.length));
    if (upload === undefined) throw badRequest(`wrong file identifier/HTTP URL specified`);
    return storeUpload(state, upload, kind);
  }
  if (/^https?:\/\//i.test(value)) return fetchRemote(state, value, kind);
  const existing = state.files.get(value);
  if (existing === undefined) throw badRequest('wrong file identifier/HTTP URL specified');
  checkKindCompatible(existing, kind);
  return existing;
}

/** A thumbnail only counts when uploaded in the same request; Telegram ignores reused ones. */
export async function resolveThumbnail(
  state: EmulatorState,
  params: ApiParams,
  value: unknown,
): Promise<StoredFile | undefined> {
  if (typeof value === 'string' && value.startsWith('attach://')) {
    const upload = params.uploads.get(value.slice('attach://'.length));
    return upload === undefined ? undefined : storeUpload(state, upload, 'thumbnail');
  }
  const direct = value === undefined ? params.uploads.get('thumbnail') : undefined;
  return direct === undefined ? undefined : storeUpload(state, direct, 'thumbnail');
}

async function storeUpload(
  state: EmulatorState,
  upload: UploadedFile,
  kind: FileKind,
): Promise<StoredFile> {
  if (upload.bytes.length === 0) throw badRequest('file must be non-empty');
  if (kind === 'photo' && upload.bytes.length > state.limits.photoUploadBytes)
    throw badRequest('PHOTO_INVALID_DIMENSIONS');
  if (upload.bytes.length > state.limits.uploadBytes) throw entityTooLarge();
  const file = await state.files.save(upload.bytes, {
    kind,
    fileName: upload.fileName,
    ...optionalMime(mimeTypeFor(upload.fileName, upload.contentType)),
  });
  if (kind === 'photo') checkPhotoDimensions(file);
  return file;
}

async function fetchRemote(state: EmulatorState, url: string, kind: FileKind): Promise<StoredFile> {
  const limit =
    kind === 'photo'
      ? Math.min(5 * 1024 * 1024, state.limits.urlFetchBytes)
      : state.limits.urlFetchBytes;
  let bytes: Buffer;
  let contentType: string | undefined;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(String(response.status));
    bytes = Buffer.from(await response.arrayBuffer());
    contentType = response.headers.get('content-type') ?? undefined;
  } catch {
    throw badRequest('failed to get HTTP URL content');
  }
  if (bytes.length > limit) throw badRequest('failed to get HTTP URL content');
  const fileName = basename(new URL(url).pathname) || undefined;
  const file = await state.files.save(bytes, {
    kind,
    ...(fileName === undefined ? {} : { fileName }),
    ...optionalMime(mimeTypeFor(fileName, contentType)),
  });
  if (kind === 'photo') checkPhotoDimensions(file);
  return file;
}

function checkPhotoDimensions(file: StoredFile): void {
  const size = file.dimensions;
  if (size === undefined) throw badRequest('IMAGE_PROCESS_FAILED');
  const ratio = Math.max(size.width, size.height) / Math.max(1, Math.min(size.width, size.height));
  if (size.width + size.height > 10_000 || ratio > 20) throw badRequest('PHOTO_INVALID_DIMENSIONS');
}

function checkKindCompatible(file: StoredFile, wanted: FileKind): void {
  const photoMismatch = (wanted === 'photo') !== (file.kind === 'photo');
  if (photoMismatch && wanted !== 'document') {
    throw badRequest(`can't use file of type ${kindNames[file.kind]} as ${kindNames[wanted]}`);
  }
}

function optionalMime(mimeType: string | undefined): { mimeType?: string } {
  return mimeType === undefined ? {} : { mimeType };
}
