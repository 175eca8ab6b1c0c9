// Starts the real `parley` binary on a free loopback port and stops it by PID.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { pollUntil } from './poll.mjs';

const STARTUP_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_LINES_KEPT = 200;

// Every server still running; killed on process exit so a crashed test file leaves nothing behind.
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

export function parleyBinary() {
  const bin = process.env.PARLEY_BIN;
  if (!bin) throw new Error('PARLEY_BIN is not set: run the suite through tests/e2e/run <parley-binary>');
  if (!existsSync(bin)) throw new Error(`PARLEY_BIN=${bin} does not exist`);
  return bin;
}

// `extraArgs` go to parley as is, e.g. ['--max-room-size', '2']. PARLEY_WEB_ROOT serves the web
// client from disk instead of the copy embedded at build time (handy while editing web/).
// `port`: listen on that port (to restart a server where its clients expect it), else any.
export async function startParley(extraArgs = [], { port: fixedPort = 0 } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-e2e-'));
  const portFile = path.join(dir, 'port');
  const args = ['--listen', `127.0.0.1:${fixedPort}`, '--port-file', portFile, ...extraArgs];
  // Forwarded rooms (the default topology is auto): any free media port, so servers of files
  // and tests never compete for the default one.
  if (!extraArgs.includes('--media-port')) args.push('--media-port', '0');
  if (!extraArgs.includes('--media-bind')) args.push('--media-bind', '127.0.0.1');
  if (process.env.PARLEY_WEB_ROOT) args.push('--web-root', process.env.PARLEY_WEB_ROOT);

  const child = spawn(parleyBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const log = [];
  const keep = (chunk) => {
    log.push(...chunk.toString().split('\n').filter(Boolean));
    if (log.length > LOG_LINES_KEPT) log.splice(0, log.length - LOG_LINES_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit = null;
  let stopping = false;
  const exited = new Promise((resolve) => {
    const finish = (how) => {
      exit ??= how;
      running.delete(child);
      resolve();
    };
    child.once('exit', (code, signal) => finish({ code, signal }));
    child.once('error', (error) => finish({ error: error.message }));  // could not start at all
  });

  const server = {
    pid: child.pid,
    args,
    origin: null,
    log: () => log.join('\n'),
    // True when parley ended without being asked to (a crash while tests ran).
    diedOnItsOwn: () => exit !== null && !stopping,
    // Kills it at once (SIGKILL: no close frames, no goodbyes), as a crash would; resolves
    // once it is gone.
    async kill() {
      stopping = true;
      if (exit === null) {
        child.kill('SIGKILL');
        await exited;
      }
      return exit;
    },
    get port() { return server.origin ? Number(new URL(server.origin).port) : null; },
    async stop() {
      stopping = true;
      if (exit === null) {
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS, false)]);
        if (!stopped) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await rm(dir, { recursive: true, force: true });
      return exit;
    },
  };

  try {
    // Resolves to the port, or to -1 as soon as parley has exited (no point waiting on).
    const port = await pollUntil(async () => {
      if (exit !== null) return -1;
      const text = await readFile(portFile, 'utf8').catch(() => '');
      if (!/^\d+\s*$/.test(text)) return 0;
      const candidate = Number(text);
      // The file may be read mid-write; a port that accepts a connection is the real one.
      return (await accepts(candidate)) ? candidate : 0;
    }, (p) => p !== 0, { timeout: STARTUP_TIMEOUT_MS, interval: 50, what: `parley to listen (${portFile})` });
    if (port < 0) throw new Error(`parley exited before listening: ${JSON.stringify(exit)}`);
    server.origin = `http://127.0.0.1:${port}`;
  } catch (error) {
    await server.stop();
    throw new Error(`${error.message}\nparley ${args.join(' ')}\n${log.join('\n')}`);
  }
  return server;
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

// unref: a pending timer must not keep the test process alive once everything else is done.
function delay(ms, value) {
  return new Promise((resolve) => setTimeout(resolve, ms, value).unref());
}
