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
  protocol.resume({ token: 't', lastSeq: 3 }), protocol.resume({ token: 't', snapshot: true }),
  protocol.leave(), protocol.ping(1, 2), protocol.media({ mic: true, cam: true, screenStream: 's' }),
  protocol.description('p', { type: 'offer', sdp: 'v=0' }), protocol.description('p', { type: 'answer', sdp: 'v=0' }),
  protocol.candidate('p', null), protocol.negotiationFailed('p', 'offer', 'why'),
  protocol.chat('hi'), protocol.hand(true), protocol.trace(), protocol.admit('p'), protocol.decline('p'),
  protocol.moveToFront('p'), protocol.mute('p'), protocol.requestUnmute('p'), protocol.kick('p', 'r'),
  protocol.transferHost('p'), protocol.lock(true), protocol.endSession(), protocol.setTimer(60), protocol.extendTimer(300),
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
});
