import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  colorDistance,
  ffprobeJson,
  makeColorClip,
  pixelAt,
  quietLogger,
  requireMediaTools,
  tempDir,
  type MediaTools,
} from '../../../testing/media/media-fixtures.js';
import { clipBox } from './edit-renderer.js';
import { startShotstackFake, type ShotstackFake } from './shotstack-fake.js';

let tools: MediaTools;
let fake: ShotstackFake;
let files: Server;
let filesUrl: string;
let dir: string;

beforeAll(async () => {
  tools = await requireMediaTools();
  dir = await tempDir('shotstack-fake');
  await makeColorClip(tools, join(dir, 'red.mp4'), {
    seconds: 1,
    color: 'red',
    width: 320,
    height: 240,
  });
  await writeFile(join(dir, 'captions.srt'), '1\n00:00:00,000 --> 00:00:00,800\nHello\n');
  files = createServer((req, res) => {
    const name = (req.url ?? '').slice(1);
    if (!['red.mp4', 'captions.srt'].includes(name)) return void res.writeHead(404).end();
    res.writeHead(200);
    createReadStream(join(dir, name)).pipe(res);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  fake = await startShotstackFake({
    apiKeys: { stage: 'sandbox-key', v1: 'prod-key' },
    logger: quietLogger,
  });
});
afterAll(async () => {
  await fake?.stop();
  await new Promise((resolve) => files?.close(resolve));
});

const edit = (overrides: Record<string, unknown> = {}) => ({
  timeline: {
    background: '#0000ff',
    tracks: [
      {
        clips: [
          { asset: { type: 'caption', src: `${filesUrl}/captions.srt` }, start: 0, length: 1 },
        ],
      },
      {
        clips: [
          {
            asset: { type: 'video', src: `${filesUrl}/red.mp4` },
            start: 0,
            length: 1,
            fit: 'none',
            position: 'topLeft',
          },
        ],
      },
    ],
  },
  output: { format: 'mp4', size: { width: 640, height: 480 }, fps: 25 },
  ...overrides,
});

const post = (path: string, body: unknown, key?: string) =>
  fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify(body),
  });

describe('startShotstackFake: the wire', () => {
  it('answers 403 {"message":"Forbidden"} without the key, or with the other stage’s key', async () => {
    for (const [path, key] of [
      ['/edit/v1/render', undefined],
      ['/edit/v1/render', 'sandbox-key'],
      ['/edit/stage/render', 'prod-key'],
    ] as const) {
      const response = await post(path, edit(), key);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: 'Forbidden' });
    }
  });

  it('refuses an invalid edit with a Shotstack-style 400 naming each problem, and renders nothing', async () => {
    const before = fake.renders.length;
    const bad = edit({ output: { format: 'mp4', size: { width: 641, height: 480 }, fps: 31 } });
    (bad.timeline.tracks[1]!.clips[0]!.asset as Record<string, unknown>).chromakey = {
      color: '#00ff00',
    };
    const response = await post('/edit/v1/render', bad, 'prod-key');
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      success: boolean;
      message: string;
      response: { error: string; details: Array<{ path: string }> };
    };
    expect(body).toMatchObject({ success: false, message: 'Bad Request' });
    const paths = body.response.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'output.size.width',
        'output.fps',
        'timeline.tracks.1.clips.0.asset',
      ]),
    );
    expect(body.response.error).toContain('output.size.width');
    expect((await post('/edit/v1/render', { timeline: { tracks: [] } }, 'prod-key')).status).toBe(
      400,
    );
    expect(fake.renders.length).toBe(before);
  });

  it('queues on the legacy route too, steps through every status one poll at a time, and serves a real MP4', async () => {
    const response = await post('/stage/render', edit(), 'sandbox-key');
    expect(response.status).toBe(201);
    const queued = (await response.json()) as {
      success: boolean;
      response: { id: string; message: string };
    };
    expect(queued.response.message).toBe('Render Successfully Queued');
    expect(queued.response.id).toMatch(/^[0-9a-f-]{36}$/);
    const seen: string[] = [];
    let url: string | undefined;
    for (let i = 0; i < 400 && !url; i++) {
      const poll = await fetch(`${fake.url}/edit/stage/render/${queued.response.id}?data=false`, {
        headers: { 'x-api-key': 'sandbox-key' },
      });
      const body = (await poll.json()) as {
        response: { status: string; url?: string; error?: string };
      };
      if (seen.at(-1) !== body.response.status) seen.push(body.response.status);
      expect(body.response.status).not.toBe('failed');
      url = body.response.url;
      if (!url) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // The edit has a video asset, so Shotstack preprocesses it (the OAS status list,
    // specs/shotstack).
    expect(seen).toEqual(['queued', 'fetching', 'preprocessing', 'rendering', 'saving', 'done']);
    const video = await fetch(url!);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const path = join(dir, 'rendered.mp4');
    await writeFile(path, Buffer.from(await video.arrayBuffer()));
    const probed = await ffprobeJson(tools, path);
    expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: 640,
      height: 480,
    });
    expect(Number(probed.format.duration)).toBeCloseTo(1, 1);
    // fit none + topLeft: the 320×240 red clip sits in the top-left quarter on the blue timeline
    // background.
    expect(colorDistance(await pixelAt(tools, path, 0.5, 100, 100), 'FF0000')).toBeLessThan(80);
    expect(colorDistance(await pixelAt(tools, path, 0.5, 500, 300), '0000FF')).toBeLessThan(80);
    expect(fake.renders.at(-1)).toMatchObject({ stage: 'stage', status: 'done' });
  });

  it('answers 404 for a render id it does not know', async () => {
    const response = await fetch(
      `${fake.url}/edit/v1/render/00000000-0000-0000-0000-000000000000`,
      { headers: { 'x-api-key': 'prod-key' } },
    );
    expect(response.status).toBe(404);
  });
});

describe('clipBox: Shotstack placement rules', () => {
  const frame = { width: 540, height: 960 };
  it('contain fits inside the viewport, then scale multiplies, centred, offset moves right and up', () => {
    expect(
      clipBox(
        { fit: 'contain', scale: 0.5, position: 'center', offset: { x: 0.1, y: 0.25 } },
        frame,
        1080,
        1920,
      ),
    ).toMatchObject({
      width: 540,
      height: 960,
      x: 270 + 108,
      y: 480 - 480,
    });
  });
  it('crop (the default) fills the viewport and crops the overflow; cover stretches; none keeps pixels', () => {
    expect(clipBox({}, { width: 1920, height: 1080 }, 1080, 1920)).toMatchObject({
      width: 1080,
      height: 1920,
      x: 0,
      y: 0,
    });
    expect(clipBox({ fit: 'cover' }, { width: 1920, height: 1080 }, 1080, 1920)).toMatchObject({
      width: 1080,
      height: 1920,
    });
    expect(
      clipBox({ fit: 'none', position: 'bottomRight' }, { width: 320, height: 240 }, 1080, 1920),
    ).toMatchObject({ width: 320, height: 240, x: 760, y: 1680 });
  });
});
