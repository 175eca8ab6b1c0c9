// The signaling chain between me and one other participant, step by step, as people used to
// piece it together by hand: an offer sent → relayed by the server → the answer → relayed →
// ICE candidates each way → connected. Pure: it reads the server's trace (the steps from or to
// me, oldest first, as the `trace` reply gives them) and a plain snapshot of my own peer
// connection, so it runs under `node --test` as well as in the page.
//
// Every step is 'done', 'missing' (not seen yet) or 'failed' (the server could not deliver it,
// a side could not apply the other's description, or the connection failed). The first step that is not done is where the call is stuck.

export const CHAIN_STEPS = Object.freeze(['offer', 'offer-relay', 'answer', 'answer-relay',
  'candidates-out', 'candidates-in', 'connected']);

const DELIVERED = 'delivered';

// The trace steps about this pair: relays between the two, and the peer's own joins, drops,
// resumes and departures.
export function stepsOfPair(steps, selfId, peerId) {
  return (Array.isArray(steps) ? steps : []).filter((s) => s && (
    (s.from === selfId && s.to === peerId) || (s.from === peerId && s.to === selfId) ||
    (s.from === peerId && !s.to)));
}

// Negotiation rounds in trace order: each offer opens one; an answer closes the latest open
// round that the answerer's counterpart offered.
function roundsOf(pairSteps) {
  const rounds = [];
  pairSteps.forEach((step, index) => {
    if (step.kind === 'offer') rounds.push({ offer: step, offerIndex: index, answer: null, answerIndex: -1 });
    if (step.kind === 'answer') {
      const open = [...rounds].reverse().find((r) => !r.answer && r.offer.from === step.to);
      if (open) Object.assign(open, { answer: step, answerIndex: index });
    }
  });
  return rounds;
}

// The round that matters now: the latest offer, unless it lost a glare (an answer to an
// earlier offer from the other side came after it, so it was ignored or rolled back).
function currentRound(rounds) {
  const latest = rounds.at(-1);
  if (!latest || latest.answer) return latest ?? null;
  const answered = rounds.filter((r) => r.answer).sort((a, b) => a.answerIndex - b.answerIndex).at(-1);
  if (answered && answered.answerIndex > latest.offerIndex) return answered;
  return latest;
}

function relayState(step) {
  if (!step) return { state: 'missing' };
  return step.outcome === DELIVERED
    ? { state: 'done', at: step.at }
    : { state: 'failed', outcome: step.outcome ?? 'unknown', at: step.at };
}

function candidateState(pairSteps, from, to, connected) {
  const relays = pairSteps.filter((s) => s.kind === 'candidate' && s.from === from && s.to === to);
  const delivered = relays.filter((s) => s.outcome === DELIVERED).length;
  const failed = relays.length - delivered;
  if (delivered > 0) return { state: 'done', count: delivered, failed, source: 'trace' };
  if (failed > 0) return { state: 'failed', count: 0, failed, outcome: relays.at(-1).outcome, source: 'trace' };
  // The trace is bounded; in a long call the candidates may have scrolled out of it.
  if (connected) return { state: 'done', count: 0, failed: 0, source: 'local' };
  return { state: 'missing', count: 0, failed: 0 };
}

function connectionStep(local) {
  const state = local?.connectionState ?? null;
  if (state === 'connected') return { state: 'done', connectionState: state };
  if (state === 'failed' || state === 'closed') return { state: 'failed', connectionState: state };
  return { state: 'missing', connectionState: state };
}

// local: { connectionState, signalingState, negotiated } from my RTCPeerConnection, where
// `negotiated` means it holds both a current local and a current remote description; null
// when there is no connection to this peer. weOpen: this side opens the first negotiation
// (it came in after the peer; see peer-link.js), so with no offer seen yet it is the offerer.
// Returns { offerer, answerer, steps: [{ name, state, ... }], firstBroken, iceRestarts }.
export function deriveChain({ selfId, peerId, steps, local = null, weOpen = false }) {
  const pairSteps = stepsOfPair(steps, selfId, peerId);
  const round = currentRound(roundsOf(pairSteps));
  const offerer = round ? round.offer.from : weOpen ? selfId : peerId;
  const answerer = offerer === selfId ? peerId : selfId;
  const negotiated = Boolean(local?.negotiated);
  const connected = local?.connectionState === 'connected';
  const fromLocal = { state: 'done', source: 'local' };

  let offer;
  let offerRelay;
  if (round) {
    offer = { state: 'done', source: 'trace', at: round.offer.at };
    offerRelay = { ...relayState(round.offer), source: 'trace' };
  } else if (negotiated) {
    // Negotiated, yet the trace no longer holds the offer (it keeps the last 500 steps).
    offer = fromLocal;
    offerRelay = fromLocal;
  } else {
    // My own offer made locally but never seen by the server means it was never relayed.
    offer = offerer === selfId && local?.signalingState === 'have-local-offer' ? fromLocal : { state: 'missing' };
    offerRelay = { state: 'missing' };
  }

  // The other side could not apply a description: the offer (refused by the answerer) or the
  // answer (refused by the offerer). Either way the round broke at the answer.
  const refusal = round && pairSteps.slice(round.offerIndex + 1).find((s) => s.kind === 'negotiation-failed');

  let answer;
  let answerRelay;
  if (refusal) {
    answer = { state: 'failed', outcome: 'negotiation-failed', by: refusal.from, source: 'trace', at: refusal.at };
    answerRelay = round.answer ? { ...relayState(round.answer), source: 'trace' } : { state: 'missing' };
  } else if (round?.answer) {
    answer = { state: 'done', source: 'trace', at: round.answer.at };
    answerRelay = { ...relayState(round.answer), source: 'trace' };
  } else if (!round && negotiated) {
    answer = fromLocal;
    answerRelay = fromLocal;
  } else {
    answer = { state: 'missing' };
    answerRelay = { state: 'missing' };
  }

  const chain = [
    { name: 'offer', by: offerer, ...offer },
    { name: 'offer-relay', ...offerRelay },
    { name: 'answer', by: answerer, ...answer },
    { name: 'answer-relay', ...answerRelay },
    { name: 'candidates-out', ...candidateState(pairSteps, selfId, peerId, connected) },
    { name: 'candidates-in', ...candidateState(pairSteps, peerId, selfId, connected) },
    { name: 'connected', ...connectionStep(local) },
  ];
  return {
    offerer,
    answerer,
    steps: chain,
    firstBroken: chain.find((step) => step.state !== 'done')?.name ?? null,
    iceRestarts: pairSteps.filter((s) => s.kind === 'ice-restart').length,
  };
}

// What a peer connection says about itself, in the shape deriveChain() wants.
export function localSnapshot(pc) {
  if (!pc) return null;
  return {
    connectionState: pc.connectionState,
    signalingState: pc.signalingState,
    negotiated: Boolean(pc.currentLocalDescription && pc.currentRemoteDescription),
  };
}
