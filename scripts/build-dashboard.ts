import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const dashboardSource = join(root, 'src', 'dashboard');
export const defaultDashboardOut = join(root, 'dist', 'dashboard');

/**
 * Builds the dashboard into `outDir`: the client bundled by esbuild (uPlot included), the static
 * pages and styles copied. No dev server: the HTTP server serves the result as static files.
 */
export async function buildDashboard(
  outDir = defaultDashboardOut,
): Promise<{ outDir: string; files: string[] }> {
  // Only the files this build owns: tsc's output under dist/ (dist/dashboard/client/…) stays.
  await mkdir(outDir, { recursive: true });
  for (const name of ['app.js', 'app.js.map']) await rm(join(outDir, name), { force: true });
  await build({
    entryPoints: [join(dashboardSource, 'client', 'main.js')],
    bundle: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: true,
    outfile: join(outDir, 'app.js'),
    logLevel: 'warning',
  });
  const staticDir = join(dashboardSource, 'static');
  for (const name of await readdir(staticDir))
    await copyFile(join(staticDir, name), join(outDir, name));
  await copyFile(
    join(root, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'),
    join(outDir, 'uplot.css'),
  );
  return { outDir, files: (await readdir(outDir)).sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outDir, files } = await buildDashboard(
    process.argv[2] ? resolve(process.argv[2]) : undefined,
  );
  console.log(`dashboard built in ${outDir}: ${files.join(', ')}`);
}
