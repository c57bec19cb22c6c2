import type { Readable } from 'node:stream';

export interface StoredObject {
  readonly key: string;
  readonly sizeBytes: number;
  readonly contentType: string;
}

/**
 * Object storage: files under `./data` locally, R2/S3 in the cloud. Keys are `/`-separated paths
 * such as `generations/<id>/final.mp4`; keys under `tmp/` are temporary and cleaned up.
 */
export interface FileStorage {
  readonly provider: string;
  put(key: string, body: Buffer | Readable, contentType: string): Promise<StoredObject>;
  /** Copies a local file into storage. */
  putFile(key: string, path: string, contentType: string): Promise<StoredObject>;
  get(key: string): Promise<Readable>;
  /** Makes the object available as a local file (a no-op copy for local storage). */
  toLocalFile(key: string, path: string): Promise<string>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<readonly { key: string; sizeBytes: number; modifiedAt: Date }[]>;
  /** A link anyone can open until it expires; storage-specific signing. */
  signedUrl(key: string, ttlSec: number, options?: { downloadName?: string }): Promise<string>;
}
