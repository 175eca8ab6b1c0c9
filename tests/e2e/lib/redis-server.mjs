// A real `redis-server` (Debian's, as in production) on a free loopback port, with no
// persistence and a directory of its own, for the cluster's browser tests. Stopped by PID.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { freeTcpPort } from './free-port.mjs';
import { findProgram, stopChild } from './child-process.mjs';
import { pollUntil } from './poll.mjs';

// Killed on process exit, so a crashed test file leaves no redis-server behind.
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

// The redis-server executable on PATH (or Debian's place for it), or null.
export const findRedisServer = () => findProgram('redis-server');

// Does a Redis answer PING on this port? (RESP inline command; the reply is "+PONG".)
function answersPing(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    const done = (answer) => { socket.destroy(); resolve(answer); };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\r\n')) done(text.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
  });
}

// One command (RESP array of bulk strings); resolves with the first line of the reply, e.g.
// "+OK" or "$-1". Enough for the few writes a test makes to play a node.
function command(port, args) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setTimeout(2000, () => { socket.destroy(); reject(new Error(`redis ${args[0]}: no reply`)); });
    socket.once('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`));
    socket.on('data', (chunk) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end < 0) return;
      socket.destroy();
      const line = text.slice(0, end);
      if (line.startsWith('-')) reject(new Error(`redis ${args[0]}: ${line}`));
      else resolve(line);
    });
    socket.once('error', reject);
  });
}

// Starts redis-server; resolves once it answers PING, with { port, url, pid, log(),
// command(...args), stop() }.
export async function startRedisServer() {
  const executable = findRedisServer();
  if (!executable) throw new Error('redis-server is not installed (Debian package redis-server; run script/bootstrap)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-redis-'));
  const port = await freeTcpPort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--logfile', path.join(dir, 'redis.log'), '--daemonize', 'no'];
  const child = spawn(executable, args, { stdio: 'ignore' });
  running.add(child);
  let exit = null;
  const exited = new Promise((resolve) => {
    const finish = (how) => { exit ??= how; running.delete(child); resolve(); };
    child.once('exit', (code, signal) => finish({ code, signal }));
    child.once('error', (error) => finish({ error: error.message }));
  });
  const log = () => readFile(path.join(dir, 'redis.log'), 'utf8').catch(() => '');
  const redis = {
    pid: child.pid,
    port,
    url: `redis://127.0.0.1:${port}`,
    log,
    command: (...args) => command(port, args),
    async stop() {
      await stopChild(child, exited, () => exit === null);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await pollUntil(async () => exit ?? (await answersPing(port)), Boolean,
      { timeout: 10_000, interval: 50, what: `redis-server to answer PING on 127.0.0.1:${port}` });
    if (exit) throw new Error(`redis-server exited at start: ${JSON.stringify(exit)}`);
  } catch (error) {
    const text = await log();
    await redis.stop();
    throw new Error(`${error.message}\nredis-server ${args.join(' ')}\n${text}`);
  }
  return redis;
}
