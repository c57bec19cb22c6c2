import { describe, expect, it } from 'vitest';
import type { Compositor, CompositeRequest } from '../../ports/compositor.js';
import type { SpeechSynthesizer, SynthesisRequest, Voice } from '../../ports/speech-synthesizer.js';
import type { TalkingHeadRenderer, TalkingHeadRequest } from '../../ports/talking-head-renderer.js';
import { BinaryNotFoundError } from '../local/binaries/binary-errors.js';
import { RenderError } from '../local/ffmpeg/media-errors.js';
import { ProviderError, type ProviderErrorKind } from '../../ports/provider-error.js';
import { FallbackCompositor } from './fallback-compositor.js';
import { FallbackTalkingHead } from './fallback-talking-head.js';
import { espeakVoices } from '../local/speech/espeak-voices.js';
import { NoStandInVoiceError } from './no-stand-in-voice-error.js';
import { closestVoice, RoutingSpeechSynthesizer } from './routing-speech.js';

const video = (provider: string) => ({
  path: '/out.mp4',
  durationSec: 3,
  width: 1080,
  height: 1920,
  sizeBytes: 1,
  provider,
  lipSync: provider !== 'ffmpeg',
});
const failing = (kind: ProviderErrorKind) => () =>
  Promise.reject(new ProviderError('down', { provider: 'cloud', kind }));

function compositor(
  provider: string,
  behaviour?: () => Promise<never>,
): Compositor & { calls: CompositeRequest[] } {
  const calls: CompositeRequest[] = [];
  return {
    provider,
    calls,
    composite: async (request) => (calls.push(request), behaviour ? behaviour() : video(provider)),
  };
}

function renderer(
  provider: string,
  behaviour?: () => Promise<never>,
): TalkingHeadRenderer & { calls: TalkingHeadRequest[] } {
  const calls: TalkingHeadRequest[] = [];
  return {
    provider,
    calls,
    render: async (request) => (calls.push(request), behaviour ? behaviour() : video(provider)),
  };
}

const compositeRequest: CompositeRequest = {
  backgroundPath: 'b',
  talkingHeadPath: 'h',
  shape: 'circle',
  words: [],
  outputPath: 'o',
  resumeRequestId: 'matte=1',
  onSubmitted: () => undefined,
};

describe('FallbackCompositor', () => {
  it('serves locally when the cloud is unavailable, without the cloud job ids', async () => {
    const local = compositor('ffmpeg');
    const result = await new FallbackCompositor(
      compositor('modal+shotstack', failing('unavailable')),
      local,
    ).composite(compositeRequest);
    expect(result.provider).toBe('ffmpeg');
    expect(local.calls[0]).not.toHaveProperty('resumeRequestId');
    expect(local.calls[0]).not.toHaveProperty('onSubmitted');
  });

  it.each<ProviderErrorKind>(['invalid_request', 'content_policy', 'cancelled'])(
    'does not fall back on %s',
    async (kind) => {
      const local = compositor('ffmpeg');
      await expect(
        new FallbackCompositor(compositor('cloud', failing(kind)), local).composite(
          compositeRequest,
        ),
      ).rejects.toMatchObject({ kind });
      expect(local.calls).toHaveLength(0);
    },
  );

  it('treats a local provider in front the way it treats a cloud one: missing tool → fallback, bad input → no fallback', async () => {
    const fallback = compositor('other');
    const missing = () => Promise.reject(new BinaryNotFoundError('ffmpeg', ['PATH']));
    expect(
      (
        await new FallbackCompositor(compositor('ffmpeg', missing), fallback).composite(
          compositeRequest,
        )
      ).provider,
    ).toBe('other');
    const badInput = () =>
      Promise.reject(
        new RenderError('composite', 'the background has no video stream', {
          kind: 'invalid_request',
        }),
      );
    await expect(
      new FallbackCompositor(compositor('ffmpeg', badInput), fallback).composite(compositeRequest),
    ).rejects.toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(fallback.calls).toHaveLength(1);
  });

  it('does not hide programming errors behind a fallback', async () => {
    const local = compositor('ffmpeg');
    await expect(
      new FallbackCompositor(
        compositor('cloud', () => Promise.reject(new TypeError('bug'))),
        local,
      ).composite(compositeRequest),
    ).rejects.toThrow('bug');
    expect(local.calls).toHaveLength(0);
  });
});

describe('FallbackTalkingHead', () => {
  it('renders without lip-sync locally when fal fails after its retries', async () => {
    const local = renderer('ffmpeg');
    const result = await new FallbackTalkingHead(renderer('fal', failing('server')), local).render({
      imagePath: 'i',
      audioPath: 'a',
      outputPath: 'o',
      resumeRequestId: 'r',
    });
    expect(result).toMatchObject({ provider: 'ffmpeg', lipSync: false });
    expect(local.calls[0]).not.toHaveProperty('resumeRequestId');
  });
});

const localVoices: Voice[] = [
  { id: 'espeak-ru-m1', name: 'A', language: 'ru', gender: 'male', provider: 'espeak-ng' },
  { id: 'espeak-ru-f1', name: 'B', language: 'ru', gender: 'female', provider: 'espeak-ng' },
  { id: 'espeak-en-f1', name: 'C', language: 'en', gender: 'female', provider: 'espeak-ng' },
];
const cloudVoices: Voice[] = [
  {
    id: 'EXAVITQu4vr4xnSDxMaL',
    name: 'Sarah',
    language: 'multi',
    gender: 'female',
    provider: 'elevenlabs',
  },
];

function speech(
  provider: string,
  voices: Voice[],
  fail?: ProviderErrorKind,
): SpeechSynthesizer & { calls: SynthesisRequest[] } {
  const calls: SynthesisRequest[] = [];
  return {
    provider,
    calls,
    listVoices: async () => voices,
    synthesize: async (request) => {
      calls.push(request);
      if (fail) throw new ProviderError('down', { provider, kind: fail });
      return {
        path: request.outputPath,
        durationSec: 2,
        words: [],
        mimeType: 'audio/wav',
        sizeBytes: 1,
        provider,
      };
    },
  };
}

describe('RoutingSpeechSynthesizer', () => {
  it('speaks local voices locally and cloud voices in the cloud', async () => {
    const cloud = speech('elevenlabs', cloudVoices);
    const local = speech('espeak-ng', localVoices);
    const routing = new RoutingSpeechSynthesizer({ cloud, local });
    expect(
      (await routing.synthesize({ text: 'hi', voiceId: 'espeak-en-f1', outputPath: 'o' })).provider,
    ).toBe('espeak-ng');
    expect(
      (await routing.synthesize({ text: 'hi', voiceId: cloudVoices[0]!.id, outputPath: 'o' }))
        .provider,
    ).toBe('elevenlabs');
    expect((await routing.listVoices()).map((voice) => voice.id)).toEqual([
      cloudVoices[0]!.id,
      ...localVoices.map((voice) => voice.id),
    ]);
  });

  it('stands in the closest local voice when the cloud quota is exhausted', async () => {
    const local = speech('espeak-ng', localVoices);
    const routing = new RoutingSpeechSynthesizer({
      cloud: speech('elevenlabs', cloudVoices, 'quota'),
      local,
    });
    const result = await routing.synthesize({
      text: 'Привет, мир',
      voiceId: cloudVoices[0]!.id,
      outputPath: 'o',
    });
    expect(result.provider).toBe('espeak-ng');
    expect(local.calls[0]?.voiceId).toBe('espeak-ru-f1');
  });

  it('picks by language first, then gender', () => {
    expect(
      closestVoice(localVoices, { ...cloudVoices[0]!, language: 'en', gender: 'male' }, 'x')?.id,
    ).toBe('espeak-en-f1');
    expect(closestVoice(localVoices, undefined, 'hello')?.id).toBe('espeak-en-f1');
    expect(closestVoice(localVoices, { ...cloudVoices[0]!, gender: 'male' }, 'Привет')?.id).toBe(
      'espeak-ru-m1',
    );
  });
});

describe('the local stand-in for a cloud voice reads the script in its own language', () => {
  // The real local gallery: a stand-in is only ever one of these.
  const sarah: Voice = {
    id: 'EXAVITQu4vr4xnSDxMaL',
    name: 'Sarah',
    language: 'multi',
    languages: ['en', 'cmn', 'es', 'de', 'ja'],
    gender: 'female',
    provider: 'elevenlabs',
  };
  const adam: Voice = { ...sarah, id: 'pNInz6obpgDQGcFmaJgB', name: 'Adam', gender: 'male' };

  it.each([
    ['Mandarin', '我们的新产品非常好，快来试试吧！', sarah, 'espeak-cmn-f1'],
    ['Mandarin, male voice', '我们的新产品非常好，快来试试吧！', adam, 'espeak-cmn-m1'],
    ['written Cantonese', '呢個產品真係好正，你哋一定要試吓佢嘅味道！', sarah, 'espeak-yue-f1'],
    [
      'Spanish',
      '¡Las nuevas zapatillas ya llegaron! Ven a probarlas con tus amigos.',
      sarah,
      'espeak-es-f1',
    ],
    [
      'German',
      'Die neuen Turnschuhe sind da. Komm vorbei und probiere sie jetzt an!',
      adam,
      'espeak-de-m1',
    ],
    [
      'French',
      'Les nouvelles baskets sont arrivées. Venez les essayer avec vous amis !',
      sarah,
      'espeak-fr-f1',
    ],
    [
      'Portuguese',
      'Olá! Você não vai acreditar: o nosso tênis chegou agora.',
      adam,
      'espeak-pt-m1',
    ],
    [
      'Italian',
      'Il nostro nuovo prodotto è qui: provalo ora con gli amici, non te ne pentirai.',
      sarah,
      'espeak-it-f1',
    ],
    [
      'Italian with è (French writes it too)',
      'Il nostro caffè è arrivato: provalo ora, è buonissimo per tutti.',
      adam,
      'espeak-it-m1',
    ],
    ['Russian with a brand', 'Новый iPhone уже в продаже', adam, 'espeak-ru-m1'],
    ['English', 'Our new coffee is here. Try it with your friends now!', sarah, 'espeak-en-f1'],
  ])('%s', (_name, text, wanted, expected) => {
    expect(closestVoice(espeakVoices, wanted, text)?.id).toBe(expected);
  });

  it('prefers the cloud voice label when the script does not tell the Latin language apart', () => {
    const spanishLabel: Voice = { ...sarah, language: 'es', languages: ['es', 'en'] };
    expect(closestVoice(espeakVoices, spanishLabel, 'Super!')?.id).toBe('espeak-es-f1');
  });

  it.each([
    ['Japanese', 'ぜひ試してください！'],
    ['Korean', '새로운 운동화가 도착했습니다'],
    ['a script mixing Russian and Chinese', 'Привет всем! 你好'],
    ['Vietnamese', 'Giày thể thao mới đã về'],
  ])('has none for %s', (_name, text) => {
    expect(closestVoice(espeakVoices, sarah, text)).toBeUndefined();
  });

  it('speaks a Chinese script with the Mandarin voice when the cloud is out of quota', async () => {
    const local = speech('espeak-ng', [...espeakVoices]);
    const routing = new RoutingSpeechSynthesizer({
      cloud: speech('elevenlabs', [sarah], 'quota'),
      local,
    });
    const result = await routing.synthesize({
      text: '我们的新产品非常好',
      voiceId: sarah.id,
      outputPath: 'o',
    });
    expect(result.provider).toBe('espeak-ng');
    expect(local.calls.map((call) => call.voiceId)).toEqual(['espeak-cmn-f1']);
  });

  it('refuses honestly, speaking nothing, when no local voice reads the script; retryable as the cloud failure was', async () => {
    for (const [kind, retryable] of [
      ['quota', false],
      ['server', true],
    ] as const) {
      const local = speech('espeak-ng', [...espeakVoices]);
      const routing = new RoutingSpeechSynthesizer({
        cloud: speech('elevenlabs', [sarah], kind),
        local,
      });
      const error = await routing
        .synthesize({ text: 'ぜひ試してください！', voiceId: sarah.id, outputPath: 'o' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoStandInVoiceError);
      expect(error).toMatchObject({
        code: 'NO_STAND_IN_VOICE',
        retryable,
        unreadable: 'ja (kana letters)',
      });
      expect((error as Error).cause).toMatchObject({ kind });
      expect(local.calls).toHaveLength(0);
    }
  });
});

describe('a stored job the provider no longer knows', () => {
  it('is submitted again to the same provider, not rendered locally', async () => {
    const calls: TalkingHeadRequest[] = [];
    const cloud: TalkingHeadRenderer = {
      provider: 'fal',
      render: async (request) => {
        calls.push(request);
        if (request.resumeRequestId)
          throw new ProviderError('gone', { provider: 'fal', kind: 'not_found' });
        return video('fal');
      },
    };
    const local = renderer('ffmpeg');
    const result = await new FallbackTalkingHead(cloud, local).render({
      imagePath: 'i',
      audioPath: 'a',
      outputPath: 'o',
      resumeRequestId: 'expired',
    });
    expect(result.provider).toBe('fal');
    expect(calls.map((call) => call.resumeRequestId)).toEqual(['expired', undefined]);
    expect(local.calls).toHaveLength(0);
  });
});
