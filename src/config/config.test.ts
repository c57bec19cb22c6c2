import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('accepts an empty environment and picks the embedded event store', () => {
    const config = loadConfig({});
    expect(config.eventStore).toEqual({ kind: 'pglite', dataDir: './data/pglite' });
    expect(config.DEFAULT_CREDITS).toBe(10);
    expect(config.COST_UGC_VIDEO).toBe(1);
    expect(config.MAX_AUDIO_DURATION).toBe(15);
    expect(config.ADMIN_IDS).toEqual([]);
  });

  it('prefers EventStoreDB over PostgreSQL', () => {
    const config = loadConfig({
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      DATABASE_URL: 'postgres://x@h/db',
    });
    expect(config.eventStore.kind).toBe('eventstoredb');
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }).eventStore).toEqual({
      kind: 'postgres',
      url: 'postgres://x@h/db',
    });
  });

  it('parses admin ids and treats blank values as unset', () => {
    const config = loadConfig({ ADMIN_IDS: ' 1, 22 ,333', WEBHOOK_URL: '  ' });
    expect(config.ADMIN_IDS).toEqual([1, 22, 333]);
    expect(config.WEBHOOK_URL).toBeUndefined();
  });

  it('names every malformed variable at once and never echoes a secret', () => {
    let error: unknown;
    try {
      loadConfig({
        TELEGRAM_BOT_TOKEN: 'not-a-token',
        DATABASE_URL: 'mysql://nope',
        ADMIN_IDS: '1,abc',
        HTTP_PORT: 'eighty',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['TELEGRAM_BOT_TOKEN', 'DATABASE_URL', 'ADMIN_IDS', 'HTTP_PORT']) {
      expect(problems).toContain(name);
    }
    expect(problems).not.toContain('not-a-token');
    expect(problems).toContain('[redacted]');
  });
});
