/** The external programs the local providers run. */
export type MediaTool = 'ffmpeg' | 'ffprobe' | 'espeak-ng';

/** Where a binary came from, in the order they are tried. */
export type BinarySource = 'env' | 'system' | 'npm';

/** A native program started as a child process. */
export interface ExecutableBinary {
  readonly kind: 'executable';
  readonly tool: MediaTool;
  readonly source: BinarySource;
  readonly path: string;
  /** First line of `-version`/`--version`, when the program answered it. */
  readonly version?: string;
}

/**
 * eSpeak NG compiled to WebAssembly (the npm `espeak-ng` package): there is no program to start,
 * only an ES module to import, so callers need to know which of the two they got.
 */
export interface WasmModuleBinary {
  readonly kind: 'wasm';
  readonly tool: 'espeak-ng';
  readonly source: 'npm';
  readonly modulePath: string;
  readonly version?: string;
}

export type ResolvedBinary = ExecutableBinary | WasmModuleBinary;

/** Names the environment variable that overrides each tool's location. */
export const binaryEnvVars: Readonly<Record<MediaTool, string>> = {
  ffmpeg: 'FFMPEG_PATH',
  ffprobe: 'FFPROBE_PATH',
  'espeak-ng': 'ESPEAK_NG_PATH',
};

export function describeBinary(binary: ResolvedBinary): string {
  const where = binary.kind === 'wasm' ? binary.modulePath : binary.path;
  return `${binary.tool} from ${binary.source} (${where}${binary.version ? `, ${binary.version}` : ''})`;
}
