import { describe, expect, it } from 'vitest';
import { phonemeVoiceFor } from './speech-voice.js';

describe('phonemeVoiceFor', () => {
  it('given a local voice, when asked, then it is that voice’s own language voice, without the variant', () => {
    expect(phonemeVoiceFor('espeak-ru-f1', 'Привет')).toBe('ru');
    expect(phonemeVoiceFor('espeak-cmn-m1', '你好')).toBe('cmn-latn-pinyin');
    expect(phonemeVoiceFor('espeak-pt-f1', 'Olá')).toBe('pt-br');
  });

  it('given a cloud voice, when asked, then the script’s language chooses eSpeak NG’s reader', () => {
    expect(phonemeVoiceFor('21m00Tcm4TlvDq8ikWAM', 'Купите сегодня!')).toBe('ru');
    expect(phonemeVoiceFor('21m00Tcm4TlvDq8ikWAM', 'Buy it today!')).toBe('en-us');
    expect(phonemeVoiceFor(undefined, '我会介绍你的产品')).toBe('cmn-latn-pinyin');
    expect(phonemeVoiceFor(undefined, 'Das ist größer und schöner.')).toBe('de');
  });
});
