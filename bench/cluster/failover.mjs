// Failover time (issue 19): three parley nodes sharing one redis-server; people in a room,
// each having come in through a node of their own (as DNS round robin would send them) and
// been sent on to the room's node; the room's node killed with SIGKILL; the time until every
// person has their place back (`resumed`) on the node that took the room over. Repeated, the
// killed node started again between runs; median and max over the runs.
//
// Each scripted person reconnects as the web client does (web/js/signaling.js): after the drop
// it asks the node it was on, and at once another node of the service when that one refuses
// (a browser behind DNS round robin or a balancer); its resume names the room; `room-elsewhere`
// is followed, `room-moving` waited out on the same socket, a node sent to that cannot be
// reached waited out too (web/js/cluster-follow.js: the same RoomFollow decides), with the
// client's backoff between attempts (web/js/reconnect-backoff.js).
//
//   PARLEY_BIN=build/src/app/parley node --experimental-websocket bench/cluster/failover.mjs \
//       [--runs 20] [--people 6] [--json results.jsonl]
//
// Loopback only; every wait is bounded; servers stopped by PID at the end.
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { RoomFollow, nodeSignalingUrl } from '../../web/js/cluster-follow.js';
import { backoffDelayMs } from '../../web/js/reconnect-backoff.js';
import { freeTcpPort } from '../../tests/e2e/lib/free-port.mjs';
import { startParley } from '../../tests/e2e/lib/parley-server.mjs';
import { pollUntil } from '../../tests/e2e/lib/poll.mjs';
import { startRedisServer } from '../../tests/e2e/lib/redis-server.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    people: { type: 'string', default: '6' },
    json: { type: 'string' },
  },
});
const RUNS = Number(options.runs);
const PEOPLE = Number(options.people);
const NODE_IDS = ['n1', 'n2', 'n3'];
const GIVE_UP_MS = 30_000; // a person not back by then counts as a failure of the run
const ADMIN = 'bench-failover-admin';

if (typeof WebSocket !== 'function') {
  console.error('failover.mjs needs a WebSocket: run it with node --experimental-websocket (Node 20) or Node 22+');
  process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A socket that resolves once open (or rejects), with replies matched by req.
function openSocket(url, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => { ws.close(); reject(new Error(`connect ${url}: timeout`)); }, timeoutMs);
    ws.onopen = () => { clearTimeout(timer); resolve(ws); };
    ws.onerror = () => { clearTimeout(timer); reject(new Error(`connect ${url}: refused`)); };
  });
}

let nextReq = 1;
// Sends `message` and resolves with the reply to it, or null when the socket closes first.
function ask(ws, message, timeoutMs = 5000) {
  const req = nextReq++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => { cleanup(); resolve(null); }, timeoutMs);
    const onMessage = (event) => {
      const reply = JSON.parse(event.data);
      if (reply.req !== req) return;
      cleanup();
      resolve(reply);
    };
    const onClose = () => { cleanup(); resolve(null); };
    const cleanup = () => {
      clearTimeout(timer);
      ws.removeEventListener('message', onMessage);
      ws.removeEventListener('close', onClose);
    };
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', onClose);
    ws.send(JSON.stringify({ ...message, req }));
  });
}

// A person: joins through `home`, following room-elsewhere; keeps the token, the room's node
// and the last event seq; after the drop, `comeBack()` resolves with the time it took.
class Person {
  constructor(name, room, service) {
    this.name = name;
    this.room = room;
    this.service = service; // every node's signaling URL: DNS round robin
    this.lastSeq = 0;
    this.dropped = null;
  }

  async join(home) {
    let url = home;
    for (let hop = 0; hop < 3; hop += 1) {
      const ws = await openSocket(url);
      const reply = await ask(ws, { type: 'join', v: 1, room: this.room, name: this.name });
      if (reply?.type === 'joined') {
        this.adopt(ws, url, reply.resumeToken);
        return;
      }
      ws.close();
      if (reply?.code !== 'room-elsewhere') throw new Error(`${this.name}'s join: ${JSON.stringify(reply)}`);
      url = nodeSignalingUrl(reply.url);
    }
    throw new Error(`${this.name}: sent on too many times`);
  }

  adopt(ws, url, token) {
    this.ws = ws;
    this.url = url;
    if (token) this.token = token;
    this.dropped = new Promise((resolve) => ws.addEventListener('close', () => resolve(performance.now())));
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (Number.isInteger(message.seq)) this.lastSeq = Math.max(this.lastSeq, message.seq);
    });
  }

  // The reconnect loop of web/js/signaling.js, from the drop to `resumed`.
  async comeBack(deadline) {
    const lostAt = await this.dropped;
    for (let attempt = 0; performance.now() < deadline; attempt += 1) {
      await sleep(backoffDelayMs(attempt));
      const others = this.service.filter((u) => u !== this.url);
      const order = attempt % 2 === 0 ? [this.url, others[attempt % others.length]] : [others[attempt % others.length]];
      let ws = null;
      let url = null;
      for (const candidate of order) {
        try {
          ws = await openSocket(candidate);
          url = candidate;
          break;
        } catch { /* the next one */ }
      }
      if (!ws) continue;
      const follow = new RoomFollow();
      for (;;) {
        const reply = await ask(ws, { type: 'resume', token: this.token, lastSeq: this.lastSeq, room: this.room });
        if (reply?.type === 'resumed') {
          this.adopt(ws, url);
          return performance.now() - lostAt;
        }
        const step = reply?.code ? follow.next({ code: reply.code, url: reply.url, retryAfterMs: reply.retryAfterMs }) : null;
        if (step?.follow) {
          try {
            const next = await openSocket(step.follow);
            ws.close();
            ws = next;
            url = step.follow;
            continue;
          } catch {
            const again = follow.unreachable({ code: 'room-moving' });
            if (again.wait) {
              await sleep(again.wait);
              continue;
            }
            break;
          }
        }
        if (step?.wait) {
          await sleep(step.wait);
          continue;
        }
        if (reply?.code) throw new Error(`${this.name}'s resume: ${JSON.stringify(reply)}`);
        break; // no answer: the next attempt
      }
      try { ws.close(); } catch { /* gone */ }
    }
    throw new Error(`${this.name} was not back within ${GIVE_UP_MS} ms`);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const redis = await startRedisServer();
  const ports = new Map();
  for (const id of NODE_IDS) ports.set(id, await freeTcpPort());
  const nodes = new Map();
  const signalingUrl = (id) => `ws://127.0.0.1:${ports.get(id)}/ws`;
  const start = async (id) => {
    nodes.set(id, await startParley(['--redis', redis.url, '--node-id', id, '--public-url',
      `http://127.0.0.1:${ports.get(id)}`, '--admin-token', ADMIN, '--log-level', 'warn'], { port: ports.get(id) }));
  };
  const listsAll = async (id) => {
    const response = await fetch(`http://127.0.0.1:${ports.get(id)}/admin/cluster`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    const view = await response.json();
    return NODE_IDS.every((other) => view.nodes.some((n) => n.id === other));
  };
  const results = [];
  try {
    await Promise.all(NODE_IDS.map(start));
    const service = NODE_IDS.map(signalingUrl);
    for (let run = 1; run <= RUNS; run += 1) {
      for (const id of NODE_IDS) {
        await pollUntil(() => listsAll(id).catch(() => false), Boolean, { timeout: 20_000, what: `node ${id} to list every node` });
      }
      const room = `failover-${run}-${Date.now().toString(36)}`;
      const people = Array.from({ length: PEOPLE }, (_, i) => new Person(`P${i + 1}`, room, service));
      // One at a time, each through the next node: the room is placed by the first.
      for (const [i, person] of people.entries()) await person.join(service[i % service.length]);
      const owner = NODE_IDS.find((id) => signalingUrl(id) === people[0].url);
      // The state every person should find again: written by the owner as it changed.
      await pollUntil(() => redis.command('EXISTS', `parley:room:${room}`), (line) => line === ':1',
        { timeout: 10_000, what: 'the room\'s state in Redis' });

      const killedAt = performance.now();
      await nodes.get(owner).kill();
      const deadline = killedAt + GIVE_UP_MS;
      const back = await Promise.all(people.map((p) => p.comeBack(deadline).then(() => performance.now() - killedAt)));
      const newOwner = NODE_IDS.find((id) => signalingUrl(id) === people[0].url);
      if (!people.every((p) => p.url === people[0].url)) throw new Error(`run ${run}: people on different nodes after the failover`);
      const all = Math.max(...back);
      results.push({ run, people: PEOPLE, killed: owner, tookOver: newOwner, allBackMs: Math.round(all),
        medianPersonMs: Math.round(median(back)), firstBackMs: Math.round(Math.min(...back)) });
      console.log(`run ${run}: ${owner} killed, ${newOwner} took over; all ${PEOPLE} back in ${Math.round(all)} ms `
        + `(first ${Math.round(Math.min(...back))} ms, median ${Math.round(median(back))} ms)`);
      for (const p of people) p.ws.close();
      await start(owner);
    }
  } finally {
    for (const node of nodes.values()) await node.stop().catch(() => {});
    await redis.stop();
  }
  const alls = results.map((r) => r.allBackMs);
  const summary = { scenario: 'cluster-failover', runs: results.length, people: PEOPLE,
    allBackMedianMs: Math.round(median(alls)), allBackMaxMs: Math.max(...alls), allBackMinMs: Math.min(...alls) };
  console.log(`\n| runs | people | kill -9 → all resumed, median | max | min |\n| ---: | ---: | ---: | ---: | ---: |\n`
    + `| ${summary.runs} | ${PEOPLE} | ${summary.allBackMedianMs} ms | ${summary.allBackMaxMs} ms | ${summary.allBackMinMs} ms |`);
  if (options.json) await appendFile(options.json, `${JSON.stringify({ ...summary, results })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
