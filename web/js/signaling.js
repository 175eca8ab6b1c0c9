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
// and 'close' {code, reason, byUs, gaveUp} when it is over for good.
import { ClockOffset } from './clock-offset.js';
import { SignalingError, CLIENT_CODES } from './signaling-error.js';
import { backoffDelayMs } from './reconnect-backoff.js';
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
  #url = null;
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

  async connect(url = defaultSignalingUrl(), timeoutMs = CONNECT_TIMEOUT_MS) {
    this.#url = url;
    this.#adopt(await openSocket(url, timeoutMs));
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
  async resumeSnapshot(token) {
    const reply = await this.request(protocol.resume({ token, snapshot: true }));
    this.#lastSeq = Number.isInteger(reply.lastSeq) ? reply.lastSeq : 0;
    return reply;
  }

  close() {
    this.#closedByUs = true;
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
    this.#token = token;
    this.#emit('token', token);
  }

  #settle(message) {
    const pending = this.#pending.get(message.req);
    if (!pending) return false;
    this.#pending.delete(message.req);
    clearTimeout(pending.timer);
    if (message.type === 'error') {
      pending.reject(new SignalingError(message.code, message.message, message.field,
        Number.isFinite(message.retryAfterMs) ? message.retryAfterMs : undefined));
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

  async #tryResume() {
    this.#retryTimer = null;
    if (!this.#reconnecting || this.#closedByUs) return;
    this.#attempt += 1;
    let ws;
    try {
      ws = await openSocket(this.#url, CONNECT_TIMEOUT_MS);
    } catch {
      this.#retryOrGiveUp();
      return;
    }
    if (!this.#reconnecting || this.#closedByUs) {
      ws.close(1000);
      return;
    }
    this.#adopt(ws);
    const req = this.#nextReq++;
    const reply = await new Promise((resolve) => {
      const timer = setTimeout(() => { this.#pending.delete(req); resolve(null); }, REQUEST_TIMEOUT_MS);
      this.#pending.set(req, { resolve, reject: resolve, timer });
      ws.send(JSON.stringify({ ...protocol.resume({ token: this.#token, lastSeq: this.#lastSeq }), req }));
    });
    if (!this.#reconnecting || this.#closedByUs) return;
    if (reply?.type === 'resumed') {
      // A snapshot instead of a replay (more was missed than the server kept): it stands for
      // every event up to its lastSeq, and numbering goes on from there.
      if (reply.snapshot && Number.isInteger(reply.lastSeq)) this.#lastSeq = reply.lastSeq;
      this.#finishReconnecting();
      this.#emit('resumed', reply);
      for (const { message } of this.#held.splice(0)) ws.send(JSON.stringify(message));
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
  }

  #retryOrGiveUp() {
    if (!this.#reconnecting) return;
    if (Date.now() >= this.#giveUpAt) {
      this.#finishReconnecting();
      this.#dropHeld();
      this.#stopWatchingLiveness();
      this.#emit('close', { code: this.#lastCloseCode, reason: '', byUs: false, gaveUp: true });
      return;
    }
    this.#scheduleRetry();
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
