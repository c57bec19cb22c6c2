import { InlineKeyboard } from 'grammy';
import { voiceLanguages } from '../../catalog/voice-languages.js';
import { voiceSpeaks, checkVoiceSpeaks } from '../../domain/language/voice-speaks.js';
import type { WizardDraft } from '../../domain/user/state.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { scriptLanguageName, voiceLanguagesName } from '../i18n/language-names.js';
import { withNav } from '../ui.js';

/**
 * Whether the draft's voice cannot read its script, by the same pure check the domain makes
 * before charging; undefined when it can (or when either is missing).
 */
export function voiceMismatch(draft: WizardDraft) {
  if (!draft.voice || !draft.script) return undefined;
  const check = checkVoiceSpeaks(draft.voice.languages, draft.script.speechText);
  return check.ok ? undefined : { part: check.part, voiceLanguages: draft.voice.languages };
}

/** What to tell a user whose voice cannot read the script, and where they can go from there. */
export interface MismatchReply {
  readonly text: string;
  /** The way on: the gallery when some voice reads the script, else rewriting the script. */
  readonly keyboard: InlineKeyboard;
  /** True when no voice offered here reads the script at all. */
  readonly noVoiceReads: boolean;
}

/**
 * The message for a voice that cannot read the script: refused at Generate, or noticed at the
 * confirmation. When no voice on offer reads it (Japanese on a server with only local voices), a
 * button to "the voices that can read it" would lead nowhere: the user is told which languages
 * the voices speak, and offered to rewrite the script.
 */
export async function voiceMismatchReply(
  ctx: BotContext,
  draft: WizardDraft,
  when: 'refused' | 'noticed',
): Promise<MismatchReply> {
  const { t, lang } = ctx.scope;
  const mismatch = voiceMismatch(draft);
  const script = mismatch ? scriptLanguageName(mismatch.part, lang) : '?';
  const voices = (await ctx.scope.deps.catalog.voices(0, Number.MAX_SAFE_INTEGER)).items;
  const speechText = draft.script?.speechText ?? '';
  const noVoiceReads =
    speechText !== '' &&
    voices.length > 0 &&
    !voices.some((voice) => voiceSpeaks(voiceLanguages(voice), speechText));
  if (noVoiceReads) {
    const spoken = [...new Set(voices.flatMap((voice) => voiceLanguages(voice)))];
    const keyboard = withNav(
      new InlineKeyboard().text(t.btnRewrite, cb({ kind: 'screen', screen: 'script' })),
      t,
    );
    return {
      text: t.noVoiceReadsScript(script, voiceLanguagesName(spoken, lang, 10), when === 'refused'),
      keyboard,
      noVoiceReads,
    };
  }
  const voice = mismatch ? voiceLanguagesName(mismatch.voiceLanguages, lang) : '?';
  const text =
    when === 'refused'
      ? t.voiceLanguageMismatch(script, voice)
      : t.scriptVoiceMismatch(script, voice);
  return { text, keyboard: voicesForScriptKeyboard(ctx), noVoiceReads };
}

/** A button to the gallery, which lists the voices that can read the script first. */
export function voicesForScriptKeyboard(ctx: BotContext): InlineKeyboard {
  const { t } = ctx.scope;
  return withNav(
    new InlineKeyboard().text(t.btnVoicesForScript, cb({ kind: 'screen', screen: 'voices' })),
    t,
  );
}
