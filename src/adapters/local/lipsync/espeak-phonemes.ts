import { pathToFileURL } from 'node:url';
import type { ResolvedBinary } from '../binaries/resolved-binary.js';
import { runBinary } from '../binaries/run-binary.js';
import { escapeSsml } from '../speech/speech-words.js';

/**
 * Reads words the way eSpeak NG would say them: one list of IPA phonemes per word, in order.
 * Each word is its own clause (a 1 ms break between words), so eSpeak prints one line per word
 * and a word never merges with its neighbour; a number comes back as all the words it is read as.
 * Undefined when the output does not have one line per word (then the caller guesses from letters).
 */
export async function espeakWordPhonemes(
  binary: ResolvedBinary,
  espeakVoice: string,
  words: readonly string[],
  signal?: AbortSignal,
): Promise<string[][] | undefined> {
  const spoken = words.map(speakable);
  const kept = spoken.map((word, index) => ({ word, index })).filter(({ word }) => word.length > 0);
  if (kept.length === 0) return words.map(() => []);
  const ssml = `<speak>${kept.map(({ word }) => escapeSsml(word)).join('<break time="1ms"/>')}</speak>`;
  const args = ['-q', '--ipa', '--sep=_', '-m', '-v', espeakVoice, ssml];
  const output =
    binary.kind === 'wasm'
      ? await runWasm(binary.modulePath, args, signal)
      : (await runBinary(binary.path, args, { signal, timeoutMs: 30_000 })).stdout.toString('utf8');
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length !== kept.length) return undefined;
  const result: string[][] = words.map(() => []);
  kept.forEach(({ index }, i) => {
    result[index] = lines[i]!.split(/[_\s]+/u).filter(Boolean);
  });
  return result;
}

/** Letters and digits only: punctuation would end a clause inside the word and split its line. */
function speakable(word: string): string {
  return word
    .replace(/[^\p{L}\p{N}\p{M}'’]+/gu, ' ')
    .trim()
    .replace(/\s+/gu, ' ');
}

interface EmscriptenModule {
  readonly FS: unknown;
}
type EspeakFactory = (options: {
  arguments: string[];
  print: (line: string) => void;
  printErr: (line: string) => void;
}) => Promise<EmscriptenModule>;

let factory: Promise<EspeakFactory> | undefined;

async function runWasm(modulePath: string, args: string[], signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  factory ??= import(pathToFileURL(modulePath).href).then(
    (module: { default: EspeakFactory }) => module.default,
  );
  const lines: string[] = [];
  await (
    await factory
  )({ arguments: args, print: (line) => lines.push(line), printErr: () => undefined });
  return lines.join('\n');
}
