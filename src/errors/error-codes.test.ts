import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BinaryNotFoundError,
  BinaryRunError,
  BinaryTimeoutError,
  InvalidBinaryOverrideError,
} from '../adapters/local/binaries/binary-errors.js';
import { DataDirLockedError } from '../adapters/event-store/pglite/data-dir-lock.js';
import { TransactionIdsAheadError } from '../adapters/event-store/sql/transaction-ids-ahead-error.js';
import { NoStandInVoiceError } from '../adapters/fallback/no-stand-in-voice-error.js';
import {
  InvalidWavError,
  MediaProbeError,
  NothingToSpeakError,
  RenderError,
  SpeechSynthesisError,
  UnknownVoiceError,
  VoiceCannotReadError,
} from '../adapters/local/ffmpeg/media-errors.js';
import { FaceLandmarksUnavailable } from '../adapters/local/photo-mouth/face-landmarks.js';
import { SegmentationModelUnavailable } from '../adapters/local/segmentation/isnet-model.js';
import { ModelTimeoutError } from '../adapters/local/segmentation/shared-model.js';
import {
  InvalidDownloadTokenError,
  InvalidStorageKeyError,
  StorageIoError,
  StorageObjectNotFoundError,
} from '../ports/file-storage/file-storage-errors.js';
import { ProviderError, type ProviderErrorKind } from '../ports/provider-error.js';
import {
  ShotstackRenderFailedError,
  ShotstackSubmitUncertainError,
} from '../adapters/shotstack/shotstack-montage-renderer.js';
import { DownloadTooLargeError } from '../bot/media.js';
import { StaleScopeError } from '../bot/bot-context.js';
import {
  CatalogBuildError,
  CatalogImportError,
  InvalidCatalogManifestError,
} from '../catalog/catalog-errors.js';
import { CommandConflictError, StaleStateError } from '../commands/command-handler.js';
import { ConfigError } from '../config/config.js';
import { EnvFileError } from '../config/env-file.js';
import { EventDataError } from '../domain/events/catalog.js';
import { EventCopyError } from '../ops/events-copy/copy-errors.js';
import { StoreAddressError } from '../ops/events-copy/store-address.js';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../ports/event-store/errors.js';
import { ApiError } from '../http/api/api-error.js';
import {
  CommandRejectedError,
  StageFailedError,
  WorkInterruptedError,
} from '../pipeline/pipeline-errors.js';
import { PipelineConfigError } from '../pipeline/pipeline-options.js';
import { StageTimeoutError } from '../pipeline/stage-deadline.js';
import { DeliveryUnrecordedError } from '../pipeline/stages/deliver-video.js';
import { SendFailedError } from '../ports/user-notifier.js';
import { ProjectionTimeoutError } from '../projections/projection-runner.js';
import { MigrationError } from '../database/migrations/migrate.js';
import { ReportSendError } from '../scheduling/daily-report/report-sender.js';
import { AppError, codeOf, isRetryable } from './app-error.js';
import { errorCodeGroups, errorCodes, isErrorCode } from './error-codes.js';

const providerKinds: readonly ProviderErrorKind[] = [
  'auth',
  'quota',
  'rate_limited',
  'invalid_request',
  'not_found',
  'content_policy',
  'server',
  'timeout',
  'malformed',
  'network',
  'unavailable',
  'cancelled',
];

/** One instance of every error class the product throws, as it is thrown. */
const samples = (): readonly AppError[] => [
  new WrongExpectedVersionError('user-1', 'no_stream', 3n),
  new DuplicateEventIdError('user-1', 'e1'),
  new EventStoreUnavailableError('down'),
  new TransactionIdsAheadError(10n, 5n),
  new DataDirLockedError('./data/pglite', 42),
  new EventDataError('invalid_data', 'CreditsGranted', 1, 'bad'),
  new EventDataError('unknown_event_type', 'Nope', 1, 'unknown'),
  new EventDataError('unsupported_version', 'CreditsGranted', 9, 'newer'),
  new EventDataError('missing_upcaster', 'CreditsGranted', 0, 'old'),
  new EventCopyError('SAME_STORE', 'same', false),
  new StoreAddressError('empty'),
  new CommandConflictError('user-1', 5),
  new StaleStateError('user-1', 3n, 4n),
  new StaleScopeError(1),
  new ProjectionTimeoutError(
    'users',
    { commit: 1n, prepare: 1n },
    { commit: 0n, prepare: 0n },
    100,
  ),
  new MigrationError('failed'),
  new ConfigError(['BOT_TOKEN: required']),
  new EnvFileError('.env', ['line 1']),
  new PipelineConfigError('leaseMs'),
  new InvalidCatalogManifestError('catalog.json', ['x']),
  new CatalogBuildError('anna', 'x'),
  new CatalogImportError('folder', ['x']),
  ...providerKinds.map((kind) => new ProviderError('x', { provider: 'fal', kind })),
  new ShotstackRenderFailedError('r1', 'bad edit'),
  new ShotstackSubmitUncertainError(
    new ProviderError('x', { provider: 'shotstack', kind: 'timeout' }),
  ),
  new NoStandInVoiceError(
    'v1',
    'ja',
    new ProviderError('x', { provider: 'elevenlabs', kind: 'quota' }),
  ),
  new InvalidWavError('not a RIFF/WAVE file'),
  new UnknownVoiceError('v1'),
  new NothingToSpeakError('nothing'),
  new VoiceCannotReadError('espeak-ru-f1', ['ru'], 'cmn'),
  new SpeechSynthesisError('failed'),
  new MediaProbeError('a.mp4', 'no such file'),
  new RenderError('composite', 'ffmpeg failed'),
  new RenderError('composite', 'no video stream', { kind: 'invalid_request' }),
  new BinaryNotFoundError('ffmpeg', ['PATH']),
  new InvalidBinaryOverrideError('ffmpeg', 'FFMPEG_PATH', '/nope'),
  new BinaryRunError('/usr/bin/ffmpeg', [], 1, null, ''),
  new BinaryTimeoutError('/usr/bin/ffmpeg', [], 1000, ''),
  new ModelTimeoutError(1000),
  new SegmentationModelUnavailable('not installed'),
  new FaceLandmarksUnavailable('not installed'),
  new InvalidStorageKeyError('../x', 'relative'),
  new StorageObjectNotFoundError('a/b'),
  new StorageIoError('put', 'a/b'),
  new InvalidDownloadTokenError('expired'),
  new StageFailedError('video', true, 'x'),
  new StageTimeoutError('video', 1000, true),
  new CommandRejectedError('RecordAudio', { code: 'invalid_result', message: 'bad' }),
  new WorkInterruptedError('stopping'),
  new DeliveryUnrecordedError('x'),
  new SendFailedError('refused', 'blocked', 403),
  new SendFailedError('rate_limited', 'wait', 429, 3),
  new DownloadTooLargeError('too large'),
  new ReportSendError('x', true),
  new ApiError(404, 'NOT_FOUND', 'x'),
  new ApiError(504, 'PROJECTION_TIMEOUT', 'x'),
];

describe('the error codes', () => {
  it('are unique across areas, spelled UPPER_SNAKE, and each says what it means', () => {
    const all = Object.values(errorCodeGroups).flatMap((group) => Object.keys(group));
    expect(new Set(all).size).toBe(all.length);
    expect(errorCodes.size).toBe(all.length);
    for (const [code, { meaning }] of errorCodes) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(meaning.length, code).toBeGreaterThan(10);
    }
  });

  it('cover the code of every error class, each an AppError with an explicit retryable', () => {
    for (const error of samples()) {
      expect(error, error.name).toBeInstanceOf(AppError);
      expect(isErrorCode(error.code), `${error.name}: ${error.code}`).toBe(true);
      expect(typeof error.retryable, error.name).toBe('boolean');
    }
  });

  it('give every provider situation the same code, cloud or local', () => {
    const local = [
      new BinaryTimeoutError('ffmpeg', [], 1000, ''),
      new ModelTimeoutError(1000),
      new RenderError('x', 'slow', { cause: new BinaryTimeoutError('ffmpeg', [], 1, '') }),
    ];
    const cloud = new ProviderError('x', { provider: 'fal', kind: 'timeout' });
    for (const error of local)
      expect(error).toMatchObject({ kind: 'timeout', code: cloud.code, retryable: true });
    expect(new SegmentationModelUnavailable('x')).toMatchObject({
      kind: 'unavailable',
      code: 'PROVIDER_UNAVAILABLE',
      retryable: false,
      fallbackAllowed: true,
    });
    expect(new NothingToSpeakError('x')).toMatchObject({
      kind: 'invalid_request',
      retryable: false,
      fallbackAllowed: false,
    });
  });
});

describe('errors that are not AppErrors', () => {
  it('are presumed transient and have no code, whatever they carry', () => {
    const foreign = Object.assign(new Error('x'), { code: 'VOICE_CANNOT_READ', retryable: false });
    expect(isRetryable(foreign)).toBe(true);
    expect(codeOf(foreign)).toBeUndefined();
    expect(isRetryable('a string')).toBe(true);
  });
});

describe('the product', () => {
  it('derives every error class from AppError (src/dev models foreign protocols and keeps its own)', async () => {
    const root = join(import.meta.dirname, '..');
    const offenders: string[] = [];
    for (const file of await productFiles(root)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/class (\w+) extends (Error|TypeError|RangeError)\b/g))
        offenders.push(`${relative(root, file)}: ${match[1]}`);
    }
    expect(offenders).toEqual(['errors/app-error.ts: AppError']);
  });
});

async function productFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'),
    )
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !/[/\\](dev|testing)[/\\]/.test(path) && !path.endsWith('.contract.ts'));
}
