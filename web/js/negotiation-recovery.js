// When one side cannot apply the other's offer or answer (this side: `opens` false; the other
// side told us it could not apply ours: `opens` true), both start a fresh connection: the side
// whose description was refused offers anew, the other waits for that offer. A pair that keeps
// failing stops after MAX_RETRIES fresh starts and says so in words; a connection that comes up
// clears the count and the notice.
const MAX_RETRIES = 2;

export class NegotiationRecovery {
  #retries = new Map(); // participant id -> fresh starts after refused descriptions
  #log;
  #notices;
  #restart;

  // restart(id, { opens }): starts a fresh connection to `id`.
  constructor({ log, notices, restart }) {
    this.#log = log;
    this.#notices = notices;
    this.#restart = restart;
  }

  failed(id, name, { opens, reason }) {
    const tries = (this.#retries.get(id) ?? 0) + 1;
    this.#retries.set(id, tries);
    const detail = reason ? ['notice.negotiation-reason', { reason }] : undefined;
    if (tries > MAX_RETRIES) {
      this.#log.error('log.negotiation-gave-up', { name });
      this.#notices.show({ id: `negotiation-${id}`, kind: 'error', t: ['notice.negotiation-gave-up', { name }], detail,
        testid: 'negotiation-notice' });
      return;
    }
    this.#log.info('log.negotiation-retry', { name });
    this.#notices.show({ id: `negotiation-${id}`, kind: 'warning', t: ['notice.negotiation-retry', { name }], detail,
      testid: 'negotiation-notice', timeoutMs: 20_000 });
    this.#restart(id, { opens });
  }

  connected(id) {
    if (!this.#retries.delete(id)) return;
    this.#notices.dismiss(`negotiation-${id}`);
  }
}
