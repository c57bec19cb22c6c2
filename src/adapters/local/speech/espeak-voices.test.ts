import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { voiceSpeaks } from '../../../domain/language/voice-speaks.js';
import { installedNpmFallbacks } from '../binaries/npm-fallbacks.js';
import { resolveBinary } from '../binaries/resolve-binary.js';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { runBinary } from '../binaries/run-binary.js';
import { createEspeakEngine } from './espeak-engine.js';
import { espeakVoices, previewTextFor } from './espeak-voices.js';
import { parseWav } from './wav-file.js';

/**
 * Every voice of the gallery must be spoken by both eSpeak NG builds the service may run: the
 * system's program and the npm WebAssembly module. "Spoken" means real speech in the voice's own
 * language: eSpeak NG writes `(en)` into its phonemes when it switches to English, which is how it
 * names letters it cannot read ("Chinese letter") or tone numbers ("men five").
 */
const npmModule = installedNpmFallbacks.espeakNgModule();
const system = await resolveBinary('espeak-ng', { env: { PATH: process.env.PATH ?? '' } }).catch(
  () => undefined,
);
const systemBinary = system?.kind === 'executable' && system.source !== 'npm' ? system : undefined;

type Factory = (options: {
  arguments: string[];
  print: (line: string) => void;
  printErr: (line: string) => void;
}) => Promise<unknown>;

async function phonemes(
  binary: ResolvedBinary,
  espeakVoice: string,
  text: string,
): Promise<string> {
  const args = ['-q', '-x', '-v', espeakVoice, text];
  if (binary.kind === 'executable')
    return (await runBinary(binary.path, args, { timeoutMs: 30_000 })).stdout.toString('utf8');
  const factory = ((await import(pathToFileURL(binary.modulePath).href)) as { default: Factory })
    .default;
  const lines: string[] = [];
  await factory({ arguments: args, print: (line) => lines.push(line), printErr: () => undefined });
  return lines.join('\n');
}

const builds: [string, ResolvedBinary | undefined][] = [
  ['system espeak-ng', systemBinary],
  [
    'npm WebAssembly espeak-ng',
    npmModule
      ? { kind: 'wasm', tool: 'espeak-ng', source: 'npm', modulePath: npmModule }
      : undefined,
  ],
];

describe('the local voice gallery', () => {
  it('has a voice of each gender for Mandarin, Cantonese and the big European languages, each with its language', () => {
    for (const language of ['ru', 'en', 'cmn', 'yue', 'es', 'de', 'fr', 'pt', 'it']) {
      const voices = espeakVoices.filter((voice) => voice.languages.includes(language));
      expect(voices.map((voice) => voice.gender).sort(), language).toEqual(
        expect.arrayContaining(['female', 'male']),
      );
      for (const voice of voices)
        expect(voiceSpeaks(voice.languages, previewTextFor(voice.language)), voice.id).toBe(true);
    }
    expect(new Set(espeakVoices.map((voice) => voice.id)).size).toBe(espeakVoices.length);
    for (const voice of espeakVoices)
      expect(voice.id).toMatch(new RegExp(`^espeak-${voice.language}-[mf]\\d+$`));
  });

  describe.each(builds)('%s', (_name, binary) => {
    it.skipIf(!binary)(
      "reads every voice's preview in its own language, without switching to English",
      async () => {
        if (!binary) return;
        for (const voice of espeakVoices) {
          if (voice.language === 'en') continue;
          const output = await phonemes(binary, voice.espeakVoice, previewTextFor(voice.language));
          expect(output.trim().length, voice.id).toBeGreaterThan(10);
          expect(output, `${voice.id}: ${output}`).not.toContain('(en)');
        }
      },
      120_000,
    );

    it.skipIf(!binary)(
      'speaks every voice: audio as long as its preview sentence',
      async () => {
        if (!binary) return;
        const engine = createEspeakEngine(binary);
        for (const voice of espeakVoices) {
          const wav = parseWav(
            await engine.synthesize(
              voice.espeakVoice,
              `<speak>${previewTextFor(voice.language)}</speak>`,
            ),
          );
          expect(wav.durationSec, voice.id).toBeGreaterThan(1.5);
          expect(wav.durationSec, voice.id).toBeLessThan(12);
        }
      },
      180_000,
    );
  });
});
