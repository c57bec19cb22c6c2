import { AppError } from '../errors/app-error.js';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The variable that points the loader at another file than `./.env`. */
export const ENV_FILE_VARIABLE = 'ENV_FILE';
export const DEFAULT_ENV_FILE = '.env';

/** A `.env` file that cannot be used: named but missing, unreadable, or with malformed lines. */
export class EnvFileError extends AppError {
  override readonly name = 'EnvFileError';
  readonly code = 'ENV_FILE_INVALID';
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Cannot use the environment file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

export interface AppliedEnvFile {
  /** The absolute path read, or undefined when there was no file (and none was named). */
  readonly file?: string;
  /** Variables taken from the file. */
  readonly applied: readonly string[];
  /** Variables in the file that the environment already set: the environment wins. */
  readonly shadowed: readonly string[];
  /** Where each variable in the file was written, e.g. `/srv/app/.env line 12`. */
  readonly origins: ReadonlyMap<string, string>;
}

/**
 * Reads `.env` (or the file `ENV_FILE` names) into `env`, the way `process.loadEnvFile` does: the
 * same parser (`util.parseEnv`), and a variable already set in the environment — even to an empty
 * string — is kept, so `FOO=x npm start` beats the file. Unlike `process.loadEnvFile`, a line the
 * parser would silently skip is reported, and a missing file is fine unless it was named.
 */
export function applyEnvFile(
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): AppliedEnvFile {
  const named = env[ENV_FILE_VARIABLE]?.trim();
  const file = resolve(cwd, named || DEFAULT_ENV_FILE);
  const text = readIfPresent(file, named ? `${ENV_FILE_VARIABLE}=${named}` : undefined);
  if (text === undefined) return { applied: [], shadowed: [], origins: new Map() };

  const lines = checkLines(file, text);
  const values = parseEnv(text);
  const applied: string[] = [];
  const shadowed: string[] = [];
  const origins = new Map<string, string>();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const line = lines.get(name);
    origins.set(name, line === undefined ? file : `${file} line ${line}`);
    if (env[name] !== undefined) {
      shadowed.push(name);
      continue;
    }
    env[name] = value;
    applied.push(name);
  }
  return { file, applied, shadowed, origins };
}

function readIfPresent(file: string, namedBy: string | undefined): string | undefined {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new EnvFileError(file, [describe(error)]);
    if (namedBy)
      throw new EnvFileError(file, [`${namedBy} names this file, but it does not exist`]);
    return undefined;
  }
  if (!isFile) throw new EnvFileError(file, ['it is not a regular file']);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new EnvFileError(file, [describe(error)]);
  }
}

const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;
const quotes = new Set(['"', "'", '`']);

/**
 * Every non-blank, non-comment line must be `NAME=value` (optionally `export NAME=value`); a quoted
 * value may span lines but must close. Returns the line of each name's last assignment (the one
 * that counts). Lines are never echoed: a stray line is often a pasted secret.
 */
function checkLines(file: string, text: string): Map<string, number> {
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  const positions = new Map<string, number>();
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = assignment.exec(line);
    if (!match) {
      const name = /^\s*(?:export\s+)?([^\s=]+)/.exec(line)?.[1];
      const hint = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name ?? '') ? ` (${name} has no "=")` : '';
      problems.push(`line ${index + 1}: expected NAME=value${hint}`);
      continue;
    }
    const [, name, rawValue] = match as unknown as [string, string, string];
    positions.set(name, index + 1);
    const value = rawValue.trimStart();
    const quote = value[0];
    if (quote === undefined || !quotes.has(quote) || value.indexOf(quote, 1) !== -1) continue;
    // A quoted value that runs on: find the line that closes it.
    let closing = index + 1;
    while (closing < lines.length && !lines[closing]!.includes(quote)) closing += 1;
    if (closing === lines.length) {
      problems.push(
        `line ${index + 1}: the value of ${name} opens a ${quote} quote that is never closed`,
      );
      break;
    }
    index = closing;
  }
  if (problems.length > 0) throw new EnvFileError(file, problems);
  return positions;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'it cannot be read (permission denied)';
  return error instanceof Error ? error.message : String(error);
}
