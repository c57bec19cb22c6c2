import { InvalidWavError } from '../ffmpeg/media-errors.js';

export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float, 0xFFFE = WAVE_FORMAT_EXTENSIBLE. */
  readonly audioFormat: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly byteRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
  readonly dataOffset: number;
  /** Bytes of sample data actually present in the buffer. */
  readonly dataBytes: number;
  readonly frames: number;
  readonly durationSec: number;
  /**
   * True when the header's data size was a streaming placeholder or larger than the file
   * (espeak-ng `--stdout` writes 0x7ffff024); the size then comes from the file length.
   */
  readonly sizeFromFileLength: boolean;
}

/** Reads a RIFF/WAVE header by walking its chunks, as a header may carry LIST or fact chunks. */
export function parseWav(buffer: Uint8Array): WavInfo {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer.byteLength < 12 || ascii(buffer, 0, 4) !== 'RIFF' || ascii(buffer, 8, 4) !== 'WAVE') {
    throw new InvalidWavError('not a RIFF/WAVE file');
  }
  let fmt:
    | Pick<
        WavInfo,
        'audioFormat' | 'channels' | 'sampleRate' | 'byteRate' | 'blockAlign' | 'bitsPerSample'
      >
    | undefined;
  let offset = 12;
  while (offset + 8 <= buffer.byteLength) {
    const id = ascii(buffer, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buffer.byteLength)
        throw new InvalidWavError('truncated fmt chunk');
      fmt = {
        audioFormat: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        byteRate: view.getUint32(body + 8, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw new InvalidWavError('data chunk before fmt chunk');
      if (fmt.channels === 0 || fmt.sampleRate === 0 || fmt.blockAlign === 0)
        throw new InvalidWavError('fmt chunk has zero channels, rate or block size');
      const available = buffer.byteLength - body;
      const sizeFromFileLength = size > available;
      const raw = sizeFromFileLength ? available : size;
      const dataBytes = raw - (raw % fmt.blockAlign);
      const frames = dataBytes / fmt.blockAlign;
      return {
        ...fmt,
        dataOffset: body,
        dataBytes,
        frames,
        durationSec: frames / fmt.sampleRate,
        sizeFromFileLength,
      };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw new InvalidWavError(fmt ? 'no data chunk' : 'no fmt chunk');
}

/** The first channel of 16-bit PCM as samples; other encodings are not produced by espeak-ng. */
export function monoPcm16(buffer: Uint8Array, info: WavInfo = parseWav(buffer)): Int16Array {
  if (info.audioFormat !== 1 || info.bitsPerSample !== 16) {
    throw new InvalidWavError(
      `expected 16-bit PCM, got format ${info.audioFormat} with ${info.bitsPerSample} bits`,
    );
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset + info.dataOffset, info.dataBytes);
  const samples = new Int16Array(info.frames);
  for (let frame = 0; frame < info.frames; frame++)
    samples[frame] = view.getInt16(frame * info.blockAlign, true);
  return samples;
}

/** A canonical 44-byte header + 16-bit PCM, for building test fixtures without a synthesiser. */
export function encodeWavPcm16(samples: Int16Array, sampleRate: number, channels = 1): Buffer {
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * 2, 28);
  out.writeUInt16LE(channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, 44 + i * 2);
  return out;
}

function ascii(buffer: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...buffer.subarray(start, start + length));
}
