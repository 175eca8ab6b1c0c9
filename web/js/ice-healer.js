// Restarts a connection's ICE when its path breaks, the same way for a peer-to-peer link and
// for the connection to the server: at once when ICE failed, after a moment when it is
// disconnected (that often heals by itself), and when the browser comes back online (a new
// network: the old path is likely gone). `restart(why)` does the restarting; why is 'failed',
// 'disconnected' or 'online'.

// ICE "disconnected" often heals by itself within a moment; past this it is restarted.
const DISCONNECTED_RESTART_MS = 3000;

export class IceHealer {
  #pc;
  #restart;
  #timer = null;
  #onOnline = () => this.#restart('online');

  constructor(pc, restart) {
    this.#pc = pc;
    this.#restart = restart;
    globalThis.window?.addEventListener('online', this.#onOnline);
  }

  // From the connection's iceconnectionstatechange.
  onIceState(state) {
    clearTimeout(this.#timer);
    if (state === 'failed') {
      this.#restart('failed');
    } else if (state === 'disconnected') {
      this.#timer = setTimeout(() => {
        if (this.#pc.iceConnectionState === 'disconnected') this.#restart('disconnected');
      }, DISCONNECTED_RESTART_MS);
    }
  }

  stop() {
    clearTimeout(this.#timer);
    globalThis.window?.removeEventListener('online', this.#onOnline);
  }
}
