import type { ApiParams } from '../api-params.js';
import type { EmulatorState } from '../emulator-state.js';

export interface MethodCall {
  readonly params: ApiParams;
  readonly state: EmulatorState;
  /** Aborted when the client goes away (matters for long polls). */
  readonly signal: AbortSignal;
}

export type MethodHandler = (call: MethodCall) => unknown;

/** A result that also carries Telegram's optional `description`, e.g. "Webhook was set". */
export class DescribedResult {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export type MethodTable = Readonly<Record<string, MethodHandler>>;

export interface RegisteredMethod {
  readonly name: string;
  readonly handler: MethodHandler;
}

/** Telegram matches method names case-insensitively. */
export class MethodRegistry {
  private readonly methods = new Map<string, RegisteredMethod>();

  constructor(...tables: MethodTable[]) {
    for (const table of tables) {
      for (const [name, handler] of Object.entries(table))
        this.methods.set(name.toLowerCase(), { name, handler });
    }
  }

  find(method: string): RegisteredMethod | undefined {
    return this.methods.get(method.toLowerCase());
  }

  names(): string[] {
    return [...this.methods.values()].map((method) => method.name).sort();
  }
}
