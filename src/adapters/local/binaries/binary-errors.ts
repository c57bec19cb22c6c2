import { basename } from 'node:path';
import { ProviderError, type ProviderErrorKind } from '../../../ports/provider-error.js';
import type { MediaTool } from './resolved-binary.js';

/**
 * None of env override, PATH and npm fallback produced a usable program: the local provider is
 * unavailable, like a cloud one whose circuit is open, until an operator installs it.
 */
export class BinaryNotFoundError extends ProviderError {
  override readonly name: string = 'BinaryNotFoundError';
  constructor(
    readonly tool: MediaTool,
    readonly tried: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Could not find ${tool}; tried: ${tried.join('; ')}`, {
      provider: tool,
      kind: 'unavailable',
      code: 'BINARY_NOT_FOUND',
      namedInMessage: true,
      ...options,
    });
  }
}

/**
 * An explicit override points somewhere unusable. This is an operator's mistake, so it fails
 * loudly instead of silently falling back to a different build than the one asked for.
 */
export class InvalidBinaryOverrideError extends ProviderError {
  override readonly name: string = 'InvalidBinaryOverrideError';
  constructor(
    readonly tool: MediaTool,
    readonly envVar: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${envVar}=${path} does not name an executable file for ${tool}`, {
      provider: tool,
      kind: 'unavailable',
      code: 'INVALID_BINARY_OVERRIDE',
      namedInMessage: true,
      ...options,
    });
  }
}

/**
 * A program ran and failed (non-zero exit, or could not start): the local provider failed on its
 * side, worth another try like a cloud provider's server error. Stopped by our own signal, it is
 * cancelled, as a cloud call is.
 */
export class BinaryRunError extends ProviderError {
  override readonly name: string = 'BinaryRunError';
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string,
    options?: ErrorOptions & { readonly kind?: ProviderErrorKind },
  ) {
    const status =
      exitCode !== null ? `exit code ${exitCode}` : signal ? `signal ${signal}` : 'failed to start';
    const kind = options?.kind ?? 'server';
    super(`${program} failed (${status})${stderrTail ? `: ${stderrTail}` : ''}`, {
      provider: basename(program),
      kind,
      // Timeouts and cancellations keep their kind's code: the same situation as a cloud call's.
      ...(kind === 'server' ? { code: 'BINARY_RUN_FAILED' } : {}),
      namedInMessage: true,
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

/** A program ran past its deadline and was killed (with its process group); worth another try. */
export class BinaryTimeoutError extends BinaryRunError {
  override readonly name: string = 'BinaryTimeoutError';
  constructor(
    program: string,
    args: readonly string[],
    readonly timeoutMs: number,
    stderrTail: string,
    options?: ErrorOptions,
  ) {
    super(program, args, null, 'SIGKILL', stderrTail, { ...options, kind: 'timeout' });
    this.message = `${program} did not finish within ${Math.round(timeoutMs / 1000)} s and was killed${stderrTail ? `: ${stderrTail}` : ''}`;
  }
}
