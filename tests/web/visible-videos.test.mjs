// What the page tells the server it shows (visible-videos.js): the set once it changes, after a
// short pause, nothing in a mesh, and no video while the tab is hidden.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { VisibleVideos } from '../../web/js/visible-videos.js';
import { visibleVideos, readActiveSpeaker } from '../../web/js/protocol.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function fakeDocument() {
  const listeners = new Set();
  return {
    visibilityState: 'visible',
    addEventListener: (type, fn) => listeners.add(fn),
    removeEventListener: (type, fn) => listeners.delete(fn),
    setHidden(hidden) {
      this.visibilityState = hidden ? 'hidden' : 'visible';
      for (const fn of listeners) fn();
    },
  };
}

test('the set goes out once per change, only in a forwarded room', async () => {
  const sent = [];
  const doc = fakeDocument();
  const visible = new VisibleVideos({ send: (m) => sent.push(m), doc, debounceMs: 0 });
  visible.setShown([{ participant: 'b', source: 'camera' }]);
  await settle();
  assert.deepEqual(sent, [], 'a mesh has nobody to tell');

  visible.setEnabled(true);
  await settle();
  assert.deepEqual(sent, [{ type: 'visible-videos', videos: [{ participant: 'b', source: 'camera' }] }]);

  visible.setShown([{ participant: 'b', source: 'camera' }]);
  await settle();
  assert.equal(sent.length, 1, 'the same set is not sent again');

  visible.setShown([{ participant: 'c', source: 'screen' }, { participant: 'b', source: 'camera' }]);
  visible.setShown([{ participant: 'b', source: 'camera' }, { participant: 'c', source: 'screen' }]);
  await settle();
  assert.equal(sent.length, 2, 'changes in a burst make one message');

  doc.setHidden(true);
  await settle();
  assert.deepEqual(sent.at(-1).videos, [], 'a hidden tab shows nothing');
  doc.setHidden(false);
  await settle();
  assert.equal(sent.at(-1).videos.length, 2);

  visible.setEnabled(false);
  visible.setEnabled(true);
  await settle();
  assert.equal(sent.length, 5, 'back in a forwarded room, the server is told again');
  visible.destroy();
});

test('a message that could not be handed over is tried again at the next change', async () => {
  let accept = false;
  const sent = [];
  const visible = new VisibleVideos({ send: (m) => accept && sent.push(m), doc: fakeDocument(), debounceMs: 0 });
  visible.setEnabled(true);
  visible.setShown([{ participant: 'b', source: 'camera' }]);
  await settle();
  accept = true;
  visible.setShown([{ participant: 'b', source: 'camera' }]);
  await settle();
  assert.equal(sent.length, 1);
  visible.destroy();
});

test('the protocol builders keep only the fields the server reads', () => {
  assert.deepEqual(visibleVideos([{ participant: 'p', source: 'camera', extra: 1 }]),
    { type: 'visible-videos', videos: [{ participant: 'p', source: 'camera' }] });
  assert.equal(readActiveSpeaker({ type: 'active-speaker', participant: 'p' }), 'p');
  assert.equal(readActiveSpeaker({ type: 'active-speaker' }), null);
  assert.equal(readActiveSpeaker({ participant: 7 }), null);
});
