import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageEditor } from '../image-editor.js';

export interface ImageEditorUnderTest {
  readonly editor: ImageEditor;
  /** A portrait to edit. */
  readonly imagePath: string;
  /** A prompt this provider refuses, where one is known to be refused reliably. */
  readonly refusedPrompt?: string;
  cleanup(): Promise<void>;
}

/** What every portrait editor promises the bot's character-editing screen. */
export function describeImageEditorContract(
  name: string,
  open: () => Promise<ImageEditorUnderTest>,
  skip: boolean | string = false,
): void {
  describe.skipIf(skip !== false)(
    `image editor contract: ${name}${typeof skip === 'string' ? ` (skipped: ${skip})` : ''}`,
    () => {
      let subject: ImageEditorUnderTest;
      let dir: string;

      beforeAll(async () => {
        subject = await open();
        dir = await mkdtemp(join(tmpdir(), 'image-editor-contract-'));
      });

      afterAll(async () => {
        await subject?.cleanup();
        if (dir) await rm(dir, { recursive: true, force: true });
      });

      it('says it is available and who it is', () => {
        expect(subject.editor.available).toBe(true);
        expect(subject.editor.provider).toMatch(/\S/);
      });

      it('writes an edited image, different from the original, to the requested path', async () => {
        const outputPath = join(dir, 'edited', 'output.png');
        const result = await subject.editor.edit({
          imagePath: subject.imagePath,
          prompt: 'Give her a warm sunset light',
          outputPath,
        });
        expect(result).toMatchObject({
          ok: true,
          path: outputPath,
          provider: subject.editor.provider,
        });
        if (result.ok && result.costUsd !== undefined) expect(result.costUsd).toBeGreaterThan(0);
        const edited = await sharp(outputPath).metadata();
        expect(edited.width).toBeGreaterThan(0);
        expect(edited.height).toBeGreaterThan(0);
        const [before, after] = await Promise.all([
          meanColour(subject.imagePath),
          meanColour(outputPath),
        ]);
        expect(
          Math.hypot(...before.map((value, index) => value - (after[index] ?? 0))),
        ).toBeGreaterThan(5);
      });

      it('answers a refused prompt with a content_policy outcome the user can read', async (context) => {
        if (!subject.refusedPrompt)
          return context.skip('no prompt is reliably refused by this provider');
        const result = await subject.editor.edit({
          imagePath: subject.imagePath,
          prompt: subject.refusedPrompt,
          outputPath: join(dir, 'refused.png'),
        });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.reason).toBe('content_policy');
        expect(result.message.length).toBeGreaterThan(10);
        expect(result.message).not.toMatch(/HTTP|422|detail|violation|fal/i);
      });

      it('stops when its signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort(new Error('user went away'));
        await expect(
          subject.editor.edit({
            imagePath: subject.imagePath,
            prompt: 'Anything',
            outputPath: join(dir, 'aborted.png'),
            signal: controller.signal,
          }),
        ).rejects.toThrow();
      });
    },
  );
}

async function meanColour(path: string): Promise<number[]> {
  const stats = await sharp(path).removeAlpha().stats();
  return stats.channels.map((channel) => channel.mean);
}
