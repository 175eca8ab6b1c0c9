// The diagnostics panel's pure parts under node --test: the chain derived from a trace, the
// getStats() summary and the copied report.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { deriveChain } from '../../web/js/diagnostics-chain.js';
import { summarizeStats } from '../../web/js/diagnostics-stats.js';
import { buildReport } from '../../web/js/diagnostics-report.js';
import { describeMediaReport } from '../../web/js/diagnostics-media.js';

const A = 'pa'; // came in second: opens the first negotiation
const B = 'pb';
const step = (kind, from, to, outcome = 'delivered', at = 0) => ({ at, kind, from, to, outcome });
const states = (chain) => Object.fromEntries(chain.steps.map((s) => [s.name, s.state]));
const connected = { connectionState: 'connected', signalingState: 'stable', negotiated: true };

test('a healthy call is done from end to end, from either side', () => {
  const steps = [
    { at: 0, kind: 'join', from: A }, { at: 1, kind: 'join', from: B },
    step('offer', A, B), step('answer', B, A),
    step('candidate', A, B), step('candidate', A, B), step('candidate', B, A),
  ];
  for (const [self, peer] of [[A, B], [B, A]]) {
    const chain = deriveChain({ selfId: self, peerId: peer, steps, local: connected });
    assert.deepEqual(Object.values(states(chain)), Array(7).fill('done'));
    assert.equal(chain.firstBroken, null);
    assert.equal(chain.offerer, A);
    assert.equal(chain.answerer, B);
  }
  const fromB = deriveChain({ selfId: B, peerId: A, steps, local: connected });
  assert.equal(fromB.steps.find((s) => s.name === 'candidates-out').count, 1);
  assert.equal(fromB.steps.find((s) => s.name === 'candidates-in').count, 2);
});

test('a missing answer is the first broken step', () => {
  const steps = [step('offer', A, B), step('candidate', A, B)];
  const chain = deriveChain({ selfId: A, peerId: B, steps,
    local: { connectionState: 'new', signalingState: 'have-local-offer', negotiated: false } });
  assert.equal(chain.firstBroken, 'answer');
  assert.deepEqual(states(chain), {
    offer: 'done', 'offer-relay': 'done', answer: 'missing', 'answer-relay': 'missing',
    'candidates-out': 'done', 'candidates-in': 'missing', connected: 'missing',
  });
});

test('a description the other side could not apply breaks the chain at the answer', () => {
  const offerRefused = [step('offer', A, B), step('negotiation-failed', B, A)];
  const chain = deriveChain({ selfId: A, peerId: B, steps: offerRefused,
    local: { connectionState: 'new', signalingState: 'have-local-offer', negotiated: false } });
  assert.equal(chain.firstBroken, 'answer');
  const answer = chain.steps.find((s) => s.name === 'answer');
  assert.equal(answer.state, 'failed');
  assert.equal(answer.outcome, 'negotiation-failed');
  assert.equal(answer.by, B, 'B refused the offer');

  const answerRefused = [step('offer', A, B), step('answer', B, A), step('negotiation-failed', A, B)];
  const fromB = deriveChain({ selfId: B, peerId: A, steps: answerRefused, local: null });
  assert.equal(fromB.firstBroken, 'answer');
  assert.equal(fromB.steps.find((s) => s.name === 'answer').by, A, 'A could not apply the answer');

  const healed = [...answerRefused, step('offer', A, B), step('answer', B, A)];
  assert.equal(deriveChain({ selfId: A, peerId: B, steps: healed, local: connected }).firstBroken, null,
    'a fresh round after the failure is judged on its own');
});

test('an offer the server could not deliver is a failed relay', () => {
  const chain = deriveChain({ selfId: A, peerId: B, steps: [step('offer', A, B, 'target-missing')], local: null });
  assert.equal(chain.firstBroken, 'offer-relay');
  assert.equal(chain.steps[1].state, 'failed');
  assert.equal(chain.steps[1].outcome, 'target-missing');
});

test('an offer made here but unknown to the server was sent but never relayed', () => {
  const chain = deriveChain({ selfId: A, peerId: B, steps: [], weOpen: true,
    local: { connectionState: 'new', signalingState: 'have-local-offer', negotiated: false } });
  assert.deepEqual([chain.steps[0].state, chain.steps[0].source, chain.firstBroken], ['done', 'local', 'offer-relay']);
  const nothing = deriveChain({ selfId: B, peerId: A, steps: [], local: null });
  assert.equal(nothing.firstBroken, 'offer');
  assert.equal(nothing.offerer, A, 'the one who came in later is expected to offer');
  const ours = deriveChain({ selfId: B, peerId: A, steps: [], local: null, weOpen: true });
  assert.equal(ours.offerer, B, 'we came in later: the offer is ours to make');
});

test('a glare loser does not hide a completed negotiation; a later renegotiation does', () => {
  const glare = [step('offer', A, B), step('offer', B, A), step('answer', B, A)];
  assert.equal(deriveChain({ selfId: A, peerId: B, steps: glare, local: connected }).steps[2].state, 'done');
  const pending = [step('offer', A, B), step('answer', B, A), step('offer', B, A)];
  const chain = deriveChain({ selfId: A, peerId: B, steps: pending, local: connected });
  assert.equal(chain.offerer, B);
  assert.equal(chain.firstBroken, 'answer');
});

test('ICE restarts and failed connections are reported; other pairs are ignored', () => {
  const steps = [step('offer', A, B), step('answer', B, A), step('candidate', A, B), step('candidate', B, A),
    { at: 5, kind: 'ice-restart', from: B, to: A }, step('offer', B, A), step('answer', A, B),
    step('offer', A, 'pc'), { at: 9, kind: 'ice-restart', from: A, to: 'pc' }];
  const chain = deriveChain({ selfId: A, peerId: B, steps, local: { ...connected, connectionState: 'failed' } });
  assert.equal(chain.iceRestarts, 1);
  assert.equal(chain.firstBroken, 'connected');
  assert.equal(chain.steps.at(-1).state, 'failed');
});

test('a negotiated call whose steps scrolled out of the bounded trace still shows as done', () => {
  const chain = deriveChain({ selfId: A, peerId: B, steps: [], local: connected });
  assert.equal(chain.firstBroken, null);
  assert.ok(chain.steps.every((s) => s.source === 'local' || s.name === 'connected'));
});

const statsSample = (at, bytesIn, bytesOut) => [
  { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'CP' },
  { id: 'CP', type: 'candidate-pair', timestamp: at, localCandidateId: 'L', remoteCandidateId: 'R', currentRoundTripTime: 0.012 },
  { id: 'L', type: 'local-candidate', timestamp: at, candidateType: 'host' },
  { id: 'R', type: 'remote-candidate', timestamp: at, candidateType: 'srflx' },
  { id: 'V', type: 'inbound-rtp', kind: 'video', timestamp: at, bytesReceived: bytesIn, packetsReceived: 98, packetsLost: 2,
    frameWidth: 640, frameHeight: 480, framesPerSecond: 30, framesDecoded: 300 },
  { id: 'S', type: 'inbound-rtp', kind: 'video', timestamp: at, bytesReceived: 0, packetsReceived: 0, packetsLost: 0,
    frameWidth: 320, frameHeight: 240, framesPerSecond: 5 },
  { id: 'O', type: 'outbound-rtp', kind: 'video', timestamp: at, bytesSent: bytesOut },
];

test('stats: RTT, loss, candidate types, largest video, bitrates from two samples', () => {
  const first = summarizeStats(statsSample(1000, 10_000, 20_000));
  assert.equal(first.rttMs, 12);
  assert.equal(first.packetLossPct, 2);
  assert.deepEqual([first.localCandidateType, first.remoteCandidateType], ['host', 'srflx']);
  assert.deepEqual(first.video, { width: 640, height: 480, fps: 30, framesDecoded: 300 });
  assert.equal(first.inboundKbps, null, 'one sample has no rate yet');
  const second = summarizeStats(statsSample(3000, 260_000, 520_000), first.counters);
  assert.equal(second.inboundKbps, 1000);
  assert.equal(second.outboundKbps, 2000);
  assert.equal(summarizeStats([]).rttMs, null);
});

test('the report carries the chain and stats but never a secret', () => {
  const chain = deriveChain({ selfId: A, peerId: B, steps: [step('offer', A, B)], local: null });
  const text = buildReport({
    now: 0, userAgent: 'UA', language: 'en', room: 'r', selfId: A, traceError: null,
    peers: [{ id: B, name: 'Bob', chain, stats: summarizeStats(statsSample(1, 1, 1)), connectionState: 'new',
      resumeToken: 'SECRET-1', trace: [{ ...step('offer', A, B), password: 'SECRET-2' }],
      iceServers: [{ urls: 'turn:x', credential: 'SECRET-3' }] }],
  });
  const report = JSON.parse(text);
  assert.equal(report.peers[0].firstBrokenStep, 'answer');
  assert.equal(report.peers[0].chain[0].by, A);
  assert.equal(report.peers[0].stats.localCandidateType, 'host');
  assert.equal(report.peers[0].trace[0].kind, 'offer');
  assert.doesNotMatch(text, /SECRET/);
});

test('the server\'s media report reads as: whose media reach the server, and what it forwards to you', () => {
  const reply = {
    type: 'media-report',
    media: {
      intervalMs: 500,
      participants: [{ id: B, name: 'Bob', transport: 'connected', remoteAddress: '10.0.0.2:5000', protocol: 'udp' }],
      streams: [
        { publisher: A, name: 'Alice', source: 'camera', kind: 'video', packets: 900, bitsPerSecond: 812_400, subscribers: 2,
          lossPercent: 0.39,
          subscriptions: [{ subscriber: B, packets: 880, bitsPerSecond: 790_000, nacks: 3, plis: 1, firs: 1,
            lossPercent: 1.953125, rttMs: 41.6 }] },
        { publisher: A, name: 'Alice', source: 'microphone', kind: 'audio', packets: 0, bitsPerSecond: 0, subscribers: 2,
          subscriptions: [{ subscriber: B, packets: 0, bitsPerSecond: 0, nacks: 0, plis: 0, firs: 0 }] },
        { publisher: A, name: 'Alice', source: 'screen', kind: 'video', packets: 10, bitsPerSecond: 9000, subscribers: 0, subscriptions: [] },
        { publisher: B, name: 'Bob', source: 'camera', kind: 'video', packets: 50, bitsPerSecond: 300_000, subscribers: 1,
          lossPercent: 2.34, subscriptions: [] },
      ],
    },
  };
  const { transport, lines } = describeMediaReport(reply, B);
  assert.deepEqual(transport, { state: 'connected', remoteAddress: '10.0.0.2:5000', protocol: 'udp' });
  assert.deepEqual(lines.map((l) => [l.publisher, l.source, l.key]), [
    [B, 'camera', 'diag.media.mine-reaches.camera'], // yours first
    [A, 'camera', 'diag.media.reaches.camera'],
    [A, 'microphone', 'diag.media.missing.microphone'],
    [A, 'screen', 'diag.media.reaches.screen'],
  ]);
  assert.deepEqual(lines[0].args, { n: 300, people: 1 });
  assert.equal(lines[0].forwarded, null);
  const camera = lines[1];
  assert.deepEqual(camera.args, { who: 'Alice', n: 812 });
  assert.equal(camera.forwarded.key, 'diag.media.forwarded');
  assert.deepEqual(camera.forwarded.args, { n: 790, nacks: 3, plis: 2 }); // PLIs and FIRs both ask for a keyframe
  // Loss and round trip where the server measured them: on the way to you for someone else's
  // (the loss on the way in is theirs to see), on the way to the server for yours; else nothing.
  assert.deepEqual(camera.quality, [{ key: 'diag.media.loss-out', args: { loss: 2 } }, { key: 'diag.media.rtt', args: { rtt: 42 } }]);
  assert.deepEqual(lines[0].quality, [{ key: 'diag.media.loss-in', args: { loss: 2.3 } }]);
  assert.deepEqual(lines[2].quality, []);
  assert.equal(lines[2].forwarded.key, 'diag.media.not-forwarded');
  assert.equal(lines[3].forwarded.key, 'diag.media.not-subscribed');
  assert.deepEqual(describeMediaReport({ media: { participants: [], streams: [] } }, B), { transport: null, lines: [] });
});
