// Join → first remote video frame, as a person feels it: the last participant of a room has
// the pre-join screen open with the camera live, presses Join, and we time until the first
// frame of a room-mate's video is decoded and ready (requestVideoFrameCallback). Rooms of 2
// and 4, several runs each, the median reported. Run inside a loopback-only network namespace
// (bench/browser/run does that).
//
//   node bench/browser/first-frame.mjs --parley build-bench/src/app/parley [--runs 7] [--sizes 2,4]
// PARLEY_WEB_ROOT=<dir> serves the web client from disk instead of the embedded copy.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    parley: { type: 'string' },
    runs: { type: 'string', default: '7' },
    sizes: { type: 'string', default: '2,4' },
  },
});
if (!args.parley) throw new Error('--parley <binary> is required');
const runs = Number(args.runs);
const sizes = args.sizes.split(',').map(Number);

// Generous: with four pages encoding and decoding video on two busy cores, a page can take
// tens of seconds to load or connect (what is timed is measured inside the page, not this).
const STEP_TIMEOUT_MS = 60_000;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Bounded poll: returns the first accepted value or throws after STEP_TIMEOUT_MS.
async function until(probe, what, accept = Boolean) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await pause(20);
  }
}

function startParley() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-first-frame-'));
  const portFile = path.join(dir, 'port');
  const serverArgs = ['--listen', '127.0.0.1:0', '--port-file', portFile, '--log-level', 'warn'];
  // As in tests/e2e: serve the web client from disk instead of the embedded copy.
  if (process.env.PARLEY_WEB_ROOT) serverArgs.push('--web-root', process.env.PARLEY_WEB_ROOT);
  const child = spawn(args.parley, serverArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
  const stop = () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); };
  process.on('exit', () => child.kill('SIGKILL'));
  return until(async () => /^\d+\s*$/.test(readFileSync(portFile, 'utf8')) && Number(readFileSync(portFile, 'utf8')),
    'parley to listen').then((port) => ({ origin: `http://127.0.0.1:${port}`, stop }));
}

const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required'],
});

async function openParticipant(origin, room, name, initScript) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 960, height: 640 } });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`${name}: page error: ${error.message}`));
  await page.goto(`${origin}/r/${room}?name=${encodeURIComponent(name)}`, { timeout: STEP_TIMEOUT_MS });
  return { context, page };
}

// The pre-join preview is playing: the camera is live before Join is pressed.
const cameraLive = (page) => until(() => page.evaluate(() => {
  const video = document.querySelector('video');
  return Boolean(video && video.readyState >= 2 && video.videoWidth > 0);
}), 'the pre-join camera preview');

// Runs in every page before the client's own scripts: timestamps each signaling and WebRTC
// step (first occurrence since the marks were last cleared), so the total can be split into
// where the time went, on the joiner's side and on the side of those already in the room.
// Times are on the shared wall clock (timeOrigin + now) so the pages can be compared.
function markSteps() {
  window.__marks = {};
  const mark = (name) => { window.__marks[name] ??= performance.timeOrigin + performance.now(); };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      mark('WebSocket created');
      this.addEventListener('open', () => mark('WebSocket open'));
      this.addEventListener('message', (event) => {
        const type = typeof event.data === 'string' && /"type":"([a-z-]+)"/.exec(event.data)?.[1];
        if (type === 'joined' || type === 'offer' || type === 'answer') mark(`${type} received`);
      });
    }
    send(data) {
      const type = typeof data === 'string' && /"type":"([a-z-]+)"/.exec(data)?.[1];
      if (type === 'join' || type === 'offer' || type === 'answer') mark(`${type} sent`);
      return super.send(data);
    }
  };
  const NativePeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args) {
      super(...args);
      mark('peer connection created');
      this.addEventListener('icecandidate', () => mark('first local candidate'));
      this.addEventListener('iceconnectionstatechange', () => {
        if (['connected', 'completed'].includes(this.iceConnectionState)) mark('ICE connected');
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') mark('DTLS connected');
      });
      this.addEventListener('track', () => mark('remote track'));
    }
    async setLocalDescription(...args) {
      mark('setLocalDescription called');
      const result = await super.setLocalDescription(...args);
      mark('local description set');
      return result;
    }
    async setRemoteDescription(...args) {
      mark('setRemoteDescription called');
      const result = await super.setRemoteDescription(...args);
      mark('remote description set');
      return result;
    }
  };
}

const inCall = (page) => until(() => page.evaluate(() => window.parley?.state === 'in-call'), 'in-call');

// Every peer connection of every participant is connected: the room is quiet before we time.
const meshSettled = (pages, size) => Promise.all(pages.map((page) => until(() => page.evaluate((others) => {
  const peers = [...(window.parley?.peers?.values() ?? [])];
  return peers.length === others && peers.every((pc) => pc.connectionState === 'connected');
}, size), 'the mesh to connect')));

async function measureOnce(origin, size, run) {
  const room = `first-frame-${size}-${run}-${Date.now().toString(36)}`;
  const people = [];
  try {
    for (let i = 1; i < size; i++) {
      const person = await openParticipant(origin, room, `Seated ${i}`, markSteps);
      people.push(person);
      await cameraLive(person.page);
      await person.page.getByTestId('join').click();
      await inCall(person.page);
    }
    if (size > 2) await meshSettled(people.map((p) => p.page), size - 2);

    const joiner = await openParticipant(origin, room, 'Joiner', markSteps);
    people.push(joiner);
    await cameraLive(joiner.page);
    await joiner.page.evaluate(() => {
      const bench = { clickAt: null, frames: {} };
      const at = () => performance.timeOrigin + performance.now();
      window.__firstFrame = bench;
      const watched = new WeakSet();
      const watch = (video) => {
        if (watched.has(video)) return;
        watched.add(video);
        video.requestVideoFrameCallback(() => {
          const tile = video.closest('[data-testid="tile"]');
          if (!tile || tile.dataset.self === 'true') return;
          bench.frames[tile.dataset.participant ?? 'unknown'] ??= at();
        });
      };
      new MutationObserver(() => document.querySelectorAll('[data-testid="tile"] video').forEach(watch))
        .observe(document.body, { subtree: true, childList: true });
      // Capture phase: the moment the click lands, before the app's own handler runs.
      document.querySelector('[data-testid="join"]')
        .addEventListener('click', () => { bench.clickAt = at(); }, { capture: true });
    });
    // The seated pages' steps count from here: what they did for their own join is over.
    for (const person of people.slice(0, -1)) await person.page.evaluate(() => { window.__marks = {}; });
    await joiner.page.getByTestId('join').click();
    const result = await until(() => joiner.page.evaluate(() => window.__firstFrame),
      'remote video frames', (b) => b && b.clickAt !== null && Object.keys(b.frames).length >= size - 1);
    const times = Object.values(result.frames).map((t) => t - result.clickAt);
    const since = (marks, prefix) => Object.entries(marks).map(([name, at]) => [`${prefix}${name}`, at - result.clickAt]);
    const seated = await people[people.length - 2].page.evaluate(() => window.__marks);
    // The joiner's own steps, with a WebSocket opened on the pre-join screen before the click;
    // the last seated participant's steps towards the joiner.
    const steps = Object.fromEntries([...since(await joiner.page.evaluate(() => window.__marks), ''),
      ...since(seated, 'seated: ')]);
    return { first: Math.min(...times), all: Math.max(...times), steps };
  } finally {
    for (const person of people) await person.context.close().catch(() => {});
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const server = await startParley();
const results = [];
const failures = [];
try {
  for (const size of sizes) {
    const samples = [];
    const allRemote = [];
    const stepSamples = {};
    try {
      // One unmeasured run first: chromium's codecs and the fake camera warm up.
      await measureOnce(server.origin, size, 'warmup');
      for (let run = 0; run < runs; run++) {
        const { first, all, steps } = await measureOnce(server.origin, size, run);
        samples.push(first);
        allRemote.push(all);
        for (const [name, at] of Object.entries(steps)) (stepSamples[name] ??= []).push(at);
        console.log(`participants ${size} run ${run + 1}: first remote frame ${first.toFixed(1)} ms, all ${size - 1} remote ${all.toFixed(1)} ms`);
        // An outlier shows its own steps: the medians below would hide what held it up.
        if (first > 1000) {
          console.log(Object.entries(steps).sort((a, b) => a[1] - b[1])
            .map(([name, ms]) => `    ${ms.toFixed(1).padStart(8)}  ${name}`).join('\n'));
        }
      }
    } catch (error) {
      // A size that cannot finish (an overloaded machine) is reported as such; the others stand.
      console.log(`participants ${size}: stopped after ${samples.length} runs: ${error.message.split('\n')[0]}`);
      failures.push({ participants: size, runs: samples.length, error: error.message.split('\n')[0] });
    }
    if (!samples.length) continue;
    results.push({ participants: size, samples, median: median(samples), min: Math.min(...samples),
      max: Math.max(...samples), allRemoteMedian: median(allRemote),
      // Median time after the click at which each step first happened, in time order.
      steps: Object.entries(stepSamples).map(([name, values]) => ({ name, median: median(values) }))
        .sort((a, b) => a.median - b.median) });
  }
} finally {
  await browser.close();
  server.stop();
}
console.log('\n| participants | runs | join → first remote frame, median ms | min | max | all remote frames, median ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(`| ${r.participants} | ${r.samples.length} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${r.max.toFixed(1)} | ${r.allRemoteMedian.toFixed(1)} |`);
}
for (const r of results) {
  console.log(`\nwhere the time goes, ${r.participants} participants (median ms after pressing Join):`);
  for (const step of r.steps) console.log(`  ${step.median.toFixed(1).padStart(8)}  ${step.name}`);
  console.log(`  ${r.median.toFixed(1).padStart(8)}  first remote video frame`);
}
console.log(JSON.stringify({ tool: 'first-frame', results, failures }));
if (failures.length) process.exitCode = 1;
