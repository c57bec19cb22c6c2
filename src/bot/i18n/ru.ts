import { esc } from '../html.js';
import { languageName } from './language-names.js';
import type { Messages } from './index.js';
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

// Те же ключи, что в en.ts (иначе ошибка компиляции). Пользовательский ввод экранируется здесь.

const stageNames: Record<ProgressStageName, string> = {
  queued: 'В очереди',
  tts: 'Синтез речи',
  video: 'Оживляем персонажа',
  overlay: 'Накладываем персонажа на ваш ролик',
  subtitles: 'Вшиваем субтитры',
  render: 'Завершаем видео',
  delivery: 'Отправляем видео',
};

const missingNames: Record<MissingStep, string> = {
  format: 'формат',
  background_video: 'фоновый ролик',
  character: 'персонаж',
  voice: 'голос',
  script: 'текст',
};

const statusNames: Record<string, string> = {
  requested: '⏳ в очереди',
  audio_ready: '⏳ речь готова',
  video_pending: '⏳ анимация',
  video_ready: '⏳ видео готово',
  overlay_ready: '⏳ монтаж',
  subtitled: '⏳ субтитры',
  completed: '✅ готово',
  failed: '❌ ошибка',
  audio_rejected: '⚠️ речь слишком длинная',
};

const kindNames: Record<CreditOpView['kind'], string> = {
  grant: 'начислено',
  revoke: 'списано админом',
  spend: 'потрачено',
  refund: 'возврат',
};

const reasonNames: Record<string, string> = {
  stars_purchase: 'покупка за Stars',
  stars_refund: 'возврат Stars',
};

const checkoutRefusals: Record<CheckoutRefusal, string> = {
  unknown_order:
    'Этот счёт недействителен для вашего аккаунта. Откройте «Кредиты» в боте и получите новый.',
  order_already_paid: 'Этот счёт уже оплачен. Откройте «Кредиты» в боте, чтобы купить ещё.',
  pack_unavailable:
    'Этот пакет больше не продаётся. Актуальные пакеты — в разделе «Кредиты» в боте.',
  price_changed:
    'Цена пакета изменилась после выставления счёта. Откройте «Кредиты» в боте за новым счётом.',
  payment_mismatch: 'Сумма не совпадает со счётом. Откройте «Кредиты» в боте за новым счётом.',
  failed: 'Бот не смог проверить заказ прямо сейчас. Ничего не списано; попробуйте через минуту.',
};

const ageNames: Record<string, string> = { young: 'молодой', adult: 'взрослый', senior: 'старший' };

/** 1 кредит, 2 кредита, 5 кредитов. */
function credits(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return 'кредит';
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 'кредита';
  return 'кредитов';
}

export const ru: Messages = {
  languageName: 'Русский',

  privateOnly: (botUsername: string) =>
    `Я работаю только в личных сообщениях. Напишите мне напрямую: @${esc(botUsername)}`,
  slowDown:
    'Ого, сколько сообщений сразу. Пожалуйста, чуть помедленнее — через несколько секунд я снова отвечу.',
  errorApology:
    'Извините, у меня что-то пошло не так. Попробуйте ещё раз через минуту; за это ничего не списано.',
  outdatedButton: 'Эта кнопка устарела. Вот свежее меню.',
  notYourGeneration: 'Это видео недоступно.',
  unknownCommand: 'Я не знаю такой команды. Что я умею — в /help.',
  useMenu: 'Я не ждал здесь этого. Воспользуйтесь кнопками ниже или /help.',

  mainMenu: (name: string, balance: number) =>
    `<b>UGC Studio</b>\n\nПривет, ${esc(name)}! Я превращаю короткий текст в вертикальный рекламный ролик, где персонаж говорит в камеру.\nБаланс: <b>${balance}</b> ${credits(balance)}.\n\nЧто делаем?`,
  welcome: (name: string, amount: number) =>
    `👋 Добро пожаловать, ${esc(name)}!\n\nВам начислено <b>${amount}</b> ${credits(amount)} для старта. Одно видео стоит один кредит; если видео не получится, кредит вернётся автоматически.`,
  btnCreate: '🎬 Создать рекламу',
  btnHistory: '📂 Мои видео',
  btnCredits: '💳 Кредиты',
  btnProfile: '👤 Профиль',
  btnHelp: '❓ Помощь',
  btnFeedback: '✉️ Обратная связь',
  btnBack: '◀️ Назад',
  btnMain: '🏠 Главное меню',

  help: (cost: number, maxAudioSec: number, maxEdits: number, scriptMax: number) =>
    [
      '<b>Как это работает</b>',
      '1. Выберите формат: <b>говорящая голова</b> или <b>персонаж поверх вашего фонового ролика</b>.',
      '2. Выберите персонажа в галерее (внешность можно изменить с помощью ИИ).',
      '3. Выберите голос — сначала послушайте примеры.',
      `4. Напишите текст (до ${scriptMax} символов; речь должна уложиться в ${maxAudioSec} с).`,
      `5. Нажмите «Сгенерировать». Одно видео стоит <b>${cost}</b> ${credits(cost)}.`,
      '',
      '<b>Вопросы и ответы</b>',
      `• <i>Речь длиннее ${maxAudioSec} с?</i> Я сообщу об этом, и кредит не спишется.`,
      '• <i>Видео не получилось?</i> Кредит вернётся автоматически.',
      '• <i>Фоновый ролик?</i> MP4, MOV или AVI, не длиннее 15 с и не больше 20 МБ.',
      `• <i>ИИ-редактирование?</i> До ${maxEdits} правок на персонажа; нужен облачный провайдер (fal.ai).`,
      '• <i>Синхронизация губ?</i> С облачным видеопровайдером — всегда; локальная сборка двигает рот нарисованных стартовых персонажей и импортированных фотографий, на которых нашлось лицо (синхронизация губ (локальная)), а остальные фотографии и отредактированные портреты оживляет без синхронизации губ. В каждом видео указано, кто его сделал.',
      '• <i>Ссылки на скачивание</i> в «Моих видео» со временем истекают; откройте список заново, чтобы получить новую.',
      '',
      '<b>Команды</b>',
      '/main — главное меню · /create_ads — новое видео · /history — мои видео',
      '/credits — баланс · /feedback — написать команде · /help — эта страница',
    ].join('\n'),

  profile: (balance: number, generations: number, since: string, language: string) =>
    `<b>Ваш профиль</b>\n\nБаланс: <b>${balance}</b>\nЗаказано видео: <b>${generations}</b>\nС нами с: ${esc(since)}\nЯзык: ${esc(language)}`,
  btnLangRu: '🇷🇺 Русский',
  btnLangEn: '🇬🇧 English',
  languageChanged: 'Язык переключён на русский.',

  cmdStart: 'Начать заново',
  cmdMain: 'Главное меню',
  cmdCreateAds: 'Создать рекламу',
  cmdCredits: 'Баланс и пополнение',
  cmdHistory: 'Мои видео',
  cmdFeedback: 'Написать команде',
  cmdHelp: 'Помощь и вопросы',

  formatScreen: (resumeStep: string | null) =>
    `<b>Шаг 1 · Формат</b>\n\n🗣 <b>Говорящая голова</b> — персонаж говорит в камеру на весь экран.\n🎞 <b>Персонаж + фон</b> — персонаж поверх вашего ролика (товар, запись экрана…), с субтитрами.${
      resumeStep ? `\n\nЧерновик сохранён; следующий шаг: ${esc(resumeStep)}.` : ''
    }`,
  btnTalkingHead: '🗣 Говорящая голова',
  btnBackgroundFormat: '🎞 Персонаж + фон',
  btnExampleTalkingHead: '▶️ Пример: говорящая голова',
  btnExampleBackground: '▶️ Пример: с фоном',
  btnChooseThisFormat: '✅ Выбрать этот формат',
  btnResume: (step: string) => `⏩ Продолжить: ${step}`,
  exampleCaption: (format: 'talking_head' | 'background') =>
    format === 'talking_head'
      ? '<b>Пример · Говорящая голова</b>\nПерсонаж произносит ваш текст в камеру.'
      : '<b>Пример · Персонаж + фон</b>\nПерсонаж поверх фонового ролика, с пословными субтитрами.',
  exampleMissing: 'Для этого формата пока нет примера.',

  backgroundAsk: (hasCurrent: boolean) =>
    `<b>Шаг 1б · Фоновый ролик</b>\n\nПришлите ролик, который будет за персонажем: <b>MP4, MOV или AVI</b>, не длиннее <b>15 с</b> и не больше <b>20 МБ</b>. Можно как видео или как файл.${
      hasCurrent ? '\n\nИли оставьте ролик, который вы уже прислали.' : ''
    }`,
  btnKeepBackground: '✅ Оставить текущий ролик',
  bgChecking: '⏳ Проверяю ролик…',
  bgAccepted: (durationSec: number, width: number, height: number) =>
    `✅ Ролик принят: ${durationSec.toFixed(1)} с, ${width}×${height}.`,
  bgTooLarge: (sizeMb: string, maxMb: number) =>
    `❌ Файл весит ${esc(sizeMb)} МБ, а можно не больше ${maxMb} МБ. Обрежьте или сожмите его и пришлите снова.`,
  bgTooLong: (durationSec: number, maxSec: number) =>
    `❌ Ролик длится ${durationSec.toFixed(1)} с, а можно не больше ${maxSec} с. Обрежьте его и пришлите снова.`,
  bgUnsupported: (detected: string) =>
    `❌ Это не видео MP4, MOV или AVI (я вижу: ${esc(detected)}). Пришлите ролик в одном из этих форматов.`,
  bgCorrupt:
    '❌ Не удалось прочитать видео — файл повреждён или обрезан. Экспортируйте его заново и пришлите ещё раз.',
  bgNoVideo: '❌ В этом файле нет видеодорожки. Пришлите видеоролик.',
  bgNotAVideo:
    '📎 Я жду <b>видеоролик</b> (MP4, MOV или AVI, до 15 с и 20 МБ). Фото или текст здесь не подойдут.',
  bgDownloadFailed: '❌ Не удалось скачать файл из Telegram. Пришлите его ещё раз.',

  shapeScreen:
    '<b>Шаг 1в · Форма персонажа</b>\n\nКак показать персонажа поверх ролика?\n\n✂️ <b>Вырезанный</b> (рекомендуем) — только сам человек, без своего фона. Круг и прямоугольник показывают его в рамке.',
  btnCircle: '⚪ Круг',
  btnRoundedRect: '▢ Скруглённый прямоугольник',
  btnCutout: '✂️ Вырезанный (рекомендуем)',

  genderScreen: '<b>Шаг 2 · Персонаж</b>\n\nКто будет говорить в ролике?',
  btnFemale: '👩 Женщина',
  btnMale: '👨 Мужчина',
  galleryCaption: (name: string, age: string, position: number, total: number) =>
    `<b>${esc(name)}</b> · ${esc(ageNames[age] ?? age)}\n${position} / ${total}`,
  galleryEmpty: 'В этой группе пока нет персонажей.',
  btnPrev: '⬅️',
  btnNext: '➡️',
  btnChooseCharacter: '✅ Выбрать',
  characterChosen: (name: string, age: string) =>
    `✅ Выбран: <b>${esc(name)}</b> · ${esc(ageNames[age] ?? age)}`,
  editOffer: (name: string, remaining: number) =>
    `<b>Шаг 2б · Внешность</b>\n\n${esc(name)} готов(а). Хотите изменить внешность с помощью ИИ — одежду, причёску, фон? (Осталось правок: ${remaining}.)`,
  btnEdit: '✏️ Изменить с ИИ',
  btnToVoice: '➡️ Дальше — голос',
  btnBackToGallery: '◀️ Назад в галерею',
  editUnavailable:
    'ИИ-редактирование требует облачного провайдера изображений (fal.ai), а он на этом сервере не настроен. Можно продолжить с исходным персонажем.',
  editAskPrompt: (remaining: number) =>
    `✏️ Опишите изменение одним сообщением, например «красное худи, кудрявые волосы». Осталось правок: <b>${remaining}</b>.`,
  editWorking: '⏳ Редактирую изображение… это занимает до минуты.',
  editResult: (remaining: number) =>
    `Вот изменённый персонаж. Осталось правок: <b>${remaining}</b>.`,
  btnAcceptEdit: '✅ Оставить',
  btnEditAgain: (remaining: number) => `🔁 Изменить ещё (осталось ${remaining})`,
  btnRevertEdit: '↩️ Вернуть исходный',
  editFailed: (reason: string) => `❌ Правка не удалась: ${esc(reason)}\nПопытка не засчитана.`,
  editContentPolicy:
    'провайдер отклонил запрос (правила контента). Попробуйте сформулировать иначе.',
  editServiceUnavailable: 'сервис изображений сейчас недоступен. Попробуйте через несколько минут.',
  editServiceFailed:
    'сервис изображений не смог сделать эту правку. Попробуйте ещё раз или сформулируйте иначе.',
  editPromptEmpty: 'Описание пустое. Напишите, что изменить.',
  editLimit: (max: number) =>
    `Вы использовали все ${max} правки для этого персонажа. Оставьте его, верните исходный или выберите другого.`,
  editInProgress: 'Правка ещё выполняется. Дождитесь её или верните исходный вид.',
  editNotText: 'Опишите изменение текстовым сообщением.',
  editReverted: '↩️ Возвращён исходный вид.',
  editAccepted: '✅ Изменённый вид сохранён.',
  editNothingToRevert: 'Это и так исходный вид.',

  voicesScreen: (page: number, pages: number) =>
    `<b>Шаг 3 · Голос</b>\n\nПослушайте ▶️ и выберите ✅.${pages > 1 ? ` Страница ${page} / ${pages}.` : ''}`,
  voiceLine: (name: string, language: string, gender: 'male' | 'female') =>
    `• ${esc(name)} — ${esc(languageName(language, 'ru'))}, ${gender === 'male' ? 'мужской' : 'женский'}`,
  btnListen: (name: string) => `▶️ ${name}`,
  btnPickVoice: '✅',
  voicesEmpty: 'Голосов пока нет.',
  voiceNoPreview: 'Для этого голоса нет примера.',
  voicePreviewCaption: (name: string) => `▶️ ${esc(name)}`,
  voiceChosen: (name: string) => `✅ Голос: <b>${esc(name)}</b>`,
  voicesForScript: (script: string) =>
    `Ваш сценарий — ${esc(script)}: голоса, которые могут его прочитать, идут первыми.`,
  voiceCannotReadMark: ' · ⚠️ не прочитает ваш сценарий',
  voiceLanguageMismatch: (script: string, voiceLanguages: string) =>
    `⚠️ Ваш сценарий — <b>${esc(script)}</b>, а выбранный голос говорит на языке: <b>${esc(voiceLanguages)}</b>. Он не сможет его прочитать. Кредиты не списаны. Выберите голос, который сможет, — сценарий останется прежним.`,
  scriptVoiceMismatch: (script: string, voiceLanguages: string) =>
    `⚠️ Выбранный голос говорит на языке: <b>${esc(voiceLanguages)}</b> — этот сценарий (<b>${esc(script)}</b>) он не прочитает. Выберите другой голос — сценарий останется прежним.`,
  btnVoicesForScript: '🎙 Голоса, которые прочитают',
  noVoiceReadsScript: (script: string, languages: string, refused: boolean) =>
    `⚠️ Ваш сценарий — <b>${esc(script)}</b>, и ни один голос здесь не сможет его прочитать: они говорят на языках: ${esc(languages)}.${
      refused ? ' Кредиты не списаны.' : ''
    } Напишите сценарий на одном из этих языков.`,
  voiceButtonOutdated: 'Список голосов изменился после этой кнопки. Вот он снова.',

  scriptAsk: (maxChars: number, maxSec: number) =>
    `<b>Шаг 4 · Текст</b>\n\nПришлите текст, который скажет персонаж, — до <b>${maxChars}</b> символов. Речь должна уложиться в <b>${maxSec} с</b> (примерно ${Math.round(maxSec * 2)} слов); если не уложится, я сообщу, и ничего не спишется.`,
  scriptEmpty:
    '❌ В этом тексте нечего произнести — только эмодзи, символы или пробелы. Напишите слова.',
  scriptTooLong: (length: number, max: number) =>
    `❌ В тексте ${length} символов, а можно не больше ${max}. Сократите его и пришлите снова.`,
  scriptNotText: 'Пришлите текст обычным сообщением.',
  scriptConfirm: (
    text: string,
    speech: string,
    balance: number,
    cost: number,
    lipSync: boolean | 'local',
  ) =>
    `<b>Шаг 5 · Проверка и генерация</b>\n\n<b>Ваш текст:</b>\n${esc(text)}\n\n<b>Голос прочитает:</b>\n${esc(speech)}\n\nСтоимость: <b>${cost}</b> ${credits(cost)} · баланс: <b>${balance}</b>${
      lipSync === true
        ? ''
        : lipSync === 'local'
          ? '\n\nℹ️ Этот сервер рендерит локально: рот персонажа двигается в такт речи — <b>синхронизация губ (локальная)</b>.'
          : '\n\nℹ️ Этот сервер рендерит локально: персонаж оживлён, но <b>без синхронизации губ</b>.'
    }`,
  scriptMaybeLong: (estimatedSec: number, maxSec: number) =>
    `⚠️ Это может звучать около ${Math.round(estimatedSec)} с — больше лимита ${maxSec} с. Если так, кредит не спишется.`,
  btnGenerate: (cost: number) => `🎬 Сгенерировать (${cost} ${credits(cost)})`,
  btnRewrite: '✏️ Переписать',

  captionsScreen: (current: string) =>
    `<b>Шаг 4б · Субтитры</b>\n\nСлова появляются на видео, пока их произносят. На картинке — каждый стиль поверх персонажа; выберите стиль или видео без субтитров.\n\nСейчас: <b>${esc(current)}</b>`,
  captionsPreviewMissing:
    'ℹ️ Картинку со стилями сейчас не удалось нарисовать; стили — на кнопках ниже.',
  captionStyleName: (style: 'none' | 'classic' | 'bold' | 'boxed'): string =>
    (
      ({
        none: 'Без субтитров',
        classic: 'Классика',
        bold: 'Крупно',
        boxed: 'На плашке',
      }) as Record<string, string>
    )[style] ?? esc(String(style)),
  captionSample: 'Свежий кофе каждое утро',
  captionsLine: (current: string) => `Субтитры: <b>${esc(current)}</b>`,
  btnCaptions: '🔤 Субтитры',

  queued: '✅ Видео в очереди. Я буду обновлять это сообщение по ходу работы и пришлю видео сюда.',
  insufficientCredits: (balance: number, cost: number) =>
    `❌ Не хватает кредитов: у вас <b>${balance}</b>, видео стоит <b>${cost}</b>. Запросите пополнение — команда начислит кредиты.`,
  btnTopUp: '💳 Запросить пополнение',
  draftIncomplete: (missing: readonly MissingStep[]) =>
    `Почти готово — не хватает: ${missing.map((m) => missingNames[m]).join(', ')}.`,
  missingStep: (step: MissingStep) => missingNames[step],
  btnFill: (step: MissingStep) => `➡️ Добавить: ${missingNames[step]}`,
  progress: (stage: ProgressStageName, elapsedSec: number) =>
    `⏳ <b>${stageNames[stage]}</b>…\nПрошло: ${Math.round(elapsedSec)} с`,
  progressResumed: '↻ Продолжаю после перерыва — дважды ничего не спишется.',
  progressDone: (elapsedSec: number) => `✅ Готово за ${Math.round(elapsedSec)} с.`,
  progressDelivered: '✅ Готово — видео ниже.',
  progressStopped: '⛔ Остановлено — подробности ниже.',
  deliveredCaption: (providersNote: string) =>
    `🎬 Ваше видео готово!\n<i>Сделано с помощью: ${esc(providersNote)}</i>`,
  failedAudioTooLong: (durationSec: number, maxSec: number, refunded: boolean) =>
    `⚠️ Речь получилась длиной ${durationSec.toFixed(1)} с, а можно не больше ${maxSec} с. Сократите текст и попробуйте снова.${
      refunded ? ' Кредит возвращён.' : ' Кредит не списан.'
    }`,
  failedProvider: (stage: ProgressStageName, refunded: boolean) =>
    `❌ Извините, видео не получилось на этапе «${esc(stageNames[stage])}».${
      refunded ? ' Кредит возвращён.' : ''
    } Попробуйте ещё раз.`,
  failedVoiceCannotRead: (script: string | null, refunded: boolean) =>
    `⚠️ Выбранный голос не может прочитать ${script === null ? 'некоторые символы вашего сценария' : `ваш сценарий (<b>${esc(script)}</b>)`}: он бы только называл буквы, поэтому видео не сделано.${
      refunded ? ' Кредит возвращён.' : ' Кредит не списан.'
    } Выберите голос, который говорит на этом языке, и пришлите сценарий снова.`,
  btnPickVoiceForScript: '🎙 Выбрать голос',
  failedDelivery: (refunded: boolean) =>
    `❌ Извините, не удалось отправить вам видео.${refunded ? ' Кредит возвращён.' : ''}`,
  progressWaitingForTelegram: (waitSec: number) =>
    `✅ Видео готово. ⏳ Telegram попросил подождать ${Math.ceil(waitSec)} с перед отправкой; видео придёт сюда, как только Telegram позволит.`,
  progressLinkSent: '✅ Готово — ссылка на скачивание ниже.',
  progressUndelivered:
    '✅ Видео готово, но Telegram не принял его. Оно есть в разделе «Мои видео».',
  videoLinkAnswerLost: (url: string, hours: number) =>
    `🎬 Ваше видео готово — если оно не пришло выше, вот оно: <a href="${esc(url)}">скачать видео</a>\nСсылка действует ${hours} ч.`,
  videoUndelivered: (url: string, hours: number) =>
    `🎬 Ваше видео готово, но Telegram не дал отправить его сюда. Оно есть в разделе «Мои видео», а вот ссылка: <a href="${esc(url)}">скачать видео</a>\nСсылка действует ${hours} ч.`,

  historyEmpty: 'У вас пока нет видео. Нажмите «Создать рекламу», чтобы сделать первое.',
  historyHeader: (stats: StatsView, page: number, pages: number) =>
    `<b>Мои видео</b>\nВсего: ${stats.total} · готово: ${stats.completed} · ошибок: ${stats.failed} · потрачено кредитов: ${stats.creditsSpent}${
      pages > 1 ? `\nСтраница ${page} / ${pages}` : ''
    }`,
  historyItem: (n: number, item: GenerationView) =>
    `<b>${n}.</b> ${esc(item.date)} · ${item.format === 'background' ? '🎞' : '🗣'} · ${statusNames[item.status] ?? esc(item.status)}${
      item.refunded ? ' · возврат' : ''
    }${item.undelivered ? ' · Telegram не принял, скачайте ниже' : ''}\n<i>${esc(item.script)}</i>`,
  btnDownload: (n: number) => `⬇️ ${n}`,
  downloadLink: (url: string, hours: number) =>
    `⬇️ <a href="${esc(url)}">Скачать видео</a>\nСсылка действует ${hours} ч.`,
  downloadNotReady: 'Это видео ещё не готово.',

  creditsScreen: (balance: number, cost: number) =>
    `<b>Кредиты</b>\n\nБаланс: <b>${balance}</b>. Одно видео стоит ${cost}.`,
  creditsOpsHeader: '\n<b>Последние операции</b>',
  creditOp: (op: CreditOpView) =>
    `${op.delta > 0 ? '+' : ''}${op.delta} · ${kindNames[op.kind]} · ${esc(reasonNames[op.reason] ?? op.reason)} · ${esc(op.date)}`,
  creditsNoOps: '\nОпераций пока нет.',
  topUpMenu: 'Сколько кредитов нужно? Запрос уйдёт команде; о начислении я сообщу здесь.',
  topUpSent: (amount: number) =>
    `✅ Запрос на ${amount} ${credits(amount)} отправлен команде. Я сообщу, когда их начислят.`,
  topUpNoAdmins: '✅ Запрос сохранён. Команда его рассмотрит.',
  creditsGranted: (amount: number, reason: string, balance: number) =>
    `🎁 Вам начислено <b>${amount}</b> ${credits(amount)} (${esc(reason)}). Баланс: <b>${balance}</b>.`,
  creditsRevoked: (amount: number, reason: string, balance: number) =>
    `ℹ️ Команда списала ${amount} ${credits(amount)} (${esc(reason)}). Баланс: <b>${balance}</b>.`,

  creditsPacks:
    '\n<b>Купить кредиты за Telegram Stars</b> ⭐\nКредиты начисляются сразу после оплаты. /terms · /paysupport',
  btnBuyPack: (amount: number, stars: number) => `${amount} ${credits(amount)} · ${stars} ⭐`,
  invoiceTitle: (amount: number) => `${amount} ${credits(amount)}`,
  invoiceDescription: (amount: number, cost: number) =>
    `${amount} ${credits(amount)} для UGC Studio: видео — ${Math.floor(amount / cost)}. Кредиты придут в бот сразу после оплаты.`,
  invoiceLabel: (amount: number) => `${amount} ${credits(amount)}`,
  packUnavailable: 'Этот пакет больше не продаётся. Вот актуальные.',
  checkoutRefused: (refusal: CheckoutRefusal) => checkoutRefusals[refusal],
  paymentReceived: (amount: number, stars: number, balance: number) =>
    `✅ Оплата получена: ${stars} ⭐. <b>+${amount}</b> ${credits(amount)}, баланс: <b>${balance}</b>. Спасибо!`,
  paymentUnmatched: (stars: number) =>
    `⚠️ Ваш платёж на ${stars} ⭐ не соответствует ни одному вашему открытому заказу, поэтому я вернул Stars. Больше ничего не изменилось; купите заново в разделе «Кредиты».`,
  paymentRefunded: (stars: number, creditsTakenBack: number, balance: number) =>
    `↩️ Ваш платёж на ${stars} ⭐ возвращён.${creditsTakenBack > 0 ? ` Списано ${creditsTakenBack} ${credits(creditsTakenBack)}.` : ''} Баланс: <b>${balance}</b>.`,
  paySupport: (payments: readonly PaymentView[]) =>
    [
      '<b>Поддержка по оплате</b>',
      'Проблема с покупкой? Напишите нам через /feedback и укажите платёж из списка ниже; ответ придёт сюда. Возврат платежа возвращает Stars, а купленные на них кредиты списываются, насколько они ещё не потрачены (баланс не уходит ниже нуля).',
      payments.length === 0
        ? 'Платежей пока нет.'
        : [
            '',
            '<b>Ваши платежи</b>',
            ...payments.map(
              (p) =>
                `• ${p.stars} ⭐ → ${p.credits} ${credits(p.credits)}${p.refunded ? ' · возвращён' : ''}\n  <code>${esc(p.chargeId)}</code>`,
            ),
          ].join('\n'),
    ].join('\n'),
  terms: (cost: number) =>
    [
      '<b>Условия покупки</b>',
      `• Кредиты покупаются за Telegram Stars пакетами; одно видео стоит ${cost} ${credits(cost)}. Кредиты — цифровой товар этого бота, используются только здесь, не сгорают и не обмениваются на деньги.`,
      '• Кредиты начисляются сразу, как Telegram подтвердит оплату. Если видео не получилось, кредит возвращается автоматически.',
      '• Возврат: через /paysupport. Возврат отдаёт Stars платежа и списывает его кредиты, насколько они ещё не потрачены.',
      '• Платёж проводит Telegram; бот не видит данных вашей карты или счёта.',
    ].join('\n'),
  cmdPaySupport: 'Поддержка по оплате',
  cmdTerms: 'Условия покупки',

  feedbackAsk: (max: number) =>
    `✉️ Напишите сообщение для команды одним сообщением (до ${max} символов). Вопросы, идеи, проблемы — всё пригодится.`,
  feedbackThanks: '🙏 Спасибо! Сообщение отправлено команде; ответ придёт сюда.',
  feedbackEmpty: 'Сообщение пустое. Напишите что-нибудь.',
  feedbackTooLong: (length: number, max: number) =>
    `В сообщении ${length} символов, а можно не больше ${max}. Сократите его.`,
  feedbackNotText: 'Напишите отзыв текстовым сообщением.',
  feedbackAnswer: (text: string) => `📬 <b>Ответ команды:</b>\n\n${esc(text)}`,

  adminFeedback: (user: string, userId: number, text: string, tag: string) =>
    `💬 <b>Отзыв</b> от ${esc(user)} (id <code>${userId}</code>)\n\n${esc(text)}\n\n${esc(tag)}\nОтветьте на это сообщение или: <code>/reply ${userId} текст</code>`,
  btnReplyFeedback: '↩️ Ответить',
  adminReplyPrompt: (userId: number, tag: string) =>
    `Напишите ответ пользователю <code>${userId}</code> ответом на это сообщение.\n${esc(tag)}`,
  adminAnswerDelivered: (userId: number) => `✅ Ответ доставлен <code>${userId}</code>.`,
  adminAnswerNotDelivered: (userId: number) =>
    `⚠️ Ответ сохранён, но Telegram не доставил его <code>${userId}</code>.`,
  adminAlreadyAnswered: 'На этот отзыв уже ответили.',
  adminNoOpenFeedback: (userId: number) =>
    `У пользователя <code>${userId}</code> нет отзывов без ответа.`,
  adminTopUp: (user: string, userId: number, balance: number, amount: number | null) =>
    `💳 <b>Запрос пополнения</b> от ${esc(user)} (id <code>${userId}</code>)\nБаланс: ${balance}${
      amount === null ? '' : ` · просит ${amount}`
    }\nНачислить: <code>/grant ${userId} ${amount ?? 10} top-up</code>`,
  adminUsage: (command: string) =>
    command === 'grant' || command === 'revoke'
      ? `Формат: <code>/${command} &lt;id пользователя&gt; &lt;количество&gt; &lt;причина&gt;</code>`
      : command === 'reply'
        ? 'Формат: <code>/reply &lt;id пользователя&gt; &lt;текст&gt;</code>'
        : `Формат: <code>/${esc(command)} &lt;id пользователя&gt;</code>`,
  adminUserNotFound: (userId: number) => `Пользователь <code>${userId}</code> не запускал бота.`,
  adminInvalidAmount: 'Количество должно быть целым положительным числом.',
  adminReasonRequired: 'Укажите причину.',
  adminInsufficient: (balance: number) => `У пользователя только ${balance} ${credits(balance)}.`,
  adminGranted: (userId: number, amount: number, balance: number) =>
    `✅ Начислено ${amount} пользователю <code>${userId}</code>. Баланс: ${balance}.`,
  adminRevoked: (userId: number, amount: number, balance: number) =>
    `✅ Списано ${amount} у пользователя <code>${userId}</code>. Баланс: ${balance}.`,
  adminAlreadyDone: 'Уже выполнено (повтор обновления).',
  adminAuditHeader: (
    userId: number,
    balance: number,
    granted: number,
    spent: number,
    refunded: number,
    revoked: number,
    count: number,
  ) =>
    `<b>Аудит кредитов</b> пользователя <code>${userId}</code> — из журнала событий\nБаланс: <b>${balance}</b> · начислено ${granted} · потрачено ${spent} · возвращено ${refunded} · списано ${revoked} · операций: ${count}`,
  adminAuditEmpty: (userId: number) =>
    `У пользователя <code>${userId}</code> нет операций с кредитами.`,
  adminStats: (days: readonly StatsDay[]) => days.map(formatStatsDay).join('\n\n'),
  adminRateLimited: (seconds: number) =>
    `Слишком много админ-команд. Повторите через ${seconds} с.`,
  adminFailed: (message: string) => `Отклонено: ${esc(message)}`,
  adminPayments: (userId: number, payments: readonly PaymentView[]) =>
    [
      `<b>Платежи Stars</b> пользователя <code>${userId}</code> (возврат: <code>/refund ${userId} &lt;id платежа&gt;</code>)`,
      ...payments.map(
        (p) =>
          `• ${p.stars} ⭐ → ${p.credits} ${credits(p.credits)}${p.refunded ? ' · возвращён' : ''} · <code>${esc(p.chargeId)}</code>`,
      ),
    ].join('\n'),
  adminRefundUsage:
    'Формат: <code>/refund &lt;id пользователя&gt; &lt;id платежа Telegram&gt;</code> (id платежей — в /audit и на дашборде)',
  adminRefundUnknown: (userId: number, chargeId: string) =>
    `У пользователя <code>${userId}</code> нет платежа <code>${esc(chargeId)}</code>.`,
  adminRefundAlready: (chargeId: string) => `Платёж <code>${esc(chargeId)}</code> уже возвращён.`,
  adminRefundFailed: (message: string) =>
    `❌ Telegram отказал в возврате: ${esc(message)}. Ничего не записано.`,
  adminRefunded: (userId: number, stars: number, creditsTakenBack: number, balance: number) =>
    `✅ Возвращено ${stars} ⭐ пользователю <code>${userId}</code>; списано кредитов: ${creditsTakenBack}. Баланс: ${balance}.`,

  // ---- порядок шагов мастера (кнопки и сообщения другого шага; отредактированные сообщения) ----
  stepNeeds: (needs: StepNeed) =>
    (
      ({
        format: 'Сначала выберите формат.',
        background_format: 'Это только для формата «Персонаж + фон».',
        background_video: 'Сначала пришлите фоновый ролик.',
        gender: 'Сначала выберите, кто будет говорить.',
        character: 'Сначала выберите персонажа.',
        voice: 'Сначала выберите голос.',
        script: 'Сначала напишите текст.',
      }) satisfies Record<StepNeed, string>
    )[needs],
  stepName: (step: WizardPosition) =>
    (
      ({
        format: 'выбрать формат',
        background_video: 'прислать фоновый ролик',
        character: 'выбрать персонажа',
        voice: 'выбрать голос',
        script: 'написать текст',
        confirm: 'проверить текст и сгенерировать',
      }) satisfies Record<WizardPosition, string>
    )[step],
  outOfStep: (note: string, nextStep: string) =>
    `⏸ ${esc(note)}\nЭто относится к другому шагу, поэтому в черновике ничего не изменилось.\n\nВаш следующий шаг: <b>${esc(nextStep)}</b>.`,
  btnGoToStep: (step: string) => `⏩ ${step.charAt(0).toUpperCase()}${step.slice(1)}`,
  scriptUpdated: '✏️ Текст обновлён: видео будет с новым текстом.',
  scriptEditKept: 'Прежний текст остался в силе.',
  scriptEditTooLate:
    '🎬 Видео по этому тексту уже в работе и будет с тем текстом, с которым его заказали. Чтобы сделать видео с новым текстом, начните новое и пришлите текст ещё раз.',
  btnNewVideo: '🎬 Сделать новое видео',
  bgNotUsed: '⏹ Этот ролик не использован: черновик уже не в формате «Персонаж + фон».',
  editedMessageIgnored:
    '✏️ Вижу, что вы отредактировали сообщение, но правки здесь ничего не меняют. Если хотели что-то прислать, отправьте это новым сообщением.',
};

function formatStatsDay(day: StatsDay): string {
  const title = `<b>${day.label === 'today' ? 'Сегодня' : 'Вчера'}</b> (${esc(day.day)})`;
  if (!day.row) return `${title}\nактивности нет`;
  const r = day.row;
  const n = (key: string) => r[key] ?? 0;
  return [
    title,
    `пользователи: новых ${n('new_users')}, активных ${n('active_users')}`,
    `видео: заказано ${n('generations_requested')}, готово ${n('generations_completed')}, ошибок ${n('generations_failed')}`,
    `  голова ${n('talking_head_requested')}/${n('talking_head_completed')}/${n('talking_head_failed')}, с фоном ${n('background_requested')}/${n('background_completed')}/${n('background_failed')}`,
    `кредиты: начислено ${n('credits_granted')}, потрачено ${n('credits_spent')}, возвращено ${n('credits_refunded')}, списано ${n('credits_revoked')}`,
    `Stars: платежей ${n('stars_payments')}, ${n('stars_revenue')} ⭐, продано кредитов ${n('credits_sold')}; возвратов ${n('stars_refunds')}, ${n('stars_refunded')} ⭐`,
  ].join('\n');
}
