import { esc } from '../html.js';
import { languageName } from './language-names.js';
import type {
  CheckoutRefusal,
  CreditOpView,
  GenerationView,
  PaymentView,
  MissingStep,
  ProgressStageName,
  StatsDay,
  StatsView,
  StepNeed,
  WizardPosition,
} from './views.js';

// Every text is HTML (parse_mode HTML). Parameters that may hold user input are escaped here, in
// the message itself, so no caller can forget it. `ru.ts` must have exactly the same keys.

const stageNames: Record<ProgressStageName, string> = {
  queued: 'In the queue',
  tts: 'Synthesising speech',
  video: 'Animating the character',
  overlay: 'Placing the character over your clip',
  subtitles: 'Burning in subtitles',
  render: 'Finishing the video',
  delivery: 'Sending the video',
};

const missingNames: Record<MissingStep, string> = {
  format: 'a format',
  background_video: 'a background clip',
  character: 'a character',
  voice: 'a voice',
  script: 'a script',
};

const statusNames: Record<string, string> = {
  requested: '⏳ queued',
  audio_ready: '⏳ speech ready',
  video_pending: '⏳ animating',
  video_ready: '⏳ video ready',
  overlay_ready: '⏳ compositing',
  subtitled: '⏳ subtitles',
  completed: '✅ done',
  failed: '❌ failed',
  audio_rejected: '⚠️ speech too long',
};

const kindNames: Record<CreditOpView['kind'], string> = {
  grant: 'granted',
  revoke: 'revoked',
  spend: 'spent',
  refund: 'refunded',
};

// Reasons the system writes (user-typed reasons are shown as typed).
const reasonNames: Record<string, string> = {
  stars_purchase: 'bought with Stars',
  stars_refund: 'Stars refunded',
};

const checkoutRefusals: Record<CheckoutRefusal, string> = {
  unknown_order:
    'This invoice is not valid for your account. Open Credits in the bot for a new one.',
  order_already_paid: 'This invoice is paid already. Open Credits in the bot to buy more.',
  pack_unavailable:
    'This pack is no longer on sale. Open Credits in the bot to see the current packs.',
  price_changed:
    'The price of this pack has changed since the invoice. Open Credits in the bot for a new invoice.',
  payment_mismatch: 'The amount does not match the invoice. Open Credits in the bot for a new one.',
  failed:
    'The bot could not check this order just now. Nothing was charged; please try again in a minute.',
};

const ageNames: Record<string, string> = { young: 'young', adult: 'adult', senior: 'senior' };

export const en = {
  languageName: 'English',

  // ---- guards and errors ----
  privateOnly: (botUsername: string) =>
    `I work in private chats only. Write to me directly: @${esc(botUsername)}`,
  slowDown:
    'Whoa, that is a lot of messages at once. Please slow down a little — I will answer again in a few seconds.',
  errorApology:
    'Sorry, something went wrong on my side. Please try again in a moment; nothing was charged for this.',
  outdatedButton: 'This button is outdated. Here is a fresh menu.',
  notYourGeneration: 'This video is not available.',
  unknownCommand: 'I do not know this command. See /help for what I can do.',
  useMenu: 'I did not expect that here. Use the buttons below, or /help.',

  // ---- menu ----
  mainMenu: (name: string, balance: number) =>
    `<b>UGC Studio</b>\n\nHi, ${esc(name)}! I turn a short script into a vertical “talking to the camera” video ad.\nBalance: <b>${balance}</b> ${balance === 1 ? 'credit' : 'credits'}.\n\nWhat would you like to do?`,
  welcome: (name: string, credits: number) =>
    `👋 Welcome, ${esc(name)}!\n\nYou got <b>${credits}</b> free ${credits === 1 ? 'credit' : 'credits'} to start. One video costs one credit; if a video fails, the credit comes back automatically.`,
  btnCreate: '🎬 Create a video ad',
  btnHistory: '📂 My videos',
  btnCredits: '💳 Credits',
  btnProfile: '👤 Profile',
  btnHelp: '❓ Help',
  btnFeedback: '✉️ Feedback',
  btnBack: '◀️ Back',
  btnMain: '🏠 Main menu',

  help: (cost: number, maxAudioSec: number, maxEdits: number, scriptMax: number) =>
    [
      '<b>How it works</b>',
      '1. Pick a format: a <b>talking head</b>, or a <b>character over your own background clip</b>.',
      '2. Pick a character from the gallery (you can tweak the look with AI).',
      '3. Pick a voice — listen to the previews first.',
      `4. Write the script (up to ${scriptMax} characters; the speech must fit into ${maxAudioSec} s).`,
      `5. Press “Generate”. One video costs <b>${cost}</b> credit${cost === 1 ? '' : 's'}.`,
      '',
      '<b>FAQ</b>',
      `• <i>My speech is longer than ${maxAudioSec} s?</i> I tell you and you are not charged.`,
      '• <i>The video failed?</i> The credit is refunded automatically.',
      '• <i>Background clip?</i> MP4, MOV or AVI, at most 15 s and 20 MB.',
      `• <i>AI edits?</i> Up to ${maxEdits} per character; they need the cloud provider (fal.ai).`,
      '• <i>Lip-sync?</i> With the cloud video provider, always; the local build moves the mouths of the drawn starter characters and of imported photos whose face it found (lip-sync (local)), and animates other photos and edited portraits without lip-sync. Every video says which providers made it.',
      '• <i>Download links</i> in “My videos” expire after a while; open the list again for a fresh one.',
      '',
      '<b>Commands</b>',
      '/main — main menu · /create_ads — new video · /history — my videos',
      '/credits — balance · /feedback — write to the team · /help — this page',
    ].join('\n'),

  profile: (balance: number, generations: number, since: string, language: string) =>
    `<b>Your profile</b>\n\nBalance: <b>${balance}</b>\nVideos ordered: <b>${generations}</b>\nMember since: ${esc(since)}\nLanguage: ${esc(language)}`,
  btnLangRu: '🇷🇺 Русский',
  btnLangEn: '🇬🇧 English',
  languageChanged: 'Language switched to English.',

  cmdStart: 'Start / restart',
  cmdMain: 'Main menu',
  cmdCreateAds: 'Create a video ad',
  cmdCredits: 'Balance and top-up',
  cmdHistory: 'My videos',
  cmdFeedback: 'Write to the team',
  cmdHelp: 'Help and FAQ',

  // ---- format ----
  formatScreen: (resumeStep: string | null) =>
    `<b>Step 1 · Format</b>\n\n🗣 <b>Talking head</b> — the character speaks to the camera, full screen.\n🎞 <b>Character + background</b> — the character appears over your own clip (a product shot, a screen recording…), with subtitles.${
      resumeStep ? `\n\nYour draft is saved; next step: ${esc(resumeStep)}.` : ''
    }`,
  btnTalkingHead: '🗣 Talking head',
  btnBackgroundFormat: '🎞 Character + background',
  btnExampleTalkingHead: '▶️ Example: talking head',
  btnExampleBackground: '▶️ Example: with background',
  btnChooseThisFormat: '✅ Choose this format',
  btnResume: (step: string) => `⏩ Continue: ${step}`,
  exampleCaption: (format: 'talking_head' | 'background') =>
    format === 'talking_head'
      ? '<b>Example · Talking head</b>\nThe character speaks your script to the camera.'
      : '<b>Example · Character + background</b>\nThe character over a background clip, with word-by-word subtitles.',
  exampleMissing: 'There is no example video for this format yet.',

  backgroundAsk: (hasCurrent: boolean) =>
    `<b>Step 1b · Background clip</b>\n\nSend me the clip to put behind the character: <b>MP4, MOV or AVI</b>, at most <b>15 s</b> and <b>20 MB</b>. Send it as a video or as a file.${
      hasCurrent ? '\n\nOr keep the clip you already sent.' : ''
    }`,
  btnKeepBackground: '✅ Keep my current clip',
  bgChecking: '⏳ Checking your clip…',
  bgAccepted: (durationSec: number, width: number, height: number) =>
    `✅ Clip accepted: ${durationSec.toFixed(1)} s, ${width}×${height}.`,
  bgTooLarge: (sizeMb: string, maxMb: number) =>
    `❌ This file is ${esc(sizeMb)} MB; the limit is ${maxMb} MB. Please trim or compress it and send it again.`,
  bgTooLong: (durationSec: number, maxSec: number) =>
    `❌ This clip is ${durationSec.toFixed(1)} s long; the limit is ${maxSec} s. Please trim it and send it again.`,
  bgUnsupported: (detected: string) =>
    `❌ This is not an MP4, MOV or AVI video (I see: ${esc(detected)}). Please send a clip in one of those formats.`,
  bgCorrupt:
    '❌ I could not decode this video — the file looks damaged or incomplete. Please export it again and resend.',
  bgNoVideo: '❌ This file has no video track. Please send a video clip.',
  bgNotAVideo:
    '📎 I am waiting for a <b>video clip</b> (MP4, MOV or AVI, at most 15 s and 20 MB). A photo or text will not do here.',
  bgDownloadFailed: '❌ I could not download this file from Telegram. Please send it again.',

  shapeScreen:
    '<b>Step 1c · Character shape</b>\n\nHow should the character appear over your clip?\n\n✂️ <b>Cut-out</b> (recommended) shows just the person, without their backdrop. The circle and the rectangle show them in a frame.',
  btnCircle: '⚪ Circle',
  btnRoundedRect: '▢ Rounded rectangle',
  btnCutout: '✂️ Cut-out (recommended)',

  // ---- character ----
  genderScreen: '<b>Step 2 · Character</b>\n\nWho should speak in your ad?',
  btnFemale: '👩 Woman',
  btnMale: '👨 Man',
  galleryCaption: (name: string, age: string, position: number, total: number) =>
    `<b>${esc(name)}</b> · ${esc(ageNames[age] ?? age)}\n${position} / ${total}`,
  galleryEmpty: 'There are no characters in this group yet.',
  btnPrev: '⬅️',
  btnNext: '➡️',
  btnChooseCharacter: '✅ Choose',
  characterChosen: (name: string, age: string) =>
    `✅ Chosen: <b>${esc(name)}</b> · ${esc(ageNames[age] ?? age)}`,
  editOffer: (name: string, remaining: number) =>
    `<b>Step 2b · Look</b>\n\n${esc(name)} is ready. Want to tweak the look with AI — clothes, hair, background? (${remaining} edit${remaining === 1 ? '' : 's'} left.)`,
  btnEdit: '✏️ Edit with AI',
  btnToVoice: '➡️ Continue to the voice',
  btnBackToGallery: '◀️ Back to the gallery',
  editUnavailable:
    'AI editing needs the cloud image provider (fal.ai), which is not configured on this server. You can continue with the original character.',
  editAskPrompt: (remaining: number) =>
    `✏️ Describe the change in one message, e.g. “a red hoodie, curly hair”. Edits left: <b>${remaining}</b>.`,
  editWorking: '⏳ Editing the image… this takes up to a minute.',
  editResult: (remaining: number) =>
    `Here is the edited character. Edits left: <b>${remaining}</b>.`,
  btnAcceptEdit: '✅ Use this',
  btnEditAgain: (remaining: number) => `🔁 Edit again (${remaining} left)`,
  btnRevertEdit: '↩️ Back to the original',
  editFailed: (reason: string) =>
    `❌ The edit did not work: ${esc(reason)}\nIt did not use up an edit.`,
  editContentPolicy: 'the provider refused this request (content policy). Try a different wording.',
  editServiceUnavailable:
    'the image service is not reachable right now. Please try again in a few minutes.',
  editServiceFailed:
    'the image service could not make this edit. Try again or rephrase the request.',
  editPromptEmpty: 'The description is empty. Please write what to change.',
  editLimit: (max: number) =>
    `You have used all ${max} edits for this character. Keep it, revert to the original or pick another character.`,
  editInProgress: 'An edit is still running. Wait for it, or go back to the original.',
  editNotText: 'Please describe the change in a text message.',
  editReverted: '↩️ Back to the original look.',
  editAccepted: '✅ Edited look saved.',
  editNothingToRevert: 'This is already the original look.',

  // ---- voice ----
  voicesScreen: (page: number, pages: number) =>
    `<b>Step 3 · Voice</b>\n\nListen with ▶️ and pick one with ✅.${pages > 1 ? ` Page ${page} / ${pages}.` : ''}`,
  voiceLine: (name: string, language: string, gender: 'male' | 'female') =>
    `• ${esc(name)} — ${esc(languageName(language, 'en'))}, ${gender === 'male' ? 'male' : 'female'}`,
  btnListen: (name: string) => `▶️ ${name}`,
  btnPickVoice: '✅',
  voicesEmpty: 'There are no voices yet.',
  voiceNoPreview: 'No preview for this voice.',
  voicePreviewCaption: (name: string) => `▶️ ${esc(name)}`,
  voiceChosen: (name: string) => `✅ Voice: <b>${esc(name)}</b>`,
  voicesForScript: (script: string) =>
    `Your script is ${esc(script)}: the voices that can read it come first.`,
  voiceCannotReadMark: ' · ⚠️ cannot read your script',
  voiceLanguageMismatch: (script: string, voiceLanguages: string) =>
    `⚠️ Your script is <b>${esc(script)}</b>, but the chosen voice speaks <b>${esc(voiceLanguages)}</b>: it cannot read it. Nothing was charged. Please choose a voice that can — your script stays as it is.`,
  scriptVoiceMismatch: (script: string, voiceLanguages: string) =>
    `⚠️ The chosen voice speaks <b>${esc(voiceLanguages)}</b> and cannot read this script (<b>${esc(script)}</b>). Choose another voice — your script stays as it is.`,
  btnVoicesForScript: '🎙 Voices that can read it',
  noVoiceReadsScript: (script: string, languages: string, refused: boolean) =>
    `⚠️ Your script is <b>${esc(script)}</b>, and none of the voices here can read it — they speak ${esc(languages)}.${
      refused ? ' Nothing was charged.' : ''
    } Please write the script in one of these languages.`,
  voiceButtonOutdated: 'The voice list has changed since that button. Here it is again.',

  // ---- script ----
  scriptAsk: (maxChars: number, maxSec: number) =>
    `<b>Step 4 · Script</b>\n\nSend the text the character should say — up to <b>${maxChars}</b> characters. The speech must fit into <b>${maxSec} s</b> (about ${Math.round(maxSec * 2.3)} words); if it does not, I tell you and nothing is charged.`,
  scriptEmpty:
    '❌ There is nothing to say in this text — only emoji, symbols or spaces. Please write words.',
  scriptTooLong: (length: number, max: number) =>
    `❌ The script has ${length} characters; the limit is ${max}. Please shorten it and send it again.`,
  scriptNotText: 'Please send the script as a text message.',
  scriptConfirm: (
    text: string,
    speech: string,
    balance: number,
    cost: number,
    lipSync: boolean | 'local',
  ) =>
    `<b>Step 5 · Check and generate</b>\n\n<b>Your script:</b>\n${esc(text)}\n\n<b>The voice will read:</b>\n${esc(speech)}\n\nCost: <b>${cost}</b> credit${cost === 1 ? '' : 's'} · balance: <b>${balance}</b>${
      lipSync === true
        ? ''
        : lipSync === 'local'
          ? '\n\nℹ️ This server renders locally: the character’s mouth follows the speech — <b>lip-sync (local)</b>.'
          : '\n\nℹ️ This server renders locally: the character is animated but <b>without lip-sync</b>.'
    }`,
  scriptMaybeLong: (estimatedSec: number, maxSec: number) =>
    `⚠️ This may take about ${Math.round(estimatedSec)} s to say, over the ${maxSec} s limit. If it does, you will not be charged.`,
  btnGenerate: (cost: number) => `🎬 Generate (${cost} credit${cost === 1 ? '' : 's'})`,
  btnRewrite: '✏️ Rewrite',

  // ---- captions ----
  captionsScreen: (current: string) =>
    `<b>Step 4b · Captions</b>\n\nThe words appear on the video as they are spoken. The picture shows each style over a character; pick one, or none.\n\nNow: <b>${esc(current)}</b>`,
  captionsPreviewMissing: 'ℹ️ The style preview could not be drawn just now; the styles are below.',
  captionStyleName: (style: 'none' | 'classic' | 'bold' | 'boxed'): string =>
    (
      ({ none: 'No captions', classic: 'Classic', bold: 'Bold', boxed: 'Boxed' }) as Record<
        string,
        string
      >
    )[style] ?? esc(String(style)),
  /** The sample line of the style preview. */
  captionSample: 'Fresh coffee every morning',
  captionsLine: (current: string) => `Captions: <b>${esc(current)}</b>`,
  btnCaptions: '🔤 Captions',

  // ---- generation ----
  queued:
    '✅ Your video is in the queue. I will update this message as it goes and send the video here.',
  insufficientCredits: (balance: number, cost: number) =>
    `❌ Not enough credits: you have <b>${balance}</b>, a video costs <b>${cost}</b>. Ask for a top-up and the team will add credits.`,
  btnTopUp: '💳 Request a top-up',
  draftIncomplete: (missing: readonly MissingStep[]) =>
    `Almost there — still missing: ${missing.map((m) => missingNames[m]).join(', ')}.`,
  missingStep: (step: MissingStep) => missingNames[step],
  btnFill: (step: MissingStep) => `➡️ Add ${missingNames[step]}`,
  progress: (stage: ProgressStageName, elapsedSec: number) =>
    `⏳ <b>${stageNames[stage]}</b>…\nElapsed: ${Math.round(elapsedSec)} s`,
  progressResumed: '↻ Resumed after an interruption — nothing is charged twice.',
  progressDone: (elapsedSec: number) => `✅ Done in ${Math.round(elapsedSec)} s.`,
  progressDelivered: '✅ Done — the video is below.',
  progressStopped: '⛔ Stopped — details below.',
  deliveredCaption: (providersNote: string) =>
    `🎬 Your video is ready!\n<i>Made with: ${esc(providersNote)}</i>`,
  failedAudioTooLong: (durationSec: number, maxSec: number, refunded: boolean) =>
    `⚠️ The speech came out ${durationSec.toFixed(1)} s long; the limit is ${maxSec} s. Please shorten the script and try again.${
      refunded ? ' Your credit has been refunded.' : ' You were not charged.'
    }`,
  failedProvider: (stage: ProgressStageName, refunded: boolean) =>
    `❌ Sorry, the video failed at the “${esc(stageNames[stage])}” stage.${
      refunded ? ' Your credit has been refunded.' : ''
    } Please try again.`,
  failedVoiceCannotRead: (script: string | null, refunded: boolean) =>
    `⚠️ The chosen voice cannot read ${script === null ? 'some characters of your script' : `your script (<b>${esc(script)}</b>)`}: it would only spell out the letters, so no video was made.${
      refunded ? ' Your credit has been refunded.' : ' You were not charged.'
    } Please pick a voice that speaks this language and send the script again.`,
  btnPickVoiceForScript: '🎙 Pick a voice',
  failedDelivery: (refunded: boolean) =>
    `❌ Sorry, I could not send you the video.${refunded ? ' Your credit has been refunded.' : ''}`,
  progressWaitingForTelegram: (waitSec: number) =>
    `✅ Your video is ready. ⏳ Telegram asked me to wait ${Math.ceil(waitSec)} s before sending it; it will arrive here as soon as Telegram allows.`,
  progressLinkSent: '✅ Done — the download link is below.',
  progressUndelivered:
    '✅ Your video is ready, but Telegram would not take it. It is in “My videos”.',
  videoLinkAnswerLost: (url: string, hours: number) =>
    `🎬 Your video is ready — if it didn't arrive above, here it is: <a href="${esc(url)}">download the video</a>\nThe link works for ${hours} h.`,
  videoUndelivered: (url: string, hours: number) =>
    `🎬 Your video is ready, but Telegram would not let me send it here. It is in “My videos”, and here is the link: <a href="${esc(url)}">download the video</a>\nThe link works for ${hours} h.`,

  // ---- history ----
  historyEmpty: 'You have no videos yet. Press “Create a video ad” to make your first one.',
  historyHeader: (stats: StatsView, page: number, pages: number) =>
    `<b>My videos</b>\nTotal: ${stats.total} · done: ${stats.completed} · failed: ${stats.failed} · credits spent: ${stats.creditsSpent}${
      pages > 1 ? `\nPage ${page} / ${pages}` : ''
    }`,
  historyItem: (n: number, item: GenerationView) =>
    `<b>${n}.</b> ${esc(item.date)} · ${item.format === 'background' ? '🎞' : '🗣'} · ${statusNames[item.status] ?? esc(item.status)}${
      item.refunded ? ' · refunded' : ''
    }${item.undelivered ? ' · not sent by Telegram, download it below' : ''}\n<i>${esc(item.script)}</i>`,
  btnDownload: (n: number) => `⬇️ ${n}`,
  downloadLink: (url: string, hours: number) =>
    `⬇️ <a href="${esc(url)}">Download the video</a>\nThe link works for ${hours} h.`,
  downloadNotReady: 'This video is not ready yet.',

  // ---- credits ----
  creditsScreen: (balance: number, cost: number) =>
    `<b>Credits</b>\n\nBalance: <b>${balance}</b>. One video costs ${cost}.`,
  creditsOpsHeader: '\n<b>Recent operations</b>',
  creditOp: (op: CreditOpView) =>
    `${op.delta > 0 ? '+' : ''}${op.delta} · ${kindNames[op.kind]} · ${esc(reasonNames[op.reason] ?? op.reason)} · ${esc(op.date)}`,
  creditsNoOps: '\nNo operations yet.',
  topUpMenu:
    'How many credits would you like? The request goes to the team; credits arrive as a message here.',
  topUpSent: (amount: number) =>
    `✅ Request for ${amount} credits sent to the team. I will tell you when they arrive.`,
  topUpNoAdmins: '✅ Request saved. The team will look at it.',
  creditsGranted: (amount: number, reason: string, balance: number) =>
    `🎁 You received <b>${amount}</b> credit${amount === 1 ? '' : 's'} (${esc(reason)}). Balance: <b>${balance}</b>.`,
  creditsRevoked: (amount: number, reason: string, balance: number) =>
    `ℹ️ ${amount} credit${amount === 1 ? '' : 's'} removed by the team (${esc(reason)}). Balance: <b>${balance}</b>.`,

  // ---- Telegram Stars ----
  creditsPacks:
    '\n<b>Buy credits with Telegram Stars</b> ⭐\nCredits arrive as soon as the payment goes through. /terms · /paysupport',
  btnBuyPack: (credits: number, stars: number) => `${credits} credits · ${stars} ⭐`,
  invoiceTitle: (credits: number) => `${credits} credits`,
  invoiceDescription: (credits: number, cost: number) =>
    `${credits} credits for UGC Studio: ${Math.floor(credits / cost)} video${Math.floor(credits / cost) === 1 ? '' : 's'}. They arrive in the bot as soon as the payment goes through.`,
  invoiceLabel: (credits: number) => `${credits} credits`,
  packUnavailable: 'This pack is no longer on sale. Here are the current ones.',
  checkoutRefused: (refusal: CheckoutRefusal) => checkoutRefusals[refusal],
  paymentReceived: (credits: number, stars: number, balance: number) =>
    `✅ Payment received: ${stars} ⭐. <b>+${credits}</b> credits, balance: <b>${balance}</b>. Thank you!`,
  paymentUnmatched: (stars: number) =>
    `⚠️ Your payment of ${stars} ⭐ does not match an open order of yours, so I returned the Stars. Nothing else changed; please buy again from Credits.`,
  paymentRefunded: (stars: number, creditsTakenBack: number, balance: number) =>
    `↩️ Your payment of ${stars} ⭐ was refunded.${creditsTakenBack > 0 ? ` ${creditsTakenBack} credit${creditsTakenBack === 1 ? ' was' : 's were'} taken back.` : ''} Balance: <b>${balance}</b>.`,
  paySupport: (payments: readonly PaymentView[]) =>
    [
      '<b>Payment support</b>',
      'Problem with a purchase? Write to us with /feedback and name the payment below; the team answers here. A payment is refunded in Stars; the credits it bought are taken back, as far as they are not spent yet (the balance never goes below zero).',
      payments.length === 0
        ? 'You have no payments yet.'
        : [
            '',
            '<b>Your payments</b>',
            ...payments.map(
              (p) =>
                `• ${p.stars} ⭐ → ${p.credits} credits${p.refunded ? ' · refunded' : ''}\n  <code>${esc(p.chargeId)}</code>`,
            ),
          ].join('\n'),
    ].join('\n'),
  terms: (cost: number) =>
    [
      '<b>Terms of purchase</b>',
      `• Credits are bought with Telegram Stars in packs; one video costs ${cost} credit${cost === 1 ? '' : 's'}. Credits are digital goods of this bot, usable only here; they do not expire and cannot be exchanged for money.`,
      '• Credits are added right after Telegram confirms the payment. A video that fails gives its credit back automatically.',
      '• Refunds: ask via /paysupport. A refund returns the Stars of the payment and takes back its credits, as far as they are not spent yet.',
      '• Telegram processes the payment; the bot never sees your card or account details.',
    ].join('\n'),
  cmdPaySupport: 'Payment support',
  cmdTerms: 'Terms of purchase',

  // ---- feedback ----
  feedbackAsk: (max: number) =>
    `✉️ Write your message for the team in one message (up to ${max} characters). Questions, ideas, problems — all welcome.`,
  feedbackThanks: '🙏 Thank you! Your message went to the team; their answer will arrive here.',
  feedbackEmpty: 'The message is empty. Please write something.',
  feedbackTooLong: (length: number, max: number) =>
    `The message has ${length} characters; the limit is ${max}. Please shorten it.`,
  feedbackNotText: 'Please write your feedback as a text message.',
  feedbackAnswer: (text: string) => `📬 <b>Answer from the team:</b>\n\n${esc(text)}`,

  // ---- admin (shown to admins) ----
  adminFeedback: (user: string, userId: number, text: string, tag: string) =>
    `💬 <b>Feedback</b> from ${esc(user)} (id <code>${userId}</code>)\n\n${esc(text)}\n\n${esc(tag)}\nReply to this message, or: <code>/reply ${userId} your text</code>`,
  btnReplyFeedback: '↩️ Reply',
  adminReplyPrompt: (userId: number, tag: string) =>
    `Write the answer to user <code>${userId}</code> as a reply to this message.\n${esc(tag)}`,
  adminAnswerDelivered: (userId: number) => `✅ Answer delivered to <code>${userId}</code>.`,
  adminAnswerNotDelivered: (userId: number) =>
    `⚠️ Answer saved, but Telegram did not deliver it to <code>${userId}</code>.`,
  adminAlreadyAnswered: 'This feedback was already answered.',
  adminNoOpenFeedback: (userId: number) =>
    `User <code>${userId}</code> has no unanswered feedback.`,
  adminTopUp: (user: string, userId: number, balance: number, amount: number | null) =>
    `💳 <b>Top-up request</b> from ${esc(user)} (id <code>${userId}</code>)\nBalance: ${balance}${
      amount === null ? '' : ` · asks for ${amount}`
    }\nTo grant: <code>/grant ${userId} ${amount ?? 10} top-up</code>`,
  adminUsage: (command: string) =>
    command === 'grant' || command === 'revoke'
      ? `Usage: <code>/${command} &lt;user id&gt; &lt;amount&gt; &lt;reason&gt;</code>`
      : command === 'reply'
        ? 'Usage: <code>/reply &lt;user id&gt; &lt;text&gt;</code>'
        : `Usage: <code>/${esc(command)} &lt;user id&gt;</code>`,
  adminUserNotFound: (userId: number) => `User <code>${userId}</code> has not started the bot.`,
  adminInvalidAmount: 'The amount must be a positive whole number.',
  adminReasonRequired: 'Please give a reason.',
  adminInsufficient: (balance: number) => `The user has only ${balance} credits.`,
  adminGranted: (userId: number, amount: number, balance: number) =>
    `✅ Granted ${amount} to <code>${userId}</code>. Balance: ${balance}.`,
  adminRevoked: (userId: number, amount: number, balance: number) =>
    `✅ Revoked ${amount} from <code>${userId}</code>. Balance: ${balance}.`,
  adminAlreadyDone: 'Already done (repeated update).',
  adminAuditHeader: (
    userId: number,
    balance: number,
    granted: number,
    spent: number,
    refunded: number,
    revoked: number,
    count: number,
  ) =>
    `<b>Credit audit</b> for <code>${userId}</code> — from the event log\nBalance: <b>${balance}</b> · granted ${granted} · spent ${spent} · refunded ${refunded} · revoked ${revoked} · ${count} operations`,
  adminAuditEmpty: (userId: number) => `No credit operations for <code>${userId}</code>.`,
  adminStats: (days: readonly StatsDay[]) => days.map(formatStatsDay).join('\n\n'),
  adminRateLimited: (seconds: number) => `Too many admin commands. Try again in ${seconds} s.`,
  adminFailed: (message: string) => `Rejected: ${esc(message)}`,
  adminPayments: (userId: number, payments: readonly PaymentView[]) =>
    [
      `<b>Stars payments</b> of <code>${userId}</code> (refund: <code>/refund ${userId} &lt;charge id&gt;</code>)`,
      ...payments.map(
        (p) =>
          `• ${p.stars} ⭐ → ${p.credits} credits${p.refunded ? ' · refunded' : ''} · <code>${esc(p.chargeId)}</code>`,
      ),
    ].join('\n'),
  adminRefundUsage:
    'Usage: <code>/refund &lt;user id&gt; &lt;telegram payment charge id&gt;</code> (the charge ids are in /audit and on the dashboard)',
  adminRefundUnknown: (userId: number, chargeId: string) =>
    `User <code>${userId}</code> has no payment <code>${esc(chargeId)}</code>.`,
  adminRefundAlready: (chargeId: string) =>
    `Payment <code>${esc(chargeId)}</code> is refunded already.`,
  adminRefundFailed: (message: string) =>
    `❌ Telegram refused the refund: ${esc(message)}. Nothing was recorded.`,
  adminRefunded: (userId: number, stars: number, creditsTakenBack: number, balance: number) =>
    `✅ Refunded ${stars} ⭐ to <code>${userId}</code>; took back ${creditsTakenBack} credits. Balance: ${balance}.`,

  // ---- wizard step order (buttons and messages of another step; edited messages) ----
  stepNeeds: (needs: StepNeed) =>
    (
      ({
        format: 'First choose a format.',
        background_format: 'This is only for the “Character + background” format.',
        background_video: 'First send the background clip.',
        gender: 'First choose who should speak.',
        character: 'First choose a character.',
        voice: 'First pick a voice.',
        script: 'First write the script.',
      }) satisfies Record<StepNeed, string>
    )[needs],
  stepName: (step: WizardPosition) =>
    (
      ({
        format: 'choose a format',
        background_video: 'send the background clip',
        character: 'choose a character',
        voice: 'pick a voice',
        script: 'write the script',
        confirm: 'check the script and generate',
      }) satisfies Record<WizardPosition, string>
    )[step],
  outOfStep: (note: string, nextStep: string) =>
    `⏸ ${esc(note)}\nThis belongs to another step of the wizard, so nothing in your draft has changed.\n\nYour next step: <b>${esc(nextStep)}</b>.`,
  btnGoToStep: (step: string) => `⏩ ${step.charAt(0).toUpperCase()}${step.slice(1)}`,
  scriptUpdated: '✏️ Script updated: the video will use the new text.',
  scriptEditKept: 'Your previous script is kept.',
  scriptEditTooLate:
    '🎬 A video from this script is already in production, and it keeps the text it was ordered with. To make a video with the new text, start a new one and send the text again.',
  btnNewVideo: '🎬 Make a new video',
  bgNotUsed:
    '⏹ This clip was not used: your draft is no longer in the “Character + background” format.',
  editedMessageIgnored:
    '✏️ I saw that you edited an earlier message, but edits change nothing here. If you meant to send me something, send it as a new message.',
};

function formatStatsDay(day: StatsDay): string {
  const title = `<b>${day.label === 'today' ? 'Today' : 'Yesterday'}</b> (${esc(day.day)})`;
  if (!day.row) return `${title}\nno activity`;
  const r = day.row;
  const n = (key: string) => r[key] ?? 0;
  return [
    title,
    `users: new ${n('new_users')}, active ${n('active_users')}`,
    `videos: requested ${n('generations_requested')}, done ${n('generations_completed')}, failed ${n('generations_failed')}`,
    `  talking head ${n('talking_head_requested')}/${n('talking_head_completed')}/${n('talking_head_failed')}, background ${n('background_requested')}/${n('background_completed')}/${n('background_failed')}`,
    `credits: granted ${n('credits_granted')}, spent ${n('credits_spent')}, refunded ${n('credits_refunded')}, revoked ${n('credits_revoked')}`,
    `Stars: ${n('stars_payments')} payments, ${n('stars_revenue')} ⭐, ${n('credits_sold')} credits sold; ${n('stars_refunds')} refunds, ${n('stars_refunded')} ⭐`,
  ].join('\n');
}
