// The client's one module of outgoing messages (web/js/protocol.js): each message it builds is
// a type docs/protocol.md documents, with the fields the document names, and optional fields
// are left out rather than sent empty.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as protocol from '../../web/js/protocol.js';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

const samples = [
  protocol.join({ room: 'r', name: 'n', media: { mic: true, cam: false, screen: false } }),
  protocol.resume({ token: 't', lastSeq: 3, room: 'r' }), protocol.resume({ token: 't', snapshot: true, room: 'r' }),
  protocol.leave(), protocol.ping(1, 2), protocol.media({ mic: true, cam: true, screenStream: 's' }),
  protocol.description('p', { type: 'offer', sdp: 'v=0' }), protocol.description('p', { type: 'answer', sdp: 'v=0' }),
  protocol.candidate('p', null), protocol.negotiationFailed('p', 'offer', 'why'),
  protocol.chat('hi'), protocol.hand(true), protocol.trace(), protocol.admit('p'), protocol.decline('p'),
  protocol.moveToFront('p'), protocol.mute('p'), protocol.requestUnmute('p'), protocol.kick('p', 'r'),
  protocol.transferHost('p'), protocol.lock(true), protocol.endSession(), protocol.setTimer(60), protocol.extendTimer(300),
  protocol.mediaOffer({ sdp: 'v=0', tracks: [{ mid: '0', source: 'microphone' }] }),
  protocol.mediaAnswer({ version: 3, sdp: 'v=0' }),
];

test('every message the client sends is documented, field by field', () => {
  for (const message of samples) {
    assert.match(doc, new RegExp(`"type":\\s*"${message.type}"`), `docs/protocol.md shows a "${message.type}" message`);
    for (const field of Object.keys(message)) {
      assert.ok(doc.includes(`\`${field}\``) || doc.includes(`"${field}"`), `docs/protocol.md names "${field}" (${message.type})`);
    }
  }
});

test('optional fields are left out, not sent empty', () => {
  assert.deepEqual(protocol.join({ room: 'r', name: 'n', media: {} }), { type: 'join', v: protocol.PROTOCOL_VERSION, room: 'r', name: 'n', media: {} });
  assert.deepEqual(protocol.ping(5, 0), { type: 'ping', t: 5 });
  assert.deepEqual(protocol.media({ mic: false, cam: true }), { type: 'media', mic: false, cam: true, screen: false });
  assert.deepEqual(protocol.kick('p'), { type: 'kick', id: 'p' });
  assert.deepEqual(protocol.resume({ token: 't', lastSeq: 0 }), { type: 'resume', token: 't', lastSeq: 0 });
  assert.deepEqual(protocol.resume({ token: 't', lastSeq: 4, room: 'r' }), { type: 'resume', token: 't', lastSeq: 4, room: 'r' });
  assert.deepEqual(protocol.resume({ token: 't', snapshot: true, room: 'r' }), { type: 'resume', token: 't', snapshot: true, room: 'r' });
});

test('media-offer carries each sending m-section as { mid, source } and nothing else of it', () => {
  const transceiverish = { mid: '1', source: 'camera', track: {}, direction: 'sendonly' };
  assert.deepEqual(protocol.mediaOffer({ sdp: 'v=0', tracks: [transceiverish] }),
    { type: 'media-offer', sdp: 'v=0', tracks: [{ mid: '1', source: 'camera' }] });
  assert.deepEqual(protocol.mediaAnswer({ version: 4, sdp: 'v=0' }), { type: 'media-answer', version: 4, sdp: 'v=0' });
});

test('a room is forwarded only when its state says so', () => {
  assert.equal(protocol.topologyOf({ topology: 'forwarded' }), 'forwarded');
  assert.equal(protocol.topologyOf({ topology: 'mesh' }), 'mesh');
  assert.equal(protocol.topologyOf({ admission: 'open' }), 'mesh', 'an older server says nothing');
  assert.equal(protocol.topologyOf(undefined), 'mesh');
  assert.equal(protocol.topologyOf({ topology: 'cascade' }), 'mesh', 'an unknown topology');
});

test('the server\'s media-answer reply is read with its tracks, or none from a server that does not say', () => {
  assert.deepEqual(protocol.readMediaAnswer({ type: 'media-answer', req: 3, sdp: 'v=0',
    tracks: [{ mid: '2', from: 'pb', source: 'camera' }, { mid: '2', from: 'pc', source: 'camera' }, { mid: '3', source: 'camera' }] }),
  { sdp: 'v=0', tracks: [{ mid: '2', from: 'pb', source: 'camera' }] });
  assert.deepEqual(protocol.readMediaAnswer({ sdp: 'v=0', tracks: [] }), { sdp: 'v=0', tracks: [] });
  assert.deepEqual(protocol.readMediaAnswer({ sdp: 'v=0' }), { sdp: 'v=0', tracks: null });
  assert.equal(protocol.readMediaAnswer({ tracks: [] }), null, 'no sdp');
});

test('a server media-offer is read with the tracks the client can place', () => {
  const offer = protocol.readMediaOffer({
    type: 'media-offer', seq: 40, version: 3, sdp: 'v=0',
    tracks: [
      { mid: '3', from: 'pb', source: 'microphone' },
      { mid: '4', from: 'pb', source: 'camera' },
      { mid: '4', from: 'pc', source: 'camera' }, // a mid named twice: the first stands
      { mid: '5', from: 'pc', source: 'hologram' },
      { mid: '', from: 'pc', source: 'screen' },
      { mid: '6', source: 'screen' },
      null,
      { mid: '7', from: 'pc', source: 'screen', extra: true },
    ],
  });
  assert.deepEqual(offer, { version: 3, sdp: 'v=0', tracks: [
    { mid: '3', from: 'pb', source: 'microphone' },
    { mid: '4', from: 'pb', source: 'camera' },
    { mid: '7', from: 'pc', source: 'screen' },
  ] });
  assert.deepEqual(protocol.readMediaOffer({ version: 1, sdp: 'v=0' }).tracks, [], 'no tracks: nothing to receive');
  assert.equal(protocol.readMediaOffer({ version: 1 }), null, 'no sdp');
  assert.equal(protocol.readMediaOffer({ version: '1', sdp: 'v=0' }), null, 'no integer version');
});
