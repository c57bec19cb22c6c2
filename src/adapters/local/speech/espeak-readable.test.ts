import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../pipeline/classify-failure.js';
import type { EspeakEngine } from './espeak-engine.js';
import { unreadableByEspeak } from './espeak-readable.js';
import { EspeakSpeechSynthesizer } from './espeak-speech.js';
import { VoiceCannotReadError } from '../ffmpeg/media-errors.js';
import { quietLogger } from '../../../testing/media/media-fixtures.js';

describe('the local speech provider never spells out letters its voice cannot read', () => {
  it('finds what a voice would spell out', () => {
    expect(unreadableByEspeak(['en'], '我们的新产品非常好')).toBe('cmn (han letters)');
    expect(unreadableByEspeak(['ru'], 'Buy now')).toMatch(/latin/);
    expect(unreadableByEspeak(['cmn'], '我们的新产品 iPhone')).toBeUndefined();
    expect(unreadableByEspeak(['ru'], 'Новый iPhone!')).toBeUndefined();
    // Beyond the Basic Multilingual Plane eSpeak NG reads code points, whatever the voice.
    expect(unreadableByEspeak(['cmn'], '我们 𠀀')).toMatch(/characters/);
  });

  it('refuses before running eSpeak NG, with a final (not retried) error the pipeline refunds', async () => {
    let calls = 0;
    const engine: EspeakEngine = {
      binary: { kind: 'executable', tool: 'espeak-ng', source: 'system', path: '/nonexistent' },
      parallel: true,
      synthesize: () => {
        calls += 1;
        return Promise.reject(new Error('must not be called'));
      },
    };
    const tts = new EspeakSpeechSynthesizer({ engine, logger: quietLogger });
    const error = await tts
      .synthesize({
        text: '我们的新产品非常好',
        voiceId: 'espeak-ru-f1',
        outputPath: '/tmp/never.wav',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceCannotReadError);
    expect(error).toMatchObject({
      code: 'VOICE_CANNOT_READ',
      retryable: false,
      voiceLanguages: ['ru'],
    });
    expect(classifyFailure(error).retryable).toBe(false);
    expect(calls).toBe(0);
  });
});
