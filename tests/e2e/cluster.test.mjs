// Several Parley nodes, one service (issue 19): pages that reach different nodes of a cluster
// meet in one call, because the web client follows its room to the node that holds it
// (room-elsewhere, docs/protocol.md "Several nodes, one service"). One redis-server and two
// nodes for the file (lib/cluster.mjs); one browser, a context per person.
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

test('two pages served by two nodes end in one call, on the room\'s node, with media both ways', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('cluster');
  const ann = await env.join(room, 'Ann', { server: cluster.node('a') });
  const roomNode = cluster.idOf(await nodeOf(ann));
  assert.ok(roomNode, `Ann is on one of the nodes (${await nodeOf(ann)})`);
  // Ben's page comes from the node that does not hold the room: his join is sent on.
  const otherNode = cluster.ids.find((id) => id !== roomNode);
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
