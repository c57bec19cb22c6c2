/**
 * Child-process entry: opens one subject and serves the orchestrator's requests over IPC, one at
 * a time. Exits by itself once the subject is closed and the channel is gone, which proves that
 * every pool and timer was released.
 */
import { preload, runAppendCell } from './append-workload.js';
import { EmmettSubject } from './emmett-subject.js';
import { OursSubject } from './ours-subject.js';
import type { WorkerArgs, WorkerReady, WorkerRequest, WorkerResponse } from './worker-protocol.js';

const send = (message: WorkerResponse | WorkerReady) =>
  new Promise<void>((resolve) => {
    if (!process.send) throw new Error('subject-worker.ts must be started with an IPC channel');
    process.send(message, undefined, undefined, () => resolve());
  });

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
  let subject: OursSubject | EmmettSubject;
  try {
    subject =
      args.subject === 'ours'
        ? await OursSubject.open(args.connectionString, args.maxConnections)
        : await EmmettSubject.open(args.connectionString, args.maxConnections);
  } catch (error) {
    await send({ ready: false, error: describe(error) });
    process.disconnect();
    return;
  }

  const handle = async (request: WorkerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'append-cell':
        if (request.args.raw && !(subject instanceof OursSubject))
          throw new Error('the raw-INSERT baseline runs in our worker');
        return runAppendCell(
          request.args.raw && subject instanceof OursSubject ? subject.rawInsert : subject,
          request.args.cell,
        );
      case 'preload':
        return preload(subject, request.args);
      case 'catch-up':
        return subject.catchUp(request.args);
      case 'delivery-check':
        return subject.deliveryCheck(request.args.batchSize);
      case 'reset':
        await subject.reset();
        return null;
      case 'vacuum':
        await subject.vacuum();
        return null;
      case 'storage-bytes':
        return subject.storageBytes();
      case 'close':
        await subject.close();
        return null;
    }
  };

  // Requests are serialised: a timed cell never shares the process with another one.
  let queue = Promise.resolve();
  process.on('message', (request: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        await send({ id: request.id, ok: true, result: await handle(request) });
      } catch (error) {
        await send({ id: request.id, ok: false, error: describe(error) });
      }
      if (request.op === 'close') process.disconnect();
    });
  });
  await send({ ready: true });
}

void main();
