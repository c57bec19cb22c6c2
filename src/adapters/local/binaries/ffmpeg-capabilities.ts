import { createLogger, type Logger } from '../../../logging/logger.js';
import { runBinary } from './run-binary.js';

/**
 * What one ffmpeg build can do, read from the build itself. The npm fallback is a 2018 4.1 build
 * and system packages range from 4.x to 7.x, so a filter or an option that one of them lacks is
 * detected here, once per binary, and the caller picks a graph that build runs.
 */
export interface FfmpegCapabilities {
  readonly ffmpegPath: string;
  hasFilter(name: string): boolean;
  hasEncoder(name: string): boolean;
  /**
   * The named options of a filter (its own and framesync's), `enable` when it has timeline support.
   */
  filterOptions(filter: string): Promise<ReadonlySet<string>>;
  filterHasOption(filter: string, option: string): Promise<boolean>;
  /** Logs, once per binary and feature, that a fallback replaces a feature this build lacks. */
  noteFallback(feature: string, fallback: string): void;
}

const probeTimeoutMs = 15_000;
const cache = new Map<string, Promise<FfmpegCapabilities>>();

/** The capabilities of the ffmpeg at `ffmpegPath`, probed on first use and kept for the process. */
export function ffmpegCapabilities(
  ffmpegPath: string,
  logger?: Logger,
): Promise<FfmpegCapabilities> {
  let pending = cache.get(ffmpegPath);
  if (!pending) {
    pending = probeCapabilities(ffmpegPath, logger ?? createLogger()).catch((error: unknown) => {
      // A probe that failed (a binary being replaced, a timeout under load) is retried next time.
      cache.delete(ffmpegPath);
      throw error;
    });
    cache.set(ffmpegPath, pending);
  }
  return pending;
}

/** For tests that swap binaries under one path. */
export function forgetFfmpegCapabilities(): void {
  cache.clear();
}

async function probeCapabilities(ffmpegPath: string, logger: Logger): Promise<FfmpegCapabilities> {
  const run = async (args: readonly string[]) =>
    (
      await runBinary(ffmpegPath, ['-hide_banner', ...args], { timeoutMs: probeTimeoutMs })
    ).stdout.toString('utf8');
  const [filterList, encoderList] = await Promise.all([run(['-filters']), run(['-encoders'])]);
  const filters = parseFilterList(filterList);
  const encoders = parseEncoderList(encoderList);
  const options = new Map<string, Promise<ReadonlySet<string>>>();
  const noted = new Set<string>();
  const log = logger.child({ stage: 'render', tool: 'ffmpeg', ffmpegPath });
  log.debug({ filters: filters.size, encoders: encoders.size }, 'ffmpeg capabilities probed');

  const filterOptions = (filter: string): Promise<ReadonlySet<string>> => {
    let known = options.get(filter);
    if (!known) {
      known = filters.has(filter)
        ? run(['-h', `filter=${filter}`]).then(parseFilterOptions)
        : Promise.resolve(new Set<string>());
      options.set(filter, known);
    }
    return known;
  };
  return {
    ffmpegPath,
    hasFilter: (name) => filters.has(name),
    hasEncoder: (name) => encoders.has(name),
    filterOptions,
    filterHasOption: async (filter, option) => (await filterOptions(filter)).has(option),
    noteFallback: (feature, fallback) => {
      if (noted.has(feature)) return;
      noted.add(feature);
      log.warn({ feature, fallback }, `this ffmpeg lacks ${feature}; using ${fallback}`);
    },
  };
}

/** Names from `ffmpeg -filters`: lines of flags, a name, `in->out` and a description. */
export function parseFilterList(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^ [A-Z.|]{2,3} +([A-Za-z0-9_]+) +\S+->\S+ /gm))
    names.add(match[1]!);
  return names;
}

/** Names from `ffmpeg -encoders`: six flag columns, then the name. */
export function parseEncoderList(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^ [VASD][A-Z.]{5} +([A-Za-z0-9_-]+) /gm)) names.add(match[1]!);
  return names;
}

/**
 * Option names from `ffmpeg -h filter=NAME`. Options carry a `<type>`; the named constants listed
 * under them do not. Timeline support adds the generic `enable` option.
 */
export function parseFilterOptions(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^ {1,4}([A-Za-z_][A-Za-z0-9_-]*) +<[a-z_ ]+> /gm))
    names.add(match[1]!);
  if (/support for timeline through the 'enable' option/.test(text)) names.add('enable');
  return names;
}
