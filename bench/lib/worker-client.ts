import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SubjectName } from './subject.js';
import type {
  WorkerArgs,
  WorkerOp,
  WorkerOps,
  WorkerReady,
  WorkerResponse,
} from './worker-protocol.js';

const workerPath = fileURLToPath(new URL('./subject-worker.ts', import.meta.url));

/**
 * The orchestrator's handle on one subject's process (see worker-protocol.ts for why processes).
 */
export class SubjectWorker {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: SubjectName,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (message: WorkerResponse | WorkerReady) => {
      if (!('id' in message)) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name} worker: ${message.error}`));
    });
    void this.exited.then((code) => {
      for (const waiter of this.pending.values())
        waiter.reject(new Error(`${name} worker exited (code ${code})`));
      this.pending.clear();
    });
  }

  /**
   * Forks the worker (with this process's tsx loader flags) and waits until its subject is open.
   */
  static async start(args: WorkerArgs): Promise<SubjectWorker> {
    // 'advanced' serialisation carries bigints and typed arrays across the channel.
    const child = fork(workerPath, [JSON.stringify(args)], {
      serialization: 'advanced',
      stdio: 'inherit',
    });
    const ready = await new Promise<WorkerReady>((resolve, reject) => {
      child.once('message', (message: WorkerReady) => resolve(message));
      child.once('exit', (code) =>
        reject(new Error(`${args.subject} worker exited during start (code ${code})`)),
      );
    });
    if (!ready.ready) throw new Error(`${args.subject} worker failed to open: ${ready.error}`);
    return new SubjectWorker(args.subject, child);
  }

  request<Op extends WorkerOp>(
    op: Op,
    args: WorkerOps[Op]['request'],
    timeoutMs = 300_000,
  ): Promise<WorkerOps[Op]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.child.kill('SIGKILL');
        reject(
          new Error(`${this.name} worker: ${op} took longer than ${timeoutMs} ms; worker killed`),
        );
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as WorkerOps[Op]['result']);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, op, args });
    });
  }

  /**
   * Closes the subject and waits for the process to end on its own; true when it did (all pools
   * and timers released), false when it had to be killed.
   */
  async stop(graceMs = 15_000): Promise<boolean> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return false;
    await this.request('close', {}, graceMs).catch(() => undefined);
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), graceMs).unref(),
    );
    const outcome = await Promise.race([this.exited, timer]);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      return false;
    }
    return outcome === 0;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
