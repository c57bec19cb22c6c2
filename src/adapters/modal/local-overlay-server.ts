import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The Python service's folder; the same relative place from src/ and from dist/. */
export const overlayServiceDir = fileURLToPath(new URL('../../../modal', import.meta.url));

/** Debian's python3 carries opencv/fastapi/uvicorn; a pyenv `python3` on PATH does not. */
export const defaultPython = process.env.OVERLAY_PYTHON ?? '/usr/bin/python3';

export interface LocalOverlayServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** Why the local overlay service cannot run here (no python3, or it lacks cv2/fastapi/uvicorn). */
export function overlayServiceUnavailable(python = defaultPython): string | undefined {
  const probe = spawnSync(python, ['-c', 'import cv2, numpy, fastapi, uvicorn'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.error) return `${python} cannot run: ${probe.error.message}`;
  if (probe.status !== 0)
    return `${python} lacks opencv/numpy/fastapi/uvicorn (apt-get install python3-opencv python3-numpy python3-fastapi python3-uvicorn): ${probe.stderr.trim().split('\n').at(-1) ?? ''}`;
  return undefined;
}

/**
 * Runs `modal/`'s job API on CPU with uvicorn on a free loopback port, for tests and local
 * development without a Modal account.
 */
export async function startLocalOverlayServer(
  options: { token?: string; workDir?: string; python?: string; env?: Record<string, string> } = {},
): Promise<LocalOverlayServer> {
  const port = await freePort();
  const child = spawn(
    options.python ?? defaultPython,
    [
      '-m',
      'uvicorn',
      'ugc_overlay.web:create_app',
      '--factory',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warning',
    ],
    {
      cwd: overlayServiceDir,
      env: {
        ...process.env,
        OVERLAY_TOKEN: options.token ?? '',
        ...(options.workDir ? { OVERLAY_WORK_DIR: options.workDir } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Without a listener, a python that cannot start (ENOENT) is an uncaught exception that ends the
  // whole test run; and such a child never emits 'exit'.
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      keep(Buffer.from(`\n${error.message}`));
      if (child.pid === undefined) resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const server: LocalOverlayServer = {
    url,
    process: child,
    output: () => printed,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || spawnError)
      throw new Error(
        `the overlay service exited with ${child.exitCode ?? spawnError?.message}: ${printed}`,
      );
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error(`the overlay service did not answer on ${url} within 30 s: ${printed}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
