// The signaling socket for the next join, opened while the person is still on the pre-join
// screen (the handshake costs nothing there), so pressing Join sends `join` at once instead of
// first waiting for a new WebSocket. An idle socket is fine with the server: the Signaling
// pings it every 15 s. take() hands it over at most once; if it is gone by then (the server
// restarted, the tab slept past the idle timeout) a fresh one is opened as before.
import { Signaling } from './signaling.js';

export class SignalingPreconnect {
  #pending = null; // { signaling, opening }: connecting or open, not yet handed over

  // Opens a socket unless one is already opening or open.
  start() {
    if (this.#pending) return;
    const signaling = new Signaling();
    const pending = { signaling, opening: null };
    pending.opening = signaling.connect().then(() => {
      // Cancelled while the handshake was under way: nobody wants it any more.
      if (pending.cancelled) signaling.close();
      return signaling;
    }, () => {
      if (this.#pending === pending) this.#pending = null;
      return null;
    });
    this.#pending = pending;
    // Closed before anyone took it: forget it, a later take() opens a new one.
    signaling.on('close', () => {
      if (this.#pending === pending) this.#pending = null;
    });
  }

  // An open Signaling right away (synchronously) when there is one; otherwise a promise of
  // one (the pending pre-connection, or a fresh socket). Rejects like Signaling.connect().
  take() {
    const pending = this.#pending;
    this.#pending = null;
    if (pending?.signaling.isOpen) return pending.signaling;
    return (async () => {
      const early = pending ? await pending.opening : null;
      if (early?.isOpen) return early;
      early?.close();
      const fresh = new Signaling();
      await fresh.connect();
      return fresh;
    })();
  }

  // Nobody is going to join from here (the person went elsewhere): close the idle socket.
  cancel() {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return;
    pending.cancelled = true;
    pending.signaling.close();
  }
}
