import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  SubjectArgs,
  SubjectKind,
  SubjectQueries,
  SubjectReady,
  SubjectStopped,
} from './subject-protocol.js';

const workerPath = fileURLToPath(new URL('./subject-worker.ts', import.meta.url));

/** The orchestrator's handle on one subject process. */
export class SubjectProcess {
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly kind: SubjectKind,
    readonly webhookUrl: string,
    private readonly child: ChildProcess,
  ) {
    this.exited =
      child.exitCode !== null
        ? Promise.resolve(child.exitCode)
        : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Forks the worker (with this process's tsx loader) and waits until its webhook is set. */
  static async start(args: SubjectArgs, startTimeoutMs = 180_000): Promise<SubjectProcess> {
    const child = fork(workerPath, [JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<SubjectReady>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${args.kind} did not start within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
      child.once('message', (message: SubjectReady) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${args.kind} exited during start (code ${code})`));
      });
    });
    if (!ready.ready) throw new Error(`${args.kind} failed to start: ${ready.error}`);
    return new SubjectProcess(args.kind, ready.webhookUrl, child);
  }

  /** Stops the subject; true when it shut down and exited on its own within the grace period. */
  async stop(graceMs = 30_000): Promise<{ clean: boolean; error?: string }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return { clean: false, error: 'already exited' };
    const stopped = new Promise<SubjectStopped>((resolve) =>
      this.child.on(
        'message',
        (message: SubjectStopped) => 'stopped' in message && resolve(message),
      ),
    );
    this.child.send({ op: 'stop' });
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), graceMs).unref(),
    );
    const reply = await Promise.race([stopped, timer]);
    const exit = await Promise.race([this.exited, timer]);
    if (reply === 'timeout' || exit === 'timeout') {
      this.kill();
      return { clean: false, error: `${this.kind} did not stop within ${graceMs} ms; killed` };
    }
    return { clean: exit === 0 && !reply.error, ...(reply.error ? { error: reply.error } : {}) };
  }

  /** Statements the subject has sent to PostgreSQL so far. */
  async queries(timeoutMs = 10_000): Promise<SubjectQueries> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: SubjectQueries) => {
        if (!('queries' in message)) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error(`${this.kind} did not report its queries within ${timeoutMs} ms`));
      }, timeoutMs);
      this.child.on('message', onMessage);
      this.child.send({ op: 'queries' });
    });
  }

  /** The subject's pid, for CPU accounting. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
