/** One readiness check's answer: `true`/`false`, or a verdict with what it saw. */
export type ReadinessResult = boolean | { readonly ok: boolean; readonly detail?: unknown };

/** A probe of one dependency, run by /readyz. */
export type ReadinessCheck = () => Promise<ReadinessResult>;
