// One RTCPeerConnection to one other participant, negotiated with the "perfect negotiation"
// pattern: both sides may offer at any time (tracks added, screen share, ICE restart); on a
// collision the polite side yields (implicit rollback) and the impolite side ignores the
// other's offer. Incoming signals are applied one at a time, in arrival order, so a
// candidate is never applied before the description it belongs to; one that comes before
// any remote description at all is kept and applied right after it.
//
// The very first negotiation is not left to chance: the newcomer (whoever was not yet in the
// room when the other was) is the impolite side and opens it at once, with its tracks in the
// offer; the side already in the room is polite and waits for that offer. Both know which they
// are without a word (`joined` lists who was there, `participant-joined` announces who came),
// so the newcomer's offer can leave right after `joined`. Letting both offer at once would
// collide on every join, and Chromium (seen with 156) sometimes stops gathering ICE candidates
// after rolling back an initial offer, leaving the pair stuck in "new". Later collisions are
// rare and handled as usual. The wait below is only a safety net should that offer never come.
import { IceHealer } from './ice-healer.js';
import * as protocol from './protocol.js';

const FIRST_OFFER_WAIT_MS = 5000;

export class PeerLink {
  #signaling;
  #events;
  #makingOffer = false;
  #ignoreOffer = false;
  #inbox = Promise.resolve();
  #senders = new Map(); // MediaStreamTrack -> RTCRtpSender
  #closed = false;
  #firstOfferTimer = null;
  #earlyCandidates = []; // arrived before any remote description: kept, applied after it
  #healer;
  opening = Promise.resolve(); // settles once open()'s offer has been handed to the signaling

  // events: { onTrack(track, streams), onLog(level, key, args), onIceState(state),
  //           onNegotiationFailed({ description, reason }) }
  constructor({ remoteId, polite, iceServers, iceTransportPolicy = 'all', signaling, events }) {
    this.remoteId = remoteId;
    this.polite = polite;
    this.#signaling = signaling;
    this.#events = events;
    this.pc = new RTCPeerConnection({ iceServers, iceTransportPolicy });
    this.#wire();
    this.#healer = new IceHealer(this.pc, (why) => this.#restartIce(why));
    if (polite) {
      // Fallback only: should the other side never offer, go ahead and offer ourselves.
      this.#firstOfferTimer = setTimeout(() => this.#negotiate({ force: true }), FIRST_OFFER_WAIT_MS);
    }
  }

  // The impolite side opens the negotiation (see the top of this file): called once the local
  // tracks are added, it starts the offer right here rather than after a negotiationneeded
  // event, which waits for the page to finish whatever else it is doing. It offers even with
  // nothing to send, so the other side's media still gets a place in the first offer.
  open() {
    if (this.polite || this.#closed) return;
    this.#ensureSomethingToOffer();
    this.opening = this.#negotiate();
  }

  addTrack(track, stream) {
    if (this.#closed || this.#senders.has(track)) return;
    this.#senders.set(track, this.pc.addTrack(track, stream));
  }

  // The same kind of media from another device: the sender keeps its place in the negotiated
  // session, so nothing is renegotiated.
  replaceTrack(oldTrack, newTrack) {
    const sender = this.#senders.get(oldTrack);
    if (!sender || this.#closed) return;
    this.#senders.delete(oldTrack);
    this.#senders.set(newTrack, sender);
    sender.replaceTrack(newTrack).catch((error) => {
      this.#events.onLog('error', 'log.device-switch-failed', { message: error.message });
    });
  }

  removeTrack(track) {
    const sender = this.#senders.get(track);
    if (!sender) return;
    this.#senders.delete(track);
    if (!this.#closed) this.pc.removeTrack(sender);
  }

  receiveDescription(description) {
    this.#enqueue(() => this.#onDescription(description));
  }

  receiveCandidate(candidate) {
    this.#enqueue(() => this.#onCandidate(candidate));
  }

  // Forces an ICE restart (the diagnostics panel's "Restart connection"): the next offer
  // carries new ICE credentials and negotiation proceeds as for any other change.
  restartIce() {
    if (this.#closed) return;
    this.#events.onLog('info', 'log.ice-restart', {});
    this.pc.restartIce();
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#firstOfferTimer);
    this.#healer.stop();
    this.pc.close();
  }

  #ensureSomethingToOffer() {
    if (this.#closed || this.pc.getTransceivers().length > 0) return;
    this.pc.addTransceiver('audio', { direction: 'recvonly' });
    this.pc.addTransceiver('video', { direction: 'recvonly' });
  }

  // The polite side leaves the first offer to the other side (see the top of this file).
  #waitsForFirstOffer() {
    return this.polite && this.#firstOfferTimer !== null && !this.pc.remoteDescription;
  }

  #wire() {
    const pc = this.pc;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      this.#signaling.send(protocol.candidate(this.remoteId, candidate ? candidate.toJSON() : null));
    };
    pc.ontrack = ({ track, streams }) => this.#events.onTrack(track, streams);
    pc.oniceconnectionstatechange = () => {
      const state = pc.iceConnectionState;
      this.#events.onLog(state === 'failed' ? 'warn' : 'info', 'log.ice-state', { state });
      this.#events.onIceState?.(state);
      this.#healer.onIceState(state);
    };
    pc.onconnectionstatechange = () => {
      this.#events.onLog('info', 'log.connection-state', { state: pc.connectionState });
      this.#events.onConnectionState?.(pc.connectionState);
    };
  }

  // A failed path is restarted by whichever side sees it; a lingering "disconnected" or the
  // network coming back only by the impolite side, so the two don't restart at once (perfect
  // negotiation would sort that out, at the cost of a wasted round).
  #restartIce(why) {
    if (this.#closed || this.pc.connectionState === 'closed') return;
    if (why !== 'failed' && this.polite) return;
    if (why === 'online' && !this.pc.remoteDescription) return; // nothing to restart yet
    this.#events.onLog('info', 'log.ice-restart', { why });
    this.pc.restartIce();
  }

  async #negotiate({ force = false } = {}) {
    if (this.#closed) return;
    if (force) {
      this.#firstOfferTimer = null;
      if (this.pc.remoteDescription || this.pc.signalingState !== 'stable' || this.pc.getTransceivers().length === 0) return;
      // Said out loud: the newcomer's offer should always come, so this means a bug somewhere.
      this.#events.onLog('warn', 'log.first-offer-missing', {});
    } else if (this.#waitsForFirstOffer() || this.#makingOffer || this.pc.signalingState !== 'stable') {
      // negotiationneeded fires again once the offer under way is answered, if still needed
      return;
    }
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#sendLocalDescription();
    } catch (error) {
      this.#events.onLog('error', 'log.negotiation-failed', { message: error.message });
    } finally {
      this.#makingOffer = false;
    }
  }

  async #onDescription(description) {
    const pc = this.pc;
    const collision = description.type === 'offer' && (this.#makingOffer || pc.signalingState !== 'stable');
    this.#ignoreOffer = !this.polite && collision;
    if (this.#ignoreOffer) {
      this.#events.onLog('info', 'log.offer-ignored', {});
      return;
    }
    if (description.type === 'offer' && this.#firstOfferTimer !== null) {
      clearTimeout(this.#firstOfferTimer);
      this.#firstOfferTimer = null;
    }
    try {
      await pc.setRemoteDescription(description);
      for (const candidate of this.#earlyCandidates.splice(0)) await this.#onCandidate(candidate);
      if (description.type === 'offer') {
        await pc.setLocalDescription();
        this.#sendLocalDescription();
      }
    } catch (error) {
      if (this.#closed) return;
      // Said to the other side too (docs/protocol.md, negotiation-failed): otherwise it waits
      // for an answer that never comes.
      const reason = String(error?.message ?? error).slice(0, 300);
      this.#events.onLog('error', 'log.negotiation-failed', { message: reason });
      this.#signaling.send(protocol.negotiationFailed(this.remoteId, description.type, reason));
      this.#events.onNegotiationFailed?.({ description: description.type, reason });
    }
  }

  async #onCandidate(candidate) {
    if (!this.pc.remoteDescription && !this.#ignoreOffer) {
      this.#earlyCandidates.push(candidate);
      return;
    }
    try {
      // null = end of candidates; addIceCandidate() with no argument says exactly that.
      if (candidate) await this.pc.addIceCandidate(candidate);
      else await this.pc.addIceCandidate();
    } catch (error) {
      // Candidates for an offer we deliberately ignored are expected to fail.
      if (!this.#ignoreOffer && candidate) {
        this.#events.onLog('warn', 'log.candidate-failed', { message: error.message });
      }
    }
  }

  #sendLocalDescription() {
    const { type, sdp } = this.pc.localDescription;
    const key = type === 'offer' ? 'log.offer-sent' : 'log.answer-sent';
    this.#events.onLog('info', key, {});
    this.#signaling.request(protocol.description(this.remoteId, { type, sdp })).catch((error) => {
      this.#events.onLog('error', 'log.relay-failed', { kind: type, code: error.code });
    });
  }

  #enqueue(step) {
    this.#inbox = this.#inbox.then(() => (this.#closed ? undefined : step()));
  }
}
