import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { BinaryNotFoundError } from '../../adapters/local/binaries/binary-errors.js';
import { espeakProvider, espeakVoices } from '../../adapters/local/speech/espeak-voices.js';
import { FfprobeMediaProbe } from '../../adapters/local/probe/ffprobe-probe.js';
import { FaceLandmarks } from '../../adapters/local/photo-mouth/face-landmarks.js';
import type { Logger } from '../../logging/logger.js';
import { createLogger } from '../../logging/logger.js';
import { CatalogImportError } from '../catalog-errors.js';
import {
  catalogIdSchema,
  emptyManifest,
  manifestFileName,
  readManifest,
  writeManifest,
  type CatalogCharacterEntry,
  type CatalogManifest,
  type CatalogVoiceEntry,
} from '../catalog-manifest.js';
import type { PhotoFace } from '../photo-face.js';
import { writeFileAtomically } from '../write-file-atomically.js';
import { displayNameFromFile, importedCharacterId } from './import-naming.js';
import { expectedLayout, readImportLayout, type CharacterFile } from './import-layout.js';

export interface ImportCatalogOptions {
  /** The operator's folder (see `expectedLayout`). */
  readonly folder: string;
  /** The catalog to merge into, e.g. `./data/catalog`. */
  readonly catalogDir: string;
  readonly logger?: Logger;
  /** Check everything and report, but write nothing. */
  readonly dryRun?: boolean;
  /**
   * From now on offer only imported characters and voices (the starter ones leave the galleries).
   */
  readonly replaceStarter?: boolean;
  /** Shorter image sides are refused: they look blurry at 1080×1920. Default 512. */
  readonly minImageSide?: number;
  readonly ffprobePath?: string;
  /**
   * Finds the face and lips of each imported picture, so the local talking head can move that
   * mouth; default: face-api's models on the CPU, loaded on first use. `false`: look for none.
   */
  readonly faceLocator?: FaceLocator | (() => Promise<FaceLocator>) | false;
}

/** Where the face is in an RGB24 picture (see `FaceLandmarks`). */
export interface FaceLocator {
  locate(
    rgb: Uint8Array,
    width: number,
    height: number,
    imageSha256: string,
  ): Promise<PhotoFace | undefined>;
}

/** Which imported pictures got a located mouth (their talking heads move it) and which did not. */
export interface FaceReport {
  readonly found: readonly string[];
  readonly notFound: readonly string[];
  /** Set when no face could be looked for at all (the optional packages are missing). */
  readonly unavailable?: string;
}

export interface ImportTally {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

export interface CatalogImportReport {
  readonly characters: ImportTally;
  readonly voices: ImportTally;
  readonly warnings: readonly string[];
  readonly manifest: CatalogManifest;
  readonly dryRun: boolean;
  readonly faces: FaceReport;
}

/** One `voices/*.json` file. `preview` names an audio file next to it. */
export const importedVoiceSchema = z.strictObject({
  id: catalogIdSchema,
  name: z.string().trim().min(1).max(64),
  language: z.enum(['ru', 'en', 'multi']),
  gender: z.enum(['male', 'female']),
  provider: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, 'a provider name such as espeak-ng or elevenlabs'),
  preview: z
    .string()
    .regex(/^[^/\\]+$/, 'a file name in the voices folder')
    .optional(),
});

const previewExtensions = new Set(['.ogg', '.oga', '.opus', '.mp3', '.m4a', '.wav']);
const maxPreviewSec = 60;
// Transparent PNGs (cut-out people) are laid on the starter catalog's plain backdrop, which the
// local cut-out compositor keys out again; black, ffmpeg's default for alpha, would not key well.
const importBackdrop = '#9cc8f2';

interface PlannedCharacter {
  entry: CatalogCharacterEntry;
  readonly source: CharacterFile;
  readonly input: Buffer;
  readonly format: 'png' | 'jpeg';
  /** The picture as the catalog stores it; `kept` when the stored file is already these bytes. */
  stored?: { readonly bytes: Buffer; readonly kept: boolean };
}

interface PlannedVoice {
  readonly entry: CatalogVoiceEntry;
  readonly previewSource?: string;
}

/**
 * `npm run catalog:import -- <folder>`: validates an operator's characters and voices, then
 * merges them into the catalog. Nothing is written unless the whole folder is valid; ids are
 * derived from the files, so importing the same folder twice changes nothing, and a changed
 * picture under the same name replaces the old one.
 */
export async function importCatalogFolder(
  options: ImportCatalogOptions,
): Promise<CatalogImportReport> {
  const logger = (options.logger ?? createLogger()).child({ component: 'catalog-import' });
  const folder = options.folder;
  const minSide = options.minImageSide ?? 512;
  const folderInfo = await stat(folder).catch(() => undefined);
  if (!folderInfo?.isDirectory())
    throw new CatalogImportError(folder, [`${folder} is not a folder`], expectedLayout);

  const layout = await readImportLayout(folder);
  const problems = [...layout.problems];
  const warnings = [...layout.warnings];
  const manifestPath = join(options.catalogDir, manifestFileName);
  const current = (await readManifest(manifestPath)) ?? emptyManifest();

  // ---- characters: read and check every image before anything is written
  const plannedCharacters: PlannedCharacter[] = [];
  const seenIds = new Map<string, string>();
  for (const file of layout.characters) {
    const stem = basename(file.path, extname(file.path));
    const id = importedCharacterId(file.gender, file.age, stem);
    const clash = seenIds.get(id);
    if (clash) {
      problems.push(`${file.shown}: has the same id (${id}) as ${clash}; rename one of them`);
      continue;
    }
    seenIds.set(id, file.shown);
    const input = await readFile(file.path);
    let metadata: sharp.Metadata;
    try {
      metadata = await sharp(input).metadata();
    } catch (error) {
      problems.push(`${file.shown}: not a readable image (${(error as Error).message})`);
      continue;
    }
    if (metadata.format !== 'png' && metadata.format !== 'jpeg') {
      problems.push(
        `${file.shown}: is ${metadata.format ?? 'an unknown format'} inside, not PNG or JPEG`,
      );
      continue;
    }
    const width = metadata.autoOrient?.width ?? metadata.width ?? 0;
    const height = metadata.autoOrient?.height ?? metadata.height ?? 0;
    if (Math.min(width, height) < minSide) {
      problems.push(
        `${file.shown}: ${width}×${height} is too small (the shorter side must be at least ${minSide} px)`,
      );
      continue;
    }
    if (width >= height)
      warnings.push(
        `${file.shown}: ${width}×${height} is not portrait; videos are 9:16, a tall photo looks best`,
      );
    const transparent = metadata.hasAlpha && !(await sharp(input).stats()).isOpaque;
    if (transparent)
      warnings.push(
        `${file.shown}: transparent areas are filled with the plain backdrop ${importBackdrop}`,
      );
    const sourceSha256 = createHash('sha256').update(input).digest('hex');
    const twin = current.characters.find((c) => c.sourceSha256 === sourceSha256 && c.id !== id);
    if (twin) {
      warnings.push(`${file.shown}: skipped, the same picture is already imported as ${twin.id}`);
      continue;
    }
    const extension = metadata.format === 'png' ? 'png' : 'jpg';
    plannedCharacters.push({
      source: file,
      input,
      format: metadata.format,
      entry: {
        id,
        name: displayNameFromFile(stem),
        gender: file.gender,
        age: file.age,
        imageFile: `characters/imported/${id}.${extension}`,
        origin: 'imported',
        sourceSha256,
      },
    });
  }

  // ---- voices
  const plannedVoices: PlannedVoice[] = [];
  const starterVoiceIds = new Set([
    ...espeakVoices.map((v) => v.id),
    ...current.voices.filter((v) => v.origin === 'starter').map((v) => v.id),
  ]);
  const voiceIds = new Map<string, string>();
  let probe: FfprobeMediaProbe | undefined = new FfprobeMediaProbe({
    ffprobePath: options.ffprobePath,
    logger: logger.child({}, { level: 'warn' }),
  });
  for (const name of layout.voiceFiles) {
    const shown = `voices/${name}`;
    let json: unknown;
    try {
      json = JSON.parse(await readFile(join(layout.voicesDir!, name), 'utf8'));
    } catch (error) {
      problems.push(`${shown}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = importedVoiceSchema.safeParse(json);
    if (!parsed.success) {
      problems.push(
        ...parsed.error.issues.map(
          (issue) => `${shown}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        ),
      );
      continue;
    }
    const voice = parsed.data;
    if (starterVoiceIds.has(voice.id)) {
      problems.push(`${shown}: id ${voice.id} belongs to a starter voice; choose another id`);
      continue;
    }
    const clash = voiceIds.get(voice.id);
    if (clash) {
      problems.push(`${shown}: id ${voice.id} is also used by ${clash}`);
      continue;
    }
    voiceIds.set(voice.id, shown);
    if (voice.provider === espeakProvider)
      warnings.push(
        `${shown}: the local espeak-ng adapter speaks only its built-in voices; ${voice.id} will fail to synthesize`,
      );

    let previewSource: string | undefined;
    let previewFile: string | undefined;
    if (voice.preview) {
      const extension = extname(voice.preview).toLowerCase();
      previewSource = join(layout.voicesDir!, voice.preview);
      if (!previewExtensions.has(extension)) {
        problems.push(
          `${shown}: preview ${voice.preview} must be one of ${[...previewExtensions].join(', ')}`,
        );
        continue;
      }
      if (
        !(await stat(previewSource).then(
          (s) => s.isFile(),
          () => false,
        ))
      ) {
        problems.push(`${shown}: preview ${voice.preview} is not in the voices folder`);
        continue;
      }
      if (probe) {
        try {
          const info = await probe.probe(previewSource);
          if (!info.audio) problems.push(`${shown}: preview ${voice.preview} has no audio`);
          else if (info.durationSec > maxPreviewSec)
            problems.push(
              `${shown}: preview ${voice.preview} is ${info.durationSec.toFixed(0)} s long; keep it under ${maxPreviewSec} s`,
            );
        } catch (error) {
          if (error instanceof BinaryNotFoundError) {
            warnings.push('ffprobe is not available: preview audio was not checked');
            probe = undefined;
          } else {
            problems.push(`${shown}: preview ${voice.preview} is not playable audio`);
          }
        }
      }
      previewFile = `voices/imported/${voice.id}${extension === '.oga' || extension === '.opus' ? '.ogg' : extension}`;
    } else {
      warnings.push(`${shown}: no preview; the gallery will offer ${voice.id} without a sample`);
    }
    plannedVoices.push({
      previewSource,
      entry: {
        id: voice.id,
        name: voice.name,
        language: voice.language,
        gender: voice.gender,
        provider: voice.provider,
        ...(previewFile ? { previewFile } : {}),
        origin: 'imported',
      },
    });
  }

  if (problems.length > 0) throw new CatalogImportError(folder, problems, expectedLayout);
  if (plannedCharacters.length === 0 && plannedVoices.length === 0)
    throw new CatalogImportError(
      folder,
      ['found no characters and no voices to import'],
      expectedLayout,
    );

  // ---- faces: found in the picture as stored, whose bytes the renderer will be handed
  const faces = await locateFaces(plannedCharacters, current, options, logger);

  // ---- merge
  const characterTally = tally(
    current.characters,
    plannedCharacters.map((p) => p.entry),
  );
  const voiceTally = tally(
    current.voices,
    plannedVoices.map((p) => p.entry),
  );
  const includeStarter = options.replaceStarter ? false : current.includeStarter;
  const manifest: CatalogManifest = {
    ...current,
    includeStarter,
    characters: merge(
      current.characters,
      plannedCharacters.map((p) => p.entry),
      includeStarter,
    ),
    voices: merge(
      current.voices,
      plannedVoices.map((p) => p.entry),
      includeStarter,
    ),
  };

  if (!options.dryRun) {
    await mkdir(options.catalogDir, { recursive: true });
    for (const planned of plannedCharacters) {
      const previous = current.characters.find((c) => c.id === planned.entry.id);
      const target = join(options.catalogDir, planned.entry.imageFile);
      const stored = planned.stored ?? (await storedPicture(planned, current, options.catalogDir));
      if (stored.kept) continue;
      await writeFileAtomically(target, (temporary) => writeFile(temporary, stored.bytes));
      if (previous && previous.imageFile !== planned.entry.imageFile)
        await rm(join(options.catalogDir, previous.imageFile), { force: true });
    }
    for (const planned of plannedVoices) {
      if (planned.previewSource && planned.entry.previewFile) {
        await writeFileAtomically(
          join(options.catalogDir, planned.entry.previewFile),
          (temporary) => copyFile(planned.previewSource!, temporary),
        );
      }
    }
    await writeManifest(manifestPath, manifest);
  }
  logger.info(
    {
      folder,
      dryRun: options.dryRun ?? false,
      characters: characterTally,
      voices: voiceTally,
      warnings: warnings.length,
    },
    options.dryRun ? 'catalog import checked (dry run)' : 'catalog imported',
  );
  return {
    characters: characterTally,
    voices: voiceTally,
    warnings,
    manifest,
    dryRun: options.dryRun ?? false,
    faces,
  };
}

/**
 * The picture as the catalog will store it: the stored file itself when it came from the same
 * original (so an unchanged picture keeps its bytes, and its landmarks stay valid), else the
 * newly normalised image.
 */
async function storedPicture(
  planned: PlannedCharacter,
  current: CatalogManifest,
  catalogDir: string,
): Promise<{ bytes: Buffer; kept: boolean }> {
  const previous = current.characters.find((c) => c.id === planned.entry.id);
  const same =
    previous !== undefined &&
    previous.sourceSha256 === planned.entry.sourceSha256 &&
    previous.imageFile === planned.entry.imageFile;
  const existing = same
    ? await readFile(join(catalogDir, planned.entry.imageFile)).catch(() => undefined)
    : undefined;
  if (existing) return { bytes: existing, kept: true };
  return { bytes: await normalisedImage(planned).toBuffer(), kept: false };
}

/**
 * Looks for the face in every planned picture (as stored) and records it in its entry. A picture
 * whose stored bytes already have landmarks keeps them. The model loads once, on first need;
 * without its packages nothing is located and the report says why.
 */
async function locateFaces(
  planned: PlannedCharacter[],
  current: CatalogManifest,
  options: ImportCatalogOptions,
  logger: Logger,
): Promise<FaceReport> {
  const found: string[] = [];
  const notFound: string[] = [];
  if (options.faceLocator === false || planned.length === 0) return { found, notFound };
  let locator: FaceLocator | undefined;
  for (const character of planned) {
    character.stored = await storedPicture(character, current, options.catalogDir);
    const imageSha256 = createHash('sha256').update(character.stored.bytes).digest('hex');
    const previous = current.characters.find((c) => c.id === character.entry.id);
    let face = previous?.face?.imageSha256 === imageSha256 ? previous.face : undefined;
    if (!face) {
      try {
        locator ??=
          typeof options.faceLocator === 'function'
            ? await options.faceLocator()
            : (options.faceLocator ?? (await FaceLandmarks.load()));
      } catch (error) {
        logger.warn(
          { err: error },
          'face landmarks are not available; imported photos will not move their mouths',
        );
        const unlocated = planned
          .map((p) => p.source.shown)
          .filter((shown) => !found.includes(shown));
        return { found, notFound: unlocated, unavailable: (error as Error).message };
      }
      const { data, info } = await sharp(character.stored.bytes)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const startedAt = performance.now();
      face = await locator.locate(new Uint8Array(data), info.width, info.height, imageSha256);
      logger.info(
        {
          picture: character.source.shown,
          face: face !== undefined,
          elapsedMs: Math.round(performance.now() - startedAt),
        },
        'face landmarks',
      );
    }
    if (face) {
      character.entry = { ...character.entry, face };
      found.push(character.source.shown);
    } else {
      notFound.push(character.source.shown);
    }
  }
  return { found, notFound };
}

/**
 * Upright (EXIF orientation applied, since ffmpeg ignores it), at most 1080×1920, metadata such
 * as GPS positions stripped, transparency flattened onto a plain backdrop.
 */
function normalisedImage(planned: PlannedCharacter): sharp.Sharp {
  const image = sharp(planned.input)
    .rotate()
    .resize({ width: 1080, height: 1920, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: importBackdrop });
  return planned.format === 'png' ? image.png() : image.jpeg({ quality: 90, mozjpeg: true });
}

function tally<T extends { id: string }>(
  current: readonly T[],
  incoming: readonly T[],
): ImportTally {
  const added: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  for (const entry of incoming) {
    const existing = current.find((c) => c.id === entry.id);
    if (!existing) added.push(entry.id);
    else if (JSON.stringify(existing) === JSON.stringify(entry)) unchanged.push(entry.id);
    else updated.push(entry.id);
  }
  return { added, updated, unchanged };
}

/** Replaces entries with the same id in place (the gallery order stays), appends new ones. */
function merge<T extends { id: string; origin: 'starter' | 'imported' }>(
  current: readonly T[],
  incoming: readonly T[],
  includeStarter: boolean,
): T[] {
  const byId = new Map(incoming.map((entry) => [entry.id, entry]));
  const merged = current
    .filter((entry) => includeStarter || entry.origin !== 'starter')
    .map((entry) => byId.get(entry.id) ?? entry);
  const present = new Set(merged.map((entry) => entry.id));
  return [...merged, ...incoming.filter((entry) => !present.has(entry.id))];
}
