/**
 * Scrubs secrets out of free text: log lines (after serialisation, so messages, stacks, `cause`
 * chains and child bindings are all covered), error summaries shown to admins, and the like.
 *
 * Two nets, because neither is enough alone: the configured secret values themselves (exact match,
 * registered once the configuration is read), and the shapes secrets have in text a provider or a
 * library wrote (a bot token, a URL's password, a bearer header, a `token=` query parameter).
 *
 * Every pattern stops at `"` and `\`, so applied to a JSON log line it never eats across a string
 * boundary and the line stays valid JSON.
 */

const REDACTED = '[redacted]';

/** Values shorter than this are not scrubbed by exact match: "abc" would shred ordinary words. */
export const MIN_KNOWN_SECRET_LENGTH = 6;

/**
 * `<bot id>:<secret>`, bare or in Telegram's `/bot<token>/` URLs; the secret is 35 url-safe base64
 * characters. Only the secret goes: the id is public (any user sees it). At least one letter, `_`
 * or `-` is required in the secret so numeric pairs (event positions `123:456`) survive.
 */
const botToken = /(?<=\d{3}):(?=[A-Za-z0-9_-]*[A-Za-z_-])[A-Za-z0-9_-]{20,}/g;

/**
 * `scheme://user:password@host` — keeps the user name, hides the password. Anchored on `://`
 * rather than the scheme so the engine can skip ahead to it: this runs on every log line.
 */
const urlPassword = /:\/\/([^:@\s/"\\]*):((?:[^@\s/"\\]|\\.)+)@/g;

/**
 * `Authorization: Bearer <token>` / `Basic <credentials>` wherever it was quoted; 8+ characters, so
 * prose ("Bearer token") stays.
 */
const authScheme = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{8,}=*/gi;

/**
 * `key=`, `token=`, `api_key=`, `X-Amz-Signature=`, `secret=`, `password=`… as query parameters or
 * in prose (`token=abc`). The value runs to the next separator. Anchored on `=` (the name is a
 * look-behind) for the same reason as above.
 */
const secretParameter =
  /(?<=(?:key|token|secret|passw(?:or)?d|signature|credential))=[^&\s"#\\,;)]+/gi;

let knownPattern: RegExp | undefined;
const knownValues = new Set<string>();

/**
 * Registers secret values (API keys, tokens, passwords) that must never appear in a log line,
 * whatever shape they have. Called at start-up with the configuration's secrets; idempotent.
 */
export function registerSecretValues(values: Iterable<string | undefined>): void {
  let changed = false;
  for (const value of values) {
    if (value === undefined || value.length < MIN_KNOWN_SECRET_LENGTH) continue;
    // A JSON log line carries the value escaped; both forms are looked for.
    for (const form of new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
    ])) {
      if (!knownValues.has(form)) {
        knownValues.add(form);
        changed = true;
      }
    }
  }
  if (changed) knownPattern = compileKnown();
}

/** Forgets every registered value (tests). */
export function clearSecretValues(): void {
  knownValues.clear();
  knownPattern = undefined;
}

function compileKnown(): RegExp | undefined {
  if (knownValues.size === 0) return undefined;
  // Longest first, so a secret that contains another is replaced whole.
  const alternatives = [...knownValues].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export function scrubSecrets(text: string): string {
  let result = knownPattern ? text.replace(knownPattern, REDACTED) : text;
  result = result.replace(botToken, `:${REDACTED}`);
  result = result.replace(urlPassword, `://$1:${REDACTED}@`);
  result = result.replace(authScheme, `$1$2${REDACTED}`);
  result = result.replace(secretParameter, `=${REDACTED}`);
  return result;
}
