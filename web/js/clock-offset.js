// Estimates serverTime - localTime from ping/pong. The sample with the shortest round trip
// has the least uncertainty, so the best of the recent ones wins.
const KEEP = 8;

export class ClockOffset {
  #samples = [];

  // sentAt / receivedAt: local ms; serverTime: the server's ms when it answered.
  addSample(sentAt, serverTime, receivedAt) {
    const rtt = Math.max(0, receivedAt - sentAt);
    const offset = serverTime - (sentAt + rtt / 2);
    this.#samples.push({ rtt, offset });
    if (this.#samples.length > KEEP) this.#samples.shift();
    return { rtt, offset };
  }

  get best() {
    if (this.#samples.length === 0) return null;
    return this.#samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
  }

  get offsetMs() {
    return this.best?.offset ?? 0;
  }

  serverNow() {
    return Date.now() + this.offsetMs;
  }
}
