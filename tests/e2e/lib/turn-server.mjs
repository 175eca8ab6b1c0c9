// A real coturn `turnserver` on a free loopback port, configured like docs/operations.md says
// (use-auth-secret) but from the command line only, with loopback peers allowed. Stopped by PID.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { findProgram, stopChild } from './child-process.mjs';
import { pollUntil } from './poll.mjs';

// The turnserver executable on PATH (or Debian's place for it), or null.
export const findTurnserver = () => findProgram('turnserver');

// A port free right now for both TCP and UDP on 127.0.0.1 (turnserver listens on both).
async function freePort() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = net.createServer();
    const port = await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
    const socket = dgram.createSocket('udp4');
    const udpFree = await new Promise((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => resolve(true));
    });
    socket.close();
    await new Promise((resolve) => server.close(resolve));
    if (udpFree) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

// One STUN Binding request (RFC 5389): does the server answer it with a Binding success?
function answersBinding(port) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const id = randomBytes(12);
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), id]);
    const done = (answer) => { clearTimeout(timer); socket.close(); resolve(answer); };
    const timer = setTimeout(() => done(false), 300);
    socket.on('message', (msg) => {
      if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(id)) done(true);
    });
    socket.on('error', () => done(false));
    socket.send(request, port, '127.0.0.1');
  });
}

// Starts turnserver with `secret` as its static-auth-secret; resolves once it answers STUN.
export async function startTurnServer({ secret, realm = 'parley.test' }) {
  const executable = findTurnserver();
  if (!executable) throw new Error('turnserver is not installed (Debian package coturn; run script/bootstrap)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-turn-'));
  const port = await freePort();
  const minPort = 20000 + (port % 200) * 100;
  const args = [
    '-n', // no configuration file: nothing from /etc
    '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    `--min-port=${minPort}`, `--max-port=${minPort + 99}`,
    '--use-auth-secret', `--static-auth-secret=${secret}`, `--realm=${realm}`,
    '--allow-loopback-peers', // both browsers' relays are on 127.0.0.1
    '--no-cli', '--no-tls', '--no-dtls', '--no-rfc5780', '--no-tcp-relay',
    `--db=${path.join(dir, 'turndb')}`, `--pidfile=${path.join(dir, 'turnserver.pid')}`,
    `--log-file=${path.join(dir, 'turnserver.log')}`, '--simple-log', '--no-stdout-log',
  ];
  const child = spawn(executable, args, { stdio: 'ignore' });
  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => { exit = { code, signal }; resolve(); });
    child.once('error', (error) => { exit = { error: error.message }; resolve(); });
  });
  const log = () => readFile(path.join(dir, 'turnserver.log'), 'utf8').catch(() => '');
  const turn = {
    pid: child.pid,
    port,
    realm,
    minRelayPort: minPort,
    maxRelayPort: minPort + 99,
    log,
    async stop() {
      await stopChild(child, exited, () => exit === null);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await pollUntil(async () => exit ?? (await answersBinding(port)), Boolean,
      { timeout: 10_000, interval: 50, what: `turnserver to answer STUN on 127.0.0.1:${port}` });
    if (exit) throw new Error(`turnserver exited at start: ${JSON.stringify(exit)}`);
  } catch (error) {
    const text = await log();
    await turn.stop();
    throw new Error(`${error.message}\nturnserver ${args.join(' ')}\n${text}`);
  }
  return turn;
}
