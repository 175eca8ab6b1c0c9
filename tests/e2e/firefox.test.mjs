// Firefox ESR in calls, with Firefox and with Chromium: media both ways, the mic state and the
// audio it stops, your own speaking highlight (Firefox's senders report no level, so the client
// measures the microphone itself), a reload, shared screens and a dropped signaling socket.
// One firefox for the whole file (lib/firefox.mjs), one window per participant.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FIREFOX_SCREEN } from './lib/firefox.mjs';
import { useParley, uniqueRoom } from './lib/fixture.mjs';
import {
  expectAudioFrom, expectMediaFrom, expectNewVideoFrom, framesFrom, framesRise, inboundVideoIds,
} from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { dropSocket, holdNetwork, releaseNetwork } from './lib/signaling.mjs';
import { cameraTile, expectIndicators, expectSpeaking, expectTiles } from './lib/tiles.mjs';

const env = useParley({ serverArgs: ['--test-hooks'], browsers: ['firefox', 'chromium'] });

// Keeps, in `me`'s page, its peer connection to `other`, to tell later whether it was replaced.

test('Firefox with Firefox: media both ways, your own voice highlights you, mute silences, a reload resumes', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('firefox');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  await expectMediaFrom(alice, bob);

  // Firefox's fake microphone plays a steady tone. Bob mutes, so only Alice talks: he shows it,
  // and what Alice receives from him goes silent.
  await bob.toggle('toggle-mic', false);
  await expectIndicators(alice, bob, { micOff: true, camOff: false });
  await expectAudioFrom(alice, bob, { sounding: false });
  // Alice's own tile lights up from her microphone, and Bob's tile of her from what he hears.
  await expectSpeaking(alice, alice, true);
  await expectSpeaking(bob, alice, true);

  // Alice mutes: Bob sees it, her audio stops, and her own highlight goes; unmuted, all back.
  await alice.toggle('toggle-mic', false);
  await expectIndicators(bob, alice, { micOff: true, camOff: false });
  await expectAudioFrom(bob, alice, { sounding: false });
  await expectSpeaking(alice, alice, false);
  await alice.toggle('toggle-mic', true);
  await expectIndicators(bob, alice, { micOff: false, camOff: false });
  await expectAudioFrom(bob, alice, { sounding: true });
  await expectSpeaking(alice, alice, true);

  // A reload: Alice comes back as herself, Bob builds a new connection to her page.
  await bob.notePeerConnection(alice);
  await alice.page.reload();
  const back = await pollUntil(() => alice.client(), (c) => c?.state === 'in-call' && c.selfId,
    { what: 'Alice to be back in the call after the reload' });
  assert.equal(back.selfId, alice.id, 'Alice kept her participant id');
  await pollUntil(() => bob.logKeys(), (keys) => keys.includes('log.peer-reloaded'), { what: 'Bob to hear Alice reloaded' });
  assert.ok(!(await bob.samePeerConnection(alice)), "Bob replaced his connection to Alice's reloaded page");
  await expectMediaFrom(bob, alice);
  await expectMediaFrom(alice, bob);
  assert.ok(!(await bob.logKeys()).includes('log.peer-left'), 'Bob never saw Alice leave');
});

test('Firefox with Chromium: media both ways, screens shared both ways, mute, a dropped socket heals', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('firefox-chromium');
  const carol = await env.join(room, 'Carol', { browser: 'chromium' });
  const fiona = await env.join(room, 'Fiona');
  await expectMediaFrom(carol, fiona);
  await expectMediaFrom(fiona, carol);

  // Fiona shares her screen (Xvfb's, 1280x720): Carol gets a screen tile fed by a new stream.
  const cameraStreams = await inboundVideoIds(carol, fiona);
  await fiona.press('toggle-screen');
  await pollUntil(() => fiona.isOn('toggle-screen'), Boolean, { what: "Fiona's toggle-screen to be pressed" });
  const screenTile = { participant: fiona.id, kind: 'screen', self: false, name: fiona.name };
  await expectTiles(carol, [cameraTile(carol, carol), cameraTile(fiona, carol), screenTile]);
  await expectNewVideoFrom(carol, fiona, cameraStreams, FIREFOX_SCREEN);
  await fiona.press('toggle-screen');
  await pollUntil(() => fiona.isOn('toggle-screen'), (on) => !on, { what: "Fiona's toggle-screen to be released" });
  await expectTiles(carol, [cameraTile(carol, carol), cameraTile(fiona, carol)]);
  // And the other way: Carol's screen (chromium's fake one, also 1280x720) reaches Fiona.
  const carolCamera = await inboundVideoIds(fiona, carol);
  await carol.press('toggle-screen');
  await expectNewVideoFrom(fiona, carol, carolCamera, FIREFOX_SCREEN);
  await expectTiles(fiona, [cameraTile(fiona, fiona), cameraTile(carol, fiona),
    { participant: carol.id, kind: 'screen', self: false, name: carol.name }]);
  await carol.press('toggle-screen');
  await expectTiles(fiona, [cameraTile(fiona, fiona), cameraTile(carol, fiona)]);

  // Fiona mutes: Carol sees it and hears silence; unmuted, her tone again.
  await fiona.toggle('toggle-mic', false);
  await expectIndicators(carol, fiona, { micOff: true, camOff: false });
  await expectAudioFrom(carol, fiona, { sounding: false });
  await fiona.toggle('toggle-mic', true);
  await expectIndicators(carol, fiona, { micOff: false, camOff: false });
  await expectAudioFrom(carol, fiona, { sounding: true });

  // The server drops Fiona's signaling socket and her page cannot reconnect for a while: media
  // keep flowing both ways on the same connections, and once let go she resumes as herself.
  await fiona.notePeerConnection(carol);
  await carol.notePeerConnection(fiona);
  await holdNetwork(fiona);
  const toFiona = await framesFrom(fiona, carol);
  const toCarol = await framesFrom(carol, fiona);
  await dropSocket(env.server, room, fiona);
  await pollUntil(() => fiona.client(), (c) => c?.signaling === 'reconnecting', { what: 'Fiona to be reconnecting' });
  await pollUntil(() => carol.logKeys(), (keys) => keys.includes('log.peer-reconnecting'), { what: 'Carol to see Fiona reconnecting' });
  const duringToFiona = await framesRise(fiona, carol, toFiona, 'while Fiona is reconnecting');
  const duringToCarol = await framesRise(carol, fiona, toCarol, 'while Fiona is reconnecting');
  assert.equal((await fiona.client()).signaling, 'reconnecting', 'those frames came while her signaling was down');

  await releaseNetwork(fiona);
  const back = await pollUntil(() => fiona.client(), (c) => c?.signaling === 'connected' && c.state === 'in-call',
    { what: 'Fiona to resume' });
  assert.equal(back.selfId, fiona.id, 'Fiona resumed as the same participant');
  await pollUntil(() => carol.logKeys(), (keys) => keys.includes('log.peer-back'), { what: 'Carol to see Fiona back' });
  await framesRise(fiona, carol, duringToFiona, 'after the resume');
  await framesRise(carol, fiona, duringToCarol, 'after the resume');
  for (const [me, other] of [[fiona, carol], [carol, fiona]]) {
    assert.ok(await me.samePeerConnection(other), `${me.label}'s connection to ${other.label} was kept, not recreated`);
  }
  const carolKeys = await carol.logKeys();
  assert.ok(!carolKeys.includes('log.peer-left') && !carolKeys.includes('log.peer-disconnected'),
    `Carol never saw Fiona leave: ${carolKeys.join(', ')}`);
});
