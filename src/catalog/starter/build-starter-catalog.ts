import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { sharedBinary, sharedExecutable } from '../../adapters/local/binaries/media-binaries.js';
import type { ResolvedBinary } from '../../adapters/local/binaries/resolved-binary.js';
import {
  createEspeakEngine,
  type EspeakEngine,
} from '../../adapters/local/speech/espeak-engine.js';
import { EspeakSpeechSynthesizer } from '../../adapters/local/speech/espeak-speech.js';
import { espeakVoices, type EspeakVoice } from '../../adapters/local/speech/espeak-voices.js';
import { FfmpegCompositor } from '../../adapters/local/compositor/ffmpeg-compositor.js';
import type { X264Preset } from '../../adapters/local/ffmpeg/ffmpeg-run.js';
import { FfprobeMediaProbe } from '../../adapters/local/probe/ffprobe-probe.js';
import { LocalPortraitRenderer } from '../../adapters/local/talking-head/portrait-renderer.js';
import type { Logger } from '../../logging/logger.js';
import { createLogger } from '../../logging/logger.js';
import { CatalogBuildError } from '../catalog-errors.js';
import {
  emptyManifest,
  manifestFileName,
  parseManifest,
  readManifest,
  writeManifest,
  type CatalogCharacterEntry,
  type CatalogExampleEntry,
  type CatalogManifest,
  type CatalogVoiceEntry,
} from '../catalog-manifest.js';
import { renderPortraitPng } from '../portraits/render-portrait.js';
import { BuildState, recipeHash } from './build-state.js';
import {
  exampleFileNames,
  renderBackgroundExample,
  renderTalkingHeadExample,
  starterExample,
  type ExampleSpec,
  type ExampleTools,
} from './example-videos.js';
import { mapLimit } from './map-limit.js';
import { starterCharacters, type StarterCharacter } from './starter-characters.js';
import { renderVoicePreview, voicePreviewText } from './voice-preview.js';

export interface BuildStarterCatalogOptions {
  /** Where the catalog lives, e.g. `./data/catalog`. */
  readonly catalogDir: string;
  readonly logger?: Logger;
  /** Redo everything, ignoring what the build state records as done. */
  readonly force?: boolean;
  /** The cast and voices to make; the starter set by default (tests pass fewer). */
  readonly characters?: readonly StarterCharacter[];
  readonly voices?: readonly EspeakVoice[];
  /** The example both format videos are made from; `false` makes none (tests). */
  readonly example?: ExampleSpec | false;
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
  readonly espeakBinary?: ResolvedBinary;
  /** x264 preset of the example videos (default veryfast, as the bot renders). */
  readonly preset?: X264Preset;
  /** Parallel image and audio jobs (default 2). */
  readonly concurrency?: number;
}

export interface CatalogBuildReport {
  readonly manifest: CatalogManifest;
  /** Catalog files made by this run. */
  readonly built: readonly string[];
  /** Catalog files that were already up to date. */
  readonly reused: readonly string[];
  readonly manifestChanged: boolean;
  readonly durationMs: number;
}

const videoInfoSchema = z.object({
  durationSec: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
const talkingHeadInfoSchema = videoInfoSchema.extend({
  words: z.array(z.object({ word: z.string(), start: z.number(), end: z.number() })),
});

/**
 * Makes the starter catalog: portraits, voice previews, one example per format, and the manifest.
 * Idempotent: each file is remade only when its recipe changed or the file was touched, so a
 * second run costs a few `stat`s and starts no external program. Characters and voices an
 * operator imported are kept as they are.
 */
export async function buildStarterCatalog(
  options: BuildStarterCatalogOptions,
): Promise<CatalogBuildReport> {
  const startedAt = performance.now();
  const dir = options.catalogDir;
  const logger = (options.logger ?? createLogger()).child({ component: 'catalog-build' });
  const characters = options.characters ?? starterCharacters;
  const voices = options.voices ?? espeakVoices;
  const example = options.example === undefined ? starterExample : options.example;
  const concurrency = options.concurrency ?? 2;
  const preset = options.preset ?? 'veryfast';
  await mkdir(dir, { recursive: true });
  const manifestPath = join(dir, manifestFileName);
  const existing = await readManifest(manifestPath);
  const previous = existing ?? emptyManifest();
  const state = await BuildState.load(dir);
  const built: string[] = [];
  const reused: string[] = [];
  const workDir = await mkdtemp(join(tmpdir(), 'catalog-build-'));
  const tools = lazyTools(options, logger, preset);

  // Remakes `file` unless it is fresh (and its record usable); returns what was recorded about it.
  const ensure = async (
    file: string,
    recipe: string,
    make: () => Promise<Record<string, unknown> | void>,
    usable: (info: Record<string, unknown>) => boolean = () => true,
  ): Promise<Record<string, unknown>> => {
    const recorded = options.force ? undefined : await state.fresh(file, recipe);
    if (recorded && usable(recorded)) {
      reused.push(file);
      return recorded;
    }
    const itemStartedAt = performance.now();
    const info = (await make()) ?? {};
    await state.record(file, recipe, info);
    built.push(file);
    logger.info(
      { file, durationMs: Math.round(performance.now() - itemStartedAt) },
      'catalog file built',
    );
    return info;
  };

  try {
    const starterWanted = previous.includeStarter;
    const portraitRecipe = (c: StarterCharacter) =>
      recipeHash({ kind: 'portrait', spec: c.portrait });
    const portraitFile = (id: string) => `characters/${id}.png`;
    const exampleCharacter = example
      ? (characters.find((c) => c.id === example.characterId) ??
        starterCharacters.find((c) => c.id === example.characterId))
      : undefined;
    if (example && !exampleCharacter)
      throw new CatalogBuildError('example', `unknown character ${example.characterId}`);
    const portraits = [
      ...(starterWanted ? characters : []),
      ...(exampleCharacter && (!starterWanted || !characters.includes(exampleCharacter))
        ? [exampleCharacter]
        : []),
    ];
    await mapLimit(portraits, concurrency, (character) =>
      ensure(portraitFile(character.id), portraitRecipe(character), async () => {
        try {
          await renderPortraitPng(character.portrait, join(dir, portraitFile(character.id)));
        } catch (error) {
          throw new CatalogBuildError(
            `character ${character.id}`,
            'could not render the portrait',
            { cause: error },
          );
        }
      }),
    );

    const voiceFile = (id: string) => `voices/${id}.ogg`;
    if (starterWanted) {
      await mapLimit(voices, concurrency, (voice) =>
        ensure(
          voiceFile(voice.id),
          recipeHash({
            kind: 'voice-preview',
            espeakVoice: voice.espeakVoice,
            text: voicePreviewText(voice),
          }),
          async () => {
            const { ffmpegPath, engine } = await tools.media();
            await renderVoicePreview({
              engine,
              ffmpegPath,
              voice,
              outputPath: join(dir, voiceFile(voice.id)),
              workDir,
            });
          },
        ),
      );
    }

    const exampleEntries: CatalogExampleEntry[] = [];
    if (example && exampleCharacter) {
      const voice =
        voices.find((v) => v.id === example.voiceId) ??
        espeakVoices.find((v) => v.id === example.voiceId);
      if (!voice) throw new CatalogBuildError('example', `unknown voice ${example.voiceId}`);
      const headFile = exampleFileNames.talking_head;
      // `lipSync`: examples made before the drawn characters spoke are made again.
      const headRecipe = recipeHash({
        kind: 'example-talking-head',
        text: example.text,
        portrait: portraitRecipe(exampleCharacter),
        espeakVoice: voice.espeakVoice,
        preset,
        lipSync: 1,
      });
      const head = talkingHeadInfoSchema.parse(
        await ensure(
          headFile,
          headRecipe,
          async () => {
            const result = await renderTalkingHeadExample(
              await tools.examples(),
              example,
              join(dir, portraitFile(exampleCharacter.id)),
              join(dir, headFile),
              workDir,
            );
            return {
              durationSec: result.durationSec,
              width: result.width,
              height: result.height,
              words: result.words,
            };
          },
          // The manifest needs the numbers and the background example the words.
          (recorded) => talkingHeadInfoSchema.safeParse(recorded).success,
        ),
      );
      const backgroundFile = exampleFileNames.background;
      const background = videoInfoSchema.parse(
        await ensure(
          backgroundFile,
          recipeHash({
            kind: 'example-background',
            head: headRecipe,
            shape: example.shape,
            preset,
          }),
          async () => {
            const result = await renderBackgroundExample(
              await tools.examples(),
              example,
              { ...head, path: join(dir, headFile) },
              join(dir, backgroundFile),
              workDir,
            );
            return { durationSec: result.durationSec, width: result.width, height: result.height };
          },
          (recorded) => videoInfoSchema.safeParse(recorded).success,
        ),
      );
      exampleEntries.push(
        {
          format: 'talking_head',
          videoFile: headFile,
          durationSec: head.durationSec,
          width: head.width,
          height: head.height,
        },
        { format: 'background', videoFile: backgroundFile, ...background },
      );
    }

    const starterCharacterEntries: CatalogCharacterEntry[] = starterWanted
      ? characters.map((c) => ({
          id: c.id,
          name: c.name,
          gender: c.gender,
          age: c.age,
          imageFile: portraitFile(c.id),
          origin: 'starter',
        }))
      : [];
    const starterVoiceEntries: CatalogVoiceEntry[] = starterWanted
      ? voices.map((v) => ({
          id: v.id,
          name: v.name,
          language: v.language,
          languages: [...v.languages],
          gender: v.gender,
          provider: v.provider,
          previewFile: voiceFile(v.id),
          origin: 'starter',
        }))
      : [];
    const manifest = parseManifest(
      {
        version: 1,
        includeStarter: previous.includeStarter,
        // Starter entries first, in the gallery's order; imported ones after, as imported.
        characters: [
          ...starterCharacterEntries,
          ...previous.characters.filter((c) => c.origin === 'imported'),
        ],
        voices: [...starterVoiceEntries, ...previous.voices.filter((v) => v.origin === 'imported')],
        examples: [
          ...exampleEntries,
          ...previous.examples.filter((e) => !exampleEntries.some((x) => x.format === e.format)),
        ],
      },
      manifestPath,
    );
    const manifestChanged = !existing || JSON.stringify(manifest) !== JSON.stringify(existing);
    if (manifestChanged) await writeManifest(manifestPath, manifest);

    const durationMs = Math.round(performance.now() - startedAt);
    logger.info(
      {
        built: built.length,
        reused: reused.length,
        characters: manifest.characters.length,
        voices: manifest.voices.length,
        examples: manifest.examples.length,
        durationMs,
      },
      built.length > 0 ? 'starter catalog built' : 'starter catalog up to date',
    );
    return { manifest, built, reused, manifestChanged, durationMs };
  } finally {
    // Keeps what was finished even when a later step failed, so a retry resumes from there.
    if (built.length > 0) await state.save();
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * External programs are resolved only when something has to be made: an up-to-date run starts none.
 */
function lazyTools(options: BuildStarterCatalogOptions, logger: Logger, preset: X264Preset) {
  // The media adapters log every render at info; in a catalog build that is noise.
  const quiet = logger.child({}, { level: logger.isLevelEnabled('debug') ? logger.level : 'warn' });
  let media:
    | Promise<{
        ffmpegPath: string;
        ffprobePath: string;
        espeak: ResolvedBinary;
        engine: EspeakEngine;
      }>
    | undefined;
  let examples: Promise<ExampleTools> | undefined;
  const resolveMedia = () =>
    (media ??= (async () => {
      const [ffmpegPath, ffprobePath, espeak] = await Promise.all([
        options.ffmpegPath ?? sharedExecutable('ffmpeg', logger).then((b) => b.path),
        options.ffprobePath ?? sharedExecutable('ffprobe', logger).then((b) => b.path),
        options.espeakBinary ?? sharedBinary('espeak-ng', logger),
      ]);
      return { ffmpegPath, ffprobePath, espeak, engine: createEspeakEngine(espeak) };
    })());
  return {
    media: resolveMedia,
    examples: () =>
      (examples ??= resolveMedia().then(({ ffmpegPath, ffprobePath, espeak }) => {
        const probe = new FfprobeMediaProbe({ ffprobePath, ffmpegPath, logger: quiet });
        return {
          ffmpegPath,
          logger,
          speech: new EspeakSpeechSynthesizer({ binary: espeak, logger: quiet }),
          renderer: new LocalPortraitRenderer({ ffmpegPath, probe, logger: quiet, preset }),
          compositor: new FfmpegCompositor({ ffmpegPath, probe, logger: quiet, preset }),
        };
      })),
  };
}
