import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { languageTagPattern } from '../domain/language/language-tags.js';
import { InvalidCatalogManifestError } from './catalog-errors.js';
import { photoFaceSchema } from './photo-face.js';

/**
 * Ids end up in events and in Telegram callback data (64 bytes in all), so they are short and
 * plain. Mixed case is allowed for cloud voice ids such as ElevenLabs'.
 */
export const catalogIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/,
    'ids are 1–48 of A-Z a-z 0-9 _ - and start with a letter or digit',
  );

/**
 * A file inside the catalog folder, `/`-separated. The same path, prefixed with `catalog/`, is
 * its storage key, so it obeys the storage key rules: no traversal, no dot-files.
 */
export const catalogFileSchema = z
  .string()
  .max(200)
  .regex(
    /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/,
    'a relative path of A-Z a-z 0-9 . _ - segments',
  );

export const catalogOriginSchema = z.enum(['starter', 'imported']);

export const catalogCharacterSchema = z.object({
  id: catalogIdSchema,
  name: z.string().trim().min(1).max(64),
  gender: z.enum(['male', 'female']),
  age: z.enum(['young', 'adult', 'senior']),
  imageFile: catalogFileSchema,
  origin: catalogOriginSchema.default('starter'),
  /** Of the imported original, to notice the same picture imported under another name. */
  sourceSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** An imported photo's face and lips, found when it was imported; absent when none was found. */
  face: photoFaceSchema.optional(),
});

export const catalogVoiceSchema = z.object({
  id: catalogIdSchema,
  name: z.string().trim().min(1).max(64),
  /** An ISO 639 code (`ru`, `cmn`…) or `multi`. */
  language: z.union([z.literal('multi'), z.string().regex(languageTagPattern)]),
  /** Every language it speaks, when more than `language` says (optional: added later). */
  languages: z.array(z.string().regex(languageTagPattern)).optional(),
  gender: z.enum(['male', 'female']),
  /** Which speech synthesizer speaks it (`espeak-ng`, `elevenlabs`). */
  provider: z.string().min(1).max(32),
  previewFile: catalogFileSchema.optional(),
  origin: catalogOriginSchema.default('starter'),
});

export const catalogExampleSchema = z.object({
  format: z.enum(['talking_head', 'background']),
  videoFile: catalogFileSchema,
  durationSec: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

export const catalogManifestSchema = z
  .object({
    version: z.literal(1),
    /** False once an operator chose to offer only their own characters and voices. */
    includeStarter: z.boolean().default(true),
    characters: z.array(catalogCharacterSchema),
    voices: z.array(catalogVoiceSchema),
    examples: z.array(catalogExampleSchema),
  })
  .superRefine((manifest, ctx) => {
    const duplicates = (values: readonly string[]) =>
      values.filter((value, index) => values.indexOf(value) !== index);
    for (const id of duplicates(manifest.characters.map((c) => c.id)))
      ctx.addIssue({
        code: 'custom',
        path: ['characters'],
        message: `duplicate character id ${id}`,
      });
    for (const id of duplicates(manifest.voices.map((v) => v.id)))
      ctx.addIssue({ code: 'custom', path: ['voices'], message: `duplicate voice id ${id}` });
    for (const format of duplicates(manifest.examples.map((e) => e.format)))
      ctx.addIssue({ code: 'custom', path: ['examples'], message: `two examples for ${format}` });
  });

export type CatalogManifest = z.infer<typeof catalogManifestSchema>;
export type CatalogCharacterEntry = z.infer<typeof catalogCharacterSchema>;
export type CatalogVoiceEntry = z.infer<typeof catalogVoiceSchema>;
export type CatalogExampleEntry = z.infer<typeof catalogExampleSchema>;

export const manifestFileName = 'catalog.json';

export function emptyManifest(): CatalogManifest {
  return { version: 1, includeStarter: true, characters: [], voices: [], examples: [] };
}

/** Every file the manifest refers to, relative to the catalog folder. */
export function manifestFiles(manifest: CatalogManifest): string[] {
  return [
    ...manifest.characters.map((c) => c.imageFile),
    ...manifest.voices.flatMap((v) => (v.previewFile ? [v.previewFile] : [])),
    ...manifest.examples.map((e) => e.videoFile),
  ];
}

export function parseManifest(json: unknown, path: string): CatalogManifest {
  const parsed = catalogManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidCatalogManifestError(
      path,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** The manifest at `path`, or undefined when there is none yet. */
export async function readManifest(path: string): Promise<CatalogManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidCatalogManifestError(path, ['not valid JSON'], { cause: error });
  }
  return parseManifest(json, path);
}

/** Validates, then replaces the file in one rename, so a reader never sees half a manifest. */
export async function writeManifest(path: string, manifest: CatalogManifest): Promise<void> {
  const valid = parseManifest(manifest, path);
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(valid, null, 2)}\n`);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}
