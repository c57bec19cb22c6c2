import { describe, expect, it } from 'vitest';
import { InvalidWavError } from '../ffmpeg/media-errors.js';
import { encodeWavPcm16, monoPcm16, parseWav } from './wav-file.js';

const tone = (count: number) =>
  Int16Array.from({ length: count }, (_, i) => Math.round(Math.sin(i / 5) * 10_000));

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function fmt(channels: number, rate: number, bits = 16, format = 1): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(format, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(rate, 4);
  body.writeUInt32LE((rate * channels * bits) / 8, 8);
  body.writeUInt16LE((channels * bits) / 8, 12);
  body.writeUInt16LE(bits, 14);
  return chunk('fmt ', body);
}

function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('parseWav', () => {
  it('reads a canonical 44-byte header', () => {
    const wav = encodeWavPcm16(tone(22050), 22050);
    const info = parseWav(wav);
    expect(info).toMatchObject({
      audioFormat: 1,
      channels: 1,
      sampleRate: 22050,
      bitsPerSample: 16,
      dataOffset: 44,
      frames: 22050,
    });
    expect(info.durationSec).toBe(1);
    expect(info.sizeFromFileLength).toBe(false);
  });

  it('walks past LIST and odd-sized chunks to find fmt and data', () => {
    const pcm = Buffer.alloc(48000 * 2 * 2); // 0.5 s of 48 kHz stereo
    const wav = riff(
      chunk('LIST', Buffer.from('INFOISFT\x05\x00\x00\x00abc')),
      fmt(2, 48000),
      chunk('fact', Buffer.alloc(4)),
      chunk('data', pcm),
    );
    const info = parseWav(wav);
    expect(info.channels).toBe(2);
    expect(info.frames).toBe(48000);
    expect(info.durationSec).toBe(1);
  });

  it('measures the data itself when the header carries a streaming placeholder size', () => {
    const wav = encodeWavPcm16(tone(11025), 22050);
    wav.writeUInt32LE(0x7ffff024, 40); // what espeak-ng --stdout writes
    const info = parseWav(wav);
    expect(info.sizeFromFileLength).toBe(true);
    expect(info.durationSec).toBeCloseTo(0.5, 6);
  });

  it('ignores a trailing partial sample frame', () => {
    const wav = Buffer.concat([encodeWavPcm16(tone(100), 8000), Buffer.alloc(1)]);
    wav.writeUInt32LE(201, 40);
    expect(parseWav(wav).frames).toBe(100);
  });

  it.each([
    ['not RIFF', Buffer.from('OggS0000WAVEfmt ')],
    ['no fmt chunk', riff(chunk('data', Buffer.alloc(10)))],
    ['no data chunk', riff(fmt(1, 8000))],
    ['empty', Buffer.alloc(0)],
  ])('rejects %s', (_name, buffer) => {
    expect(() => parseWav(buffer)).toThrow(InvalidWavError);
  });

  it('returns the first channel of 16-bit PCM', () => {
    const samples = tone(50);
    expect(Array.from(monoPcm16(encodeWavPcm16(samples, 8000)))).toEqual(Array.from(samples));
    expect(() => monoPcm16(riff(fmt(1, 8000, 8), chunk('data', Buffer.alloc(8))))).toThrow(
      InvalidWavError,
    );
  });
});
