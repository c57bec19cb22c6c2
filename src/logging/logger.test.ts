import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('redacts secrets in nested objects and configs', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info(
      {
        stage: 'tts',
        request: { headers: { 'xi-api-key': 'sk-live-123', authorization: 'Bearer abc' }, apiKey: 'k-1' },
        config: { TELEGRAM_BOT_TOKEN: '123:secret', DATABASE_URL: 'postgres://u:pw@h/db' },
      },
      'called provider',
    );
    const line = lines.join('');
    expect(line).toContain('"stage":"tts"');
    for (const secret of ['sk-live-123', 'Bearer abc', 'k-1', '123:secret', 'u:pw']) {
      expect(line).not.toContain(secret);
    }
  });

  it('scrubs bot tokens from file URLs', () => {
    expect(scrubSecrets('https://api.telegram.org/file/bot123456:AAAbbbCCCdddEEEfffGGGhhh/photos/1.jpg')).toBe(
      'https://api.telegram.org/file/bot[redacted]/photos/1.jpg',
    );
  });
});

describe('redaction at any depth', () => {
  it('hides secret keys deep inside errors causes and arrays, and passwords in URLs', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info({ attempts: [{ options: { headers: { 'x-api-key': 'deep-1' } } }], url: 'postgres://ugc:hunter2@db/ugc' }, 'retry');
    const line = lines.join('');
    expect(line).not.toContain('deep-1');
    expect(line).not.toContain('hunter2');
    expect(line).toContain('postgres://ugc:[redacted]@db/ugc');
  });
});
