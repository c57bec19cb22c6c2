import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burnedCaptionStyles } from '../adapters/local/captions/caption-styles.js';
import { previewPanel } from '../adapters/local/captions/caption-preview.js';
import { runBinary } from '../adapters/local/binaries/run-binary.js';
import {
  ffprobeJson,
  makePortrait,
  meanAbsDifference,
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../testing/media/media-fixtures.js';
import { FakeCatalog, MemoryFileStorage } from '../testing/bot/fakes.js';
import { CaptionPreviews, type CaptionPreviewText } from './caption-previews.js';

// The preview is judged from the image itself: three panels of the catalog portrait, each with
// its style's captions in the lower third, made once and then found in storage.

const text: CaptionPreviewText = {
  sampleWords: ['Fresh', 'coffee', 'every', 'morning'],
  labels: { classic: 'Classic', bold: 'Bold', boxed: 'Boxed' },
};

let tools: MediaTools;
let dir: string;
let storage: MemoryFileStorage;
const catalog = new FakeCatalog();

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('caption-previews');
  storage = new MemoryFileStorage();
  const portrait = await makePortrait(tools, join(dir, 'portrait.png'), {
    width: 540,
    height: 960,
  });
  for (const character of catalog.characterList)
    await storage.putFile(character.imageKey, portrait, 'image/png');
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('CaptionPreviews', () => {
  it('renders one image of every style side by side over a catalog portrait, captions in each lower third', async () => {
    const previews = new CaptionPreviews({
      storage,
      catalog,
      log: quietLogger,
      ffmpegPath: tools.ffmpeg,
    });
    const key = await previews.imageKey(text);
    expect(key).toMatch(/^catalog\/caption-previews\/[0-9a-f]{32}\.jpg$/);
    const path = join(dir, 'preview.jpg');
    await writeFile(path, storage.objects.get(key)!.bytes);
    const probed = await ffprobeJson(tools, path);
    const panelWidth = previewPanel.width + previewPanel.gap;
    expect(probed.streams[0]).toMatchObject({
      width: panelWidth * burnedCaptionStyles.length,
      height: previewPanel.height + previewPanel.gap,
    });

    // Each panel's lower third differs from the others (the styles look different), and every
    // panel's captions are there: compared with the same band of the plain portrait.
    // The captions' baseline sits 330 of 1920 units above the bottom: 83 % down each panel.
    const rows = 72;
    const { stdout: band } = await runBinary(tools.ffmpeg, [
      '-nostdin',
      '-v',
      'error',
      '-i',
      path,
      '-vf',
      `crop=iw:${rows}:0:${Math.round(previewPanel.height * 0.76)}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
    const rowBytes = panelWidth * burnedCaptionStyles.length * 3;
    const panels = burnedCaptionStyles.map((_, i) => {
      const pixels: number[] = [];
      for (let y = 0; y < rows; y++)
        for (let x = i * panelWidth * 3; x < (i + 1) * panelWidth * 3; x++)
          pixels.push(band[y * rowBytes + x]!);
      return Uint8Array.from(pixels);
    });
    expect(meanAbsDifference(panels[0]!, panels[1]!)).toBeGreaterThan(3);
    expect(meanAbsDifference(panels[1]!, panels[2]!)).toBeGreaterThan(3);
    expect(meanAbsDifference(panels[0]!, panels[2]!)).toBeGreaterThan(3);
  }, 120_000);

  it('is made once: a later instance finds it in storage, and other texts get their own image', async () => {
    const first = await new CaptionPreviews({
      storage,
      catalog,
      log: quietLogger,
      ffmpegPath: tools.ffmpeg,
    }).imageKey(text);
    const before = storage.objects.get(first)!.modifiedAt;
    // A bogus ffmpeg proves nothing is rendered again.
    const again = await new CaptionPreviews({
      storage,
      catalog,
      log: quietLogger,
      ffmpegPath: '/nonexistent/ffmpeg',
    }).imageKey(text);
    expect(again).toBe(first);
    expect(storage.objects.get(first)!.modifiedAt).toBe(before);
    const russian = {
      sampleWords: ['Свежий', 'кофе', 'каждое', 'утро'],
      labels: { classic: 'Классика', bold: 'Крупно', boxed: 'На плашке' },
    };
    const other = new CaptionPreviews({
      storage,
      catalog,
      log: quietLogger,
      ffmpegPath: tools.ffmpeg,
    });
    const [a, b] = await Promise.all([other.imageKey(russian), other.imageKey(russian)]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
  }, 120_000);
});
