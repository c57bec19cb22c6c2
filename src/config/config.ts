import { envSchema, type Env } from './env-schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type EventStoreChoice =
  | { readonly kind: 'eventstoredb'; readonly url: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string };

export interface Config extends Env {
  readonly eventStore: EventStoreChoice;
}

/**
 * Parses the environment once at start-up. Every problem is reported together, each naming its
 * variable, so an operator fixes the whole file in one go instead of one restart per mistake.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const value = source[name];
        const shown = value === undefined ? 'missing' : `got ${JSON.stringify(redactValue(name, value))}`;
        return `${name}: ${issue.message} (${shown})`;
      }),
    );
  }
  const env = parsed.data;
  return { ...env, eventStore: chooseEventStore(env) };
}

function chooseEventStore(env: Env): EventStoreChoice {
  if (env.EVENTSTORE_URL) return { kind: 'eventstoredb', url: env.EVENTSTORE_URL };
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', dataDir: `${env.DATA_DIR}/pglite` };
}

const secretNames = /TOKEN|KEY|SECRET|PASSWORD/i;

function redactValue(name: string, value: string): string {
  return secretNames.test(name) ? '[redacted]' : value;
}
