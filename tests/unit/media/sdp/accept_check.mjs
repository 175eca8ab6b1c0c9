// Feeds what the server writes (via build/tests/unit/media/parley_sdp_tool) back into real
// browsers and reports whether setRemoteDescription accepts it. Not run by the tests:
//   cmake --build build --target parley_sdp_tool
//   NODE_PATH=/work/main/node_modules node tests/unit/media/sdp/accept_check.mjs [chromium|firefox]
// No media flows (nothing listens on the candidate); this checks the SDP only.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(process.env.NODE_PATH ? join(process.env.NODE_PATH, 'x.js') : import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const tool = resolve(here, '../../../../build/tests/unit/media/parley_sdp_tool');
const work = mkdtempSync(join(tmpdir(), 'parley-sdp-accept-'));
let failures = 0;

function server(args, files) {
  const paths = Object.entries(files).map(([name, text]) => {
    const p = join(work, name);
    writeFileSync(p, text);
    return p;
  });
  return execFileSync(tool, [...args.slice(0, 1), ...paths, ...args.slice(1)], { encoding: 'utf8' });
}

function report(browser, what, result) {
  if (!result.ok) failures++;
  console.log(`${browser}: ${what}: ${result.ok ? 'ACCEPTED' : 'REJECTED'}${result.detail ? ` (${result.detail})` : ''}`);
}

async function scenarios(name, run) {
  // 1. The browser publishes mic + camera; the server answers.
  const offer = await run(async () => {
    window.pc = new RTCPeerConnection();
    window.tracks = [];
    pc.ontrack = (e) => window.tracks.push({ kind: e.track.kind, mid: e.transceiver.mid, streams: e.streams.map((s) => s.id) });
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const t of stream.getTracks()) pc.addTrack(t, stream);
    const o = await pc.createOffer();
    await pc.setLocalDescription(o);
    return o.sdp;
  });
  const answer = server(['answer'], { 'offer.sdp': offer });
  const applied = await run(async (sdp) => {
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp });
      return { ok: true, detail: pc.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}`).join(' ') };
    } catch (e) { return { ok: false, detail: String(e) }; }
  }, answer);
  report(name, 'answer to audio+video offer', applied);
  if (!applied.ok) return;

  // 2. The server re-offers two other people's audio + video on the same peer connection.
  const reoffer = server(['subscribe', '2'], { 'server.sdp': answer, 'browser.sdp': offer });
  const sub = await run(async (sdp) => {
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      const a = await pc.createAnswer();
      await pc.setLocalDescription(a);
      const byStream = {};
      for (const t of window.tracks) for (const s of t.streams) (byStream[s] ||= []).push(t.kind);
      return { ok: true, sdp: a.sdp, detail: `ontrack ${window.tracks.length}; streams ${JSON.stringify(byStream)}` };
    } catch (e) { return { ok: false, detail: String(e) }; }
  }, reoffer);
  report(name, 'subscriber re-offer adding 2 people', sub);
  if (!sub.ok) return;

  // 3. One person leaves: their sections go inactive, then come back (recycled mids).
  const fewer = server(['subscribe', '1'], { 'server.sdp': reoffer, 'browser.sdp': sub.sdp });
  const left = await run(async (sdp) => {
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      const a = await pc.createAnswer();
      await pc.setLocalDescription(a);
      return { ok: true, sdp: a.sdp, detail: pc.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}`).join(' ') };
    } catch (e) { return { ok: false, detail: String(e) }; }
  }, fewer);
  report(name, 'subscriber re-offer after a person left', left);
  if (!left.ok) return;
  const again = server(['subscribe', '3'], { 'server.sdp': fewer, 'browser.sdp': left.sdp });
  const back = await run(async (sdp) => {
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      const a = await pc.createAnswer();
      await pc.setLocalDescription(a);
      return { ok: true, detail: pc.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}`).join(' ') };
    } catch (e) { return { ok: false, detail: String(e) }; }
  }, again);
  report(name, 'subscriber re-offer with 3 people (recycling)', back);
  if (!back.ok) return;

  // 4. The browser starts a screen share: its own re-offer, answered while the server keeps
  // sending the 3 people on s1..s6.
  const screenOffer = await run(async () => {
    const screen = await navigator.mediaDevices.getUserMedia({ video: true });
    pc.addTrack(screen.getVideoTracks()[0], screen);
    const o = await pc.createOffer();
    await pc.setLocalDescription(o);
    return o.sdp;
  });
  const screenAnswer = server(['answer', '3'], { 'offer.sdp': screenOffer });
  const shared = await run(async (sdp) => {
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp });
      return { ok: true, detail: pc.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}`).join(' ') };
    } catch (e) { return { ok: false, detail: String(e) }; }
  }, screenAnswer);
  report(name, 'answer to the browser re-offer adding a screen share', shared);
}

async function simulcastScenario(name, run) {
  const offer = await run(async () => {
    window.pc2 = new RTCPeerConnection();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    pc2.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
    pc2.addTransceiver(stream.getVideoTracks()[0], {
      direction: 'sendonly', streams: [stream],
      sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }],
    });
    pc2.createDataChannel('chat');
    const o = await pc2.createOffer();
    await pc2.setLocalDescription(o);
    return o.sdp;
  });
  const answer = server(['answer'], { 'offer.sdp': offer });
  const applied = await run(async (sdp) => {
    try {
      await pc2.setRemoteDescription({ type: 'answer', sdp });
      const enc = pc2.getSenders().find((s) => s.track?.kind === 'video').getParameters().encodings;
      return { ok: true, detail: `video encodings ${enc.map((e) => e.rid).join(',')}; sctp ${pc2.sctp ? 'kept' : 'none'}` };
    } catch (e) { return { ok: false, detail: String(e) }; }
  }, answer);
  report(name, 'answer to simulcast + data channel offer', applied);
}

async function recvonlyScenario(name, run) {
  const offer = await run(async () => {
    window.pc3 = new RTCPeerConnection();
    pc3.addTransceiver('audio', { direction: 'recvonly' });
    pc3.addTransceiver('video', { direction: 'recvonly' });
    const o = await pc3.createOffer();
    await pc3.setLocalDescription(o);
    return o.sdp;
  });
  const answer = server(['answer'], { 'offer.sdp': offer });
  const applied = await run(async (sdp) => {
    try {
      await pc3.setRemoteDescription({ type: 'answer', sdp });
      return { ok: true };
    } catch (e) { return { ok: false, detail: String(e) }; }
  }, answer);
  report(name, 'answer to recvonly-only offer', applied);
}

async function chromium() {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  try {
    const page = await browser.newPage();
    await page.route('http://localhost/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>sdp</title>' }));
    await page.goto('http://localhost/');
    const run = (fn, arg) => page.evaluate(fn, arg);
    await scenarios('chromium', run);
    await simulcastScenario('chromium', run);
    await recvonlyScenario('chromium', run);
  } finally {
    await browser.close();
  }
}

async function firefox() {
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox', protocol: 'webDriverBiDi', executablePath: '/usr/bin/firefox-esr', headless: true,
    extraPrefsFirefox: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true },
  });
  try {
    const page = await browser.newPage();
    const blank = join(work, 'blank.html');
    writeFileSync(blank, '<!doctype html><title>sdp</title>');
    await page.goto(pathToFileURL(blank).href);
    const run = (fn, arg) => page.evaluate(fn, arg);
    await scenarios('firefox', run);
    await recvonlyScenario('firefox', run);
  } finally {
    await browser.close();
  }
}

const which = process.argv[2];
if (!which || which === 'chromium') await chromium();
if (!which || which === 'firefox') await firefox();
process.exitCode = failures ? 1 : 0;
