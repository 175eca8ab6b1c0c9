// The speaker highlight's parts under node --test: the level read from WebRTC's own energy
// counters, and who the detector picks from those levels over time.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AudioLevelMeter } from '../../web/js/audio-level-meter.js';
import { SpeakerDetector } from '../../web/js/speaker-detector.js';

// A stand-in for RTCStatsReport: forEach over plain stats objects.
const report = (...stats) => ({ forEach: (fn) => stats.forEach(fn) });
const inbound = (id, energy, duration) =>
  ({ id, type: 'inbound-rtp', kind: 'audio', totalAudioEnergy: energy, totalSamplesDuration: duration });

test('the level is the RMS of the interval between two readings', async () => {
  const readings = [
    report(inbound('a', 1.0, 10)),
    report(inbound('a', 1.25, 11)), // 0.25 energy over 1 s: mean square 0.25
    report(inbound('a', 1.25, 12)), // silence
    report({ id: 'v', type: 'inbound-rtp', kind: 'video' }, inbound('a', 1.26, 12.25)),
  ];
  const meter = new AudioLevelMeter(async () => readings.shift(), 'inbound-rtp');
  assert.equal(await meter.read(), 0, 'the first reading only sets the baseline');
  assert.equal(await meter.read(), 0.5);
  assert.equal(await meter.read(), 0);
  assert.ok(Math.abs(await meter.read() - 0.2) < 1e-9, 'video entries are not audio');
});

test('a new stats entry or none at all starts the interval again', async () => {
  const readings = [
    report(inbound('a', 1, 1)),
    report(inbound('b', 5, 2)), // another receiver's counters: not comparable with a's
    report(inbound('b', 5.04, 3)),
    undefined, // nothing to read (alone in the room, mic off)
    report(inbound('b', 9, 4)),
    report({ id: 'm', type: 'media-source', kind: 'audio', totalAudioEnergy: 9.1, totalSamplesDuration: 5 }),
  ];
  const meter = new AudioLevelMeter(async () => readings.shift(), 'inbound-rtp');
  assert.equal(await meter.read(), 0);
  assert.equal(await meter.read(), 0, 'another entry: baseline again');
  assert.ok(Math.abs(await meter.read() - 0.2) < 1e-9);
  assert.equal(await meter.read(), 0, 'no report');
  assert.equal(await meter.read(), 0, 'baseline again after a gap');
  assert.equal(await meter.read(), 0, 'an entry of another type is not read');
});

// Drives the detector's 250 ms sampling with mocked timers and its clock by hand; each
// participant's level is whatever `levels` says at that moment.
function detectorWith(t, levels) {
  t.mock.timers.enable({ apis: ['setInterval'] });
  let now = 0;
  const changes = [];
  const detector = new SpeakerDetector((id) => changes.push(id), { now: () => now });
  for (const id of Object.keys(levels)) detector.watch(id, { read: async () => levels[id] });
  detector.start();
  const advance = async (ms) => {
    for (let elapsed = 0; elapsed < ms; elapsed += 250) {
      now += 250;
      t.mock.timers.tick(250);
      await new Promise((resolve) => setImmediate(resolve)); // the readings' promises settle
    }
  };
  return { detector, changes, advance };
}

test('the loudest above the threshold is highlighted, and held against flicker', async (t) => {
  const levels = { ann: 0, ben: 0 };
  const { detector, changes, advance } = detectorWith(t, levels);
  await advance(1000);
  assert.deepEqual(changes, [], 'nobody speaks: nobody is highlighted');
  levels.ann = 0.01; // below the threshold: background noise
  await advance(500);
  assert.deepEqual(changes, []);
  levels.ann = 0.2;
  levels.ben = 0.1;
  await advance(250);
  assert.deepEqual(changes, ['ann'], 'the louder one');
  levels.ben = 0.3; // Ben talks over Ann: the highlight stays with Ann for a while
  await advance(500);
  assert.deepEqual(changes, ['ann']);
  await advance(1000);
  assert.deepEqual(changes, ['ann', 'ben'], 'after the hold, the louder one');
  levels.ann = 0;
  levels.ben = 0;
  await advance(750);
  assert.deepEqual(changes, ['ann', 'ben'], 'a pause between words keeps the highlight');
  await advance(750);
  assert.deepEqual(changes, ['ann', 'ben', null], 'silence clears it');
  detector.stop();
});

test('someone who leaves while highlighted loses the highlight at once', async (t) => {
  const levels = { ann: 0.5 };
  const { detector, changes, advance } = detectorWith(t, levels);
  await advance(250);
  assert.deepEqual(changes, ['ann']);
  detector.unwatch('ann');
  assert.deepEqual(changes, ['ann', null]);
  detector.watch('ann', null); // no audio track: not a candidate (and no second change)
  await advance(500);
  assert.deepEqual(changes, ['ann', null]);
  detector.stop();
});

test('a meter that fails counts as silent and the others still count', async (t) => {
  const { detector, changes, advance } = detectorWith(t, { ben: 0.4 });
  detector.watch('gone', { read: async () => { throw new Error('peer connection closed'); } });
  await advance(250);
  assert.deepEqual(changes, ['ben']);
  detector.stop();
});
