import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EspeakEngine } from '../../adapters/local/speech/espeak-engine.js';
import { previewTextFor, type EspeakVoice } from '../../adapters/local/speech/espeak-voices.js';
import { runFfmpeg } from '../../adapters/local/ffmpeg/ffmpeg-run.js';
import { escapeSsml } from '../../adapters/local/speech/speech-words.js';
import { CatalogBuildError } from '../catalog-errors.js';
import { writeFileAtomically } from '../write-file-atomically.js';

export interface VoicePreviewRequest {
  readonly engine: EspeakEngine;
  readonly ffmpegPath: string;
  readonly voice: EspeakVoice;
  readonly outputPath: string;
  /** Where the intermediate WAV goes. */
  readonly workDir: string;
}

export function voicePreviewText(voice: Pick<EspeakVoice, 'language'>): string {
  return previewTextFor(voice.language);
}

/**
 * The gallery's sample of a voice: a sentence in its language as OGG/Opus, which Telegram plays
 * inline as a voice message and which is a tenth of the WAV's size. The engine is called
 * directly: a preview needs no word timings, which would cost the speech adapter a second pass.
 */
export async function renderVoicePreview(request: VoicePreviewRequest): Promise<void> {
  const wav = join(request.workDir, `${request.voice.id}.wav`);
  try {
    await writeFile(
      wav,
      await request.engine.synthesize(
        request.voice.espeakVoice,
        `<speak>${escapeSsml(voicePreviewText(request.voice))}</speak>`,
      ),
    );
    await writeFileAtomically(request.outputPath, (temporary) =>
      runFfmpeg(request.ffmpegPath, 'voice-preview', [
        '-i',
        wav,
        '-ac',
        '1',
        '-ar',
        '48000',
        '-c:a',
        'libopus',
        '-b:a',
        '32k',
        '-application',
        'voip',
        '-f',
        'ogg',
        '-y',
        temporary,
      ]),
    );
  } catch (error) {
    throw new CatalogBuildError(`voice ${request.voice.id}`, 'could not make the preview clip', {
      cause: error,
    });
  } finally {
    await rm(wav, { force: true });
  }
}
