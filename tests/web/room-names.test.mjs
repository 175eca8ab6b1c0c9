// Created room ids carry 64 random bits and stay readable (web/js/room-names.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quint, randomRoomId } from '../../web/js/room-names.js';

test('every 16-bit number has its own pronounceable word', () => {
  const words = new Set();
  for (let n = 0; n < 65536; n++) {
    const word = quint(n);
    assert.match(word, /^[bdfghjklmnprstvz][aiou][bdfghjklmnprstvz][aiou][bdfghjklmnprstvz]$/);
    words.add(word);
  }
  assert.equal(words.size, 65536, 'no two numbers share a word: each word carries 16 bits');
});

test('an id is four words from four random 16-bit numbers: 64 bits', () => {
  const asked = [];
  const id = randomRoomId((count) => { asked.push(count); return Uint16Array.from([0, 65535, 0x1234, 0xbeef]); });
  assert.deepEqual(asked, [4]);
  assert.equal(id, [quint(0), quint(65535), quint(0x1234), quint(0xbeef)].join('-'));
});

test('ids from the real generator are valid room ids and do not repeat', () => {
  const seen = new Set();
  for (let i = 0; i < 2000; i++) {
    const id = randomRoomId();
    assert.match(id, /^[a-z]{5}(-[a-z]{5}){3}$/);
    assert.ok(id.length >= 3 && id.length <= 64);
    seen.add(id);
  }
  assert.equal(seen.size, 2000);
});
