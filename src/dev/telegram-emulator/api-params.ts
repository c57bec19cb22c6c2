import { badRequest } from './bot-api-error.js';
import type { UploadedFile } from './uploaded-file.js';

/**
 * The parameters of one Bot API call, whatever the transport: JSON bodies carry typed values,
 * while query strings, url-encoded and multipart bodies carry strings only, with objects
 * (reply_markup, entities, media) JSON-encoded. The readers accept both, like Telegram does.
 */
export class ApiParams {
  constructor(
    private readonly values: Readonly<Record<string, unknown>>,
    readonly uploads: ReadonlyMap<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    const value = this.values[name];
    return value !== undefined && value !== null && value !== '';
  }

  raw(name: string): unknown {
    return this.values[name];
  }

  /** Everything but the bytes of uploads, for the call log. */
  summary(): Record<string, unknown> {
    const summary: Record<string, unknown> = { ...this.values };
    for (const [field, file] of this.uploads) {
      summary[field] = { upload: file.fileName, bytes: file.bytes.length };
    }
    return summary;
  }

  string(name: string, emptyMessage = `${name} is empty`): string {
    const value = this.optString(name);
    if (value === undefined || value === '') throw badRequest(emptyMessage);
    return value;
  }

  optString(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw badRequest(`field "${name}" must be of type String`);
  }

  int(name: string, emptyMessage = `${name} is empty`): number {
    const value = this.optInt(name);
    if (value === undefined) throw badRequest(emptyMessage);
    return value;
  }

  optInt(name: string): number | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    const parsed =
      typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? Number(value.trim())
          : Number.NaN;
    if (!Number.isInteger(parsed)) throw badRequest(`field "${name}" must be of type Integer`);
    return parsed;
  }

  bool(name: string): boolean {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return false;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'string') return value === 'true' || value === '1' || value === 'True';
    throw badRequest(`field "${name}" must be of type Boolean`);
  }

  /** Objects may come JSON-encoded (forms, grammY multipart) or as JSON values (JSON bodies). */
  json<T>(name: string, what = `${name} JSON object`): T | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw badRequest(`can't parse ${what}`);
    }
  }

  /** chat_id is an integer or an "@username" string. */
  chatId(name = 'chat_id'): number | string {
    const value = this.values[name];
    if (value === undefined || value === null || value === '') throw badRequest(`${name} is empty`);
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
      return trimmed;
    }
    throw badRequest('chat not found');
  }
}
