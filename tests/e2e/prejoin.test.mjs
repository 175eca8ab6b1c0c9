// The screen before joining: the name from the link, and a live camera preview.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley();

const playingVideos = (person) => person.page.evaluate(() =>
  [...document.querySelectorAll('video')]
    .filter((v) => v.checkVisibility())
    .map((v) => ({ width: v.videoWidth, paused: v.paused, time: v.currentTime })));

test('the link prefills the name and the camera preview plays', { timeout: 60_000 }, async () => {
  const name = 'Zoë Ångström';
  const zoe = await env.open(`/r/${uniqueRoom('prejoin')}?name=${encodeURIComponent(name)}`, 'Zoe');
  assert.equal(await zoe.nameField().inputValue(), name);
  assert.equal(await zoe.joinButton().isVisible(), true, 'a Join button');
  assert.equal((await zoe.client())?.state, 'prejoin');

  const playing = (videos) => videos.filter((v) => v.width > 0 && !v.paused);
  const latest = (videos) => Math.max(-1, ...playing(videos).map((v) => v.time));
  const first = await pollUntil(() => playingVideos(zoe), (videos) => playing(videos).length > 0,
    { what: 'a visible camera preview with videoWidth > 0, playing' });
  await pollUntil(() => playingVideos(zoe), (videos) => latest(videos) > latest(first),
    { what: 'the camera preview to advance' });
});
