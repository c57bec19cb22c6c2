import { createLogger, type Logger } from '../../../logging/logger.js';
import {
  describeBinary,
  type ExecutableBinary,
  type MediaTool,
  type ResolvedBinary,
} from './resolved-binary.js';
import { resolveBinary } from './resolve-binary.js';

const cache = new Map<MediaTool, Promise<ResolvedBinary>>();
let defaultLogger: Logger | undefined;

/**
 * The process-wide choice of each tool, resolved on first use and logged once, so an operator
 * can tell from the log which build made a video.
 */
export function sharedBinary(tool: MediaTool, logger?: Logger): Promise<ResolvedBinary> {
  let pending = cache.get(tool);
  if (!pending) {
    const log = logger ?? (defaultLogger ??= createLogger());
    const startedAt = performance.now();
    pending = resolveBinary(tool).then(
      (binary) => {
        log.info(
          {
            stage: tool === 'espeak-ng' ? 'tts' : 'render',
            tool,
            source: binary.source,
            kind: binary.kind,
            path: binary.kind === 'wasm' ? binary.modulePath : binary.path,
            version: binary.version,
            durationMs: Math.round(performance.now() - startedAt),
          },
          `using ${describeBinary(binary)}`,
        );
        return binary;
      },
      (error: unknown) => {
        // Forget the failure so a later call (after an install) can try again.
        cache.delete(tool);
        throw error;
      },
    );
    cache.set(tool, pending);
  }
  return pending;
}

/** ffmpeg and ffprobe have no WebAssembly fallback, so they always resolve to a program. */
export async function sharedExecutable(
  tool: 'ffmpeg' | 'ffprobe',
  logger?: Logger,
): Promise<ExecutableBinary> {
  const binary = await sharedBinary(tool, logger);
  if (binary.kind !== 'executable') throw new Error(`${tool} resolved to a ${binary.kind} module`);
  return binary;
}

/** For tests that change the environment between cases. */
export function forgetSharedBinaries(): void {
  cache.clear();
}
