import type { TelegramEmulator, WebhookAttempt } from '../../src/dev/telegram-emulator/index.js';
import { runWizard } from './wizard-script.js';

/**
 * Keeps every webhook attempt the emulator makes. The emulator's own log holds only the last
 * 1000 attempts, so it is copied out often, keyed by update id and attempt number.
 */
export class WebhookAttemptRecorder {
  private readonly attempts = new Map<string, WebhookAttempt>();
  private readonly seen = new WeakSet<WebhookAttempt>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly emulator: TelegramEmulator,
    intervalMs = 50,
  ) {
    this.timer = setInterval(() => this.collect(), intervalMs);
  }

  collect(): void {
    // The log keeps the same objects, oldest first: walk back from the newest to the first one
    // seen.
    const log = this.emulator.webhookStats().attempts;
    for (let i = log.length - 1; i >= 0; i -= 1) {
      const attempt = log[i]!;
      if (this.seen.has(attempt)) break;
      this.seen.add(attempt);
      this.attempts.set(`${attempt.updateId}:${attempt.attempt}`, attempt);
    }
  }

  /**
   * The attempts for these updates; throws unless each was delivered on its first try with a 2xx.
   */
  latenciesOf(updateIds: readonly number[]): number[] {
    this.collect();
    const latencies: number[] = [];
    const problems: string[] = [];
    for (const id of updateIds) {
      const first = this.attempts.get(`${id}:1`);
      if (!first) problems.push(`update ${id}: no webhook attempt recorded`);
      else if (first.status === undefined || first.status < 200 || first.status >= 300)
        problems.push(`update ${id}: ${first.status ?? first.error}`);
      else if (this.attempts.has(`${id}:2`))
        problems.push(`update ${id}: delivered more than once`);
      else latencies.push(first.durationMs);
    }
    if (problems.length > 0)
      throw new Error(
        `webhook deliveries failed (${problems.length}): ${problems.slice(0, 5).join('; ')}`,
      );
    return latencies;
  }

  close(): void {
    clearInterval(this.timer);
  }
}

export interface CohortResult {
  readonly users: number;
  readonly updates: number;
  readonly elapsedMs: number;
  /** POST → answer of each update, as the emulator's webhook client measured it. */
  readonly latenciesMs: readonly number[];
  /** Bot API calls the bot made during the cohort (both subjects should make the same ones). */
  readonly botApiCalls: Readonly<Record<string, number>>;
  /** Bot API calls the emulator refused (a 400 here means a screen went wrong). */
  readonly failedBotApiCalls: number;
}

/**
 * `userIds.length` simulated users run the wizard at the same time, each waiting for a screen
 * before the next click (a closed loop: the offered load is what the bot can answer). The
 * emulator delivers their updates like Telegram: at most max_connections (40) requests in flight,
 * one at a time per chat.
 */
export async function runWizardCohort(
  emulator: TelegramEmulator,
  recorder: WebhookAttemptRecorder,
  userIds: readonly number[],
  script: string,
): Promise<CohortResult> {
  const users = userIds.map((id) =>
    emulator.user({ id, firstName: `Load${id}`, languageCode: 'en' }),
  );
  const startedAt = performance.now();
  const startedEpoch = Date.now();
  const settled = await Promise.allSettled(users.map((user) => runWizard(user, script)));
  const failures = settled.filter(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  );
  if (failures.length > 0) {
    const first = failures[0]!.reason as Error;
    throw new Error(
      `${failures.length} of ${users.length} simulated users did not get through the wizard; first: ${first.message.slice(0, 3000)}`,
    );
  }
  const ids = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  // The last screen is stored before its webhook request is answered: wait for the answers.
  const deadline = Date.now() + 30_000;
  while (emulator.webhookStats().inFlight > 0 || emulator.pendingUpdates().length > 0) {
    if (Date.now() > deadline)
      throw new Error('webhook deliveries still pending 30 s after the cohort finished');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const elapsedMs = performance.now() - startedAt;
  const calls = emulator.calls().filter((call) => call.at >= startedEpoch);
  const botApiCalls: Record<string, number> = {};
  for (const call of calls) botApiCalls[call.method] = (botApiCalls[call.method] ?? 0) + 1;
  return {
    users: users.length,
    updates: ids.length,
    elapsedMs,
    latenciesMs: recorder.latenciesOf(ids),
    botApiCalls,
    failedBotApiCalls: calls.filter((call) => !call.ok).length,
  };
}
