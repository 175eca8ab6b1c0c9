// The signaling client: one WebSocket, requests with `req` ids that each get exactly one reply
// (a promise per request), server events dispatched by type, and a ping every 15 s that keeps
// the socket alive, measures the clock offset and acknowledges the events processed
// (docs/protocol.md).
//
// It heals itself: once the server has handed out a resume token, a socket that drops
// unexpectedly is replaced with backoff, and the new one sends `resume` with the last event
// seq processed. The server replays what was missed; events already processed are skipped, so
// each is handled exactly once. Requests made meanwhile wait for the new socket (their own
// timeout still runs); fire-and-forget messages are held and sent after the resume. What it
// tells its listeners: 'reconnecting' {attempt, delayMs, code}, 'resumed' (the reply),
// 'resume-failed' (the error: the place is gone, join again), 'token' (a new resume token),
// and 'close' {code, reason, byUs, gaveUp, error} when it is over for good.
//
// Several nodes, one service (docs/protocol.md): a join or resume answered `room-elsewhere` is
// sent again on a new socket to the node named (the old socket closed), one answered
// `room-moving` again after the wait asked for (cluster-follow.js decides; 'following' {url,
// hops} and 'moving' {waitMs, reconnecting} tell the listeners). A reconnect asks the node it
// was on and the page's own node ("home", which routes again) in turn, so a node that died is
// not insisted on.
import { ClockOffset } from './clock-offset.js';
import { SignalingError, CLIENT_CODES } from './signaling-error.js';
import { backoffDelayMs } from './reconnect-backoff.js';
import { RoomFollow, reconnectTarget } from './cluster-follow.js';
import * as protocol from './protocol.js';

const PING_INTERVAL_MS = 15_000;
const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
const GIVE_UP_AFTER_MS = 120_000;
const MAX_HELD_MESSAGES = 500;
// A network path can die without a reset (a phone moving from Wi-Fi to LTE): the socket stays
// "open" and nothing arrives. A connection quiet for QUIET_MS is probed with a ping; one that
// does not answer within PROBE_REPLY_MS is taken for dead and replaced as after any drop, so a
// dead path is noticed within QUIET_MS + LIVENESS_CHECK_MS + PROBE_REPLY_MS = 10 s. The
// browser's online, offline and network-change events probe at once, with a shorter wait.
const LIVENESS_CHECK_MS = 1000;
const QUIET_MS = 4000;
const PROBE_REPLY_MS = 5000;
const NETWORK_CHANGE_REPLY_MS = 3000;
// Closes after which coming back on our own would be wrong: 4002 the call moved to another
// connection (another tab resumed it), 1009 we sent something too big (would happen again).
const NO_RESUME_CODES = new Set([4002, 1009]);

export function defaultSignalingUrl(loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/ws`;
}

function openSocket(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    let settled = false;
    let ws;
    const fail = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.onopen = ws.onerror = ws.onclose = ws.onmessage = null;
      try { ws.close(); } catch { /* already closed */ }
      reject(new SignalingError(CLIENT_CODES.connectFailed));
    };
    try {
      ws = new WebSocket(url);
    } catch {
      reject(new SignalingError(CLIENT_CODES.connectFailed));
      return;
    }
    const timer = setTimeout(fail, timeoutMs);
    ws.onerror = fail;
    ws.onclose = fail;
    ws.onopen = () => {
      settled = true;
      clearTimeout(timer);
      resolve(ws);
    };
  });
}

export class Signaling {
  #ws = null;
  #url = null; // the node this socket (or the last one) is connected to
  #homeUrl = null; // the first URL connected to: the page's own node, which routes
  #room = null; // the room joined or resumed, sent with every resume so any node can find it
  #pauseTimer = null;
  #endPause = null;
  #nextReq = 1;
  #pending = new Map(); // req -> { resolve, reject, timer }
  #held = []; // while reconnecting: { message, req } requests and { message } sends
  #handlers = new Map(); // type -> Set<fn>
  #pingTimer = null;
  #closedByUs = false;
  #lastSeq = 0; // the last event processed
  #token = null; // resume token
  #reconnecting = false;
  #attempt = 0;
  #retryTimer = null;
  #giveUpAt = 0;
  #onOnline = () => this.#retryNow();
  #lastHeardAt = 0;
  #probeDeadline = 0; // when an unanswered liveness probe makes the socket dead; 0: none out
  #livenessTimer = null;
  #onNetworkChange = () => this.#probe(NETWORK_CHANGE_REPLY_MS);
  clock = new ClockOffset();

  get isOpen() {
    return this.#ws?.readyState === WebSocket.OPEN && !this.#reconnecting;
  }

  get reconnecting() { return this.#reconnecting; }
  get lastSeq() { return this.#lastSeq; }
  get resumeToken() { return this.#token; }
  get url() { return this.#url; }

  async connect(url = defaultSignalingUrl(), timeoutMs = CONNECT_TIMEOUT_MS) {
    this.#url = url;
    this.#homeUrl ??= url;
    this.#adopt(await openSocket(url, timeoutMs));
  }

  // Sends a `join` or `resume` and follows the room to its node on the way: resolves with the
  // first reply that is not about where the room is (joined, waiting, resumed), rejects like
  // request(), or with the last room-elsewhere / room-moving error once following gives up
  // (MAX_HOPS redirects in a row, or a room moving for MOVING_GIVE_UP_MS).
  async enter(message) {
    if (typeof message.room === 'string') this.#room = message.room;
    const follow = new RoomFollow();
    for (;;) {
      let step;
      try {
        return await this.request(message);
      } catch (error) {
        step = follow.next(error);
        if (!step) throw error;
      }
      if (step.fail) throw step.fail;
      if (step.follow) {
        this.#emit('following', { url: step.follow, hops: follow.hops });
        try {
          await this.#switchTo(step.follow);
          continue;
        } catch (error) {
          if (this.#closedByUs) throw error;
          // Sent to a node we cannot reach: ask again where we are, a moment later.
          step = follow.unreachable(error);
          if (step.fail) throw step.fail;
        }
      }
      this.#emit('moving', { waitMs: step.wait, reconnecting: false });
      await this.#pause(step.wait);
      if (this.#closedByUs) throw new SignalingError(CLIENT_CODES.closed);
      if (!this.isOpen) await this.#switchTo(this.#url);
    }
  }

  // Sends a message with a fresh `req`; resolves with the success reply, rejects with a
  // SignalingError for an `error` reply, a closed socket, or no reply in time. While
  // reconnecting the request waits for the new socket.
  request(message, timeoutMs = REQUEST_TIMEOUT_MS) {
    if (!this.isOpen && !this.#reconnecting) return Promise.reject(new SignalingError(CLIENT_CODES.closed));
    const req = this.#nextReq++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(req);
        this.#held = this.#held.filter((h) => h.req !== req);
        reject(new SignalingError(CLIENT_CODES.timeout));
      }, timeoutMs);
      this.#pending.set(req, { resolve, reject, timer });
      if (this.#reconnecting) this.#held.push({ message: { ...message, req }, req });
      else this.#ws.send(JSON.stringify({ ...message, req }));
    });
  }

  // Fire and forget: only a failure is answered (as an `error` event without `req`).
  send(message) {
    if (this.#reconnecting) {
      if (this.#held.length >= MAX_HELD_MESSAGES) return false;
      this.#held.push({ message });
      return true;
    }
    if (!this.isOpen) return false;
    this.#ws.send(JSON.stringify(message));
    return true;
  }

  // Subscribes to a server event type, or 'error' (unsolicited errors) / 'close' / 'seq-gap' /
  // 'reconnecting' / 'resumed' / 'resume-failed' / 'token'.
  on(type, handler) {
    if (!this.#handlers.has(type)) this.#handlers.set(type, new Set());
    this.#handlers.get(type).add(handler);
    return () => this.#handlers.get(type)?.delete(handler);
  }

  // A resume from a page that kept nothing but the token (a reload): the reply carries the
  // whole picture (`snapshot`), and numbering goes on from its `lastSeq`.
  // `room` lets any node of a cluster find the room the token belongs to.
  async resumeSnapshot(token, room) {
    const reply = await this.enter(protocol.resume({ token, snapshot: true, room }));
    this.#lastSeq = Number.isInteger(reply.lastSeq) ? reply.lastSeq : 0;
    return reply;
  }

  close() {
    this.#closedByUs = true;
    clearTimeout(this.#pauseTimer);
    this.#endPause?.();
    this.#stopWatchingLiveness();
    this.#stopReconnecting();
    this.#stopPing();
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000);
  }

  #adopt(ws) {
    this.#ws = ws;
    ws.onmessage = (event) => this.#onMessage(event);
    ws.onerror = null;
    ws.onclose = (event) => this.#onClose(ws, event);
    this.#startPing();
    this.#watchLiveness();
  }

  #watchLiveness() {
    this.#lastHeardAt = Date.now();
    this.#probeDeadline = 0;
    if (this.#livenessTimer !== null) return;
    this.#livenessTimer = setInterval(() => this.#checkLiveness(), LIVENESS_CHECK_MS);
    for (const type of ['online', 'offline']) window.addEventListener(type, this.#onNetworkChange);
    navigator.connection?.addEventListener?.('change', this.#onNetworkChange);
  }

  #stopWatchingLiveness() {
    clearInterval(this.#livenessTimer);
    this.#livenessTimer = null;
    this.#probeDeadline = 0;
    for (const type of ['online', 'offline']) window.removeEventListener(type, this.#onNetworkChange);
    navigator.connection?.removeEventListener?.('change', this.#onNetworkChange);
  }

  #checkLiveness() {
    if (!this.isOpen) return;
    const now = Date.now();
    if (this.#probeDeadline !== 0 && now >= this.#probeDeadline) {
      this.#declareDead();
    } else if (this.#probeDeadline === 0 && now - this.#lastHeardAt >= QUIET_MS) {
      this.#probe(PROBE_REPLY_MS);
    }
  }

  // A ping whose pong (or anything else) must arrive within `replyMs`. Timers may be throttled
  // in a background tab, so only an unanswered probe counts, never quiet alone.
  #probe(replyMs) {
    if (!this.isOpen) return;
    const now = Date.now();
    if (this.#probeDeadline !== 0 && this.#probeDeadline <= now + replyMs) return;
    this.#probeDeadline = now + replyMs;
    this.#ws.send(JSON.stringify(protocol.ping(now, this.#lastSeq)));
  }

  // The socket answers nothing: let it go (the browser may take a long while to say it is
  // closed) and carry on as after any drop, with a resume on a new socket.
  #declareDead() {
    const ws = this.#ws;
    this.#emit('silent', { quietMs: Date.now() - this.#lastHeardAt });
    ws.onmessage = null;
    ws.onclose = null;
    try { ws.close(); } catch { /* already closing */ }
    this.#onClose(ws, { code: 1006, reason: 'no reply' });
  }

  #onMessage(event) {
    this.#lastHeardAt = Date.now();
    this.#probeDeadline = 0;
    if (typeof event.data !== 'string') return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    this.#noteToken(message);
    // Whatever carries the `req` of a pending request is its one reply (joined, waiting, pong,
    // ok, error, ...); events never carry `req`.
    if (message.req != null && this.#settle(message)) return;
    if (typeof message.seq === 'number' && !this.#checkSeq(message.seq)) return;
    this.#emit(message.type, message);
  }

  #noteToken(message) {
    const token = typeof message.resumeToken === 'string' ? message.resumeToken
      : typeof message.snapshot?.resumeToken === 'string' ? message.snapshot.resumeToken : null;
    if (!token || token === this.#token) return;
    const room = message.room ?? message.snapshot?.room;
    if (typeof room === 'string' && room) this.#room = room;
    this.#token = token;
    this.#emit('token', token);
  }

  #settle(message) {
    const pending = this.#pending.get(message.req);
    if (!pending) return false;
    this.#pending.delete(message.req);
    clearTimeout(pending.timer);
    if (message.type === 'error') {
      pending.reject(SignalingError.fromReply(message));
    } else {
      // A join reply starts a new participant, whose events count from 1 again.
      if (message.type === 'joined' || message.type === 'waiting') this.#lastSeq = 0;
      pending.resolve(message);
    }
    return true;
  }

  // Events are numbered without gaps. One at or below the last processed is a replay of
  // something already handled (skipped); a jump means something was lost (reported).
  #checkSeq(seq) {
    if (seq <= this.#lastSeq) return false;
    if (this.#lastSeq !== 0 && seq !== this.#lastSeq + 1) {
      this.#emit('seq-gap', { expected: this.#lastSeq + 1, got: seq });
    }
    this.#lastSeq = seq;
    return true;
  }

  #onClose(ws, event) {
    if (ws !== this.#ws) return; // an old socket finishing late
    this.#stopPing();
    this.#failPending();
    if (this.#closedByUs) {
      this.#stopWatchingLiveness();
      this.#emit('close', { code: event.code, reason: event.reason, byUs: true, gaveUp: false });
      return;
    }
    if (this.#reconnecting) return; // the socket of a resume attempt: the loop goes on
    if (!this.#token || NO_RESUME_CODES.has(event.code)) {
      this.#stopWatchingLiveness();
      this.#emit('close', { code: event.code, reason: event.reason, byUs: false, gaveUp: false });
      return;
    }
    this.#reconnecting = true;
    this.#attempt = 0;
    this.#giveUpAt = Date.now() + GIVE_UP_AFTER_MS;
    this.#lastCloseCode = event.code;
    window.addEventListener('online', this.#onOnline);
    this.#scheduleRetry();
  }

  #lastCloseCode = null;

  #failPending() {
    for (const [req, { reject, timer }] of this.#pending) {
      if (this.#held.some((h) => h.req === req)) continue; // still waiting to be sent
      clearTimeout(timer);
      this.#pending.delete(req);
      reject(new SignalingError(CLIENT_CODES.closed));
    }
  }

  #scheduleRetry() {
    const delayMs = backoffDelayMs(this.#attempt);
    this.#emit('reconnecting', { attempt: this.#attempt + 1, delayMs, code: this.#lastCloseCode });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#tryResume(), delayMs);
  }

  // The browser says the network is back: don't sit out the rest of the backoff.
  #retryNow() {
    if (!this.#reconnecting || this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#tryResume();
  }

  // One reconnect attempt: a new socket to the node this attempt asks (reconnectTarget), a
  // `resume` there, and the room followed to its node if it is elsewhere or moving.
  async #tryResume() {
    this.#retryTimer = null;
    if (this.#stale()) return;
    this.#attempt += 1;
    let url = reconnectTarget(this.#attempt, { current: this.#url, home: this.#homeUrl });
    let ws;
    try {
      ws = await openSocket(url, CONNECT_TIMEOUT_MS);
    } catch {
      // The node we were on is gone (it died, or is being replaced): home routes again at once,
      // without sitting out a backoff that only grows while the room moves.
      const other = url === this.#homeUrl ? null : this.#homeUrl;
      if (!other || this.#stale()) {
        this.#retryOrGiveUp();
        return;
      }
      try {
        ws = await openSocket(other, CONNECT_TIMEOUT_MS);
        url = other;
      } catch {
        this.#retryOrGiveUp();
        return;
      }
    }
    if (this.#stale()) {
      ws.close(1000);
      return;
    }
    this.#adopt(ws);
    const follow = new RoomFollow();
    for (;;) {
      const reply = await this.#ask(ws, protocol.resume({ token: this.#token, lastSeq: this.#lastSeq, room: this.#room }));
      if (this.#stale()) return;
      if (reply?.type === 'resumed') {
        this.#url = url; // the node the room is on now: the first one the next drop asks
        // A snapshot instead of a replay (more was missed than the server kept, or the room
        // was restored on another node): it stands for every event up to its lastSeq, and
        // numbering goes on from there.
        if (reply.snapshot && Number.isInteger(reply.lastSeq)) this.#lastSeq = reply.lastSeq;
        this.#finishReconnecting();
        this.#emit('resumed', reply);
        for (const { message } of this.#held.splice(0)) ws.send(JSON.stringify(message));
        return;
      }
      const step = reply instanceof SignalingError ? follow.next(reply) : null;
      if (step?.follow) {
        this.#emit('following', { url: step.follow, hops: follow.hops });
        let next;
        try {
          next = await openSocket(step.follow, CONNECT_TIMEOUT_MS);
        } catch {
          // Sent to a node we cannot reach (it died a moment ago and is still listed): ask the
          // node that sent us again after a while, on the socket still open to it.
          const again = follow.unreachable(new SignalingError('room-moving'));
          if (again.wait && ws.readyState === WebSocket.OPEN) {
            this.#emit('moving', { waitMs: again.wait, reconnecting: true });
            await this.#pause(again.wait);
            if (this.#stale()) return;
            if (ws.readyState === WebSocket.OPEN) continue;
          }
          this.#drop(ws);
          if (again.fail) this.#giveUp(again.fail);
          else this.#retryOrGiveUp();
          return;
        }
        if (this.#stale()) {
          next.close(1000);
          return;
        }
        this.#adopt(next);
        this.#drop(ws);
        ws = next;
        url = step.follow;
        continue;
      }
      if (step?.wait) {
        this.#emit('moving', { waitMs: step.wait, reconnecting: true });
        await this.#pause(step.wait);
        if (this.#stale()) return;
        if (ws.readyState === WebSocket.OPEN) continue;
        this.#retryOrGiveUp();
        return;
      }
      if (step?.fail) {
        // Redirected in circles, or the room did not come back in time: say so.
        this.#drop(ws);
        this.#giveUp(step.fail);
        return;
      }
      if (reply instanceof SignalingError && reply.code !== CLIENT_CODES.closed) {
        // The server is there but our place is not (grace over, server restarted, too much
        // missed): nothing to retry. Whoever owns the session joins afresh.
        this.#finishReconnecting();
        this.#dropHeld();
        this.#emit('resume-failed', reply);
        return;
      }
      // The new socket failed too, or no answer: try again (its close was ignored above).
      try { ws.close(); } catch { /* already closed */ }
      this.#retryOrGiveUp();
      return;
    }
  }

  #stale() {
    return !this.#reconnecting || this.#closedByUs;
  }

  // A request on a socket of a reconnect attempt, where request() would hold it: resolves with
  // the reply, the SignalingError of an error reply or of a closed socket, or null (no reply).
  #ask(ws, message) {
    const req = this.#nextReq++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.#pending.delete(req); resolve(null); }, REQUEST_TIMEOUT_MS);
      this.#pending.set(req, { resolve, reject: resolve, timer });
      ws.send(JSON.stringify({ ...message, req }));
    });
  }

  // Moves this signaling to a new socket to `url` (before the join or resume is through: no
  // replies are owed on the old one but pings', which end as closed).
  async #switchTo(url) {
    const ws = await openSocket(url, CONNECT_TIMEOUT_MS);
    if (this.#closedByUs) {
      ws.close(1000);
      throw new SignalingError(CLIENT_CODES.closed);
    }
    const old = this.#ws;
    this.#failPending();
    this.#url = url;
    this.#adopt(ws);
    if (old && old !== ws) this.#drop(old);
  }

  // Lets an old socket go without hearing from it again.
  #drop(ws) {
    ws.onmessage = null;
    ws.onclose = null;
    try { ws.close(1000); } catch { /* already closed */ }
  }

  // A wait that close() cuts short.
  #pause(ms) {
    return new Promise((resolve) => {
      this.#endPause = () => {
        this.#endPause = null;
        resolve();
      };
      this.#pauseTimer = setTimeout(this.#endPause, ms);
    });
  }

  #retryOrGiveUp() {
    if (!this.#reconnecting) return;
    if (Date.now() >= this.#giveUpAt) {
      this.#giveUp(null);
      return;
    }
    this.#scheduleRetry();
  }

  #giveUp(error) {
    this.#finishReconnecting();
    this.#dropHeld();
    this.#stopWatchingLiveness();
    this.#emit('close', { code: this.#lastCloseCode, reason: '', byUs: false, gaveUp: true, error });
  }

  #finishReconnecting() {
    this.#reconnecting = false;
    window.removeEventListener('online', this.#onOnline);
  }

  #stopReconnecting() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#reconnecting) this.#finishReconnecting();
    this.#dropHeld();
  }

  #dropHeld() {
    for (const { req } of this.#held.splice(0)) {
      if (req === undefined) continue;
      const pending = this.#pending.get(req);
      if (!pending) continue;
      clearTimeout(pending.timer);
      this.#pending.delete(req);
      pending.reject(new SignalingError(CLIENT_CODES.closed));
    }
  }

  #emit(type, payload) {
    // A copy: a handler may subscribe anew (a call starting over from a snapshot does), and a
    // Set's iteration would visit what was added during it.
    for (const handler of [...(this.#handlers.get(type) ?? [])]) {
      try {
        handler(payload);
      } catch (error) {
        console.error(`signaling handler for ${type} failed`, error);
      }
    }
  }

  #startPing() {
    this.#stopPing();
    this.#ping();
    this.#pingTimer = setInterval(() => this.#ping(), PING_INTERVAL_MS);
  }

  #stopPing() {
    clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  async #ping() {
    if (this.#reconnecting) return; // the resume comes first on a new socket
    const sentAt = Date.now();
    try {
      // The ack tells the server what it need not keep for a resume any more.
      const pong = await this.request(protocol.ping(sentAt, this.#lastSeq));
      if (typeof pong.serverTime === 'number' && typeof pong.t === 'number') {
        const sample = this.clock.addSample(pong.t, pong.serverTime, Date.now());
        this.#emit('clock', sample);
      }
    } catch {
      // A lost pong shows up as a closed socket soon enough; nothing to do here.
    }
  }
}
