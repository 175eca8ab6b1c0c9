// Negotiation failures are said, shown and recovered from (docs/protocol.md,
// "negotiation-failed"): a browser that cannot apply the other side's description tells it
// through the server; both say so in words and start a fresh connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';

const ADMIN = 'negotiation-test-admin-token';
const env = useParley({ serverArgs: ['--admin-token', ADMIN] });

test('an offer the other browser cannot apply is reported, shown and healed with a fresh connection', { timeout: 150_000 }, async () => {
  const room = uniqueRoom('refused');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  await expectMediaFrom(alice, bob);
  await alice.notePeerConnection(bob);

  // Bob's browser refuses the next offer it is given, as Chromium refuses an SDP it cannot use.
  await bob.page.evaluate(() => {
    const real = RTCPeerConnection.prototype.setRemoteDescription;
    let armed = true;
    RTCPeerConnection.prototype.setRemoteDescription = function (description, ...rest) {
      if (armed && description?.type === 'offer') {
        armed = false;
        return Promise.reject(new DOMException('the test refuses this offer', 'OperationError'));
      }
      return real.call(this, description, ...rest);
    };
  });
  // Notices come and go (this one goes once the fresh connection is up): record them as shown.
  for (const person of [alice, bob]) {
    await person.page.evaluate(() => {
      window.__notices = [];
      new MutationObserver(() => {
        for (const notice of document.querySelectorAll('[data-testid="negotiation-notice"]')) {
          const text = notice.innerText;
          if (text && !window.__notices.includes(text)) window.__notices.push(text);
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  }
  // Alice renegotiates (an ICE restart, as after a network change): Bob refuses that offer.
  await alice.page.evaluate((id) => window.parley.peers.get(id).restartIce(), bob.id);

  await pollUntil(() => bob.logKeys(), (keys) => keys.includes('log.negotiation-failed'), { what: 'Bob to fail the offer' });
  await pollUntil(() => alice.logKeys(), (keys) => keys.includes('log.negotiation-refused'),
    { what: 'Alice to hear that Bob could not use her offer' });
  for (const person of [alice, bob]) {
    const shown = await pollUntil(() => person.page.evaluate(() => window.__notices), (n) => n.length > 0,
      { what: `${person.label}'s notice about the connection` });
    assert.match(shown[0], /could not be set up/, `${person.label} is told in words: ${shown[0]}`);
  }

  // Both start over; the call comes back on a new connection.
  const rebuilt = await pollUntil(
    async () => !(await alice.samePeerConnection(bob)), Boolean,
    { what: 'Alice to start a fresh connection to Bob' });
  assert.ok(rebuilt);
  await expectMediaFrom(alice, bob);
  await expectMediaFrom(bob, alice);
  await pollUntil(() => bob.byTestId('negotiation-notice').count(), (n) => n === 0,
    { what: "Bob's notice to go once connected again" });

  // The room's trace names the step that failed.
  const response = await fetch(`${env.server.origin}/admin/rooms/${room}/trace`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  const trace = await response.json();
  const failed = trace.steps.filter((s) => s.kind === 'negotiation-failed');
  assert.equal(failed.length, 1, JSON.stringify(trace.steps.slice(-10)));
  assert.equal(failed[0].from, bob.id);
  assert.equal(failed[0].to, alice.id);
});

test('a client this browser cannot negotiate with hears why', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('third-party');
  const alice = await env.join(room, 'Alice');
  // A client that is not this web app (a plain WebSocket, here in a page of its own) joins
  // and sends Alice an offer no browser can apply.
  const other = await env.open('/', 'Other');
  const reply = await other.page.evaluate(async ({ room, to }) => {
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
    const frames = [];
    ws.onmessage = (event) => frames.push(JSON.parse(event.data));
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    ws.send(JSON.stringify({ type: 'join', req: 1, v: 1, room, name: 'Other' }));
    const wait = async (test) => {
      for (let i = 0; i < 150; i++) {
        const found = frames.find(test);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return null;
    };
    if (!(await wait((f) => f.type === 'joined'))) return null;
    ws.send(JSON.stringify({ type: 'offer', to, sdp: 'v=0\r\nthis is not a session description\r\n' }));
    return wait((f) => f.type === 'negotiation-failed');
  }, { room, to: alice.id });
  assert.ok(reply, 'the other client was told its offer failed');
  assert.equal(reply.from, alice.id);
  assert.equal(reply.description, 'offer');
  assert.ok(reply.reason.length > 0, 'with the browser\'s reason');
  await pollUntil(() => alice.logKeys(), (keys) => keys.includes('log.negotiation-failed'), { what: "Alice's log" });
});
