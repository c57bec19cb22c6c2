import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The dashboard's browser code is JavaScript with JSDoc types, checked against the DOM library by
 * its own tsconfig (the server's has no DOM). `npm run typecheck` does not see it; this does.
 */
describe('dashboard client', () => {
  it('type-checks against the DOM library with tsconfig.dashboard.json', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await promisify(execFile)(
      process.execPath,
      [tsc, '-p', join(root, 'tsconfig.dashboard.json')],
      { cwd: root },
    ).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string }) => ({
        code: error.code ?? 1,
        output: error.stdout ?? '',
      }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
