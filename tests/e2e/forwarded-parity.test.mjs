// Everything that works in a peer-to-peer room works in a forwarded one (--topology forward),
// proved in the browser from getStats() on each page's one connection, to the server: a dropped
// signaling socket heals while media keep flowing and an ICE restart on a network change keeps
// them flowing; the host's mute silences someone at the server (even a client that ignores it),
// removing someone ends their streams, a guest let in from the line gets media; a page allowed
// only TURN relay candidates reaches the server's media port through coturn; a restarted server
// gets everyone back; five people see and hear each other, each on one connection.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { after, test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectEveryoneHearsAndSeesEveryone, expectMediaFrom, framesFrom, framesRise } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { dropSocket, holdNetwork, releaseNetwork } from './lib/signaling.mjs';
import { findTurnserver, startTurnServer } from './lib/turn-server.mjs';

const FORWARD = ['--topology', 'forward', '--media-port', '0'];
const env = useParley({ serverArgs: [...FORWARD, '--test-hooks'] });

// The page's connections, as the tiles use them, and whether each leads to the (ICE-lite) server.
const serverConnection = (p) => p.page.evaluate(() => {
  const connections = [...new Set(window.parley.peers.values())];
  return {
    topology: window.parley.topology,
    count: connections.length,
    toServer: connections.every((pc) => /^a=ice-lite/m.test(pc.remoteDescription?.sdp ?? '')),
    state: connections[0]?.connectionState ?? null,
    ufrag: /^a=ice-ufrag:(\S+)/m.exec(connections[0]?.localDescription?.sdp ?? '')?.[1] ?? null,
  };
});

async function expectOneConnectionToTheServer(p) {
  return pollUntil(() => serverConnection(p), (c) => c.topology === 'forwarded' && c.count === 1 && c.toServer,
    { what: `${p.label} to have exactly one connection, to the server` });
}

// Audio packets `receiver` got from `sender` through the server (on their m-sections).
const audioPacketsFrom = async (receiver, sender) => {
  const sample = await receiver.inboundFrom(sender.id);
  return (sample?.inbound ?? []).filter((s) => s.kind === 'audio').reduce((n, s) => n + s.packetsReceived, 0);
};

test('signaling and ICE heal in a forwarded room while media keep flowing', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('fwd-heal');
  const ann = await env.join(room, 'Ann');
  const ben = await env.join(room, 'Ben');
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);
  for (const p of [ann, ben]) await expectOneConnectionToTheServer(p);
  await ann.notePeerConnection(ben);

  // The server drops Ann's socket and she cannot open another: media keep flowing both ways.
  await holdNetwork(ann);
  const beforeAnn = await framesFrom(ann, ben);
  const beforeBen = await framesFrom(ben, ann);
  await dropSocket(env.server, room, ann);
  await pollUntil(() => ann.client(), (c) => c.signaling === 'reconnecting', { what: 'Ann to be reconnecting' });
  const duringAnn = await framesRise(ann, ben, beforeAnn, 'while Ann is reconnecting');
  const duringBen = await framesRise(ben, ann, beforeBen, 'while Ann is reconnecting');
  assert.equal((await ann.client()).signaling, 'reconnecting', 'the frames above came while her signaling was down');

  // Let go (the browser says it is online again, which also restarts ICE): she resumes in her
  // seat, on the same connection, and media flow both ways.
  await releaseNetwork(ann);
  const back = await pollUntil(() => ann.client(), (c) => c.signaling === 'connected' && c.state === 'in-call',
    { what: 'Ann to resume' });
  assert.equal(back.selfId, ann.id, 'Ann resumed as the same participant');
  assert.ok(!(await ben.logKeys()).includes('log.peer-left'), 'Ben never saw Ann leave');
  assert.ok(await ann.samePeerConnection(ben), "Ann kept her connection to the server");
  await framesRise(ann, ben, duringAnn, 'after the resume');
  await framesRise(ben, ann, duringBen, 'after the resume');

  // A network change with signaling up: the ice-healer restarts ICE on 'online' (and on
  // failure), the server answers with new credentials, and media go on on the same connection.
  const { ufrag } = await pollUntil(() => serverConnection(ben), (c) => c.state === 'connected', { what: "Ben's connection up" });
  const beforeRestart = await framesFrom(ben, ann);
  const annBefore = await framesFrom(ann, ben);
  await ben.page.evaluate(() => window.dispatchEvent(new Event('online')));
  await pollUntil(() => serverConnection(ben), (c) => c.ufrag && c.ufrag !== ufrag && c.state === 'connected',
    { what: "Ben's connection to the server to restart ICE (new ufrag) and be connected" });
  assert.ok((await ben.logKeys()).includes('log.server-ice-restart'), "Ben's log records the restart");
  await framesRise(ben, ann, beforeRestart, 'after the ICE restart');
  await framesRise(ann, ben, annBefore, "after Ben's ICE restart");
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);
});

const tileOf = (viewer, person) =>
  viewer.page.locator(`[data-testid="tile"][data-kind="camera"][data-participant="${person.id}"]`);

// The host's action for someone, from their tile's menu (opens their row in People).
async function fromTileMenu(host, person, action) {
  await tileOf(host, person).getByTestId('tile-menu').click();
  const item = host.personRow(person).getByTestId(action);
  await pollUntil(() => item.isVisible(), Boolean, { what: `${host.label}'s ${action} for ${person.label}` });
  await item.click();
}

async function admitFromLine(host, room, name) {
  const guest = await env.open(`/r/${room}?name=${name}`, name);
  await guest.pressJoin();
  await pollUntil(() => guest.client(), (c) => c?.waiting, { what: `${name} to wait in line` });
  await host.openPanel('people');  // where the line is
  const entry = host.byTestId('queue-panel').getByTestId('queue-entry').filter({ hasText: name });
  await pollUntil(() => entry.count(), (n) => n === 1, { what: `${name} in ${host.label}'s queue` });
  await entry.getByTestId('admit').click();
  const client = await pollUntil(() => guest.client(), (c) => c?.state === 'in-call' && c.selfId,
    { what: `${name} to be let in` });
  guest.id = client.selfId;
  return guest;
}

test("the host's controls in a forwarded room: the line, a mute the server enforces, removal", { timeout: 150_000 }, async () => {
  const room = uniqueRoom('fwd-host');
  const hana = await env.openAsHost(room, 'Hana', { admission: 'knock' });
  const gil = await admitFromLine(hana, room, 'Gil');
  const ivy = await admitFromLine(hana, room, 'Ivy');
  for (const p of [hana, gil, ivy]) await expectOneConnectionToTheServer(p);
  await expectEveryoneHearsAndSeesEveryone([hana, gil, ivy]);

  // Hana mutes Gil. His page shows it; and though his client then ignores the mute (turns its
  // microphone track back on, as a modified client could), the server holds his audio: Ivy's
  // packets from him stand still while his video keeps coming.
  await fromTileMenu(hana, gil, 'mute-participant');
  await pollUntil(() => gil.isOn('toggle-mic'), (on) => on === false, { what: "Gil's mic button to show off" });
  await pollUntil(() => gil.byTestId('notice').allInnerTexts(), (t) => t.some((x) => /Hana muted your microphone/.test(x)),
    { what: 'Gil to be told Hana muted him' });
  await gil.page.evaluate(() => {
    const [pc] = new Set(window.parley.peers.values());
    const sender = pc.getSenders().find((s) => s.track?.kind === 'audio');
    const live = sender.track.clone();  // the client's own track stays as its mute left it
    live.enabled = true;
    return sender.replaceTrack(live);
  });
  // The hold takes effect once the server hears of the mute; from some sample on, the count no
  // longer moves while Gil's video advances by a second or more (30 frames).
  const still = await pollUntil(async () => {
    const packets = await audioPacketsFrom(ivy, gil);
    const frames = await framesFrom(ivy, gil);
    await framesRise(ivy, gil, frames + 30, 'over a second of Gil muted');
    return { before: packets, after: await audioPacketsFrom(ivy, gil) };
  }, (s) => s.after === s.before, { timeout: 30_000, what: "Ivy's audio packets from muted Gil to stop rising" });
  assert.ok(still.before > 0, 'Ivy had received audio from Gil before');

  // Gil turns his microphone on himself: the server forwards it again.
  await gil.toggle('toggle-mic', true);
  await pollUntil(() => audioPacketsFrom(ivy, gil), (n) => n > still.after + 25,
    { what: "Ivy's audio packets from Gil to rise again once he unmutes" });

  // Hana removes Gil: the others' streams from him end, and the call goes on for them.
  await fromTileMenu(hana, gil, 'kick');
  await hana.byTestId('kick-dialog').getByRole('button', { name: 'Remove' }).click();
  await pollUntil(() => gil.client(), (c) => c?.state === 'left', { what: 'Gil to be out of the call' });
  for (const viewer of [hana, ivy]) {
    await pollUntil(() => viewer.page.evaluate((id) => window.parley.midsFrom(id).length, gil.id), (n) => n === 0,
      { what: `the server to stop sending ${viewer.label} Gil's streams` });
  }
  await expectEveryoneHearsAndSeesEveryone([hana, ivy]);
});

const turnInstalled = findTurnserver() !== null;
let turn = null;
after(async () => { await turn?.stop(); });

test('a page allowed only relay candidates reaches the server through TURN', {
  skip: turnInstalled ? false : 'turnserver is not installed (Debian package coturn; run script/bootstrap)',
  timeout: 90_000,
}, async (t) => {
  const secret = randomBytes(16).toString('hex');
  turn = await startTurnServer({ secret });
  const server = await env.startServer([...FORWARD,
    '--turn-url', `turn:127.0.0.1:${turn.port}?transport=udp`, '--turn-secret', secret, '--ice-transport-policy', 'relay']);
  const room = uniqueRoom('fwd-turn');
  const ann = await env.join(room, 'Ann', { server });
  const ben = await env.join(room, 'Ben', { server });
  try {
    await expectEveryoneHearsAndSeesEveryone([ann, ben]);
  } catch (error) {
    t.diagnostic(`turnserver log:\n${(await turn.log()).split('\n').slice(-40).join('\n')}`);
    throw error;
  }
  for (const [p, other] of [[ann, ben], [ben, ann]]) {
    await expectOneConnectionToTheServer(p);
    const config = await p.page.evaluate(() => [...new Set(window.parley.peers.values())][0].getConfiguration());
    assert.equal(config.iceTransportPolicy, 'relay', `${p.label}'s connection to the server allows only relay`);
    const pair = await pollUntil(() => p.inboundFrom(other.id), (s) => s?.localCandidateType,
      { what: `${p.label}'s selected candidate pair` });
    assert.equal(pair.localCandidateType, 'relay', `${p.label}'s local candidate ${JSON.stringify(pair)}`);
    assert.ok(pair.localPort >= turn.minRelayPort && pair.localPort <= turn.maxRelayPort,
      `${p.label}'s relay port ${pair.localPort} is our turnserver's (${turn.minRelayPort}-${turn.maxRelayPort})`);
  }
});

// A UDP port free right now on loopback, for a media port that must stay the same across a restart.
async function freeUdpPort() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

test('a forwarding server that dies and comes back on its ports gets everyone back in', { timeout: 150_000 }, async () => {
  const args = ['--topology', 'forward', '--media-port', String(await freeUdpPort())];
  const first = await env.startServer(args);
  const room = uniqueRoom('fwd-restart');
  const ann = await env.join(room, 'Ann', { server: first });
  const ben = await env.join(room, 'Ben', { server: first });
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);
  const oldIds = [ann.id, ben.id];

  await first.kill();
  await env.startServer(args, { port: first.port });
  for (const p of [ann, ben]) {
    const back = await pollUntil(() => p.client(),
      (c) => c.state === 'in-call' && c.selfId && !oldIds.includes(c.selfId) && c.signaling === 'connected',
      { timeout: 40_000, what: `${p.label} to be back in the call on the new server` });
    p.id = back.selfId;
  }
  for (const p of [ann, ben]) await expectOneConnectionToTheServer(p);
  await expectEveryoneHearsAndSeesEveryone([ann, ben]);
});

test('five people in a forwarded room, each on one connection, see and hear everyone', { timeout: 180_000 }, async () => {
  const room = uniqueRoom('fwd-five');
  const people = [];
  // All five pages load before anyone joins: a page loading beside four calls can take its time.
  for (const name of ['Ann', 'Ben', 'Cat', 'Dan', 'Eve']) people.push(await env.open(`/r/${room}?name=${name}`, name));
  for (const p of people) await p.join();
  for (const p of people) await expectOneConnectionToTheServer(p);
  await expectEveryoneHearsAndSeesEveryone(people);
  for (const p of people) {
    const c = await serverConnection(p);
    assert.equal(c.count, 1, `${p.label} has one connection`);
    assert.equal(c.state, 'connected', `${p.label}'s connection to the server`);
  }
});
