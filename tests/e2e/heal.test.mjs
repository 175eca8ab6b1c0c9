// Calls that heal themselves (docs/protocol.md "resume"): a dropped signaling socket comes back
// by itself without touching the call's media; a server that dies and comes back on the same
// port gets everyone back in, told the room was restarted; a reloaded page keeps its place.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom, framesFrom, framesRise } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { dropSocket, holdNetwork, releaseNetwork } from './lib/signaling.mjs';

const env = useParley({ serverArgs: ['--test-hooks'] });

test('a dropped signaling socket heals by itself while media keep flowing', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('heal');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  await expectMediaFrom(alice, bob);
  for (const [me, other] of [[alice, bob], [bob, alice]]) {
    await me.notePeerConnection(other);
  }

  await holdNetwork(alice);
  const beforeA = await framesFrom(alice, bob);
  const beforeB = await framesFrom(bob, alice);
  await dropSocket(env.server, room, alice);

  // While signaling is down: Alice is told, in a status banner; Bob sees her reconnecting.
  const banner = alice.byTestId('reconnect-banner');
  await pollUntil(() => banner.isVisible(), Boolean, { what: "Alice's reconnect banner" });
  assert.equal(await banner.getAttribute('role'), 'status');
  assert.match(await banner.innerText(), /Reconnecting/);
  assert.equal((await alice.client()).signaling, 'reconnecting');
  await pollUntil(() => bob.logKeys(), (keys) => keys.includes('log.peer-reconnecting'),
    { what: 'Bob to see Alice reconnecting' });
  // ... and media keep flowing both ways on the same connections.
  const duringA = await framesRise(alice, bob, beforeA, 'while Alice is reconnecting');
  const duringB = await framesRise(bob, alice, beforeB, 'while Alice is reconnecting');
  assert.ok((await banner.isVisible()) && (await alice.client()).signaling === 'reconnecting',
    'the frames above were decoded while the signaling was still down');

  await releaseNetwork(alice);
  const back = await pollUntil(() => alice.client(), (c) => c.signaling === 'connected' && c.state === 'in-call',
    { what: 'Alice to resume' });
  assert.equal(back.selfId, alice.id, 'Alice resumed as the same participant');
  await pollUntil(() => banner.count(), (n) => n === 0, { what: 'the banner to go away' });
  assert.ok((await alice.logKeys()).includes('log.resumed'), "Alice's event log records the resume");
  await pollUntil(() => bob.logKeys(), (keys) => keys.includes('log.peer-back'), { what: 'Bob to see Alice back' });
  const bobKeys = await bob.logKeys();
  assert.ok(!bobKeys.includes('log.peer-left') && !bobKeys.includes('log.peer-disconnected'),
    `Bob never saw Alice leave: ${bobKeys.join(', ')}`);

  await framesRise(alice, bob, duringA, 'after the resume');
  await framesRise(bob, alice, duringB, 'after the resume');
  for (const [me, other] of [[alice, bob], [bob, alice]]) {
    const same = await me.samePeerConnection(other);
    assert.ok(same, `${me.label}'s peer connection to ${other.label} was kept, not recreated`);
  }
  // Signaling works again: a chat message goes through after the resume.
  await alice.sendChat('still here');
  await pollUntil(() => bob.byTestId('chat-message').allInnerTexts(), (m) => m.some((t) => t.includes('still here')),
    { what: "Bob to get Alice's chat after the resume" });
});

test('a server that dies and comes back on its port gets everyone back in', { timeout: 150_000 }, async () => {
  const first = await env.startServer([]);
  const room = uniqueRoom('restart');
  const alice = await env.join(room, 'Alice', { server: first });
  const bob = await env.join(room, 'Bob', { server: first });
  await expectMediaFrom(bob, alice);
  const oldIds = [alice.id, bob.id];

  await first.kill();
  await env.startServer([], { port: first.port });

  for (const person of [alice, bob]) {
    const back = await pollUntil(() => person.client(),
      (c) => c.state === 'in-call' && c.selfId && !oldIds.includes(c.selfId) && c.signaling === 'connected',
      { timeout: 40_000, what: `${person.label} to be back in the call as a new participant` });
    person.id = back.selfId;
    const notice = person.byTestId('restarted-notice');
    assert.match(await notice.innerText(), /restarted/, `${person.label} is told the room was restarted`);
    assert.ok((await person.logKeys()).includes('log.resume-failed'));
  }
  await pollUntil(() => alice.peerIds(), (ids) => ids.length === 1 && ids[0] === bob.id, { what: "Alice's new peer is Bob's new id" });
  await expectMediaFrom(bob, alice);
  await expectMediaFrom(alice, bob);
});

test('a waiting guest who reloads keeps their place in line', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('reload-line');
  const host = await env.openAsHost(room, 'Hana', { admission: 'knock' });
  const guests = [];
  for (const name of ['Gina', 'Gus']) {
    const guest = await env.open(`/r/${room}?name=${name}`, name);
    await guest.pressJoin();
    await pollUntil(() => guest.client(), (c) => c.waiting, { what: `${name} to wait in line` });
    guests.push(guest);
  }
  const [gina, gus] = guests;
  await pollUntil(() => gina.client(), (c) => c.waiting?.of === 2, { what: 'Gina to see two in line' });

  await gina.page.reload();
  const again = await pollUntil(() => gina.client(), (c) => c.waiting, { what: 'Gina to wait again after the reload' });
  assert.deepEqual(again.waiting, { position: 1, of: 2 }, 'Gina is still first of two (not a newcomer at the back)');
  assert.deepEqual((await gus.client()).waiting, { position: 2, of: 2 });
  assert.match(await gina.byTestId('queue-place').innerText(), /1/);
});

test('a joined guest who reloads comes back as themselves, with the chat and the call', { timeout: 150_000 }, async () => {
  const room = uniqueRoom('reload-call');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(alice, bob);
  await bob.sendChat('back in a second');
  await pollUntil(() => alice.byTestId('chat-message').allInnerTexts(), (m) => m.some((t) => t.includes('back in a second')),
    { what: "Alice to get Bob's message" });
  await alice.notePeerConnection(bob);

  await bob.page.reload();
  const back = await pollUntil(() => bob.client(), (c) => c.state === 'in-call' && c.selfId,
    { what: 'Bob to be back in the call after the reload' });
  assert.equal(back.selfId, bob.id, 'Bob kept his participant id');
  const history = await pollUntil(() => bob.byTestId('chat-message').allInnerTexts(), (m) => m.length > 0,
    { what: 'Bob to see the chat history' });
  assert.ok(history.some((t) => t.includes('back in a second')), `history: ${history.join(' | ')}`);
  const mine = await bob.page.evaluate((id) => document.querySelectorAll(`[data-testid="chat-message"][data-from="${id}"]`).length, bob.id);
  assert.equal(mine, 1, 'the message is still his');

  await pollUntil(() => alice.logKeys(), (keys) => keys.includes('log.peer-reloaded'), { what: 'Alice to hear Bob reloaded' });
  const rebuilt = !(await alice.samePeerConnection(bob));
  assert.ok(rebuilt, "Alice replaced her connection to Bob's reloaded page");
  await expectMediaFrom(alice, bob);
  await expectMediaFrom(bob, alice);
  assert.ok(!(await alice.logKeys()).includes('log.peer-left'), 'Alice never saw Bob leave');
});

// Opens, in `person`'s page, a second signaling connection as another participant (a plain
// WebSocket: a client that is not this web app), joins `room` as `name`, and sends each of
// `messages` (built in the page from the id it got). Resolves with that participant's id.
function extraParticipant(person, room, name, messages) {
  return person.page.evaluate(async ({ room, name, messages }) => {
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
    const frames = [];
    let wake = () => {};
    ws.onmessage = (event) => { frames.push(JSON.parse(event.data)); wake(); };
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    const reply = async (req) => {
      for (let i = 0; i < 100; i++) {
        const found = frames.find((f) => f.req === req);
        if (found) return found;
        await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 100); });
      }
      throw new Error(`no reply to ${req}`);
    };
    ws.send(JSON.stringify({ type: 'join', req: 1, v: 1, room, name }));
    const joined = await reply(1);
    if (joined.type !== 'joined') throw new Error(JSON.stringify(joined));
    window.__extra = ws;
    let req = 2;
    for (const message of messages) ws.send(JSON.stringify({ ...message, req: req++ }));
    for (let r = 2; r < req; r++) {
      const answer = await reply(r);
      if (answer.type !== 'ok') throw new Error(JSON.stringify(answer));
    }
    return joined.you.id;
  }, { room, name, messages });
}

test('a resume that needs more than the server kept starts the call over in the same place', { timeout: 150_000 }, async () => {
  const room = uniqueRoom('overflow');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  await expectMediaFrom(alice, bob);
  await alice.notePeerConnection(bob);

  await holdNetwork(alice);
  await dropSocket(env.server, room, alice);
  await pollUntil(() => bob.logKeys(), (keys) => keys.includes('log.peer-reconnecting'),
    { what: 'Bob to see Alice reconnecting' });
  // While Alice is away, a third client sends her 12 offers of 59 KB: more than the 512 KiB
  // the server keeps for one participant's resume (docs/protocol.md, Limits).
  const big = 'v=0\r\n' + 'a'.repeat(59_000);
  await extraParticipant(bob, room, 'Carol',
    Array.from({ length: 12 }, () => ({ type: 'offer', to: alice.id, sdp: big })));

  await releaseNetwork(alice);
  const back = await pollUntil(() => alice.client(), (c) => c.signaling === 'connected' && c.state === 'in-call',
    { what: 'Alice to be back in the call' });
  assert.equal(back.selfId, alice.id, 'Alice kept her place: the same participant');
  const keys = await pollUntil(() => alice.logKeys(), (k) => k.includes('log.resumed-snapshot'),
    { what: "Alice's log to say the call started over" });
  assert.ok(!keys.includes('log.resume-failed'), 'her place was not lost');
  const rebuilt = !(await alice.samePeerConnection(bob));
  assert.ok(rebuilt, 'Alice built a new connection to Bob from the snapshot');
  await pollUntil(() => bob.logKeys(), (k) => k.includes('log.peer-reloaded'), { what: 'Bob to rebuild his connection to Alice' });
  await expectMediaFrom(alice, bob);
  await expectMediaFrom(bob, alice);
  assert.ok(!(await bob.logKeys()).includes('log.peer-left'), 'Bob never saw Alice leave');
  await bob.page.evaluate(() => window.__extra?.close());
});

test('a signaling path that goes silent without a reset is noticed within 10 s and heals', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('silent');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  const before = await framesFrom(alice, bob);

  // The server keeps Alice's socket open but reads and writes nothing on it any more, as a
  // path that died without a reset does; the browser gets no close event.
  const response = await fetch(`${env.server.origin}/test/stall?room=${room}&participant=${alice.id}`, { method: 'POST' });
  assert.equal(response.status, 200, await response.text());
  // Within 10 s by design (signaling.js: quiet 4 s, a probe, 5 s for its pong); the bound here
  // leaves the test 2 s of its own overhead. Before, nothing noticed it at all.
  await pollUntil(() => alice.logKeys(), (keys) => keys.includes('log.signaling-silent'),
    { timeout: 12_000, what: 'Alice to notice the silent connection within 10 s' });

  const back = await pollUntil(() => alice.client(), (c) => c.signaling === 'connected' && c.state === 'in-call',
    { what: 'Alice to resume on a new socket' });
  assert.equal(back.selfId, alice.id, 'the same participant');
  await framesRise(alice, bob, before, 'after the silent path was replaced');
  await alice.sendChat('heard again');
  await pollUntil(() => bob.byTestId('chat-message').allInnerTexts(), (m) => m.some((t) => t.includes('heard again')),
    { what: "Bob to get Alice's chat on the new socket" });
});
