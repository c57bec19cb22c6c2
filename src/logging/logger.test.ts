import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecretValues, createLogger, registerSecretValues, scrubSecrets } from './logger.js';

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

afterEach(() => clearSecretValues());

describe('logger', () => {
  it('redacts secrets in nested objects and configs', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info(
      {
        stage: 'tts',
        request: {
          headers: { 'xi-api-key': 'sk-live-123', authorization: 'Bearer abc' },
          apiKey: 'k-1',
        },
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
    expect(
      scrubSecrets('https://api.telegram.org/file/bot123456:AAAbbbCCCdddEEEfffGGGhhh/photos/1.jpg'),
    ).toBe('https://api.telegram.org/file/bot123456:[redacted]/photos/1.jpg');
  });
});

describe('redaction at any depth', () => {
  it('hides secret keys deep inside errors causes and arrays, and passwords in URLs', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info(
      {
        attempts: [{ options: { headers: { 'x-api-key': 'deep-1' } } }],
        url: 'postgres://ugc:hunter2@db/ugc',
      },
      'retry',
    );
    const line = lines.join('');
    expect(line).not.toContain('deep-1');
    expect(line).not.toContain('hunter2');
    expect(line).toContain('postgres://ugc:[redacted]@db/ugc');
  });
});

describe('secrets inside free text', () => {
  const botToken = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw4';
  const databaseUrl = 'postgres://ugc:s3cr3t-pa55@db.internal:5432/ugc';
  const elevenKey = 'sk_0f4e1c2b9a8d7e6f5a4b3c2d1e0f9a8b';

  it('finds no secret in messages, stacks, nested causes, aggregate errors, msg or bindings', () => {
    registerSecretValues([elevenKey]);
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream).child({
      upstream: `https://api.telegram.org/bot${botToken}/getMe`,
    });

    const root = new Error(`connect ECONNREFUSED ${databaseUrl}`);
    const middle = new Error(`ElevenLabs refused key ${elevenKey}`, { cause: root });
    const top = new Error(`request to https://api.telegram.org/bot${botToken}/sendVideo failed`, {
      cause: middle,
    });
    top.stack = `${top.stack}\n    at fetch (https://x.test/?api_key=${elevenKey}&token=plain-token-123)`;
    const aggregate = new AggregateError(
      [top, new Error(`Authorization: Bearer ${elevenKey}`)],
      `all attempts failed for ${databaseUrl}`,
    );

    log.error(
      { err: aggregate, stage: 'tts' },
      `upload with ${botToken} to ${databaseUrl} failed: %s`,
      `key ${elevenKey}`,
    );
    log.warn(top);
    log.info(`plain message ${botToken}`);

    const output = lines.join('');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of [
      botToken,
      'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw4',
      's3cr3t-pa55',
      elevenKey,
      'plain-token-123',
    ]) {
      expect(output).not.toContain(secret);
    }
    // What is left still tells the story.
    const first = JSON.parse(lines[0]!) as {
      msg: string;
      stage: string;
      err: { message: string; aggregateErrors: unknown[] };
    };
    expect(first.stage).toBe('tts');
    expect(first.msg).toContain('postgres://ugc:[redacted]@db.internal:5432/ugc');
    expect(first.err.aggregateErrors).toHaveLength(2);
    expect(output).toContain('ECONNREFUSED');
    expect(output).toContain('/bot123456789:[redacted]/sendVideo');
  });

  it('redacts secret-named properties an error carries', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    const error = Object.assign(new Error('upstream 500'), {
      request: { headers: { 'xi-api-key': 'short1' } },
    });
    log.error({ err: error }, 'failed');
    expect(lines.join('')).not.toContain('short1');
    expect(lines.join('')).toContain('upstream 500');
  });

  it('keeps numeric positions, ordinary prose and short registered values intact', () => {
    registerSecretValues(['abc', undefined]);
    expect(scrubSecrets('caught up to 123456:789012 at abc')).toBe(
      'caught up to 123456:789012 at abc',
    );
    expect(scrubSecrets('send a Bearer token')).toBe('send a Bearer token');
  });

  it('scrubs registered values in their JSON-escaped and URL-encoded forms', () => {
    const secret = 'pa"ss/wo rd\\x';
    registerSecretValues([secret]);
    const json = JSON.stringify({ msg: `value ${secret}` });
    expect(scrubSecrets(json)).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(scrubSecrets(`https://h/?q=${encodeURIComponent(secret)}`)).not.toContain(
      encodeURIComponent(secret),
    );
  });

  it('scrubs secret query parameters and authorization headers in text', () => {
    expect(
      scrubSecrets('GET /x?X-Amz-Signature=abcdef0123&X-Amz-Credential=AKIA123%2Fus&part=2'),
    ).toBe('GET /x?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]&part=2');
    expect(scrubSecrets('authorization: Bearer eyJhbGciOi.payload.sig')).toBe(
      'authorization: Bearer [redacted]',
    );
  });

  it('costs little per line', () => {
    registerSecretValues([
      'sk_0f4e1c2b9a8d7e6f5a4b3c2d1e0f9a8b',
      'another-secret-value-1234',
      'admin-token-fedcba9876543210',
    ]);
    const line = JSON.stringify({
      level: 30,
      time: Date.now(),
      pid: 1,
      hostname: 'host',
      stage: 'render',
      generationId: '7f0c2f1e-0d7c-4a5e-9a55-1b7f8c2b4d11',
      msg: 'composited 450 frames at 1080x1920 in 14873 ms; uploaded https://cdn.example.com/videos/abc.mp4',
    });
    const rounds = 20_000;
    const started = performance.now();
    for (let i = 0; i < rounds; i += 1) scrubSecrets(line);
    const microsPerLine = ((performance.now() - started) * 1000) / rounds;
    // A generous ceiling for a shared CI core; measured 2-5 µs per 250-byte line here (pino's own
    // formatting of that line costs 1-3 µs).
    expect(microsPerLine).toBeLessThan(50);
  });
});
