// Join → first remote video frame, as a person feels it: the last participant of a room has
// the pre-join screen open with the camera live, presses Join, and we time until the first
// frame of a room-mate's video is decoded and ready (requestVideoFrameCallback). Rooms of 2
// and 4, several runs each, the median reported. Run inside a loopback-only network namespace
// (bench/browser/run does that).
//
//   node bench/browser/first-frame.mjs --parley build-bench/src/app/parley [--runs 7] [--sizes 2,4]
//     [--topologies mesh,forward] [--compare <web-dir>] [--cpu] [--floor]
// --topologies times each room shape with a server of its own (`--topology mesh`: every page
// sends to every other; `forward`: each page has one connection, to the server, which forwards),
// run for run in turn, so both figures come from the same minutes of the same machine. In a
// forwarded room, once every frame has come, the server's own cost is sampled over a few
// seconds of the room in full flow: CPU per forwarded packet (/proc/<pid>/stat against
// parley_media_forwarded_packets_total) and resident memory per subscribed track (against the
// same server before the room opened).
// PARLEY_WEB_ROOT=<dir> serves the web client from disk instead of the embedded copy;
// --compare <web-dir> times a second copy of the client against it, run for run.
// --cpu also reports which processes and threads spent the CPU from the click to the frame.
// --floor also times, in each run, Chromium's own floor under the same load: in the newcomer's
// page, just before Join is pressed, a second copy of its live camera goes over a new peer
// connection to another peer connection in the same page, and the time from the offer to the
// first decoded frame is taken. No server, no WebSocket and no other page take part, so no
// join through any server can be faster than this on the same machine at the same moment.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../tests/e2e/lib/browser.mjs';
import { cpuBetween, rendererPids, threadCpu } from './process-cpu.mjs';

const { values: args } = parseArgs({
  options: {
    parley: { type: 'string' },
    runs: { type: 'string', default: '7' },
    sizes: { type: 'string', default: '2,4' },
    topologies: { type: 'string', default: 'mesh' },
    compare: { type: 'string' },
    cpu: { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
  },
});
if (!args.parley) throw new Error('--parley <binary> is required');
const runs = Number(args.runs);
const sizes = args.sizes.split(',').map(Number);
const topologies = args.topologies.split(',');
for (const topology of topologies) {
  if (!['mesh', 'forward'].includes(topology)) throw new Error(`--topologies: '${topology}' is neither mesh nor forward`);
}

// Generous: with four pages encoding and decoding video on two busy cores, a page can take
// tens of seconds to load or connect (what is timed is measured inside the page, not this).
const STEP_TIMEOUT_MS = 60_000;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// The step named after the frame's expectedDisplayTime (see measureOnce).
const ON_SCREEN = 'first frame: expected on screen';
// With --cpu, how long the machine's steady load is sampled before the click: both pages on
// their screens with cameras live, nothing else happening. Join is pressed that much later than
// without --cpu, so its times are not quite those of a plain run.
const STEADY_SAMPLE_MS = 500;

// The whole machine's CPU time so far (/proc/stat, in clock ticks), to show how busy the VM was
// during a run and how much of its time the host gave to other tenants (steal).
function cpuTicks() {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}
function cpuShare(from, to) {
  const d = (key) => to[key] - from[key];
  const total = d('busy') + d('idle') + d('steal');
  return total > 0 ? { busy: d('busy') / total, steal: d('steal') / total } : { busy: 0, steal: 0 };
}

// A fixed piece of work, timed between runs (when no page is open): how fast this VM's CPU is
// at that moment. Other tenants of the host can halve it without any of it showing as stolen
// time (the same loop took 50 to 105 ms within one batch here).
function probeMs() {
  const start = performance.now();
  let x = 1;
  for (let i = 0; i < 20_000_000; i++) x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
  const ms = performance.now() - start;
  return x === 0 ? ms + 0 : ms; // x is used, so the loop is not optimised away
}

// Bounded wait for one promise (which is left to settle on its own if it comes too late).
function withDeadline(promise, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

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

function startParley(webRoot, topology) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-first-frame-'));
  const portFile = path.join(dir, 'port');
  const serverArgs = ['--listen', '127.0.0.1:0', '--port-file', portFile, '--log-level', 'warn',
    '--topology', topology];
  // Forwarded: the media port is any free one, on loopback as everything here.
  if (topology !== 'mesh') serverArgs.push('--media-port', '0', '--media-ip', '127.0.0.1', '--media-bind', '127.0.0.1');
  // As in tests/e2e: serve the web client from disk instead of the embedded copy.
  if (webRoot) serverArgs.push('--web-root', webRoot);
  const child = spawn(args.parley, serverArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
  const stop = () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); };
  process.on('exit', () => child.kill('SIGKILL'));
  return until(async () => /^\d+\s*$/.test(readFileSync(portFile, 'utf8')) && Number(readFileSync(portFile, 'utf8')),
    'parley to listen').then((port) => ({ origin: `http://127.0.0.1:${port}`, stop, pid: child.pid, topology }));
}

// The server process's CPU time (user + system, ms), resident memory (KiB) and media counters.
const TICK_MS = 10;  // USER_HZ is 100 on Linux
async function serverSample(server) {
  const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]);
  const metrics = await (await fetch(`${server.origin}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  return { at: performance.now(), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, rssKb,
    forwarded: metric('parley_media_forwarded_packets_total'), subscriptions: metric('parley_media_subscriptions') };
}

// A measurement window, not a wait for anything: how much the server spends forwarding.
const COST_WINDOW_MS = 4000;
async function serverCost(server, idleRssKb) {
  const from = await serverSample(server);
  await pause(COST_WINDOW_MS);
  const to = await serverSample(server);
  const packets = to.forwarded - from.forwarded;
  return { cpuUsPerPacket: packets > 0 ? ((to.cpuMs - from.cpuMs) * 1000) / packets : undefined,
    packetsPerSecond: (packets * 1000) / (to.at - from.at), cpuShare: (to.cpuMs - from.cpuMs) / (to.at - from.at),
    subscriptions: to.subscriptions,
    kbPerTrack: to.subscriptions > 0 ? (to.rssKb - idleRssKb) / to.subscriptions : undefined };
}

const browser = await launchBrowser();

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
        if (['joined', 'offer', 'answer', 'media-offer', 'media-answer'].includes(type)) mark(`${type} received`);
      });
    }
    send(data) {
      const type = typeof data === 'string' && /"type":"([a-z-]+)"/.exec(data)?.[1];
      if (['join', 'offer', 'answer', 'media-offer', 'media-answer'].includes(type)) mark(`${type} sent`);
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

// The floor (--floor): one new connection and one video frame, in one page, with nothing but
// Chromium involved. Same camera as the join (a clone of the pre-join preview's track), same
// browser flags, candidates on loopback as the join's; returns ms from the offer to the frame.
function chromiumFloor(page) {
  return page.evaluate(async () => {
    const at = () => performance.timeOrigin + performance.now();
    const track = document.querySelector('video').srcObject.getVideoTracks()[0].clone();
    const sender = new RTCPeerConnection();
    const receiver = new RTCPeerConnection();
    const video = document.createElement('video');
    Object.assign(video, { muted: true, autoplay: true, playsInline: true });
    Object.assign(video.style, { position: 'fixed', right: '0', bottom: '0', width: '160px', height: '90px' });
    document.body.append(video);
    try {
      sender.onicecandidate = ({ candidate }) => { if (candidate) receiver.addIceCandidate(candidate); };
      receiver.onicecandidate = ({ candidate }) => { if (candidate) sender.addIceCandidate(candidate); };
      receiver.ontrack = ({ streams }) => { video.srcObject = streams[0]; };
      const frame = new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(at())));
      const start = at();
      sender.addTrack(track, new MediaStream([track]));
      await sender.setLocalDescription();
      await receiver.setRemoteDescription(sender.localDescription);
      await receiver.setLocalDescription();
      await sender.setRemoteDescription(receiver.localDescription);
      return (await frame) - start;
    } finally {
      sender.close();
      receiver.close();
      track.stop();
      video.remove();
      // Its peer connections are not the join's: the join's steps start from nothing.
      window.__marks = {};
    }
  });
}

const inCall = (page) => until(() => page.evaluate(() => window.parley?.state === 'in-call'), 'in-call');

// Every peer connection of every participant is connected: the room is quiet before we time.
// (In a forwarded room each other participant maps to the one connection to the server.)
const meshSettled = (pages, size) => Promise.all(pages.map((page) => until(() => page.evaluate((others) => {
  const peers = [...(window.parley?.peers?.values() ?? [])];
  return peers.length === others && peers.every((pc) => pc.connectionState === 'connected');
}, size), 'the mesh to connect')));

async function measureOnce(server, size, run) {
  const { origin } = server;
  const idleRssKb = server.topology === 'forward' ? (await serverSample(server)).rssKb : undefined;
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

    const renderersBefore = args.cpu ? rendererPids() : null;
    const joiner = await openParticipant(origin, room, 'Joiner', markSteps);
    people.push(joiner);
    await cameraLive(joiner.page);
    const floor = args.floor ? await withDeadline(chromiumFloor(joiner.page), 'the floor\'s frame') : undefined;
    await joiner.page.evaluate(({ expected, ON_SCREEN }) => {
      // The test waits on `done` rather than polling: a poll every few milliseconds would put
      // DevTools round trips on the very main thread whose work is being timed.
      let resolveDone;
      const bench = { clickAt: null, frames: {}, done: new Promise((resolve) => { resolveDone = resolve; }) };
      const at = () => performance.timeOrigin + performance.now();
      window.__firstFrame = bench;
      const watched = new WeakSet();
      const watch = (video) => {
        if (watched.has(video)) return;
        watched.add(video);
        video.requestVideoFrameCallback((_, frame) => {
          const tile = video.closest('[data-testid="tile"]');
          if (!tile || tile.dataset.self === 'true') return;
          bench.frames[tile.dataset.participant ?? 'unknown'] ??= at();
          // The first remote frame's own story: when its last packet arrived, when the
          // decoded frame was handed to the compositor, and when the compositor expected to
          // show it. The compositor shows video without the page's main thread, so the frame
          // can be on screen well before this callback runs in a busy page's next rendering
          // step: both are reported, the callback is the headline.
          const wall = (t) => (typeof t === 'number' ? performance.timeOrigin + t : undefined);
          bench.media ??= { 'first frame: last packet received': wall(frame.receiveTime),
            'first frame: decoded, handed to the compositor': wall(frame.presentationTime),
            [ON_SCREEN]: wall(frame.expectedDisplayTime) };
          if (Object.keys(bench.frames).length >= expected) resolveDone({ clickAt: bench.clickAt, frames: bench.frames, media: bench.media });
        });
      };
      new MutationObserver(() => document.querySelectorAll('[data-testid="tile"] video').forEach(watch))
        .observe(document.body, { subtree: true, childList: true });
      // Capture phase: the moment the click lands, before the app's own handler runs.
      document.querySelector('[data-testid="join"]')
        .addEventListener('click', () => { bench.clickAt = at(); }, { capture: true });
    }, { expected: size - 1, ON_SCREEN });
    // The seated pages' steps count from here: what they did for their own join is over.
    for (const person of people.slice(0, -1)) await person.page.evaluate(() => { window.__marks = {}; });
    const role = (t) => (t.kind !== 'renderer' ? t.kind : renderersBefore.has(t.pid) ? 'seated pages' : 'joining page');
    let steady;
    if (args.cpu) {
      // A measurement window, not a wait for anything: what the same processes spend anyway.
      const from = threadCpu();
      await pause(STEADY_SAMPLE_MS);
      steady = cpuBetween(from, threadCpu(), role).byProcess;
    }
    const cpuFrom = args.cpu ? { threads: threadCpu(), at: performance.now() } : null;
    await joiner.page.getByTestId('join').click();
    const result = await withDeadline(joiner.page.evaluate(() => window.__firstFrame.done), 'remote video frames');
    let cpu;
    if (args.cpu) {
      const windowMs = performance.now() - cpuFrom.at;
      const spent = cpuBetween(cpuFrom.threads, threadCpu(), role);
      const steadyForWindow = Object.fromEntries(Object.entries(steady)
        .map(([who, ms]) => [who, (ms * windowMs) / STEADY_SAMPLE_MS]));
      cpu = { windowMs, ...spent, steady: steadyForWindow };
    }
    const times = Object.values(result.frames).map((t) => t - result.clickAt);
    const since = (marks, prefix) => Object.entries(marks).map(([name, at]) => [`${prefix}${name}`, at - result.clickAt]);
    const seated = await people[people.length - 2].page.evaluate(() => window.__marks);
    // The joiner's own steps, with a WebSocket opened on the pre-join screen before the click;
    // the last seated participant's steps towards the joiner.
    const steps = Object.fromEntries([...since(await joiner.page.evaluate(() => window.__marks), ''),
      ...since(seated, 'seated: '),
      ...since(Object.fromEntries(Object.entries(result.media ?? {}).filter(([, at]) => at !== undefined)), '')]);
    const cost = server.topology === 'forward' ? await serverCost(server, idleRssKb) : undefined;
    return { first: Math.min(...times), all: Math.max(...times), steps, cpu, cost, floor };
  } finally {
    for (const person of people) await person.context.close().catch(() => {});
  }
}

const pct = (share) => `${(share * 100).toFixed(0)}%`;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// With --compare, a second server serves the client from that directory, and with several
// --topologies each has its servers; they all take turns run by run (A B, B A, ...): on a
// shared 2-core VM the machine's speed drifts by a third within minutes, so only runs
// interleaved like this can tell two setups apart.
const clients = [];
for (const topology of topologies) {
  const label = (client) => (topologies.length > 1 ? `${topology}, ${client}` : client);
  clients.push({ label: label(process.env.PARLEY_WEB_ROOT ?? 'embedded client'),
    server: await startParley(process.env.PARLEY_WEB_ROOT, topology) });
  if (args.compare) clients.push({ label: label(args.compare), server: await startParley(args.compare, topology) });
}
const results = [];
const failures = [];

// Medians over the runs (a process or thread missing from a run counts as 0 ms there).
function summarizeCpu(runs) {
  const medianOf = (pick) => {
    const names = new Set(runs.flatMap((run) => Object.keys(pick(run))));
    return Object.fromEntries([...names].map((name) => [name, median(runs.map((run) => pick(run)[name] ?? 0))])
      .sort((a, b) => b[1] - a[1]));
  };
  return { windowMs: median(runs.map((run) => run.windowMs)), byProcess: medianOf((run) => run.byProcess),
    steady: medianOf((run) => run.steady), byThread: medianOf((run) => run.byThread) };
}
try {
  for (const size of sizes) {
    const tallies = clients.map(() => ({ samples: [], allRemote: [], stepSamples: {}, steal: [], probe: [], cpu: [], cost: [], floor: [] }));
    try {
      // One unmeasured run first: chromium's codecs and the fake camera warm up.
      for (const client of clients) await measureOnce(client.server, size, 'warmup');
      for (let run = 0; run < runs; run++) {
        const order = clients.map((_, i) => i);
        if (run % 2) order.reverse();
        for (const i of order) {
          const probe = probeMs();
          const before = cpuTicks();
          const { first, all, steps, cpu, cost, floor } = await measureOnce(clients[i].server, size, `${run}-${i}`);
          const machine = cpuShare(before, cpuTicks());
          const tally = tallies[i];
          tally.samples.push(first);
          tally.allRemote.push(all);
          tally.steal.push(machine.steal);
          tally.probe.push(probe);
          for (const [name, at] of Object.entries(steps)) (tally.stepSamples[name] ??= []).push(at);
          if (cpu) tally.cpu.push(cpu);
          if (cost) tally.cost.push(cost);
          if (floor !== undefined) tally.floor.push(floor);
          const who = clients.length > 1 ? ` (${clients[i].label})` : '';
          console.log(`participants ${size} run ${run + 1}${who}: first remote frame ${first.toFixed(1)} ms, all ${size - 1} remote ${all.toFixed(1)} ms${floor === undefined ? '' : `, Chromium's floor ${floor.toFixed(1)} ms`}; machine ${pct(machine.busy)} busy, ${pct(machine.steal)} stolen, CPU probe ${probe.toFixed(0)} ms`);
          // An outlier shows its own steps: the medians below would hide what held it up.
          if (first > 1000) {
            console.log(Object.entries(steps).sort((a, b) => a[1] - b[1])
              .map(([name, ms]) => `    ${ms.toFixed(1).padStart(8)}  ${name}`).join('\n'));
          }
        }
      }
    } catch (error) {
      // A size that cannot finish (an overloaded machine) is reported as such; the others stand.
      console.log(`participants ${size}: stopped after ${tallies[0].samples.length} runs: ${error.message.split('\n')[0]}`);
      failures.push({ participants: size, runs: tallies[0].samples.length, error: error.message.split('\n')[0] });
    }
    clients.forEach((client, i) => {
      const { samples, allRemote, stepSamples, steal, probe, cpu, cost, floor } = tallies[i];
      if (!samples.length) return;
      results.push({ client: client.label, participants: size, samples, median: median(samples), min: Math.min(...samples),
        max: Math.max(...samples), allRemoteMedian: median(allRemote), stealMedian: median(steal),
        probeMedian: median(probe), probe,
        ...(floor.length ? { floor, floorMedian: median(floor), floorMin: Math.min(...floor), floorMax: Math.max(...floor) } : {}),
        // In how many of the interleaved pairs this client was the faster one.
        ...(i > 0 ? { fasterInPairs: samples.filter((ms, run) => ms < tallies[0].samples[run]).length } : {}),
        // Median time after the click at which each step first happened, in time order.
        steps: Object.entries(stepSamples).map(([name, values]) => ({ name, median: median(values) }))
          .sort((a, b) => a.median - b.median),
        ...(cpu.length ? { cpu: summarizeCpu(cpu) } : {}),
        ...(cost.length ? { serverCost: {
          cpuUsPerPacket: median(cost.map((c) => c.cpuUsPerPacket ?? NaN)),
          packetsPerSecond: median(cost.map((c) => c.packetsPerSecond)),
          cpuShare: median(cost.map((c) => c.cpuShare)),
          subscriptions: median(cost.map((c) => c.subscriptions)),
          kbPerTrack: median(cost.map((c) => c.kbPerTrack ?? NaN)) } } : {}) });
    });
  }
} finally {
  await browser.close();
  for (const client of clients) client.server.stop();
}
const clientColumn = clients.length > 1;
console.log(`\n|${clientColumn ? ' client |' : ''} participants | runs | join → first remote frame, median ms | min | max | that frame expected on screen, median ms | all remote frames, median ms | CPU stolen by the host, median | CPU probe, median ms |`);
console.log(`|${clientColumn ? ' --- |' : ''} --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const r of results) {
  const onScreen = r.steps.find((step) => step.name === ON_SCREEN)?.median;
  console.log(`|${clientColumn ? ` ${r.client} |` : ''} ${r.participants} | ${r.samples.length} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${r.max.toFixed(1)} | ${onScreen === undefined ? '–' : onScreen.toFixed(1)} | ${r.allRemoteMedian.toFixed(1)} | ${pct(r.stealMedian)} | ${r.probeMedian.toFixed(0)} |`);
}
for (const r of results) {
  if (r.floorMedian === undefined) continue;
  console.log(`\nChromium's floor, ${r.participants} participants${clientColumn ? `, ${r.client}` : ''}: one new connection and one frame inside the newcomer's page, just before each join, median ${r.floorMedian.toFixed(1)} ms (min ${r.floorMin.toFixed(1)}, max ${r.floorMax.toFixed(1)}); the join through the server took ${(r.median / r.floorMedian).toFixed(1)}× that`);
}
for (const r of results) {
  if (!r.serverCost) continue;
  const c = r.serverCost;
  console.log(`\nthe forwarding server in full flow, ${r.participants} participants${clientColumn ? `, ${r.client}` : ''} (median of ${r.samples.length} windows of ${COST_WINDOW_MS / 1000} s): ${c.packetsPerSecond.toFixed(0)} packets/s forwarded, ${(c.cpuShare * 100).toFixed(1)}% of a core, ${c.cpuUsPerPacket.toFixed(1)} µs of CPU per forwarded packet; ${c.subscriptions} subscribed tracks, ${c.kbPerTrack.toFixed(0)} KiB of resident memory each over the idle server`);
}
for (const r of results) {
  if (r.fasterInPairs !== undefined) console.log(`\n${r.client} was faster in ${r.fasterInPairs} of ${r.samples.length} pairs (${r.participants} participants)`);
}
for (const r of results) {
  console.log(`\nwhere the time goes, ${r.participants} participants${clientColumn ? `, ${r.client}` : ''} (median ms after pressing Join):`);
  for (const step of r.steps) console.log(`  ${step.median.toFixed(1).padStart(8)}  ${step.name}`);
  console.log(`  ${r.median.toFixed(1).padStart(8)}  first remote video frame`);
  if (!r.cpu) continue;
  const total = (values) => Object.values(values).reduce((sum, ms) => sum + ms, 0);
  console.log(`\nwhere the CPU goes, ${r.participants} participants${clientColumn ? `, ${r.client}` : ''}: median ms of CPU from just before the click until the frame was reported (a window of ${r.cpu.windowMs.toFixed(0)} ms, ${(2 * r.cpu.windowMs).toFixed(0)} ms of two cores); in brackets what the same processes spend in as long with both pages idle, cameras live:`);
  for (const [who, ms] of Object.entries(r.cpu.byProcess)) {
    console.log(`  ${ms.toFixed(1).padStart(8)} (${(r.cpu.steady[who] ?? 0).toFixed(1).padStart(6)})  ${who}`);
  }
  console.log(`  ${total(r.cpu.byProcess).toFixed(1).padStart(8)} (${total(r.cpu.steady).toFixed(1).padStart(6)})  in all (sum of the medians)`);
  console.log('  the busiest threads:');
  for (const [thread, ms] of Object.entries(r.cpu.byThread).slice(0, 12)) console.log(`  ${ms.toFixed(1).padStart(8)}  ${thread}`);
}
console.log(JSON.stringify({ tool: 'first-frame', results, failures }));
if (failures.length) process.exitCode = 1;
