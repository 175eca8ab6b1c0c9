// With a TURN server and --ice-transport-policy relay, two people still see and hear each other,
// and their media goes through the relay: each side's selected candidate pair uses a `relay`
// candidate allocated on our coturn with the credentials parley minted in `joined`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { findTurnserver, startTurnServer } from './lib/turn-server.mjs';

const installed = findTurnserver() !== null;
const skip = installed ? false : 'turnserver is not installed (Debian package coturn; run script/bootstrap)';

const env = useParley();
let turn = null;
let relayServer = null;

before(async () => {
  if (!installed) return;
  const secret = randomBytes(16).toString('hex');
  turn = await startTurnServer({ secret });
  relayServer = await env.startServer([
    '--turn-url', `turn:127.0.0.1:${turn.port}?transport=udp`,
    '--turn-secret', secret,
    '--ice-transport-policy', 'relay',
  ]);
});

after(async () => {
  await turn?.stop();
});

test('media flows through the TURN relay when the server asks for relay only', { skip, timeout: 90_000 }, async (t) => {
  const room = uniqueRoom('turn');
  const alice = await env.join(room, 'Alice', { server: relayServer });
  const bob = await env.join(room, 'Bob', { server: relayServer });

  try {
    await expectMediaFrom(bob, alice);
    await expectMediaFrom(alice, bob);
  } catch (error) {
    t.diagnostic(`turnserver log:\n${(await turn.log()).split('\n').slice(-40).join('\n')}`);
    throw error;
  }

  for (const [viewer, other] of [[alice, bob], [bob, alice]]) {
    const config = await viewer.page.evaluate((id) => window.parley.peers.get(id).getConfiguration(), other.id);
    assert.equal(config.iceTransportPolicy, 'relay', `${viewer.label}'s RTCPeerConnection policy`);
    const turnEntry = config.iceServers.find((s) => s.username);
    assert.ok(turnEntry, `${viewer.label} got no TURN credentials: ${JSON.stringify(config.iceServers)}`);
    assert.match(turnEntry.username, new RegExp(`^\\d+:${viewer.id}$`), 'credentials minted for this participant');

    const pair = await pollUntil(() => viewer.inboundFrom(other.id), (s) => s?.localCandidateType,
      { what: `${viewer.label}'s selected candidate pair towards ${other.label}` });
    assert.equal(pair.localCandidateType, 'relay', `${viewer.label}'s local candidate ${JSON.stringify(pair)}`);
    assert.ok(pair.localPort >= turn.minRelayPort && pair.localPort <= turn.maxRelayPort,
      `${viewer.label}'s relay port ${pair.localPort} is one of our turnserver's (${turn.minRelayPort}-${turn.maxRelayPort})`);
  }
});
