/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts: a graceful stop must not
 * sit out a flood wait of many minutes (the job is released and resumes later instead).
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A signal that aborts `graceMs` after `signal` does: an upload in flight when a stop comes gets a
 * moment to finish (the user then has the video, not the link), but a hung one does not hold the
 * stop for grammY's whole request timeout.
 */
export function abortAfterGrace(
  signal: AbortSignal,
  graceMs: number,
): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    timer = setTimeout(() => controller.abort(signal.reason), graceMs);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      signal.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    },
  };
}
