// Whoever talks gets the highlight, on the others' screens and on their own; a muted
// microphone loses it. The fake microphone beeps a few times a second: a person talking.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { expectSpeaking } from './lib/tiles.mjs';

const env = useParley();

// Nobody else is highlighted meanwhile: only one person can be the active speaker.
async function expectOnlySpeaker(viewer, subject) {
  const speaking = (await viewer.tiles()).filter((t) => t.speaking).map((t) => t.participant);
  assert.deepEqual(speaking, [subject.id], `${viewer.label} highlights only ${subject.label}`);
}

test('the person talking is highlighted for everyone, and muting ends it', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('speaker');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await bob.toggle('toggle-mic', false); // only Alice talks
  await expectMediaFrom(bob, alice);

  // Alice's level on Bob's screen comes from the audio he receives; on her own, from her
  // microphone as her peer connection sends it.
  await expectSpeaking(bob, alice, true);
  await expectOnlySpeaker(bob, alice);
  await expectSpeaking(alice, alice, true);
  await expectOnlySpeaker(alice, alice);

  await alice.toggle('toggle-mic', false);
  await expectSpeaking(bob, alice, false);
  await expectSpeaking(alice, alice, false);

  // Now Bob talks: the highlight follows him.
  await bob.toggle('toggle-mic', true);
  await expectSpeaking(alice, bob, true);
  await expectOnlySpeaker(alice, bob);
  await expectSpeaking(bob, bob, true);
});
