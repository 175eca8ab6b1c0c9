// Several `parley` nodes sharing one real redis-server (issue 19), for browser tests. Each node
// has a port chosen before it starts (its --public-url names it, and a node killed can start
// again where the pages expect it) and answers /admin/cluster with the admin token. No
// --allowed-origin: nodes accept pages served by any live node of the cluster by themselves
// (a page served by one node follows its room to another). The nodes are the fixture's servers (stopped after the
// file); stop() stops the redis-server, after them.
import { freeTcpPort } from './free-port.mjs';
import { pollUntil } from './poll.mjs';
import { startRedisServer } from './redis-server.mjs';

export const ADMIN_TOKEN = 'e2e-cluster-admin-token';

// env: a useParley() env; ids: the nodes' ids, e.g. ['a', 'b']; extraArgs go to every node.
export async function startCluster(env, ids, extraArgs = []) {
  const redis = await startRedisServer();
  const ports = new Map();
  for (const id of ids) ports.set(id, await freeTcpPort());
  const publicUrl = (id) => `http://127.0.0.1:${ports.get(id)}`;
  const nodes = new Map(); // id -> the running parley (startParley's handle)

  const cluster = {
    redis,
    ids,
    publicUrl,
    // The WebSocket URL a page uses for a node (window.parley.node once in a room).
    signalingUrl: (id) => `ws://127.0.0.1:${ports.get(id)}/ws`,
    // Which node a signaling URL is, or null.
    idOf: (url) => ids.find((id) => cluster.signalingUrl(id) === url) ?? null,
    node: (id) => nodes.get(id),

    async start(id) {
      const args = ['--redis', redis.url, '--node-id', id, '--public-url', publicUrl(id),
        '--admin-token', ADMIN_TOKEN, ...extraArgs];
      const server = await env.startServer(args, { port: ports.get(id) });
      nodes.set(id, server);
      return server;
    },

    // GET /admin/cluster on node `id`: the nodes it lists, with their load.
    async view(id) {
      const response = await fetch(`${publicUrl(id)}/admin/cluster`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
      if (!response.ok) throw new Error(`/admin/cluster on ${id}: ${response.status}`);
      return response.json();
    },

    // The load node `from` last heard node `id` announce ({participants, rooms, ...}), or null.
    async loadOf(id, { from = id } = {}) {
      const view = await cluster.view(from);
      return view.nodes.find((n) => n.id === id)?.load ?? null;
    },

    // Until every running node lists every running node: before that a node may not know
    // where to send a browser.
    async everyoneListed() {
      const running = [...nodes.keys()];
      for (const id of running) {
        await pollUntil(() => cluster.view(id), (view) => running.every((other) => view.nodes.some((n) => n.id === other)),
          { timeout: 15_000, what: `node ${id} to list nodes ${running.join(', ')}` });
      }
    },

    stop: () => redis.stop(),
  };

  await Promise.all(ids.map((id) => cluster.start(id)));
  await cluster.everyoneListed();
  return cluster;
}
