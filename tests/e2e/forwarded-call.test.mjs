// The web client in forwarded rooms, against the real forwarding server: with --topology auto
// two people talk peer to peer, a third moves the call to the server (each page then has one
// connection, to the server, and sees and hears the others through it), and when one leaves
// the two go back to peer to peer, the call carrying on throughout. Firefox ESR takes part in a
// forwarded room beside Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley } from './lib/fixture.mjs';
import {
  expectAudioFrom, expectEveryoneHearsAndSeesEveryone, expectMediaFrom, expectNewVideoFrom, framesFrom, framesRise,
  inboundVideoIds,
} from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { expectSpeaking } from './lib/tiles.mjs';

const env = useParley({ serverArgs: ['--topology', 'auto', '--media-port', '0'], browsers: ['chromium', 'firefox'] });

const topologyOf = (p) => p.page.evaluate(() => window.parley.topology);
// How many distinct connections the page's tiles use, and whether they all lead to the server.
const connectionsOf = (p) => p.page.evaluate(() => new Set(window.parley.peers.values()).size);
// Chromium's send-side bandwidth estimate on the page's one connection.
const outgoingEstimate = (p) => p.page.evaluate(async () => {
  const [pc] = new Set(window.parley.peers.values());
  let bps = 0;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'candidate-pair' && s.nominated) bps = Math.max(bps, s.availableOutgoingBitrate ?? 0);
  });
  return bps;
});

test('two talk peer to peer, a third moves the call through the server, and back when one leaves', async () => {
  const ann = await env.join('auto-class', 'Ann');
  const ben = await env.join('auto-class', 'Ben');
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);
  assert.equal(await topologyOf(ann), 'mesh');

  const cat = await env.join('auto-class', 'Cat');
  for (const p of [ann, ben, cat]) {
    await pollUntil(() => topologyOf(p), (t) => t === 'forwarded', { what: `${p.label}'s call to be forwarded` });
  }
  await expectEveryoneHearsAndSeesEveryone([ann, ben, cat]);
  for (const p of [ann, ben, cat]) {
    await pollUntil(() => connectionsOf(p), (n) => n === 1, { what: `${p.label} to keep one connection (to the server)` });
  }

  await cat.byTestId('leave').click();
  for (const p of [ann, ben]) {
    await pollUntil(() => topologyOf(p), (t) => t === 'mesh', { what: `${p.label}'s call back to peer to peer` });
  }
  // The move back is done once the other's media no longer come through the server (the
  // connection to it is closed): only then is each tile on the direct link.
  for (const [p, other] of [[ann, ben], [ben, ann]]) {
    await pollUntil(() => p.page.evaluate((id) => window.parley.midsFrom(id).length, other.id), (n) => n === 0,
      { what: `${p.label} to receive ${other.label} directly again` });
  }
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);
});

test('Firefox ESR and Chromium see and hear each other through the server', { timeout: 90_000 }, async () => {
  const server = await env.startServer(['--topology', 'forward', '--media-port', '0']);
  const ann = await env.join('forwarded-firefox', 'Ann', { server, browser: 'firefox' });
  const ben = await env.join('forwarded-firefox', 'Ben', { server });
  const cat = await env.join('forwarded-firefox', 'Cat', { server, browser: 'firefox' });
  for (const p of [ann, ben, cat]) {
    await pollUntil(() => topologyOf(p), (t) => t === 'forwarded', { what: `${p.label}'s call to be forwarded` });
  }
  await expectEveryoneHearsAndSeesEveryone([ann, ben, cat]);
  for (const p of [ann, ben, cat]) {
    await pollUntil(() => connectionsOf(p), (n) => n === 1, { what: `${p.label} to keep one connection (to the server)` });
  }
});

test("a publisher's bandwidth estimate climbs on the server's transport-cc feedback", async () => {
  const server = await env.startServer(['--topology', 'forward', '--media-port', '0']);
  const ann = await env.join('forwarded-estimate', 'Ann', { server });
  await env.join('forwarded-estimate', 'Ben', { server });
  // From the browser's start rate (300 kbit/s) to what a camera needs: without feedback it would
  // stay at the start, with feedback that reads as loss it would fall.
  await pollUntil(() => outgoingEstimate(ann), (bps) => bps > 1_000_000,
    { what: "Ann's estimate of her uplink to the server to pass 1 Mbit/s" });
});

test('in a forwarded room a shared screen arrives as its own stream, mute silences, and a reload comes back', { timeout: 90_000 }, async () => {
  const server = await env.startServer(['--topology', 'forward', '--media-port', '0']);
  const ann = await env.join('forwarded-share', 'Ann', { server });
  const ben = await env.join('forwarded-share', 'Ben', { server });
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);

  // Chromium's fake screen is 1280x720; it comes through the server as a stream of its own.
  const cameras = await inboundVideoIds(ben, ann);
  await ann.press('toggle-screen');
  await expectNewVideoFrom(ben, ann, cameras, { width: 1280, height: 720 });

  await ann.toggle('toggle-mic', false);
  await expectAudioFrom(ben, ann, { sounding: false });
  await ann.toggle('toggle-mic', true);
  await expectAudioFrom(ben, ann, { sounding: true });

  // Ben reloads: his page comes back as him, on a new connection to the server.
  await ben.page.reload();
  const back = await pollUntil(() => ben.client(), (c) => c?.state === 'in-call' && c.selfId,
    { what: 'Ben to be back in the call after the reload' });
  assert.equal(back.selfId, ben.id, 'Ben kept his participant id');
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);
});

// The page's tab hidden or shown again, as the browser reports it (document.visibilityState and
// its event): a headless page is always "visible" otherwise.
const setTabHidden = (p, hidden) => p.page.evaluate((hidden) => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  document.dispatchEvent(new Event('visibilitychange'));
}, hidden);

// The video bytes `receiver` got from `sender` so far.
const videoBytesFrom = async (receiver, sender) => {
  const sample = await receiver.inboundFrom(sender.id);
  return (sample?.inbound ?? []).filter((s) => s.kind === 'video').reduce((sum, s) => sum + s.bytesReceived, 0);
};

// Chromium's fake microphone beeps for 20 ms twice a second, which no speech detector takes for
// someone talking: the page sends a steady tone instead, as a voice would sound to the server.
const speakSteadily = (p) => p.page.evaluate(async () => {
  const context = new AudioContext();
  const tone = context.createOscillator();
  const out = context.createMediaStreamDestination();
  tone.connect(out);
  tone.start();
  await context.resume();
  const [pc] = new Set(window.parley.peers.values());
  const sender = pc.getSenders().find((s) => s.track?.kind === 'audio');
  await sender.replaceTrack(out.stream.getAudioTracks()[0]);
});

test("a page is sent only the videos it shows, and the server's active speaker is highlighted", { timeout: 90_000 }, async () => {
  const server = await env.startServer(['--topology', 'forward', '--media-port', '0']);
  const ann = await env.join('forwarded-shown', 'Ann', { server });
  const ben = await env.join('forwarded-shown', 'Ben', { server });
  const cat = await env.join('forwarded-shown', 'Cat', { server });
  await expectMediaFrom(ben, ann);
  await expectMediaFrom(cat, ann);

  // Ben's tab goes to the background: the server stops sending him Ann's video (his inbound
  // bytes stop growing for a good while), while Cat's page goes on decoding it.
  await setTabHidden(ben, true);
  let last = { bytes: -1, since: 0 };
  await pollUntil(() => videoBytesFrom(ben, ann), (bytes) => {
    if (bytes !== last.bytes) last = { bytes, since: Date.now() };
    return Date.now() - last.since >= 2000;
  }, { what: "Ben's inbound video from Ann to stop growing (not sent while his tab is hidden)" });
  await framesRise(cat, ann, await framesFrom(cat, ann), 'while Ben does not show Ann');

  // Back in front: Ann's video comes again and decodes at once (the server asked for a keyframe).
  const frames = await framesFrom(ben, ann);
  await setTabHidden(ben, false);
  await framesRise(ben, ann, frames, 'once Ben shows Ann again');

  // Only Ann's microphone sounds: the others' pages highlight her. In a forwarded room the page
  // takes the highlight from the server's active-speaker event, not from its own measurement.
  await ben.toggle('toggle-mic', false);
  await cat.toggle('toggle-mic', false);
  await speakSteadily(ann);
  await expectSpeaking(ben, ann, true);
  await expectSpeaking(cat, ann, true);
});
