// Entry point: wires language, notices, the event log and the screens together, and moves
// between them: home → pre-join → joining → in call → left (or error).
import { replaceChildren } from './dom.js';
import { initLanguage, applyTranslations } from './i18n.js';
import { languageSwitch } from './language-switch.js';
import { Notices } from './notices.js';
import { EventLog } from './event-log.js';
import { installNoiseFilter } from './noise-filter.js';
import { parseRoute, navigate, watchRoutes } from './router.js';
import { isValidRoomId } from './validation.js';
import { LocalMedia } from './local-media.js';
import { homeScreen } from './home.js';
import { PrejoinScreen } from './prejoin.js';
import { CallSession } from './call-session.js';
import { SignalingPreconnect } from './signaling-preconnect.js';
import { warmUpWebRtc } from './webrtc-warmup.js';
import { messageScreen } from './message-screen.js';
import { errorText } from './error-messages.js';
import { debugHandle, setAppState } from './debug-handle.js';
import { loadResume, clearResume } from './resume-store.js';

// Language first: everything built below renders its text in it.
initLanguage();

const main = document.getElementById('main');
const roomLabel = document.getElementById('topbar-room');
const notices = new Notices(document.getElementById('notices'));
const log = new EventLog();
const media = new LocalMedia();
// The pre-join screen opens the signaling socket ahead, so Join does not wait for a handshake.
const preconnect = new SignalingPreconnect();
let prejoin = null;
let session = null;
let currentRoom = null;

function go(path) {
  navigate(path, show);
}

function setRoom(room) {
  currentRoom = room;
  debugHandle.room = room;
  roomLabel.textContent = room ?? '';
  updateTitle();
}

function updateTitle() {
  document.title = currentRoom ? `${currentRoom} · Parley` : 'Parley';
}

// Puts a screen up. Every screen after the page's first moves focus to the new screen's
// heading (its h1, or else its first heading), so a keyboard or screen-reader user starts there
// and hears its name, and Tab goes on to the screen's controls. The first screen leaves focus
// alone: like on any page, Tab then starts at the skip link and the language switch. `focus:
// false` leaves focus alone too (a screen up for a moment, until the next one).
let firstScreen = true;

function mount(element, { focus = true } = {}) {
  // Already the screen (the call, put up when the person was let in): focus stays where it is.
  if (main.childElementCount === 1 && main.firstElementChild === element) return;
  replaceChildren(main, element);
  const first = firstScreen;
  firstScreen = false;
  if (first || !focus) return;
  window.scrollTo(0, 0);
  const heading = element.querySelector('h1') ?? element.querySelector('h2, h3');
  if (!heading) {
    main.focus({ preventScroll: true });
    return;
  }
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
}

function endEverything() {
  // Moving elsewhere in the app leaves the call for good (a reload goes through pagehide instead).
  if (session && currentRoom) clearResume(currentRoom);
  session?.abandon();
  session = null;
  prejoin?.destroy();
  prejoin = null;
  preconnect.cancel();
  debugHandle.selfId = null;
  notices.clear();
}

function show(route) {
  endEverything();
  if (route.view === 'home') {
    media.stop();
    setRoom(null);
    setAppState('home');
    mount(homeScreen({ onGo: go }));
    return;
  }
  if (!isValidRoomId(route.room)) {
    media.stop();
    setRoom(null);
    setAppState('error');
    mount(messageScreen({
      title: 'invalid-room.title', text: 'invalid-room.text', testid: 'invalid-room',
      actions: [{ t: 'action.home', primary: true, onClick: () => go('/') }],
    }));
    return;
  }
  const kept = loadResume(route.room);
  if (kept) resumeCall(route.room, kept);
  else showPrejoin(route.room, route.name);
}

// The tab was reloaded during a call (or while waiting in line): take the place back with the
// kept token, with the devices the person had. If the place is gone, the pre-join screen
// comes up and says so.
async function resumeCall(room, kept) {
  setRoom(room);
  setAppState('joining');
  mount(messageScreen({ title: 'resume.title', text: 'resume.text', testid: 'resuming', actions: [] }));
  const { problem } = await media.start({ audio: kept.audio !== false, video: kept.video !== false });
  if (problem) log.warn('log.join-failed', { code: `media-${problem.missing}` });
  media.setEnabled('audio', kept.mic !== false);
  media.setEnabled('video', kept.cam !== false);
  const name = kept.name;
  const attempt = new CallSession({
    room, name, media, log, notices, access: {}, showWaiting,
    onLeft: (had, notice) => showLeft(room, name, attempt, had, notice, {}),
  });
  session = attempt;
  try {
    await attempt.resume(kept.token);
  } catch (error) {
    if (session !== attempt) return;
    session = null;
    clearResume(room);
    log.warn('log.join-failed', { code: error.code ?? 'unknown' });
    showPrejoin(room, name);
    if (error.code === 'cancelled') return; // they left the line themselves
    notices.show({ id: 'join', kind: 'info', t: error.code === 'resume-failed' ? 'notice.place-lost' : errorText(error) });
    return;
  }
  if (session !== attempt) return;
  mount(attempt.element);
}

function showPrejoin(room, name) {
  setRoom(room);
  setAppState('prejoin');
  prejoin = new PrejoinScreen({ room, name, media, notices, onJoin: (chosen, access) => startCall(room, chosen, access) });
  mount(prejoin.element);
  // Once the camera is on: the WebRTC set-up must not hold up the preview.
  prejoin.start().then(warmUpWebRtc);
  preconnect.start();
}

// While waiting in line the waiting screen replaces the pre-join one, which comes back if
// the person leaves the line. Let in (`admitted`), the call screen goes up at once and takes
// focus (it fills in as the call starts): the pre-join screen does not flash up in between.
function showWaiting(element, { admitted = false } = {}) {
  if (element) mount(element);
  else if (admitted && session) mount(session.element);
  else if (prejoin) mount(prejoin.element);
  else if (session) mount(session.element); // an automatic re-join that had to wait
}

const PASSWORD_CODES = new Set(['password-required', 'wrong-password', 'too-many-attempts']);
// Failures that may be over by the next try: the network's, and a room that could not be found
// on the nodes of a cluster (it was moving, or the nodes sent the page in circles).
const RETRY_CODES = new Set(['connect-failed', 'closed', 'timeout', 'room-moving', 'room-elsewhere']);

async function startCall(room, name, access = {}) {
  notices.dismiss('join');
  const attempt = new CallSession({
    room, name, media, log, notices, access, showWaiting,
    connect: () => preconnect.take(),
    onLeft: (had, notice) => showLeft(room, name, attempt, had, notice, access),
  });
  session = attempt;
  try {
    await attempt.join();
  } catch (error) {
    if (session !== attempt) return; // the person went elsewhere meanwhile
    session = null;
    prejoin?.setBusy(false);
    if (prejoin) preconnect.start(); // for the next try (a password, a retry)
    // A rejoin has no pre-join screen to fall back to: don't leave a dead waiting screen up.
    if (!prejoin && main.querySelector('[data-testid="waiting"]')) {
      mount(messageScreen({ title: 'left.title', text: 'left.text', testid: 'left',
        actions: [{ t: 'action.home', primary: true, testid: 'home', onClick: () => go('/') }] }));
    }
    if (error.code === 'cancelled') { // left the waiting line
      setAppState(prejoin ? 'prejoin' : 'left');
      return;
    }
    if (PASSWORD_CODES.has(error.code) && prejoin) {
      setAppState('prejoin');
      prejoin.askPassword(error.code, error.retryAfterMs);
      return;
    }
    setAppState('error');
    log.error('log.join-failed', { code: error.code ?? 'unknown' });
    notices.show({
      id: 'join', kind: 'error', t: errorText(error, { maxRoomSize: attempt.maxRoomSize }),
      actions: RETRY_CODES.has(error.code)
        ? [{ t: 'action.reconnect', testid: 'reconnect', onClick: () => retryJoin(room, name, access) }]
        : [],
    });
    return;
  }
  if (session !== attempt) return;
  prejoin?.destroy();
  prejoin = null;
  mount(attempt.element);
}

function retryJoin(room, name, access) {
  prejoin?.setBusy(true);
  startCall(room, name, access);
}

// The server ended the stay (kicked, time up, slot over, host ended): the screen says why.
function showLeft(room, name, leftSession, wanted, notice, access) {
  if (session !== leftSession) return;
  session = null;
  debugHandle.selfId = null;
  notices.clear();
  if (notice) notices.show(notice);
  setAppState('left');
  const removed = notice?.id === 'removed';
  const screen = messageScreen({
    title: removed ? 'ended.title' : 'left.title', text: removed ? notice.t : 'left.text', testid: 'left',
    actions: [
      { t: 'left.rejoin', primary: true, testid: 'rejoin', onClick: () => rejoin(room, name, wanted, access) },
      { t: 'action.home', testid: 'home', onClick: () => go('/') },
    ],
  });
  mount(screen);
}

// Straight back in with the same name and devices; if the devices don't come back as they
// were, the pre-join screen explains why.
let rejoining = false;

async function rejoin(room, name, wanted, access) {
  if (rejoining || session) return; // a double click must not join twice
  rejoining = true;
  const { problem } = await media.start({ audio: wanted.audio, video: wanted.video }).finally(() => { rejoining = false; });
  if (problem) {
    showPrejoin(room, name);
    return;
  }
  media.setEnabled('audio', wanted.mic);
  media.setEnabled('video', wanted.cam);
  startCall(room, name, access);
}

function start() {
  installNoiseFilter(log);
  document.getElementById('lang-slot').append(languageSwitch());
  document.getElementById('log-slot').append(log.element);
  document.getElementById('brand-link').addEventListener('click', (event) => {
    event.preventDefault();
    go('/');
  });
  window.addEventListener('pagehide', () => session?.abandon());
  watchRoutes(show);
  show(parseRoute());
  applyTranslations(document);
}

start();
