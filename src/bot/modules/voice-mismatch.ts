import { InlineKeyboard } from 'grammy';
import { checkVoiceSpeaks } from '../../domain/language/voice-speaks.js';
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

/** The message for a voice that cannot read the script: refused at Generate, or noticed at the confirmation. */
export function voiceMismatchText(ctx: BotContext, draft: WizardDraft, when: 'refused' | 'noticed'): string {
  const { t, lang } = ctx.scope;
  const mismatch = voiceMismatch(draft);
  const script = mismatch ? scriptLanguageName(mismatch.part, lang) : '?';
  const voice = mismatch ? voiceLanguagesName(mismatch.voiceLanguages, lang) : '?';
  return when === 'refused' ? t.voiceLanguageMismatch(script, voice) : t.scriptVoiceMismatch(script, voice);
}

/** A button to the gallery, which lists the voices that can read the script first. */
export function voicesForScriptKeyboard(ctx: BotContext): InlineKeyboard {
  const { t } = ctx.scope;
  return withNav(new InlineKeyboard().text(t.btnVoicesForScript, cb({ kind: 'screen', screen: 'voices' })), t);
}
