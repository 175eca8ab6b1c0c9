// Every string the client shows, in English and Russian (same keys in both), and the means to
// switch language live: translated elements remember their key (data-i18n) so a switch just
// re-renders them. Values from outside (names, room ids) are passed as args and end up in
// textContent, never in HTML.
import { loadPref, savePref } from './storage.js';

const en = {
  'app.skip': 'Skip to content',
  'lang.label': 'Language',

  'home.tagline': 'Video meetings on your own server. Share a link, talk, done.',
  'home.create-title': 'Start a meeting',
  'home.create-hint': 'Creates a new room with a random name you can share.',
  'home.create-button': 'Create a room',
  'home.join-title': 'Join a meeting',
  'home.room-label': 'Room id',
  'home.room-hint': 'Paste a room link or type an id like brave-otter-417.',
  'home.join-button': 'Join a room',
  'home.room-error-empty': 'Enter a room id or paste a room link.',
  'home.room-error-invalid': 'A room id has 3–64 characters: letters a–z, digits and dashes, not starting or ending with a dash.',

  'invalid-room.title': 'This room link isn\'t valid',
  'invalid-room.text': 'Room ids have 3–64 characters: letters a–z, digits and dashes. Check the link you were sent.',

  'prejoin.title': 'Ready to join?',
  'prejoin.room': 'Room',
  'prejoin.name': 'Name',
  'prejoin.name-error-empty': 'Enter the name others will see.',
  'prejoin.name-error-long': 'Use at most 64 characters.',
  'prejoin.name-error-chars': 'The name contains characters that can\'t be shown.',
  'prejoin.camera': 'Camera',
  'prejoin.microphone': 'Microphone',
  'prejoin.speaker': 'Speaker',
  'prejoin.camera-n': 'Camera {n}',
  'prejoin.microphone-n': 'Microphone {n}',
  'prejoin.speaker-n': 'Speaker {n}',
  'prejoin.camera-off': 'Your camera is off',
  'prejoin.no-camera': 'No camera',
  'prejoin.join': 'Join',
  'prejoin.joining': 'Joining…',
  'prejoin.status-starting': 'Starting your camera and microphone…',
  'prejoin.status-ready': 'Check how you look and sound, then join.',
  'prejoin.status-joining': 'Joining the room…',

  'media.lost-camera': 'Your camera can\'t be used.',
  'media.lost-mic': 'Your microphone can\'t be used.',
  'media.lost-both': 'Your camera and microphone can\'t be used.',
  'media.reason-denied': 'Access was blocked. Allow the camera and microphone in your browser\'s address bar, then choose “Try again” — or join without them.',
  'media.reason-missing': 'No device was found. Plug one in and choose “Try again” — or join without it.',
  'media.reason-busy': 'Another app may be using it. Close that app and choose “Try again”.',
  'media.reason-insecure': 'This page isn\'t on a secure (https) connection, so the browser won\'t share devices.',
  'media.reason-timeout': 'The device didn\'t respond in time. Choose “Try again”.',
  'media.reason-unknown': 'Something went wrong starting it. Choose “Try again”.',
  'media.continue-audio': 'Continue with audio only',
  'media.continue-listen': 'Listen only',
  'media.retry': 'Try again',

  'call.label': 'Call',
  'call.heading': 'Call in room {room}',
  'controls.toolbar': 'Call controls',
  'controls.mic': 'Microphone',
  'controls.mic-on': 'Turn microphone on',
  'controls.mic-off': 'Turn microphone off',
  'controls.cam': 'Camera',
  'controls.cam-on': 'Turn camera on',
  'controls.cam-off': 'Turn camera off',
  'controls.screen': 'Share screen',
  'controls.screen-start': 'Start sharing your screen',
  'controls.screen-stop': 'Stop sharing your screen',
  'controls.copy-link': 'Copy link',
  'controls.leave': 'Leave',

  'tile.you': '(you)',
  'tile.screen': 'screen',
  'tile.mic-off': 'Microphone off',
  'tile.cam-off': 'Camera off',
  'tile.conn-connecting': 'Connecting…',
  'tile.conn-unstable': 'Connection unstable…',
  'tile.conn-failed': 'Connection lost, retrying…',
  'tile.conn-away': 'Reconnecting…',

  'screen.cancelled': 'Screen sharing didn\'t start: it was cancelled or not allowed.',
  'screen.timeout': 'Screen sharing didn\'t start: no screen was chosen in time.',
  'screen.unsupported': 'This browser can\'t share a screen.',
  'screen.failed': 'Screen sharing couldn\'t start.',

  'notice.dismiss': 'Dismiss',
  'notice.link-copied': 'Room link copied. Send it to the people you want to talk to.',
  'notice.link-copy-failed': 'Couldn\'t copy automatically. The room link is: {link}',
  'notice.autoplay-blocked': 'Your browser paused the sound of this call.',

  'action.reconnect': 'Reconnect',
  'action.home': 'Home',
  'action.enable-sound': 'Turn sound on',

  'left.title': 'You left the room',
  'left.text': 'Your camera and microphone are off.',
  'left.rejoin': 'Rejoin',

  'error.bad-json': 'The server couldn\'t read a message from this page. Reload the page and try again.',
  'error.bad-message': 'The server didn\'t understand a message from this page. Reload the page and try again.',
  'error.unknown-type': 'The server doesn\'t know a message this page sent. It may be a different version: reload the page.',
  'error.missing-field': 'A message to the server was missing information ({field}).',
  'error.invalid-field': 'A message to the server had an invalid value ({field}).',
  'error.unsupported-version': 'This page and the server speak different versions. Reload the page.',
  'error.invalid-room': 'This room id isn\'t valid. Use 3–64 letters a–z, digits and dashes.',
  'error.invalid-name': 'That name can\'t be used. Use 1–64 characters.',
  'error.unsupported-frame': 'The server can\'t accept that kind of message.',
  'error.not-joined': 'You\'re not in the room any more. Join again.',
  'error.already-joined': 'You\'re already in this room.',
  'error.room-full': 'This room is full ({max} people). Try again later.',
  'error.room-full-no-size': 'This room is full. Try again later.',
  'error.target-not-found': 'That participant has already left.',
  'error.self-target': 'A message was addressed to yourself.',
  'error.internal': 'The server had a problem. Try again in a moment.',
  'error.connect-failed': 'Can\'t reach the server. Check your connection, then try again.',
  'error.closed': 'Can\'t reach the server: the connection closed. Try again.',
  'error.timeout': 'The server didn\'t answer in time. Try again.',
  'error.connection-lost': 'Can\'t reach the server — the connection was lost. You\'re no longer in the call.',
  'error.server-shutdown': 'Can\'t reach the server — it is restarting. You\'re no longer in the call.',
  'error.not-admitted': 'You\'re still waiting to be let in.',
  'error.room-locked': 'The host has locked this room. Nobody new can join right now.',
  'error.queue-full': 'Too many people are already waiting for this room. Try again later.',
  'error.no-free-seat': 'Every seat in the room is taken.',
  'error.not-host': 'Only the host can do that.',
  'error.password-required': 'This room has a password.',
  'error.wrong-password': 'That password isn\'t right.',
  'error.token-required': 'This server only lets people in with an invitation link.',
  'error.invalid-token': 'This invitation isn\'t valid (it may have expired or be for another room).',
  'error.resume-failed': 'Your place in the room couldn\'t be kept. Join again.',
  'error.declined': 'The host didn\'t let you in.',
  'error.session-ended': 'The meeting has ended.',
  'error.unknown': 'Something went wrong ({code}).',

  'waiting.full': 'This room is full. You\'re number {position} of {of} in line and will join as soon as a seat frees up.',
  'waiting.knock': 'Waiting for the host to let you in (number {position} of {of}).',
  'waiting.estimate': 'Estimated wait: about {minutes} minutes.',
  'waiting.leave': 'Leave the line',

  'waiting.title': 'You\'re in line',
  'waiting.title-knock': 'Waiting for the host',
  'waiting.place': 'You\'re number {position} of {of}.',
  'waiting.estimate-one': 'Estimated wait: about 1 minute.',
  'waiting.estimate-unknown': 'Estimated wait: unknown.',
  'waiting.estimate-host': 'Estimated wait: unknown — the host lets people in.',

  'settings.title': 'Room settings',
  'settings.hint': 'Used only if you are the first to join (you then host the room).',
  'settings.admission': 'Who gets in',
  'settings.admission-open': 'Open (anyone with the link)',
  'settings.admission-knock': 'Knock (waiting room)',
  'settings.admission-one-at-a-time': 'One at a time (office hours)',
  'settings.session-minutes': 'Meeting length (minutes)',
  'settings.session-hint': 'Empty or 0: no time limit.',
  'settings.slot-seconds': 'Time per guest (seconds)',
  'settings.slot-hint': 'Empty or 0: each guest stays until they leave.',
  'settings.password': 'Room password (optional)',
  'prejoin.password': 'Room password',
  'prejoin.password-needed': 'This room has a password. Enter it, then choose Join.',
  'prejoin.password-wrong': 'That password isn\'t right. Try again.',

  'room.panel': 'Room',
  'room.you-host': 'You are the host.',
  'room.host-is': 'Host: {name}',
  'tile.host': 'host',
  'tile.hand': 'Hand raised, number {place}',
  'tile.hand-short': 'Hand {place}',
  'hand.raise': 'Raise hand',
  'hand.lower': 'Lower hand',

  'host.tools': 'Host controls',
  'host.menu': 'Host actions',
  'host.mute': 'Mute',
  'host.request-unmute': 'Ask to unmute',
  'host.kick': 'Remove',
  'host.make-host': 'Make host',
  'host.kick-title': 'Remove {name} from the room?',
  'host.kick-reason': 'Reason (optional, they will see it)',
  'host.kick-confirm': 'Remove',
  'dialog.cancel': 'Cancel',
  'host.end-title': 'End the meeting for everyone?',
  'host.lock': 'Lock room',
  'host.unlock': 'Unlock room',
  'host.end-session': 'End for everyone',
  'host.timer-minutes': 'Timer (minutes)',
  'host.set-timer': 'Set timer',
  'host.extend-timer': '+{minutes} min',

  'queue.title': 'Waiting to join ({n})',
  'queue.someone-waiting': '{name} is waiting to join.',
  'queue.admit': 'Admit',
  'queue.decline': 'Decline',
  'queue.move-to-front': 'Move to front',
  'queue.admit-name': 'Admit {name}',
  'queue.decline-name': 'Decline {name}',
  'queue.move-to-front-name': 'Move {name} to the front',
  'queue.waited': 'waiting {minutes} min',
  'queue.waited-moments': 'just arrived',

  'countdown.session': 'Time left: {time}',
  'countdown.slot': 'Current slot: {time}',

  'chat.title': 'Chat',
  'chat.input': 'Message',
  'chat.send': 'Send',
  'chat.unread': '{n} unread',

  'notice.you-are-host': 'You are now the host.',
  'notice.host-changed': '{name} is now the host.',
  'notice.session-warning': 'The meeting ends in about {minutes} min.',
  'notice.slot-warning': 'Your slot ends in about {minutes} min.',
  'notice.slot-ended': 'Your slot has ended; the next person in line is coming in.',
  'ended.title': 'The meeting is over for you',
  'notice.muted-by-host': 'The host muted your microphone.',
  'notice.unmute-request': 'The host asks you to turn your microphone on.',
  'notice.kicked': 'The host removed you from the room.',
  'notice.kicked-reason': 'Reason: {reason}',
  'notice.session-time-up': 'The meeting\'s time is up.',
  'notice.session-ended': 'The host ended the meeting.',
  'action.unmute': 'Turn microphone on',
  'log.waiting': 'Waiting in line: {position} of {of}',
  'log.peer-reconnecting': '{name} is reconnecting…',
  'log.peer-back': '{name} is back',

  'log.title': 'Event log',
  'log.connecting': 'Connecting to the server…',
  'log.joined': 'Joined room {room} as {name}',
  'log.join-failed': 'Joining failed ({code})',
  'log.peer-present': '{name} is in the room',
  'log.peer-joined': '{name} joined',
  'log.peer-left': '{name} left',
  'log.peer-disconnected': '{name} disconnected',
  'log.offer-sent': 'Offer sent to {name}',
  'log.answer-sent': 'Answer sent to {name}',
  'log.offer-received': 'Offer received from {name}',
  'log.answer-received': 'Answer received from {name}',
  'log.offer-ignored': 'Colliding offer from {name} ignored (we go first)',
  'log.negotiation-failed': 'Negotiation with {name} failed: {message}',
  'log.candidate-failed': 'ICE candidate from {name} rejected: {message}',
  'log.relay-failed': 'Couldn\'t send {kind} to {name} ({code})',
  'log.ice-state': 'ICE with {name}: {state}',
  'log.ice-restart': 'Restarting ICE with {name}',
  'log.connection-state': 'Connection with {name}: {state}',
  'log.media-sent': 'Media state sent: mic {mic}, camera {cam}, screen {screen}',
  'log.media-changed': '{name}: mic {mic}, camera {cam}, screen {screen}',
  'log.screen-started': 'Screen sharing started',
  'log.screen-stopped': 'Screen sharing stopped',
  'log.screen-refused': 'Screen sharing didn\'t start ({reason})',
  'log.seq-gap': 'Missed server events (expected #{expected}, got #{got})',
  'log.clock': 'Clock offset to the server: {offset} ms (round trip {rtt} ms)',
  'log.disconnected': 'Connection to the server closed (code {code})',
  'log.left': 'You left the room',
  'log.unknown-sender': 'Ignored a message from unknown participant {id}',
  'log.uncaught': 'Unexpected error: {message}',
  'log.reconnecting': 'Connection to the server lost (code {code}); reconnecting…',
  'log.reconnect-attempt': 'Reconnect attempt {attempt} in {seconds} s',
  'log.resumed': 'Reconnected to the server; {replayed} missed events caught up',
  'log.resumed-reload': 'Took your place in the room back after the page reload',
  'log.resume-failed': 'The server could not keep your place; joining again',
  'log.peer-reloaded': '{name} reloaded the page; their connection is being rebuilt',
  'reconnect.banner': 'Connection to the server lost. Reconnecting…',
  'reconnect.detail': 'Your call goes on meanwhile; you keep your place in the room.',
  'notice.room-restarted': 'The connection is back, but your place could not be kept (the room was restarted, or you were away too long). You are joining again as a new participant.',
  'notice.place-lost': 'Your place in the call could not be kept after the reload. Join again.',
  'resume.title': 'Rejoining your call…',
  'resume.text': 'Taking your place back after the page reload.',
  'error.replaced': 'This call goes on in another tab or window.',
};

const ru = {
  'app.skip': 'Перейти к содержимому',
  'lang.label': 'Язык',

  'home.tagline': 'Видеовстречи на вашем собственном сервере. Отправьте ссылку — и разговаривайте.',
  'home.create-title': 'Начать встречу',
  'home.create-hint': 'Создаёт новую комнату со случайным названием, которым можно поделиться.',
  'home.create-button': 'Создать комнату',
  'home.join-title': 'Присоединиться к встрече',
  'home.room-label': 'Код комнаты',
  'home.room-hint': 'Вставьте ссылку на комнату или введите код вида brave-otter-417.',
  'home.join-button': 'Войти в комнату',
  'home.room-error-empty': 'Введите код комнаты или вставьте ссылку.',
  'home.room-error-invalid': 'Код комнаты — от 3 до 64 символов: латинские буквы a–z, цифры и дефисы, без дефиса в начале и в конце.',

  'invalid-room.title': 'Ссылка на комнату неверна',
  'invalid-room.text': 'Код комнаты — от 3 до 64 символов: латинские буквы a–z, цифры и дефисы. Проверьте присланную ссылку.',

  'prejoin.title': 'Готовы войти?',
  'prejoin.room': 'Комната',
  'prejoin.name': 'Имя',
  'prejoin.name-error-empty': 'Введите имя, которое увидят другие.',
  'prejoin.name-error-long': 'Не больше 64 символов.',
  'prejoin.name-error-chars': 'В имени есть символы, которые нельзя показать.',
  'prejoin.camera': 'Камера',
  'prejoin.microphone': 'Микрофон',
  'prejoin.speaker': 'Динамик',
  'prejoin.camera-n': 'Камера {n}',
  'prejoin.microphone-n': 'Микрофон {n}',
  'prejoin.speaker-n': 'Динамик {n}',
  'prejoin.camera-off': 'Камера выключена',
  'prejoin.no-camera': 'Камеры нет',
  'prejoin.join': 'Войти',
  'prejoin.joining': 'Входим…',
  'prejoin.status-starting': 'Включаем камеру и микрофон…',
  'prejoin.status-ready': 'Проверьте, как вас видно и слышно, и входите.',
  'prejoin.status-joining': 'Входим в комнату…',

  'media.lost-camera': 'Камеру не удаётся использовать.',
  'media.lost-mic': 'Микрофон не удаётся использовать.',
  'media.lost-both': 'Камеру и микрофон не удаётся использовать.',
  'media.reason-denied': 'Доступ запрещён. Разрешите камеру и микрофон в адресной строке браузера и нажмите «Попробовать снова» — или входите без них.',
  'media.reason-missing': 'Устройство не найдено. Подключите его и нажмите «Попробовать снова» — или входите без него.',
  'media.reason-busy': 'Возможно, устройство занято другой программой. Закройте её и нажмите «Попробовать снова».',
  'media.reason-insecure': 'Страница открыта не по защищённому соединению (https), поэтому браузер не даёт доступ к устройствам.',
  'media.reason-timeout': 'Устройство не ответило вовремя. Нажмите «Попробовать снова».',
  'media.reason-unknown': 'Не удалось включить устройство. Нажмите «Попробовать снова».',
  'media.continue-audio': 'Продолжить только со звуком',
  'media.continue-listen': 'Только слушать',
  'media.retry': 'Попробовать снова',

  'call.label': 'Звонок',
  'call.heading': 'Звонок в комнате {room}',
  'controls.toolbar': 'Управление звонком',
  'controls.mic': 'Микрофон',
  'controls.mic-on': 'Включить микрофон',
  'controls.mic-off': 'Выключить микрофон',
  'controls.cam': 'Камера',
  'controls.cam-on': 'Включить камеру',
  'controls.cam-off': 'Выключить камеру',
  'controls.screen': 'Показать экран',
  'controls.screen-start': 'Начать показ экрана',
  'controls.screen-stop': 'Остановить показ экрана',
  'controls.copy-link': 'Копировать ссылку',
  'controls.leave': 'Выйти',

  'tile.you': '(вы)',
  'tile.screen': 'экран',
  'tile.mic-off': 'Микрофон выключен',
  'tile.conn-connecting': 'Подключение…',
  'tile.conn-unstable': 'Связь неустойчива…',
  'tile.conn-failed': 'Связь потеряна, повторяем…',
  'tile.conn-away': 'Переподключается…',
  'tile.cam-off': 'Камера выключена',

  'screen.cancelled': 'Показ экрана не начался: его отменили или не разрешили.',
  'screen.timeout': 'Показ экрана не начался: экран не выбран вовремя.',
  'screen.unsupported': 'Этот браузер не умеет показывать экран.',
  'screen.failed': 'Не удалось начать показ экрана.',

  'notice.dismiss': 'Закрыть',
  'notice.link-copied': 'Ссылка на комнату скопирована. Отправьте её тем, с кем хотите поговорить.',
  'notice.link-copy-failed': 'Не удалось скопировать автоматически. Ссылка на комнату: {link}',
  'notice.autoplay-blocked': 'Браузер приостановил звук звонка.',

  'action.reconnect': 'Подключиться снова',
  'action.home': 'На главную',
  'action.enable-sound': 'Включить звук',

  'left.title': 'Вы вышли из комнаты',
  'left.text': 'Камера и микрофон выключены.',
  'left.rejoin': 'Вернуться',

  'error.bad-json': 'Сервер не смог прочитать сообщение от этой страницы. Обновите страницу и попробуйте снова.',
  'error.bad-message': 'Сервер не понял сообщение от этой страницы. Обновите страницу и попробуйте снова.',
  'error.unknown-type': 'Сервер не знает сообщения, которое отправила страница. Возможно, версии различаются — обновите страницу.',
  'error.missing-field': 'В сообщении серверу не хватило данных ({field}).',
  'error.invalid-field': 'В сообщении серверу было неверное значение ({field}).',
  'error.unsupported-version': 'Страница и сервер используют разные версии. Обновите страницу.',
  'error.invalid-room': 'Неверный код комнаты. Используйте от 3 до 64 символов: a–z, цифры и дефисы.',
  'error.invalid-name': 'Такое имя использовать нельзя. Используйте от 1 до 64 символов.',
  'error.unsupported-frame': 'Сервер не принимает сообщения такого вида.',
  'error.not-joined': 'Вы больше не в комнате. Войдите снова.',
  'error.already-joined': 'Вы уже в этой комнате.',
  'error.room-full': 'Комната заполнена (участников: {max}). Попробуйте позже.',
  'error.room-full-no-size': 'Комната заполнена. Попробуйте позже.',
  'error.target-not-found': 'Этот участник уже вышел.',
  'error.self-target': 'Сообщение было адресовано вам самим.',
  'error.internal': 'На сервере произошла ошибка. Попробуйте ещё раз чуть позже.',
  'error.connect-failed': 'Не удаётся связаться с сервером. Проверьте подключение и попробуйте снова.',
  'error.closed': 'Не удаётся связаться с сервером: соединение закрылось. Попробуйте снова.',
  'error.timeout': 'Сервер не ответил вовремя. Попробуйте снова.',
  'error.connection-lost': 'Не удаётся связаться с сервером — соединение потеряно. Вы больше не в звонке.',
  'error.server-shutdown': 'Не удаётся связаться с сервером — он перезапускается. Вы больше не в звонке.',
  'error.not-admitted': 'Вас ещё не впустили в комнату.',
  'error.room-locked': 'Ведущий закрыл комнату. Сейчас войти нельзя.',
  'error.queue-full': 'В очереди в эту комнату уже слишком много людей. Попробуйте позже.',
  'error.no-free-seat': 'Все места в комнате заняты.',
  'error.not-host': 'Это может сделать только ведущий.',
  'error.password-required': 'У этой комнаты есть пароль.',
  'error.wrong-password': 'Пароль неверный.',
  'error.token-required': 'На этот сервер можно войти только по ссылке-приглашению.',
  'error.invalid-token': 'Приглашение недействительно (возможно, оно истекло или выдано для другой комнаты).',
  'error.resume-failed': 'Не удалось сохранить ваше место в комнате. Войдите снова.',
  'error.declined': 'Ведущий не впустил вас.',
  'error.session-ended': 'Встреча закончилась.',
  'error.unknown': 'Что-то пошло не так ({code}).',

  'waiting.full': 'Комната заполнена. Вы {position}-й в очереди из {of} и войдёте, как только освободится место.',
  'waiting.knock': 'Ждём, когда ведущий впустит вас (вы {position}-й из {of}).',
  'waiting.estimate': 'Примерное ожидание: около {minutes} мин.',
  'waiting.leave': 'Выйти из очереди',

  'waiting.title': 'Вы в очереди',
  'waiting.title-knock': 'Ждём ведущего',
  'waiting.place': 'Вы {position}-й из {of}.',
  'waiting.estimate-one': 'Примерное ожидание: около 1 минуты.',
  'waiting.estimate-unknown': 'Примерное ожидание: неизвестно.',
  'waiting.estimate-host': 'Примерное ожидание: неизвестно — ведущий впускает участников сам.',

  'settings.title': 'Настройки комнаты',
  'settings.hint': 'Применяются, только если вы входите первым (тогда вы ведущий).',
  'settings.admission': 'Кто может войти',
  'settings.admission-open': 'Открыто (все по ссылке)',
  'settings.admission-knock': 'По стуку (зал ожидания)',
  'settings.admission-one-at-a-time': 'По одному (приёмные часы)',
  'settings.session-minutes': 'Длительность встречи (минуты)',
  'settings.session-hint': 'Пусто или 0 — без ограничения.',
  'settings.slot-seconds': 'Время на гостя (секунды)',
  'settings.slot-hint': 'Пусто или 0 — гость остаётся, пока не выйдет.',
  'settings.password': 'Пароль комнаты (необязательно)',
  'prejoin.password': 'Пароль комнаты',
  'prejoin.password-needed': 'У этой комнаты есть пароль. Введите его и нажмите «Войти».',
  'prejoin.password-wrong': 'Пароль неверный. Попробуйте ещё раз.',

  'room.panel': 'Комната',
  'room.you-host': 'Вы ведущий.',
  'room.host-is': 'Ведущий: {name}',
  'tile.host': 'ведущий',
  'tile.hand': 'Рука поднята, номер {place}',
  'tile.hand-short': 'Рука {place}',
  'hand.raise': 'Поднять руку',
  'hand.lower': 'Опустить руку',

  'host.tools': 'Управление комнатой',
  'host.menu': 'Действия ведущего',
  'host.mute': 'Выключить микрофон',
  'host.request-unmute': 'Попросить включить микрофон',
  'host.kick': 'Удалить',
  'host.make-host': 'Сделать ведущим',
  'host.kick-title': 'Удалить {name} из комнаты?',
  'host.kick-reason': 'Причина (необязательно, её увидят)',
  'host.kick-confirm': 'Удалить',
  'dialog.cancel': 'Отмена',
  'host.end-title': 'Завершить встречу для всех?',
  'host.lock': 'Закрыть комнату',
  'host.unlock': 'Открыть комнату',
  'host.end-session': 'Завершить для всех',
  'host.timer-minutes': 'Таймер (минуты)',
  'host.set-timer': 'Запустить таймер',
  'host.extend-timer': '+{minutes} мин',

  'queue.title': 'Ждут входа ({n})',
  'queue.someone-waiting': '{name} ждёт входа.',
  'queue.admit': 'Впустить',
  'queue.decline': 'Отклонить',
  'queue.move-to-front': 'В начало очереди',
  'queue.admit-name': 'Впустить: {name}',
  'queue.decline-name': 'Отклонить: {name}',
  'queue.move-to-front-name': 'В начало очереди: {name}',
  'queue.waited': 'ждёт {minutes} мин',
  'queue.waited-moments': 'только что',

  'countdown.session': 'Осталось: {time}',
  'countdown.slot': 'Текущий слот: {time}',

  'chat.title': 'Чат',
  'chat.input': 'Сообщение',
  'chat.send': 'Отправить',
  'chat.unread': 'Непрочитанных: {n}',

  'notice.you-are-host': 'Теперь вы ведущий.',
  'notice.host-changed': '{name} теперь ведущий.',
  'notice.session-warning': 'Встреча закончится примерно через {minutes} мин.',
  'notice.slot-warning': 'Ваше время закончится примерно через {minutes} мин.',
  'notice.slot-ended': 'Ваше время закончилось; входит следующий в очереди.',
  'ended.title': 'Встреча для вас закончилась',
  'notice.muted-by-host': 'Ведущий выключил ваш микрофон.',
  'notice.unmute-request': 'Ведущий просит вас включить микрофон.',
  'notice.kicked': 'Ведущий удалил вас из комнаты.',
  'notice.kicked-reason': 'Причина: {reason}',
  'notice.session-time-up': 'Время встречи истекло.',
  'notice.session-ended': 'Ведущий завершил встречу.',
  'action.unmute': 'Включить микрофон',
  'log.waiting': 'Ожидание в очереди: {position} из {of}',
  'log.peer-reconnecting': '{name}: переподключение…',
  'log.peer-back': '{name} снова на связи',

  'log.title': 'Журнал событий',
  'log.connecting': 'Подключаемся к серверу…',
  'log.joined': 'Вы вошли в комнату {room} как {name}',
  'log.join-failed': 'Войти не удалось ({code})',
  'log.peer-present': '{name} уже в комнате',
  'log.peer-joined': '{name} входит',
  'log.peer-left': '{name} выходит',
  'log.peer-disconnected': '{name}: соединение потеряно',
  'log.offer-sent': 'Предложение (offer) отправлено: {name}',
  'log.answer-sent': 'Ответ (answer) отправлен: {name}',
  'log.offer-received': 'Предложение (offer) получено от: {name}',
  'log.answer-received': 'Ответ (answer) получен от: {name}',
  'log.offer-ignored': 'Встречное предложение от {name} пропущено (наше первое)',
  'log.negotiation-failed': 'Согласование с {name} не удалось: {message}',
  'log.candidate-failed': 'ICE-кандидат от {name} отклонён: {message}',
  'log.relay-failed': 'Не удалось отправить {kind} для {name} ({code})',
  'log.ice-state': 'ICE с {name}: {state}',
  'log.ice-restart': 'Перезапуск ICE с {name}',
  'log.connection-state': 'Соединение с {name}: {state}',
  'log.media-sent': 'Состояние отправлено: микрофон {mic}, камера {cam}, экран {screen}',
  'log.media-changed': '{name}: микрофон {mic}, камера {cam}, экран {screen}',
  'log.screen-started': 'Показ экрана начат',
  'log.screen-stopped': 'Показ экрана остановлен',
  'log.screen-refused': 'Показ экрана не начался ({reason})',
  'log.seq-gap': 'Пропущены события сервера (ожидался №{expected}, пришёл №{got})',
  'log.clock': 'Разница часов с сервером: {offset} мс (круговая задержка {rtt} мс)',
  'log.disconnected': 'Соединение с сервером закрыто (код {code})',
  'log.left': 'Вы вышли из комнаты',
  'log.unknown-sender': 'Пропущено сообщение от неизвестного участника {id}',
  'log.uncaught': 'Непредвиденная ошибка: {message}',
  'log.reconnecting': 'Связь с сервером потеряна (код {code}); переподключаемся…',
  'log.reconnect-attempt': 'Попытка переподключения {attempt} через {seconds} с',
  'log.resumed': 'Связь с сервером восстановлена; пропущенных событий получено: {replayed}',
  'log.resumed-reload': 'Вы вернулись на своё место в комнате после перезагрузки страницы',
  'log.resume-failed': 'Сервер не сохранил ваше место; входим заново',
  'log.peer-reloaded': '{name} перезагружает страницу; соединение создаётся заново',
  'reconnect.banner': 'Связь с сервером потеряна. Переподключаемся…',
  'reconnect.detail': 'Звонок тем временем продолжается, ваше место в комнате сохраняется.',
  'notice.room-restarted': 'Связь восстановлена, но ваше место не сохранилось (комнату перезапустили или вас не было слишком долго). Вы входите снова как новый участник.',
  'notice.place-lost': 'После перезагрузки страницы ваше место в звонке не сохранилось. Войдите снова.',
  'resume.title': 'Возвращаемся в звонок…',
  'resume.text': 'Восстанавливаем ваше место после перезагрузки страницы.',
  'error.replaced': 'Этот звонок продолжается в другой вкладке или окне.',
};

export const DICTIONARIES = Object.freeze({ en, ru });
export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'ru', label: 'Русский' },
];

let current = 'en';
const listeners = new Set();

export function currentLanguage() {
  return current;
}

// A saved choice wins; otherwise the first browser language we speak; otherwise English.
export function detectLanguage() {
  const saved = loadPref('lang');
  if (saved && DICTIONARIES[saved]) return saved;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = String(tag ?? '').toLowerCase().split('-')[0];
    if (DICTIONARIES[base]) return base;
  }
  return 'en';
}

export function t(key, args = {}) {
  const template = DICTIONARIES[current][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (args[name] === undefined ? match : String(args[name])));
}

export function initLanguage() {
  current = detectLanguage();
  document.documentElement.lang = current;
  bindText(document.getElementById('skip-link'), 'app.skip');
}

export function setLanguage(code) {
  if (!DICTIONARIES[code] || code === current) return;
  current = code;
  savePref('lang', code);
  document.documentElement.lang = code;
  applyTranslations(document);
  for (const listener of listeners) listener(code);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Binds an element's text to a key (and args) so it follows language switches.
export function bindText(el, key, args) {
  if (!el) return;
  el.dataset.i18n = key;
  if (args && Object.keys(args).length) el.dataset.i18nArgs = JSON.stringify(args);
  else delete el.dataset.i18nArgs;
  el.textContent = t(key, args);
}

// map: { attributeName: key | [key, args] }; merged with what the element already has.
export function bindAttrs(el, map) {
  const bound = el.dataset.i18nAttrs ? JSON.parse(el.dataset.i18nAttrs) : {};
  for (const [attr, spec] of Object.entries(map)) bound[attr] = [].concat(spec);
  el.dataset.i18nAttrs = JSON.stringify(bound);
  renderAttrs(el, bound);
}

function renderAttrs(el, bound) {
  for (const [attr, [key, args]] of Object.entries(bound)) el.setAttribute(attr, t(key, args));
}

export function applyTranslations(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n, el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : undefined);
  }
  for (const el of root.querySelectorAll('[data-i18n-attrs]')) {
    renderAttrs(el, JSON.parse(el.dataset.i18nAttrs));
  }
}
