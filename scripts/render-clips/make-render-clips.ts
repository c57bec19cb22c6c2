import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { sharedExecutable } from '../../src/adapters/local/binaries/media-binaries.js';
import { createLogger } from '../../src/logging/logger.js';
import { renderClipSpecs } from './clip-specs.js';
import { makeRenderClip } from './make-render-clip.js';

/**
 * `tsx scripts/render-clips/make-render-clips.ts [--dir bench/render/.clips]`: the render bench's
 * test clips.
 */
const { values } = parseArgs({
  options: { dir: { type: 'string', default: 'bench/render/.clips' } },
});
const logger = createLogger();
const ffmpeg = (await sharedExecutable('ffmpeg', logger)).path;
await mkdir(values.dir, { recursive: true });
for (const spec of renderClipSpecs) {
  const startedAt = performance.now();
  const clip = await makeRenderClip(ffmpeg, spec, values.dir);
  console.log(
    `${spec.name}: ${clip.video} (true masks ${clip.truth}) in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}
