// Several Parley nodes, one service (issue 19): pages that reach different nodes of a cluster
// meet in one call, because the web client follows its room to the node that holds it
// (room-elsewhere, docs/protocol.md "Several nodes, one service"), and come back by themselves
// when that node dies. One redis-server and two nodes for the file (lib/cluster.mjs); one
// browser, a context per person.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startCluster } from './lib/cluster.mjs';
import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley({ serverArgs: null });
let cluster;

before(async () => {
  cluster = await startCluster(env, ['a', 'b']);
});

after(async () => {
  await cluster?.stop();
});

// The node a page is in its room on, as its signaling says.
const nodeOf = (person) => person.page.evaluate(() => window.parley.node);

// Ann joins through node a; returns her and the node that holds the room (a, as the least
// loaded node with the smallest id, unless placement says otherwise) and the other node.
async function annOpensRoom(room) {
  const ann = await env.join(room, 'Ann', { server: cluster.node('a') });
  const roomNode = cluster.idOf(await nodeOf(ann));
  assert.ok(roomNode, `Ann is on one of the nodes (${await nodeOf(ann)})`);
  return { ann, roomNode, otherNode: cluster.ids.find((id) => id !== roomNode) };
}

// How `signalingUrl`'s node answers a resume, with a token it cannot know, for a room another
// node holds: 'room-elsewhere', since resumes are routed by their `room` (a server that looked
// the token up among its own rooms only would answer 'resume-failed').
function resumeAnswer(person, signalingUrl, room) {
  return person.page.evaluate(([url, roomId]) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'resume', req: 1, token: 'probe.0', snapshot: true, room: roomId }));
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.req !== 1) return;
      ws.close();
      resolve(message.code ?? message.type);
    };
    ws.onerror = () => resolve('unreachable');
  }), [signalingUrl, room]);
}

test('two pages served by two nodes end in one call, on the room\'s node, with media both ways', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('cluster');
  const { ann, roomNode, otherNode } = await annOpensRoom(room);
  // Ben's page comes from the node that does not hold the room: his join is sent on.
  const ben = await env.join(room, 'Ben', { server: cluster.node(otherNode) });
  assert.equal(new URL(ben.page.url()).origin, cluster.publicUrl(otherNode), "Ben's page was served by the other node");
  assert.equal(await nodeOf(ben), cluster.signalingUrl(roomNode), "Ben's signaling went on to the room's node");
  assert.ok((await ben.logKeys()).includes('log.following'), "Ben's event log says the meeting was on another server");
  assert.equal(await ben.byTestId('notice').count(), 0, 'no notice: following the room is nothing to tell Ben about');

  // One call: each has the other in it, and decodes the other's video and audio.
  await pollUntil(() => ann.peerIds(), (ids) => ids.includes(ben.id), { what: 'Ann to have Ben in her call' });
  await pollUntil(() => ben.peerIds(), (ids) => ids.includes(ann.id), { what: 'Ben to have Ann in his call' });
  await expectMediaFrom(ben, ann);
  await expectMediaFrom(ann, ben);

  // The servers agree: the room's node holds both people, the other node none.
  await pollUntil(async () => [await cluster.loadOf(roomNode, { from: otherNode }), await cluster.loadOf(otherNode)],
    ([held, other]) => held?.participants === 2 && held?.rooms === 1 && other?.participants === 0,
    { what: `node ${roomNode} to hold both people and node ${otherNode} none` });
});

// A reloaded page sends its snapshot resume, with the room, to the node that served it, which
// sends it on to the room's node (room-elsewhere, as for a join).
test('a page reloaded on a node without its room takes its place back on the room\'s node', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('cluster-reload');
  const { ann, roomNode, otherNode } = await annOpensRoom(room);
  assert.equal(await resumeAnswer(ann, cluster.signalingUrl(otherNode), room), 'room-elsewhere',
    `node ${otherNode} sends a resume for node ${roomNode}'s room there`);
  const ben = await env.join(room, 'Ben', { server: cluster.node(otherNode) });
  await expectMediaFrom(ann, ben);

  await ben.page.reload();
  const back = await pollUntil(() => ben.client(), (c) => c?.state === 'in-call' && c.signaling === 'connected',
    { what: 'Ben to be back in the call after the reload' });
  assert.equal(back.selfId, ben.id, 'Ben took his own place back');
  assert.equal(await nodeOf(ben), cluster.signalingUrl(roomNode), "Ben's resume went on to the room's node");
  await pollUntil(() => ann.logKeys(), (keys) => keys.includes('log.peer-reloaded'), { what: "Ann to hear Ben's page reloaded" });
  await expectMediaFrom(ann, ben);
  await expectMediaFrom(ben, ann);
});

// A room whose node went away is "moving" until its lease runs out: here a lease held by a
// node that never existed, for a few seconds (docs/operations.md names the key). The page says
// the meeting is moving, asks again by itself, and is in the call once the lease is gone.
test('a join for a moving room says so in words and gets in by itself once it has moved', { timeout: 60_000 }, async () => {
  const room = uniqueRoom('cluster-moving');
  assert.equal(await cluster.redis.command('SET', `parley:lease:${room}`, 'gone-node', 'PX', '4000'), '+OK');
  const cat = await env.open(`/r/${room}?name=Cat`, 'Cat', { server: cluster.node('a') });
  await cat.pressJoin();
  const notice = cat.byTestId('moving-notice');
  await pollUntil(() => notice.isVisible(), Boolean, { what: "Cat's page to say the meeting is moving" });
  assert.match(await notice.innerText(), /moving to another server/);
  assert.equal(await notice.getAttribute('role'), 'status');
  const inCall = await pollUntil(() => cat.client(), (c) => c?.state === 'in-call' && c.selfId, { what: 'Cat to be in the call' });
  cat.id = inCall.selfId;
  assert.equal(await notice.count(), 0, 'the notice is gone once in the call');
  const keys = await cat.logKeys();
  assert.ok(keys.includes('log.room-moving'), `the event log says it waited: ${keys.join(', ')}`);
  assert.ok(!keys.includes('log.join-failed'));
});

// Someone who only holds a room open: a bare WebSocket from a page of node a that joins
// `room` (following one room-elsewhere by hand), so the room is placed before the people who
// matter arrive. Returns the node the room is on; leave() takes them out.
async function holdRoom(room) {
  const holder = await env.open('/', 'Holder', { server: cluster.node('a') });
  const url = await holder.page.evaluate(([first, roomId]) => new Promise((resolve, reject) => {
    const join = (wsUrl) => {
      const ws = new WebSocket(wsUrl);
      ws.onopen = () => ws.send(JSON.stringify({ type: 'join', req: 1, v: 1, room: roomId, name: 'Holder' }));
      ws.onmessage = (event) => {
        const m = JSON.parse(event.data);
        if (m.req !== 1) return;
        if (m.code === 'room-elsewhere') {
          ws.close();
          join(`${m.url.replace(/^http/, 'ws')}/ws`);
        } else if (m.type === 'joined') {
          window.__holder = ws;
          resolve(wsUrl);
        } else {
          reject(new Error(`holder's join: ${event.data}`));
        }
      };
    };
    join(first);
  }), [cluster.signalingUrl('a'), room]);
  return {
    node: cluster.idOf(url),
    leave: () => holder.page.evaluate(() => window.__holder.send(JSON.stringify({ type: 'leave' }))),
  };
}

// kill -9 of the room's node. A page reconnects to the node it was on and to the node that
// served it, in turn, so both pages come from the node that survives: it answers room-moving
// until the dead node's lease runs out, then takes the room over from the state the dead node
// kept in Redis. Each page resumes there as itself, with the chat, and both are back in one
// call by themselves, with media both ways.
test('the room\'s node killed: both pages come back by themselves, as themselves, in one call on the other node', { timeout: 120_000 }, async (t) => {
  const room = uniqueRoom('cluster-failover');
  const holder = await holdRoom(room);
  const roomNode = holder.node;
  const survivor = cluster.ids.find((id) => id !== roomNode);
  const ann = await env.join(room, 'Ann', { server: cluster.node(survivor) });
  // Never three at once: a room of three would move to forwarding, which is not what is tested.
  await holder.leave();
  const ben = await env.join(room, 'Ben', { server: cluster.node(survivor) });
  for (const person of [ann, ben]) {
    assert.equal(await nodeOf(person), cluster.signalingUrl(roomNode), `${person.label} followed the room to node ${roomNode}`);
  }
  await expectMediaFrom(ben, ann);
  await ann.sendChat('before the failover');
  await pollUntil(() => ben.byTestId('chat-message').allInnerTexts(), (m) => m.some((x) => x.includes('before the failover')),
    { what: "Ben to get Ann's chat" });
  const before = new Map([[ann, ann.id], [ben, ben.id]]);

  const killedAt = Date.now();
  await cluster.node(roomNode).kill();

  for (const person of [ann, ben]) {
    // On the other node: until the page has seen its socket close it still looks in the call.
    const back = await pollUntil(async () => ({ client: await person.client(), node: await nodeOf(person) }),
      ({ client: c, node }) => c?.state === 'in-call' && c.signaling === 'connected'
        && c.selfId === before.get(person) && node === cluster.signalingUrl(survivor),
      { timeout: 40_000, what: `${person.label} to be back in the call as themselves on node ${survivor}` });
    person.id = back.client.selfId;
  }
  await pollUntil(() => ann.peerIds(), (ids) => ids.includes(ben.id), { what: 'Ann to have Ben in her call again' });
  await pollUntil(() => ben.peerIds(), (ids) => ids.includes(ann.id), { what: 'Ben to have Ann in his call again' });
  await expectMediaFrom(ben, ann);
  await expectMediaFrom(ann, ben);
  // A figure for the record, not a check: tests never assert timings (bench/ measures failover).
  t.diagnostic(`kill -9 → both pages back with media both ways: ${Date.now() - killedAt} ms`);
  for (const person of [ann, ben]) {
    const chat = await person.byTestId('chat-message').allInnerTexts();
    assert.ok(chat.some((x) => x.includes('before the failover')), `${person.label}'s chat came through the failover: ${JSON.stringify(chat)}`);
  }
});

// A forwarded room (three people: the room's node forwards their media) whose node is stopped
// for an upgrade (SIGTERM): it hands the room on at once (every socket closed with 1001, the
// room's state written, the lease given back), and the three pages resume on the other node as
// themselves, with new connections to that node's media port, each decoding the others.
test('a forwarded room\'s node stopped for an upgrade: its three pages carry on, forwarded, on the other node', { timeout: 120_000 }, async (t) => {
  for (const id of cluster.ids) {
    // The node killed by the test before comes back, as an operator would start it again.
    await cluster.view(id).catch(() => cluster.start(id));
  }
  await cluster.everyoneListed();
  const room = uniqueRoom('cluster-handover');
  const holder = await holdRoom(room);
  const roomNode = holder.node;
  const survivor = cluster.ids.find((id) => id !== roomNode);
  await holder.leave();
  const people = [];
  for (const name of ['Ann', 'Ben', 'Cat']) people.push(await env.join(room, name, { server: cluster.node(survivor) }));
  const [ann, ben, cat] = people;
  await pollUntil(() => ann.page.evaluate((id) => window.parley.servedBy(id), cat.id), (how) => how === 'forwarded',
    { what: 'the room to be forwarded by its node' });
  await expectMediaFrom(ann, cat);
  const before = new Map(people.map((p) => [p, p.id]));

  const stoppedAt = Date.now();
  await cluster.node(roomNode).stop();

  for (const person of people) {
    // On the other node: until the page has seen its socket close it still looks in the call.
    await pollUntil(async () => ({ client: await person.client(), node: await nodeOf(person) }),
      ({ client: c, node }) => c?.state === 'in-call' && c.signaling === 'connected'
        && c.selfId === before.get(person) && node === cluster.signalingUrl(survivor),
      { timeout: 40_000, what: `${person.label} to be back in the call as themselves on node ${survivor}` });
  }
  for (const [from, to] of [[ann, ben], [ben, cat], [cat, ann]]) {
    await pollUntil(() => to.page.evaluate((id) => window.parley.servedBy(id), from.id), (how) => how === 'forwarded',
      { what: `${to.label} to get ${from.label} through the new node` });
    await expectMediaFrom(to, from);
  }
  t.diagnostic(`SIGTERM → three pages back, forwarded, media flowing: ${Date.now() - stoppedAt} ms`);
});
