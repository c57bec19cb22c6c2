import type { MediaTool } from './resolved-binary.js';

/** None of env override, PATH and npm fallback produced a usable program. */
export class BinaryNotFoundError extends Error {
  override readonly name = 'BinaryNotFoundError';
  readonly code = 'BINARY_NOT_FOUND';
  constructor(
    readonly tool: MediaTool,
    readonly tried: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Could not find ${tool}; tried: ${tried.join('; ')}`, options);
  }
}

/**
 * An explicit override points somewhere unusable. This is an operator's mistake, so it fails
 * loudly instead of silently falling back to a different build than the one asked for.
 */
export class InvalidBinaryOverrideError extends Error {
  override readonly name = 'InvalidBinaryOverrideError';
  readonly code = 'INVALID_BINARY_OVERRIDE';
  constructor(
    readonly tool: MediaTool,
    readonly envVar: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${envVar}=${path} does not name an executable file for ${tool}`, options);
  }
}

/** A program ran and failed (non-zero exit, killed, or could not start). */
export class BinaryRunError extends Error {
  override readonly name: string = 'BinaryRunError';
  readonly code: string = 'BINARY_RUN_FAILED';
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string,
    options?: ErrorOptions,
  ) {
    const status = exitCode !== null ? `exit code ${exitCode}` : signal ? `signal ${signal}` : 'failed to start';
    super(`${program} failed (${status})${stderrTail ? `: ${stderrTail}` : ''}`, options);
  }
}

/** A program ran past its deadline and was killed (with its process group); worth another try. */
export class BinaryTimeoutError extends BinaryRunError {
  override readonly name: string = 'BinaryTimeoutError';
  override readonly code: string = 'BINARY_TIMED_OUT';
  readonly retryable = true;
  constructor(program: string, args: readonly string[], readonly timeoutMs: number, stderrTail: string, options?: ErrorOptions) {
    super(program, args, null, 'SIGKILL', stderrTail, options);
    this.message = `${program} did not finish within ${Math.round(timeoutMs / 1000)} s and was killed${stderrTail ? `: ${stderrTail}` : ''}`;
  }
}
