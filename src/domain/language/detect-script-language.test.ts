import { describe, expect, it } from 'vitest';
import { detectScriptLanguage, likelyLanguage } from './detect-script-language.js';
import { checkVoiceSpeaks, voiceSpeaks } from './voice-speaks.js';

const parts = (text: string) =>
  detectScriptLanguage(text).parts.map((p) => ({ system: p.system, likely: p.likely }));

describe('detecting the language of a script', () => {
  it.each([
    ['Chinese', '我们的新产品非常好，快来试试吧！', 'han', 'cmn'],
    ['Cantonese', '呢個產品真係好正，你哋一定要試吓佢嘅味道！', 'han', 'yue'],
    [
      'Japanese (kana and kanji)',
      '新しいスニーカーが届きました。ぜひ試してください！',
      'kana',
      'ja',
    ],
    ['Japanese (katakana only)', 'コーヒー', 'kana', 'ja'],
    ['Korean', '새로운 운동화가 도착했습니다. 지금 신어 보세요!', 'hangul', 'ko'],
    ['Arabic', 'وصلت الأحذية الرياضية الجديدة. تعال وجربها الآن!', 'arabic', 'ar'],
    ['Persian', 'کفش‌های ورزشی جدید رسید. بیایید و امتحان کنید!', 'arabic', 'fa'],
    ['Hebrew', 'הנעליים החדשות הגיעו. בואו לנסות אותן!', 'hebrew', 'he'],
    ['Hindi', 'नए जूते आ गए हैं। आइए और इन्हें पहनकर देखिए!', 'devanagari', 'hi'],
    ['Thai', 'รองเท้าผ้าใบใหม่มาถึงแล้ว', 'thai', 'th'],
    ['Greek', 'Τα νέα αθλητικά παπούτσια έφτασαν!', 'greek', 'el'],
    ['Georgian', 'ახალი ფეხსაცმელი ჩამოვიდა', 'georgian', 'ka'],
    ['Armenian', 'Նոր կոշիկները արդեն այստեղ են', 'armenian', 'hy'],
    ['Russian', 'Новые кроссовки уже в магазине. Приходите примерить!', 'cyrillic', 'ru'],
    [
      'Ukrainian',
      'Нові кросівки вже в магазині. Приходьте приміряти, їх небагато!',
      'cyrillic',
      'uk',
    ],
    ['English', 'New sneakers have landed. Come and try them on with your friends!', 'latin', 'en'],
    [
      'Spanish',
      '¡Las nuevas zapatillas ya llegaron! Ven a probarlas con tus amigos.',
      'latin',
      'es',
    ],
    [
      'German',
      'Die neuen Turnschuhe sind da. Komm vorbei und probiere sie jetzt an!',
      'latin',
      'de',
    ],
    [
      'French',
      'Les nouvelles baskets sont arrivées. Venez les essayer avec vous amis !',
      'latin',
      'fr',
    ],
    ['French with è', 'Très bon café, après le travail, pour vous et vos amis !', 'latin', 'fr'],
    ['Italian', 'Il nostro caffè è arrivato: provalo ora, è buonissimo per tutti.', 'latin', 'it'],
    ['Vietnamese', 'Giày thể thao mới đã về. Hãy đến thử ngay!', 'latin', 'vi'],
  ])('%s', (_name, text, system, language) => {
    const detection = detectScriptLanguage(text);
    expect(detection.parts).toHaveLength(1);
    expect(detection.parts[0]).toMatchObject({ system, likely: language });
    expect(likelyLanguage(detection)).toBe(language);
  });

  it('treats digits, punctuation and emoji as neutral', () => {
    expect(detectScriptLanguage('123 — !!! 🎉🔥 %').parts).toEqual([]);
    expect(parts('Скидка 50% 🔥 только 3 дня!')).toEqual([{ system: 'cyrillic', likely: 'ru' }]);
  });

  it('counts a brand name in Latin inside another script as part of that script, not as a language of its own', () => {
    expect(parts('Новый iPhone 15 Pro Max уже в продаже')).toEqual([
      { system: 'cyrillic', likely: 'ru' },
    ]);
    expect(parts('我们的新 iPhone 15 Pro Max 非常好')).toEqual([{ system: 'han', likely: 'cmn' }]);
  });

  it('keeps a lone Greek letter used as a symbol out of the languages', () => {
    expect(parts('Витамин Ω-3 и число π')).toEqual([{ system: 'cyrillic', likely: 'ru' }]);
  });

  it('reports every writing system of a truly mixed script, the largest first', () => {
    expect(parts('Привет всем друзьям! 你好').map((p) => p.system)).toEqual(['cyrillic', 'han']);
  });

  it('is honest that a short Latin text may be any Latin language', () => {
    const [part] = detectScriptLanguage('Hola amigo').parts;
    expect(part?.identified).toBe(false);
    expect(part?.possible).toEqual(expect.arrayContaining(['en', 'es', 'de', 'fr', 'pt', 'it']));
    const [plain] = detectScriptLanguage('Buy now').parts;
    expect(plain?.possible).toContain('es');
  });

  it('tells one Cantonese particle (maybe a quotation) from written Cantonese', () => {
    expect(detectScriptLanguage('我们的新产品嘅').parts[0]?.possible).toEqual(['cmn', 'yue']);
    expect(detectScriptLanguage('佢哋喺度食咗飯').parts[0]?.possible).toEqual(['yue']);
  });
});

describe('whether a voice can say a script', () => {
  it('refuses a Chinese script for a Russian or English voice, accepts it for a Mandarin or Cantonese one', () => {
    const script = '我们的新产品非常好';
    expect(checkVoiceSpeaks(['ru'], script)).toMatchObject({
      ok: false,
      part: { system: 'han', likely: 'cmn', possible: ['cmn', 'yue'] },
    });
    expect(voiceSpeaks(['en'], script)).toBe(false);
    expect(voiceSpeaks(['cmn'], script)).toBe(true);
    expect(voiceSpeaks(['yue'], script)).toBe(true);
  });

  it('needs a Cantonese voice for written Cantonese', () => {
    expect(voiceSpeaks(['cmn'], '佢哋喺度食咗飯')).toBe(false);
    expect(voiceSpeaks(['yue'], '佢哋喺度食咗飯')).toBe(true);
  });

  it('accepts any Latin-script voice for a Latin text, and no other', () => {
    for (const language of ['en', 'es', 'de', 'fr', 'pt', 'it'])
      expect(voiceSpeaks([language], 'Hola amigo, compra ahora')).toBe(true);
    expect(voiceSpeaks(['ru'], 'Buy now')).toBe(false);
    expect(voiceSpeaks(['cmn'], 'Buy now')).toBe(false);
  });

  it('does not refuse Russian with a Latin brand name for a Russian voice', () => {
    expect(voiceSpeaks(['ru'], 'Новый iPhone уже в продаже')).toBe(true);
    expect(voiceSpeaks(['en'], 'Новый iPhone уже в продаже')).toBe(false);
  });

  it('needs a voice for every writing system of a mixed script', () => {
    expect(voiceSpeaks(['ru'], 'Привет всем! 你好')).toBe(false);
    expect(voiceSpeaks(['ru', 'cmn', 'en'], 'Привет всем! 你好')).toBe(true);
  });

  it('refuses Vietnamese for a voice that would spell its letters out', () => {
    expect(voiceSpeaks(['en'], 'Giày thể thao mới đã về')).toBe(false);
    expect(voiceSpeaks(['vi'], 'Giày thể thao mới đã về')).toBe(true);
  });

  it('does not judge a voice whose languages are unknown, nor a script without letters', () => {
    expect(voiceSpeaks([], '我们的新产品非常好')).toBe(true);
    expect(voiceSpeaks(['ru'], '123 🎉')).toBe(true);
  });
});
