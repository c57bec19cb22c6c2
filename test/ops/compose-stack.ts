import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The repository root, from test/ops. */
export const repoRoot = join(import.meta.dirname, '..', '..');

export interface ComposeService {
  readonly image?: string;
  readonly build?: unknown;
  readonly environment?: Record<string, string | number | boolean | null> | string[];
  readonly env_file?: string | string[];
  readonly ports?: string[];
}

export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

export interface ComposeStack {
  readonly file: ComposeFile;
  /** The file without its comments: what Compose interpolates. */
  readonly text: string;
  /** The comments, which operators read as instructions. */
  readonly comments: string;
}

/** Reads a compose file the way Compose does: `<<` merge keys resolved, comments apart. */
export function readComposeStack(path = join(repoRoot, 'docker-compose.yml')): ComposeStack {
  const raw = readFileSync(path, 'utf8');
  const file = parse(raw, { merge: true }) as ComposeFile;
  const lines = raw.split('\n');
  const comments = lines.filter((line) => /^\s*#/.test(line)).join('\n');
  const text = lines.filter((line) => !/^\s*#/.test(line)).join('\n');
  return { file, text, comments };
}

/** A service's environment as name → value, from either of Compose's two spellings. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]),
  );
}

/**
 * Variables Compose interpolates: `${VAR}`, `${VAR:-default}`, `${VAR:?error}` and bare `$VAR`
 * (`$$` is Compose's escape for a literal dollar and names nothing).
 */
export function interpolatedVariables(text: string): Set<string> {
  const found = new Set<string>();
  const withoutEscapes = text.replaceAll('$$', '');
  for (const match of withoutEscapes.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g))
    found.add(match[1]!);
  for (const match of withoutEscapes.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) found.add(match[1]!);
  return found;
}

/** `repo/name:tag` (optionally `@sha256:…`) → the tag, or undefined when none is given. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

/** The README section under `## <title>`, up to the next level-2 heading. */
export function readmeSection(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}`);
  if (start < 0) return '';
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/**
 * Services a text names in `docker compose <command> [options] <service>` invocations, in
 * `docker compose cp` paths (`service:/path`) and in `--scale <service>=N`.
 */
export function servicesNamedInCommands(text: string): string[] {
  const named: string[] = [];
  for (const match of text.matchAll(
    /docker compose (exec|run|logs|restart|stop|start|cp|up|pull)\b([^\n`]*)/g,
  )) {
    const command = match[1]!;
    // A shell comment after the command names nothing.
    const words = match[2]!
      .replace(/\s#.*$/, '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    if (command === 'cp') {
      named.push(
        ...words
          .filter((word) => /^[a-z0-9][a-z0-9_.-]*:/.test(word))
          .map((word) => word.split(':')[0]!),
      );
      continue;
    }
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (word === '--scale') {
        named.push(words[i + 1]?.split('=')[0] ?? '');
        i++;
        continue;
      }
      if (word.startsWith('-')) {
        if (/^(-v|--volume|-e|--env|-w|--workdir|-u|--user)$/.test(word)) i++;
        continue;
      }
      // The first word that is not an option (or an option's value) is the service.
      named.push(word);
      break;
    }
  }
  return named;
}
