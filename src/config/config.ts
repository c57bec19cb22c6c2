import { AppError } from '../errors/app-error.js';
import { scrubSecrets } from '../logging/secret-scrubber.js';
import { envSchema, type Env } from './env-schema.js';

export class ConfigError extends AppError {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  readonly retryable = false;
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
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  /** Where a variable was set, when not in the environment itself (e.g. `./.env line 12`). */
  originOf: (name: string) => string | undefined = () => undefined,
): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const value = source[name];
        const shown =
          value === undefined ? 'missing' : `got ${JSON.stringify(redactValue(name, value))}`;
        const origin = originOf(name);
        return `${name}: ${scrubSecrets(issue.message)} (${shown}${origin ? `, set in ${origin}` : ''})`;
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

/** Connection strings are shown with their password hidden; secret-named variables not at all. */
function redactValue(name: string, value: string): string {
  return secretNames.test(name) ? '[redacted]' : scrubSecrets(value);
}

/**
 * Every secret the configuration holds, for the log scrubber: the values of secret-named variables
 * (tokens, keys, secrets, passwords; each of a comma-separated list) and the passwords inside
 * connection strings.
 */
export function configSecretValues(config: object): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    const values = Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : typeof value === 'string'
        ? [value]
        : [];
    for (const item of values) {
      if (secretNames.test(name)) secrets.push(item);
      const password = urlPassword(item);
      if (password) secrets.push(password);
    }
  }
  return secrets;
}

function urlPassword(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) return undefined;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    // The client-specific forms (esdb://a,b,c) are not WHATWG URLs: take the user-info by hand.
    return /^[^:]+:\/\/[^:@/]*:([^@/]+)@/.exec(value)?.[1];
  }
}
