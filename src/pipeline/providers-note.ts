import type { Language } from '../domain/events/values.js';
import type { GenerationState } from '../domain/generation/state.js';

// The local renderer's provider id, as recorded in TalkingHeadGenerated (see
// LocalPortraitRenderer).
const localPortraitProvider = 'local-portrait';

interface Labels {
  readonly voice: string;
  readonly video: string;
  readonly overlay: string;
  /** Captions burned over a talking head (the background format's come with the overlay). */
  readonly captions: string;
  readonly noLipSync: string;
  /**
   * The local renderer moved a drawn character's mouth: said so, as it is ours and not the cloud's.
   */
  readonly localLipSync: string;
  readonly names: Readonly<Record<string, string>>;
}

const labels: Readonly<Record<Language, Labels>> = {
  en: {
    voice: 'voice',
    video: 'video',
    overlay: 'overlay and subtitles',
    captions: 'captions',
    noLipSync: 'no lip-sync',
    localLipSync: 'lip-sync (local)',
    names: {
      'espeak-ng': 'espeak-ng',
      'local-portrait': 'local portrait renderer',
      'local-ffmpeg': 'local ffmpeg compositor',
      'local-ffmpeg-captions': 'local ffmpeg',
      elevenlabs: 'ElevenLabs',
      fal: 'fal.ai OmniHuman',
      modal: 'Modal overlay service',
      shotstack: 'Shotstack',
    },
  },
  ru: {
    voice: 'голос',
    video: 'видео',
    overlay: 'наложение и субтитры',
    captions: 'субтитры',
    noLipSync: 'без синхронизации губ',
    localLipSync: 'синхронизация губ (локальная)',
    names: {
      'espeak-ng': 'espeak-ng',
      'local-portrait': 'локальный портретный рендер',
      'local-ffmpeg': 'локальный ffmpeg-композитор',
      'local-ffmpeg-captions': 'локальный ffmpeg',
      elevenlabs: 'ElevenLabs',
      fal: 'fal.ai OmniHuman',
      modal: 'сервис наложения Modal',
      shotstack: 'Shotstack',
    },
  },
};

/**
 * Who made the video, said plainly from what the events recorded, e.g.
 * "voice: espeak-ng · video: local portrait renderer, lip-sync (local)" for a drawn character, or
 * "…, no lip-sync" for a photo the local renderer only animates. A cloud provider's lip-sync is
 * what it sells and goes without saying. Unknown providers appear under their own id rather than
 * being dressed up.
 */
export function providersNote(state: GenerationState, language: Language): string {
  const l = labels[language];
  const name = (provider: string) => l.names[provider] ?? provider;
  const parts: string[] = [];
  if (state.audio) parts.push(`${l.voice}: ${name(state.audio.provider)}`);
  const head = state.talkingHead?.result;
  if (head) parts.push(`${l.video}: ${name(head.provider)}${lipSyncNote(head, l)}`);
  const overlay = state.overlay?.result;
  if (overlay) parts.push(`${l.overlay}: ${name(overlay.provider)}`);
  else if (state.subtitles) parts.push(`${l.captions}: ${name(state.subtitles.provider)}`);
  return parts.join(' · ');
}

function lipSyncNote(
  head: { readonly provider: string; readonly lipSync: boolean },
  l: Labels,
): string {
  if (!head.lipSync) return `, ${l.noLipSync}`;
  return head.provider === localPortraitProvider ? `, ${l.localLipSync}` : '';
}
