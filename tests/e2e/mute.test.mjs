// Turning the mic or camera off shows on the other side, and turning it back on clears it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { expectIndicators } from './lib/tiles.mjs';

const env = useParley();

test('mic and camera off show on the other page and clear when back on', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('mute');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  assert.equal(await alice.isOn('toggle-mic'), true, 'mic starts on');
  assert.equal(await alice.isOn('toggle-cam'), true, 'camera starts on');
  await expectIndicators(bob, alice, { micOff: false, camOff: false });

  await alice.toggle('toggle-mic', false);
  await expectIndicators(bob, alice, { micOff: true, camOff: false });
  await alice.toggle('toggle-cam', false);
  await expectIndicators(bob, alice, { micOff: true, camOff: true });

  await alice.toggle('toggle-mic', true);
  await expectIndicators(bob, alice, { micOff: false, camOff: true });
  await alice.toggle('toggle-cam', true);
  await expectIndicators(bob, alice, { micOff: false, camOff: false });

  // Back on means real media again, not only a cleared indicator.
  await expectMediaFrom(bob, alice);
});

test('Ctrl+D and Ctrl+E turn the microphone and the camera off and on, and the tooltips say so', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('keys');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  const mic = alice.byTestId('toggle-mic');
  assert.equal(await mic.getAttribute('aria-keyshortcuts'), 'Control+D');
  assert.equal(await mic.getAttribute('title'), 'Turn microphone off (Ctrl+D)');
  assert.equal(await alice.byTestId('toggle-cam').getAttribute('aria-keyshortcuts'), 'Control+E');

  await alice.page.keyboard.press('Control+d');
  await expectIndicators(bob, alice, { micOff: true, camOff: false });
  assert.equal(await mic.getAttribute('title'), 'Turn microphone on (Ctrl+D)');
  await alice.page.keyboard.press('Control+e');
  await expectIndicators(bob, alice, { micOff: true, camOff: true });
  await alice.page.keyboard.press('Control+d');
  await alice.page.keyboard.press('Control+e');
  await expectIndicators(bob, alice, { micOff: false, camOff: false });
  await expectMediaFrom(bob, alice);
});
