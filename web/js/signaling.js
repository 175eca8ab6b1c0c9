// The signaling client: one WebSocket, requests with `req` ids that each get exactly one reply
// (a promise per request), server events dispatched by type, and a ping every 15 s that keeps
// the socket alive and measures the clock offset (docs/protocol.md).
import { ClockOffset } from './clock-offset.js';
import { SignalingError, CLIENT_CODES } from './signaling-error.js';

const PING_INTERVAL_MS = 15_000;
const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

export function defaultSignalingUrl(loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/ws`;
}

export class Signaling {
  #ws = null;
  #nextReq = 1;
  #pending = new Map(); // req -> { resolve, reject, timer }
  #handlers = new Map(); // type -> Set<fn>
  #pingTimer = null;
  #closedByUs = false;
  #lastSeq = 0;
  clock = new ClockOffset();

  get isOpen() {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  connect(url = defaultSignalingUrl(), timeoutMs = CONNECT_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.onopen = ws.onerror = ws.onclose = ws.onmessage = null;
        try { ws.close(); } catch { /* already closed */ }
        reject(new SignalingError(CLIENT_CODES.connectFailed));
      };
      let ws;
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
        this.#adopt(ws);
        resolve();
      };
    });
  }

  // Sends a message with a fresh `req`; resolves with the success reply, rejects with a
  // SignalingError for an `error` reply, a closed socket, or no reply in time.
  request(message, timeoutMs = REQUEST_TIMEOUT_MS) {
    if (!this.isOpen) return Promise.reject(new SignalingError(CLIENT_CODES.closed));
    const req = this.#nextReq++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(req);
        reject(new SignalingError(CLIENT_CODES.timeout));
      }, timeoutMs);
      this.#pending.set(req, { resolve, reject, timer });
      this.#ws.send(JSON.stringify({ ...message, req }));
    });
  }

  // Fire and forget: only a failure is answered (as an `error` event without `req`).
  send(message) {
    if (!this.isOpen) return false;
    this.#ws.send(JSON.stringify(message));
    return true;
  }

  // Subscribes to a server event type, or 'error' (unsolicited errors) / 'close' / 'seq-gap'.
  on(type, handler) {
    if (!this.#handlers.has(type)) this.#handlers.set(type, new Set());
    this.#handlers.get(type).add(handler);
    return () => this.#handlers.get(type)?.delete(handler);
  }

  close() {
    this.#closedByUs = true;
    this.#stopPing();
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000);
  }

  #adopt(ws) {
    this.#ws = ws;
    ws.onmessage = (event) => this.#onMessage(event);
    ws.onerror = null;
    ws.onclose = (event) => this.#onClose(event);
    this.#startPing();
  }

  #onMessage(event) {
    if (typeof event.data !== 'string') return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    // Whatever carries the `req` of a pending request is its one reply (joined, waiting, pong,
    // ok, error, ...); events never carry `req`.
    if (message.req != null && this.#settle(message)) return;
    if (typeof message.seq === 'number') this.#checkSeq(message.seq);
    this.#emit(message.type, message);
  }

  #settle(message) {
    const pending = this.#pending.get(message.req);
    if (!pending) return false;
    this.#pending.delete(message.req);
    clearTimeout(pending.timer);
    if (message.type === 'error') {
      pending.reject(new SignalingError(message.code, message.message, message.field));
    } else {
      pending.resolve(message);
    }
    return true;
  }

  // Events are numbered without gaps; a gap means something was lost (a later issue resumes
  // from it, for now it is only reported).
  #checkSeq(seq) {
    if (this.#lastSeq !== 0 && seq !== this.#lastSeq + 1) {
      this.#emit('seq-gap', { expected: this.#lastSeq + 1, got: seq });
    }
    this.#lastSeq = seq;
  }

  #onClose(event) {
    this.#stopPing();
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new SignalingError(CLIENT_CODES.closed));
    }
    this.#pending.clear();
    this.#emit('close', { code: event.code, reason: event.reason, byUs: this.#closedByUs });
  }

  #emit(type, payload) {
    for (const handler of this.#handlers.get(type) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        console.error(`signaling handler for ${type} failed`, error);
      }
    }
  }

  #startPing() {
    this.#ping();
    this.#pingTimer = setInterval(() => this.#ping(), PING_INTERVAL_MS);
  }

  #stopPing() {
    clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  async #ping() {
    const sentAt = Date.now();
    try {
      const pong = await this.request({ type: 'ping', t: sentAt });
      if (typeof pong.serverTime === 'number' && typeof pong.t === 'number') {
        const sample = this.clock.addSample(pong.t, pong.serverTime, Date.now());
        this.#emit('clock', sample);
      }
    } catch {
      // A lost pong shows up as a closed socket soon enough; nothing to do here.
    }
  }
}
