import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { LocalPortraitRenderer } from '../../../adapters/local/talking-head/portrait-renderer.js';
import type { Logger } from '../../../logging/logger.js';

const extensions: Readonly<Record<string, string>> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'audio/mpeg': '.mp3',
  'audio/wav': '.wav',
  'audio/x-wav': '.wav',
  'audio/mp4': '.m4a',
  'audio/ogg': '.ogg',
};

/**
 * Fetches an input the way fal's runner does: by URL, failing if it is not reachable. Presigned
 * links have no file extension, so the saved file is named by the response's content type.
 */
export async function fetchInput(
  url: string,
  base: string,
): Promise<{ status: number; bytes: number; path: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) return { status: response.status, bytes: 0, path: '' };
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const path = `${base}${extensions[type] ?? /\.[a-z0-9]{2,4}$/i.exec(new URL(url).pathname)?.[0] ?? ''}`;
  const body = Buffer.from(await response.arrayBuffer());
  await writeFile(path, body);
  return { status: response.status, bytes: body.byteLength, path };
}

/**
 * OmniHuman's stand-in: the local portrait renderer (no lip-sync, but a real H.264/AAC MP4 of
 * the audio's length), so everything downstream handles a real file.
 */
export async function renderTalkingHead(
  logger: Logger,
  dir: string,
  imagePath: string,
  audioPath: string,
): Promise<{ path: string; durationSec: number }> {
  const renderer = new LocalPortraitRenderer({ logger, preset: 'ultrafast', levelBar: false });
  const result = await renderer.render({
    imagePath,
    audioPath,
    outputPath: join(dir, 'output.mp4'),
  });
  return { path: result.path, durationSec: result.durationSec };
}

/** nano-banana's stand-in: the portrait with a warm tint, so a test can tell it was edited. */
export async function editImage(
  dir: string,
  imagePath: string,
): Promise<{ path: string; width: number; height: number }> {
  const path = join(dir, 'edited.png');
  const info = await sharp(imagePath).tint({ r: 255, g: 170, b: 60 }).png().toFile(path);
  return { path, width: info.width, height: info.height };
}
