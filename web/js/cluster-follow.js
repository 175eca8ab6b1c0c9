// Finding the node that holds a room when Parley runs as several nodes (docs/protocol.md,
// "Several nodes, one service"). A node asked for a room another node holds answers
// `room-elsewhere` with that node's public URL; one whose node has died and whose lease has not
// run out yet answers `room-moving` with `retryAfterMs`. These are the decisions the signaling
// takes on them, pure (time and chance injected), so they can be tested without sockets; the
// signaling (signaling.js) opens the sockets and waits.

// Redirects followed in a row before giving up: one is the normal case (the home node sends us
// on), a second can happen while a room changes hands; more means nodes that disagree, and
// following them further would only loop.
export const MAX_HOPS = 3;
// How long a room may be "moving" before the person is told it did not come back: a dead node's
// lease runs out within 6 s and the next node takes the room at once, so 30 s is a failure.
export const MOVING_GIVE_UP_MS = 30_000;
const DEFAULT_WAIT_MS = 1000; // no (or a nonsense) retryAfterMs; also after an unreachable node
const MIN_WAIT_MS = 100;
const MAX_WAIT_MS = 5000;
// Up to this share of the wait added at random, so the people of a room whose node died do not
// all come back to the new one in the same instant.
const JITTER = 0.2;

// The signaling WebSocket URL of a node from its public URL (the `url` of `room-elsewhere`):
// http -> ws, https -> wss, path /ws. null for anything else (a node must never send the page
// to a scheme it cannot speak).
export function nodeSignalingUrl(publicUrl) {
  let url;
  try {
    url = new URL(String(publicUrl));
  } catch {
    return null;
  }
  const scheme = { 'http:': 'ws:', 'https:': 'wss:' }[url.protocol];
  if (!scheme || !url.host) return null;
  return `${scheme}//${url.host}/ws`;
}

// Which node a reconnect attempt (1, 2, ...) asks: first the node the page was on (most drops
// are the network's, and the room is still there), then the page's own origin ("home"), which
// routes again — so a dead node is never insisted on, and a room restored elsewhere is found.
export function reconnectTarget(attempt, { current, home }) {
  if (!current) return home;
  if (!home) return current;
  return attempt % 2 === 1 ? current : home;
}

// One attempt's way to the room (a join, or a resume): feed it each error reply; it says what to
// do next.
export class RoomFollow {
  #now;
  #random;
  #maxHops;
  #giveUpMs;
  #hops = 0;
  #waitingSince = null;

  constructor({ now = Date.now, random = Math.random, maxHops = MAX_HOPS, giveUpMs = MOVING_GIVE_UP_MS } = {}) {
    this.#now = now;
    this.#random = random;
    this.#maxHops = maxHops;
    this.#giveUpMs = giveUpMs;
  }

  get hops() { return this.#hops; }

  // error: the SignalingError of a join or resume (with `url` and `retryAfterMs` as sent).
  // Returns { follow: wsUrl } (ask that node), { wait: ms } (ask the same node again after
  // that long), { fail: error } (tell the person), or null for an error that is not about
  // where the room is (the caller handles it as before).
  next(error) {
    if (error?.code === 'room-elsewhere') {
      const url = nodeSignalingUrl(error.url);
      if (!url || this.#hops >= this.#maxHops) return { fail: error };
      this.#hops += 1;
      return { follow: url };
    }
    if (error?.code === 'room-moving') return this.#wait(error.retryAfterMs, error);
    return null;
  }

  // The node we were sent to cannot be reached (it may have died a moment ago and still be
  // listed): ask the node that sent us again, after a while, within the same time limit.
  unreachable(error) {
    return this.#wait(DEFAULT_WAIT_MS, error);
  }

  #wait(retryAfterMs, error) {
    const now = this.#now();
    this.#waitingSince ??= now;
    const base = Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, retryAfterMs)) : DEFAULT_WAIT_MS;
    const wait = Math.round(base * (1 + JITTER * this.#random()));
    if (now + wait - this.#waitingSince > this.#giveUpMs) return { fail: error };
    // The room changes hands: where it is sent next is news, not a loop.
    this.#hops = 0;
    return { wait };
  }
}
