// Our own speaking level where the browser's senders report none (Firefox): measured off the
// microphone track with Web Audio, on the stats' scale, and only there. Under node --test with
// a stand-in AudioContext whose analyser "hears" the amplitude of the track connected to it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyserSize, frameLevel, sentAudioMeter } from '../../web/js/audio-level-meter.js';
import { SpeakerDetector } from '../../web/js/speaker-detector.js';

const RATE = 48_000;
const sine = (amplitude, seconds, hz = 1000) =>
  Float32Array.from({ length: Math.round(RATE * seconds) }, (_, i) => amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
const close = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) < 1e-3, `${what}: ${actual}, not ${expected}`);

test('a track level is the root mean square of its 10 ms peaks, as WebRTC counts audio energy', () => {
  close(frameLevel(sine(0.1, 0.25), RATE), 0.1, 'a steady tone: its amplitude');
  assert.equal(frameLevel(new Float32Array(RATE / 4), RATE), 0, 'silence');
  // Speech-like: loud for half the frames, silent for the rest.
  const bursts = new Float32Array(RATE / 2);
  for (let frame = 0; frame < 50; frame += 2) bursts.set(sine(0.2, 0.01), frame * 480);
  close(frameLevel(bursts, RATE), Math.sqrt(0.2 ** 2 / 2), 'half the frames at 0.2');
  assert.equal(frameLevel(Float32Array.of(-3, 2, 5), 3 * 100), 1, 'clipped samples count as full scale');
  close(frameLevel(Float32Array.of(0.5, 0, 0.9), 2 * 100), 0.5, 'a part frame at the end is left out');
  assert.equal(frameLevel(new Float32Array(0), RATE), 0, 'no samples');
});

test('the analyser window holds a quarter second, within what AnalyserNode allows', () => {
  assert.equal(analyserSize(48_000, 0.25), 16_384);
  assert.equal(analyserSize(44_100, 0.25), 16_384);
  assert.equal(analyserSize(8_000, 0.25), 2_048);
  assert.equal(analyserSize(384_000, 0.25), 32_768, 'at most 32768');
  assert.equal(analyserSize(100, 0.01), 32, 'at least 32');
});

// Stand-ins for the page: MediaStream, the peer connections and a Web Audio that records what
// was made, connected, disconnected and closed.
globalThis.MediaStream ??= class { constructor(tracks) { this.tracks = tracks; } };

function fakeAudio({ state = 'running' } = {}) {
  const made = { contexts: [], sources: [], resumed: 0 };
  const createContext = () => {
    const context = {
      sampleRate: RATE,
      state,
      createAnalyser() {
        const analyser = {
          fftSize: 2048,
          source: null,
          disconnect() {},
          getFloatTimeDomainData(buffer) {
            const amplitude = analyser.source?.connected ? analyser.source.track.amplitude : 0;
            buffer.set(sine(amplitude, buffer.length / RATE));
          },
        };
        context.analyser = analyser;
        return analyser;
      },
      createMediaStreamSource(stream) {
        const source = {
          track: stream.tracks[0],
          connected: false,
          connect(node) { source.connected = true; node.source = source; },
          disconnect() { source.connected = false; },
        };
        made.sources.push(source);
        return source;
      },
      async close() { context.state = 'closed'; },
      async resume() { made.resumed++; },
    };
    made.contexts.push(context);
    return context;
  };
  return { made, createContext };
}

const track = (amplitude) => ({ kind: 'audio', enabled: true, amplitude });
const statsReport = (...stats) => ({ forEach: (fn) => stats.forEach(fn) });
const outbound = { id: 'out', type: 'outbound-rtp', kind: 'audio' };

// A peer connection sending `track`, whose sender reports `stats()`.
function peerSending(getTrack, stats) {
  return {
    connectionState: 'connected',
    getSenders: () => [{ track: getTrack(), getStats: async () => stats() }],
  };
}

test('Firefox: no media-source level, so the track itself is measured, and let go when dropped', async () => {
  let mic = track(0.1);
  const { made, createContext } = fakeAudio();
  const peers = new Map([['bob', peerSending(() => mic, () => statsReport(outbound))]]);
  const meter = sentAudioMeter(peers, () => mic, { createContext });

  assert.equal(await meter.read(), 0, 'the first reading attaches the track');
  assert.equal(made.contexts.length, 1, 'one AudioContext, made when the stats proved to lack the level');
  assert.equal(made.contexts[0].analyser.fftSize, 16_384);
  close(await meter.read(), 0.1, 'the tone');

  mic.enabled = false;
  assert.equal(await meter.read(), 0, 'muted');
  mic.enabled = true;
  close(await meter.read(), 0.1, 'unmuted');

  // Another microphone: the old source is disconnected, the new one measured.
  const old = mic;
  mic = track(0.3);
  assert.equal(await meter.read(), 0);
  assert.deepEqual(made.sources.map((s) => [s.track, s.connected]), [[old, false], [mic, true]]);
  close(await meter.read(), 0.3, 'the new microphone');
  assert.equal(made.contexts.length, 1, 'the same context');

  meter.close();
  assert.equal(made.contexts[0].state, 'closed');
  assert.equal(made.sources[1].connected, false);
  assert.equal(await meter.read(), 0, 'a closed meter reads nothing');
  assert.equal(made.contexts.length, 1, 'and makes no new context');
});

test('a context made suspended is asked to resume once, not at every reading', async () => {
  const mic = track(0.1);
  const { made, createContext } = fakeAudio({ state: 'suspended' }); // no audio output: it never starts
  const peers = new Map([['bob', peerSending(() => mic, () => statsReport(outbound))]]);
  const meter = sentAudioMeter(peers, () => mic, { createContext });
  for (let i = 0; i < 4; i++) await meter.read();
  assert.equal(made.resumed, 1);
  meter.close();
});

test('Chromium: the media-source level is read and no AudioContext is ever made', async () => {
  const mic = track(0.1);
  const { made, createContext } = fakeAudio();
  let energy = 0;
  let duration = 0;
  const source = () => ({ id: 'src', type: 'media-source', kind: 'audio', totalAudioEnergy: energy, totalSamplesDuration: duration });
  const peers = new Map([['bob', peerSending(() => mic, () => statsReport(source(), outbound))]]);
  const meter = sentAudioMeter(peers, () => mic, { createContext });
  assert.equal(await meter.read(), 0, 'baseline');
  energy += 0.04;
  duration += 1;
  close(await meter.read(), 0.2, 'from the stats');
  meter.close();
  assert.equal(made.contexts.length, 0);
});

test('alone, muted, or before the sender reports anything, nothing is measured', async () => {
  const mic = track(0.1);
  const { made, createContext } = fakeAudio();
  const peers = new Map();
  const meter = sentAudioMeter(peers, () => mic, { createContext });
  assert.equal(await meter.read(), 0, 'alone in the room');
  peers.set('bob', { connectionState: 'connecting', getSenders: () => [{ track: mic, getStats: async () => statsReport(outbound) }] });
  assert.equal(await meter.read(), 0, 'a connection still being set up');
  peers.set('bob', peerSending(() => mic, () => statsReport()));
  assert.equal(await meter.read(), 0, 'a sender with no stats yet');
  mic.enabled = false;
  peers.set('bob', peerSending(() => mic, () => statsReport(outbound)));
  assert.equal(await meter.read(), 0, 'muted');
  assert.equal(made.contexts.length, 0, 'no fallback on any of those');
});

test('the detector closes the meters it drops: replaced, unwatched or stopped', () => {
  const closed = [];
  const meter = (name) => ({ read: async () => 0, close: () => closed.push(name) });
  const detector = new SpeakerDetector(() => {});
  const first = meter('first');
  detector.watch('me', first);
  detector.watch('me', first);
  assert.deepEqual(closed, [], 'the same meter again stays');
  detector.watch('me', meter('second'));
  assert.deepEqual(closed, ['first']);
  detector.watch('me', null);
  assert.deepEqual(closed, ['first', 'second']);
  detector.watch('me', meter('third'));
  detector.watch('bob', { read: async () => 0 }); // no close(): nothing to let go
  detector.stop();
  assert.deepEqual(closed, ['first', 'second', 'third']);
});
