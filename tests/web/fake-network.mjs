// A stand-in for the browser's WebSocket and the Parley nodes behind it, enough for
// signaling.js under node --test: each node is a URL with a function that answers what a page
// sends it; a URL with no node refuses connections, as a dead node does. Sockets open, deliver
// and close asynchronously (a microtask later), as a browser's do. Pings are answered by
// every node itself.
export class FakeNetwork {
  nodes = new Map(); // ws URL -> (message, socket) => void
  sockets = []; // every socket ever created, oldest first

  // Puts the fakes where signaling.js looks for them: WebSocket, window (online events),
  // navigator (network change events).
  install() {
    const network = this;
    globalThis.WebSocket = class extends FakeSocket {
      constructor(url) {
        super(url, network);
      }
    };
    Object.assign(globalThis.WebSocket, SOCKET_STATES);
    globalThis.window = new EventTarget();
    if (globalThis.navigator === undefined) globalThis.navigator = {};
    return this;
  }

  // handler(message, socket): answers with socket.deliver(...), or not at all.
  node(url, handler) {
    this.nodes.set(url, handler);
    return this;
  }

  kill(url) {
    this.nodes.delete(url);
    for (const socket of this.sockets) if (socket.url === url) socket.drop();
  }

  // The URLs of the sockets opened, in order (refused ones too).
  opened() { return this.sockets.map((s) => s.url); }

  // Every message sent to `url`, of `type` if given, oldest first.
  received(url, type) {
    return this.sockets.filter((s) => s.url === url).flatMap((s) => s.sent)
      .filter((m) => type === undefined || m.type === type);
  }
}

const SOCKET_STATES = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };

class FakeSocket {
  onopen = null;
  onerror = null;
  onclose = null;
  onmessage = null;
  readyState = SOCKET_STATES.CONNECTING;
  sent = [];
  closedWith = null; // the code the page closed it with

  constructor(url, network) {
    this.url = url;
    this.network = network;
    network.sockets.push(this);
    queueMicrotask(() => {
      if (this.readyState !== SOCKET_STATES.CONNECTING) return;
      if (network.nodes.has(url)) {
        this.readyState = SOCKET_STATES.OPEN;
        this.onopen?.({});
      } else {
        this.readyState = SOCKET_STATES.CLOSED;
        this.onerror?.({});
        this.onclose?.({ code: 1006, reason: '' });
      }
    });
  }

  send(text) {
    if (this.readyState !== SOCKET_STATES.OPEN) throw new Error('send on a socket that is not open');
    const message = JSON.parse(text);
    this.sent.push(message);
    const handler = this.network.nodes.get(this.url);
    if (!handler) return;
    if (message.type === 'ping') this.deliver({ type: 'pong', req: message.req, t: message.t, serverTime: message.t });
    else handler(message, this);
  }

  // The node sends the page something.
  deliver(message) {
    queueMicrotask(() => {
      if (this.readyState === SOCKET_STATES.OPEN) this.onmessage?.({ data: JSON.stringify(message) });
    });
  }

  close(code = 1000) {
    if (this.readyState >= SOCKET_STATES.CLOSING) return;
    this.closedWith = code;
    this.readyState = SOCKET_STATES.CLOSED;
    queueMicrotask(() => this.onclose?.({ code, reason: '' }));
  }

  // The connection ends from the other side without a close handshake (a node died).
  drop() {
    if (this.readyState === SOCKET_STATES.CLOSED) return;
    this.readyState = SOCKET_STATES.CLOSED;
    queueMicrotask(() => this.onclose?.({ code: 1006, reason: '' }));
  }
}

// Replies as a node would, for handlers.
export const reply = {
  joined: (message, extra = {}) => ({ type: 'joined', req: message.req, room: message.room, resumeToken: 'p1.secret',
    you: { id: 'p1', name: message.name }, participants: [], ...extra }),
  resumed: (message, extra = {}) => ({ type: 'resumed', req: message.req, you: 'p1', room: message.room, replayed: 0, lastSeq: 0, ...extra }),
  elsewhere: (message, url) => ({ type: 'error', req: message.req, code: 'room-elsewhere', message: 'elsewhere', room: message.room, url }),
  moving: (message, retryAfterMs) => ({ type: 'error', req: message.req, code: 'room-moving', message: 'moving', retryAfterMs }),
};
