import type { UploadedFile } from './uploaded-file.js';

export interface ParsedMultipart {
  readonly fields: Record<string, string>;
  readonly files: Map<string, UploadedFile>;
}

export class MultipartError extends Error {}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/**
 * Parses a buffered multipart/form-data body. Hand-written rather than busboy because grammY
 * writes headers as `content-disposition:form-data;name="x";filename=a b.mp4` — no space after
 * the colon and an unquoted filename that may contain spaces — and the emulator must accept
 * exactly what grammY sends as well as what curl and undici's FormData send.
 */
export function parseMultipart(body: Buffer, boundary: string): ParsedMultipart {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let cursor = body.indexOf(delimiter);
  if (cursor < 0) throw new MultipartError('multipart boundary not found');
  for (;;) {
    cursor += delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) break; // closing "--"
    if (body.subarray(cursor, cursor + 2).equals(CRLF)) cursor += 2;
    const headerEnd = body.indexOf(HEADER_END, cursor);
    if (headerEnd < 0) throw new MultipartError('unterminated part headers');
    const headers = parseHeaders(body.subarray(cursor, headerEnd).toString('utf8'));
    const contentStart = headerEnd + HEADER_END.length;
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), contentStart);
    if (next < 0) throw new MultipartError('unterminated part');
    const content = body.subarray(contentStart, next);
    const disposition = parseDisposition(headers.get('content-disposition') ?? '');
    if (disposition.name !== undefined) {
      if (disposition.fileName === undefined) {
        fields[disposition.name] = content.toString('utf8');
      } else {
        files.set(disposition.name, {
          fieldName: disposition.name,
          fileName: disposition.fileName,
          contentType: headers.get('content-type') ?? 'application/octet-stream',
          bytes: Buffer.from(content),
        });
      }
    }
    cursor = next + CRLF.length;
  }
  return { fields, files };
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

interface Disposition {
  name?: string;
  fileName?: string;
}

export function parseDisposition(header: string): Disposition {
  const result: Disposition = {};
  let rest = header.replace(/^\s*form-data\s*/i, '');
  while (rest.length > 0) {
    const match = /^;?\s*([A-Za-z*]+)\s*=\s*/.exec(rest);
    if (!match) break;
    const key = (match[1] ?? '').toLowerCase();
    rest = rest.slice(match[0].length);
    let value: string;
    if (rest.startsWith('"')) {
      const end = findClosingQuote(rest);
      value = rest.slice(1, end).replace(/\\(.)/g, '$1');
      rest = rest.slice(end + 1);
    } else if (key === 'filename') {
      // grammY's unquoted filename is always the last parameter and may contain ';' or spaces.
      value = rest.trim();
      rest = '';
    } else {
      const end = rest.indexOf(';');
      value = (end < 0 ? rest : rest.slice(0, end)).trim();
      rest = end < 0 ? '' : rest.slice(end);
    }
    if (key === 'name') result.name = value;
    else if (key === 'filename') result.fileName ??= value;
    else if (key === 'filename*') result.fileName = decodeExtendedValue(value);
  }
  return result;
}

function findClosingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** RFC 5987 `UTF-8''name%20with%20spaces`. */
function decodeExtendedValue(value: string): string {
  const match = /^[^']*'[^']*'(.*)$/.exec(value);
  try {
    return decodeURIComponent(match?.[1] ?? value);
  } catch {
    return value;
  }
}
