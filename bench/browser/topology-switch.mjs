// The audio gap of the 2→3→2 topology switch (--topology auto), as the listener hears it: Ann
// and Ben talk peer to peer, Cat joins (the room moves to the server), Cat leaves (back to peer
// to peer). On Ann's page a sampler reads, every few tens of ms, the inbound-rtp of the audio
// track her tile for Ben is playing at that moment (whichever connection it came on):
// real audio played = totalSamplesReceived − concealedSamples. The gap of a switch is the
// longest wall-clock interval, from the click that starts it until Ben's audio has played on
// the new path for two seconds, in which that number did not advance. Its resolution is the
// sampling interval (printed): a switch without any gap still shows one interval.
// Run inside a loopback-only network namespace (bench/browser/switch does that).
//
//   node bench/browser/topology-switch.mjs --parley build/src/app/parley [--runs 5]
// PARLEY_WEB_ROOT=<dir> serves the web client from disk instead of the embedded copy.
import { parseArgs } from 'node:util';

import { launchBrowser, openPage } from '../../tests/e2e/lib/browser.mjs';
import { Participant } from '../../tests/e2e/lib/participant.mjs';
import { startParley } from '../../tests/e2e/lib/parley-server.mjs';
import { pollUntil } from '../../tests/e2e/lib/poll.mjs';

const { values: args } = parseArgs({
  options: { parley: { type: 'string' }, runs: { type: 'string', default: '5' } },
});
if (!args.parley) throw new Error('--parley <binary> is required');
process.env.PARLEY_BIN = args.parley;
const runs = Number(args.runs);
const STEP = { timeout: 60_000 };
// How long Ben's audio must have played on the new path before a switch counts as over.
const SETTLED_S = 2;

// Installed in Ann's page: samples the audio she plays from `benId` until __gapStop is set.
function sampler(benId) {
  const seen = new Set();
  window.__gapSamples = [];
  window.__gapStop = false;
  (async () => {
    while (!window.__gapStop) {
      for (const pc of window.parley.peers.values()) seen.add(pc);
      const video = document.querySelector(`[data-testid="tile"][data-kind="camera"][data-participant="${benId}"] video`);
      const track = video?.srcObject?.getAudioTracks()[0] ?? null;
      let real = null;
      let via = null;
      for (const pc of seen) {
        const receiver = pc.connectionState === 'closed' ? null : pc.getReceivers().find((r) => r.track === track);
        if (!receiver) continue;
        via = /^a=ice-lite/m.test(pc.remoteDescription?.sdp ?? '') ? 'server' : 'direct';
        (await receiver.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') real = (s.totalSamplesReceived ?? 0) - (s.concealedSamples ?? 0);
        });
      }
      window.__gapSamples.push({ t: performance.now(), track: track?.id ?? null, via, real });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return performance.now();
}

// From the samples after `from` (page time): the longest interval without real audio advancing,
// and whether Ben's audio has played SETTLED_S on `via` since the switch.
function gapAfter(samples, from, via) {
  let lastAdvance = from;
  let longest = 0;
  let playedOnNew = 0;
  let previous = null;
  for (const s of samples) {
    if (s.t < from) { previous = s; continue; }
    if (previous && s.track && s.track === previous.track && s.real !== null && previous.real !== null && s.real > previous.real) {
      longest = Math.max(longest, s.t - lastAdvance);
      lastAdvance = s.t;
      if (s.via === via) playedOnNew += (s.real - previous.real) / 48_000;
    }
    previous = s;
  }
  return { gapMs: longest, settled: playedOnNew >= SETTLED_S };
}

async function join(browser, origin, room, name) {
  const p = new Participant(await openPage(browser, origin, name), name);
  await p.goto(`/r/${room}?name=${name}`);
  await p.join();
  return p;
}

const server = await startParley(['--topology', 'auto', '--media-port', '0', '--log-level', 'warn']);
const browser = await launchBrowser();
const results = { up: [], down: [], intervalMs: [] };
try {
  for (let run = 0; run < runs; run++) {
    const room = `switch-${run}-${Date.now().toString(36)}`;
    const ann = await join(browser, server.origin, room, 'Ann');
    const ben = await join(browser, server.origin, room, 'Ben');
    const cat = new Participant(await openPage(browser, server.origin, 'Cat'), 'Cat');
    await cat.goto(`/r/${room}?name=Cat`);
    await ann.page.evaluate(sampler, ben.id);
    const samples = () => ann.page.evaluate(() => window.__gapSamples);
    const now = () => ann.page.evaluate(() => performance.now());
    // Ben heard directly first.
    const start = await now();
    await pollUntil(async () => gapAfter(await samples(), start, 'direct'), (g) => g.settled, { ...STEP, what: 'Ben heard directly' });

    const up = await now();
    await cat.join();
    const moved = await pollUntil(async () => gapAfter(await samples(), up, 'server'), (g) => g.settled,
      { ...STEP, what: 'Ben heard through the server for 2 s' });

    const down = await now();
    await cat.context.close();
    const back = await pollUntil(async () => gapAfter(await samples(), down, 'direct'), (g) => g.settled,
      { ...STEP, what: 'Ben heard directly again for 2 s' });

    const all = await samples();
    const intervals = all.slice(1).map((s, i) => s.t - all[i].t).sort((a, b) => a - b);
    results.up.push(moved.gapMs);
    results.down.push(back.gapMs);
    results.intervalMs.push(intervals[Math.floor(intervals.length / 2)]);
    console.log(`run ${run + 1}: 2→3 gap ${moved.gapMs.toFixed(0)} ms, 3→2 gap ${back.gapMs.toFixed(0)} ms ` +
      `(sampling every ${intervals[Math.floor(intervals.length / 2)].toFixed(0)} ms)`);
    await ann.page.evaluate(() => { window.__gapStop = true; });
    await Promise.allSettled([ann.close(), ben.close()]);
  }
} finally {
  await browser.close();
  await server.stop();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
console.log(`2→3 (to the server): ${summary(results.up)}`);
console.log(`3→2 (back to peer to peer): ${summary(results.down)}`);
console.log(`sampling interval: median ${median(results.intervalMs).toFixed(0)} ms`);
