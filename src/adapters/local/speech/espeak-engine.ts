import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  ExecutableBinary,
  ResolvedBinary,
  WasmModuleBinary,
} from '../binaries/resolved-binary.js';
import { runBinary } from '../binaries/run-binary.js';
import { SpeechSynthesisError } from '../ffmpeg/media-errors.js';

/** Runs eSpeak NG on SSML and returns the WAV bytes, whichever build is installed. */
export interface EspeakEngine {
  readonly binary: ResolvedBinary;
  /** Whether several calls may run at once (separate processes can; a WASM instance is ~200 MB). */
  readonly parallel: boolean;
  synthesize(espeakVoice: string, ssml: string, signal?: AbortSignal): Promise<Buffer>;
}

export function createEspeakEngine(binary: ResolvedBinary): EspeakEngine {
  return binary.kind === 'wasm' ? new WasmEspeakEngine(binary) : new ProcessEspeakEngine(binary);
}

// `-m`: the text is SSML, which also guarantees it starts with "<", so espeak-ng can never read
// a user's script as an option. `-w` writes a real RIFF size (`--stdout` writes a placeholder).
const commonArgs = (espeakVoice: string, wavPath: string, ssml: string) => [
  '-m',
  '-v',
  espeakVoice,
  '-w',
  wavPath,
  ssml,
];

class ProcessEspeakEngine implements EspeakEngine {
  readonly parallel = true;
  constructor(readonly binary: ExecutableBinary) {}

  async synthesize(espeakVoice: string, ssml: string, signal?: AbortSignal): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'espeak-'));
    try {
      const wavPath = join(dir, 'speech.wav');
      const result = await runBinary(this.binary.path, commonArgs(espeakVoice, wavPath, ssml), {
        signal,
        timeoutMs: 60_000,
      }).catch((error: unknown) => {
        throw new SpeechSynthesisError(`espeak-ng failed for voice ${espeakVoice}`, {
          cause: error,
        });
      });
      // Belt and braces: 1.51 exits 1 for an unknown voice, but older builds printed and exited 0.
      if (/voice does not exist/i.test(result.stderr))
        throw new SpeechSynthesisError(`espeak-ng: ${result.stderr}`);
      return await readFile(wavPath).catch((error: unknown) => {
        throw new SpeechSynthesisError(
          `espeak-ng wrote no audio${result.stderr ? `: ${result.stderr}` : ''}`,
          { cause: error },
        );
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

interface EmscriptenModule {
  readonly FS: { readFile(path: string): Uint8Array };
}

type EspeakFactory = (options: {
  arguments: string[];
  print: (line: string) => void;
  printErr: (line: string) => void;
}) => Promise<EmscriptenModule>;

class WasmEspeakEngine implements EspeakEngine {
  readonly parallel = false;
  private factory: Promise<EspeakFactory> | undefined;
  // Each call instantiates a fresh module (its main() runs once); queue them to bound memory.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly binary: WasmModuleBinary) {}

  synthesize(espeakVoice: string, ssml: string, signal?: AbortSignal): Promise<Buffer> {
    const run = this.queue.then(() => this.run(espeakVoice, ssml, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(espeakVoice: string, ssml: string, signal?: AbortSignal): Promise<Buffer> {
    signal?.throwIfAborted();
    this.factory ??= import(pathToFileURL(this.binary.modulePath).href).then(
      (module: { default: EspeakFactory }) => module.default,
    );
    const factory = await this.factory;
    const messages: string[] = [];
    const keep = (line: string) => {
      // Emscripten reports the normal end of main() as a "keepRuntimeAlive" notice.
      if (!line.includes('keepRuntimeAlive')) messages.push(line);
    };
    const wavPath = '/speech.wav';
    let module: EmscriptenModule;
    try {
      module = await factory({
        arguments: commonArgs(espeakVoice, wavPath, ssml),
        print: keep,
        printErr: keep,
      });
    } catch (error) {
      throw new SpeechSynthesisError(`espeak-ng (WebAssembly) failed for voice ${espeakVoice}`, {
        cause: error,
      });
    }
    signal?.throwIfAborted();
    try {
      return Buffer.from(module.FS.readFile(wavPath));
    } catch (error) {
      throw new SpeechSynthesisError(
        `espeak-ng (WebAssembly) wrote no audio: ${messages.join(' ') || 'no message'}`,
        { cause: error },
      );
    }
  }
}
