import { InvalidBinaryOverrideError, BinaryNotFoundError } from './binary-errors.js';
import { ensureExecutable, findOnPath, isExecutableFile } from './find-executable.js';
import { installedNpmFallbacks, type NpmFallbacks } from './npm-fallbacks.js';
import { binaryEnvVars, type MediaTool, type ResolvedBinary } from './resolved-binary.js';
import { runBinary } from './run-binary.js';

export interface ResolveBinaryOptions {
  /** Defaults to `process.env`; `PATH` and the `*_PATH` overrides are read from it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly npm?: NpmFallbacks;
  /** Skip running `-version`; the version is only for the log line. */
  readonly skipVersionCheck?: boolean;
}

const versionFlag: Readonly<Record<MediaTool, string>> = {
  ffmpeg: '-version',
  ffprobe: '-version',
  'espeak-ng': '--version',
};

/**
 * Finds a tool: the `*_PATH` env override, then the system binary on PATH, then the copy shipped
 * in an npm package. System binaries come before npm ones because the npm ffmpeg is a 2018 build
 * whose ultrafast encodes are several times slower (measured on our two-core machines).
 */
export async function resolveBinary(
  tool: MediaTool,
  options: ResolveBinaryOptions = {},
): Promise<ResolvedBinary> {
  const env = options.env ?? process.env;
  const npm = options.npm ?? installedNpmFallbacks;
  const tried: string[] = [];
  const version = async (path: string): Promise<string | undefined> =>
    options.skipVersionCheck ? undefined : readVersion(path, tool);

  const envVar = binaryEnvVars[tool];
  const override = env[envVar]?.trim();
  if (override) {
    if (!(await isExecutableFile(override)))
      throw new InvalidBinaryOverrideError(tool, envVar, override);
    let found: string | undefined;
    try {
      found = await version(override);
    } catch (error) {
      throw new InvalidBinaryOverrideError(tool, envVar, override, { cause: error });
    }
    return withVersion({ kind: 'executable', tool, source: 'env', path: override }, found);
  }
  tried.push(`${envVar} (unset)`);

  const onPath = await findOnPath(tool, env.PATH);
  if (onPath) {
    try {
      return withVersion(
        { kind: 'executable', tool, source: 'system', path: onPath },
        await version(onPath),
      );
    } catch {
      // A broken system install (missing shared libraries, wrong architecture) should not hide a
      // working npm copy.
      tried.push(`PATH: ${onPath} (does not run)`);
    }
  } else {
    tried.push(`PATH (no ${tool})`);
  }

  if (tool === 'espeak-ng') {
    const modulePath = npm.espeakNgModule();
    if (modulePath)
      return {
        kind: 'wasm',
        tool,
        source: 'npm',
        modulePath,
        version: 'npm espeak-ng (WebAssembly)',
      };
    tried.push('npm package espeak-ng (not installed)');
  } else {
    const packageName =
      tool === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe';
    const npmPath = tool === 'ffmpeg' ? npm.ffmpeg() : npm.ffprobe();
    if (npmPath && (await ensureExecutable(npmPath))) {
      try {
        return withVersion(
          { kind: 'executable', tool, source: 'npm', path: npmPath },
          await version(npmPath),
        );
      } catch {
        tried.push(`npm package ${packageName}: ${npmPath} (does not run)`);
      }
    } else {
      tried.push(`npm package ${packageName} (${npmPath ? 'not executable' : 'not installed'})`);
    }
  }
  throw new BinaryNotFoundError(tool, tried);
}

function withVersion<T extends ResolvedBinary>(binary: T, version: string | undefined): T {
  return version ? { ...binary, version } : binary;
}

async function readVersion(path: string, tool: MediaTool): Promise<string | undefined> {
  const { stdout } = await runBinary(path, [versionFlag[tool]], { timeoutMs: 10_000 });
  return stdout.toString('utf8').split('\n')[0]?.trim() || undefined;
}
