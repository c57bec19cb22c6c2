import { registerSecretValues } from '../logging/secret-scrubber.js';
import { ConfigError, configSecretValues, loadConfig, type Config } from './config.js';
import { applyEnvFile, EnvFileError, type AppliedEnvFile } from './env-file.js';

export interface StartupConfigOptions {
  /** Values that win over both the environment and `.env` (the demo pins its own set-up). */
  readonly overrides?: Record<string, string | undefined>;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

let applied: AppliedEnvFile | undefined;

/**
 * What every entry point runs first (`npm start`, the demo, each CLI, `node dist/main.js`): reads
 * `.env` into the environment (the environment wins), validates everything, and registers the
 * configuration's secrets with the log scrubber. Throws `EnvFileError` or `ConfigError`.
 */
export function prepareConfig(options: StartupConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const envFile = applyEnvFileOnce(env, options.cwd);
  const overrides = options.overrides ?? {};
  const config = loadConfig({ ...env, ...overrides }, (name) =>
    name in overrides || envFile.shadowed.includes(name) ? undefined : envFile.origins.get(name),
  );
  registerSecretValues(configSecretValues(config));
  return config;
}

/**
 * The `.env` file only, for entry points that read a variable before building the configuration.
 */
export function applyEnvFileOnce(
  env: Record<string, string | undefined> = process.env,
  cwd?: string,
): AppliedEnvFile {
  if (env !== process.env) return applyEnvFile(env, cwd);
  applied ??= applyEnvFile(env, cwd);
  return applied;
}

/**
 * `prepareConfig` for a command line: a bad `.env` or a bad value ends the process with status 2
 * and a plain message naming each variable (no stack trace: it is the operator's input, not a bug).
 */
export function loadStartupConfig(program: string, options: StartupConfigOptions = {}): Config {
  try {
    return prepareConfig(options);
  } catch (error) {
    exitOnConfigProblem(program, error);
  }
}

/** `applyEnvFileOnce` for a command line, ending the process on a bad file the same way. */
export function loadEnvFileOrExit(program: string): AppliedEnvFile {
  try {
    return applyEnvFileOnce();
  } catch (error) {
    exitOnConfigProblem(program, error);
  }
}

function exitOnConfigProblem(program: string, error: unknown): never {
  if (error instanceof ConfigError || error instanceof EnvFileError) {
    process.stderr.write(`${program}: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
