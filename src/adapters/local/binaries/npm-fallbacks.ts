import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Locations of the binaries shipped inside optional npm packages, or undefined when the package
 * is not installed (optional dependencies may be skipped, e.g. on an unsupported platform).
 * Every package here carries its binary in the tarball; none downloads at install time.
 */
export interface NpmFallbacks {
  ffmpeg(): string | undefined;
  ffprobe(): string | undefined;
  /** The eSpeak NG WebAssembly build's ES module entry. */
  espeakNgModule(): string | undefined;
}

export const installedNpmFallbacks: NpmFallbacks = {
  ffmpeg: () => installerPath('@ffmpeg-installer/ffmpeg'),
  ffprobe: () => installerPath('@ffprobe-installer/ffprobe'),
  espeakNgModule: () => {
    try {
      // The package's exports have no "require" condition, so resolve its manifest instead.
      const manifest = require.resolve('espeak-ng/package.json');
      const entry = join(dirname(manifest), 'dist', 'espeak-ng.js');
      return existsSync(entry) ? entry : undefined;
    } catch {
      return undefined;
    }
  },
};

function installerPath(packageName: string): string | undefined {
  try {
    // These CommonJS packages throw when their per-platform binary package is missing.
    const loaded = require(packageName) as { path?: unknown };
    return typeof loaded.path === 'string' && existsSync(loaded.path) ? loaded.path : undefined;
  } catch {
    return undefined;
  }
}
