// Captures real browser SDPs as test data for the SDP parser and negotiator tests.
// Not run by the tests; rerun by hand when a browser version changes:
//   NODE_PATH=/work/main/node_modules node tests/unit/media/sdp/capture.mjs
// Writes *.sdp next to this file. Pages are about:blank: no network is needed.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';

const require = createRequire(process.env.NODE_PATH ? join(process.env.NODE_PATH, 'x.js') : import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const save = (name, sdp) => { writeFileSync(join(here, name), sdp); console.log(`wrote ${name} (${sdp.length} bytes)`); };

// Runs in the page. Each scenario returns { offer, answer } where `answer` is what a second
// local peer connection answers to that offer (so we also have the browser's answer format).
const scenarios = {
  audioVideo: async () => {
    const pc = new RTCPeerConnection();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const t of stream.getTracks()) pc.addTrack(t, stream);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const callee = new RTCPeerConnection();
    await callee.setRemoteDescription(offer);
    const answer = await callee.createAnswer();
    return { offer: offer.sdp, answer: answer.sdp };
  },
  recvonly: async () => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    const offer = await pc.createOffer();
    // An answer from a peer that sends audio+video into this recvonly offer.
    const callee = new RTCPeerConnection();
    await callee.setRemoteDescription(offer);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const t of stream.getTracks()) callee.addTrack(t, stream);
    const answer = await callee.createAnswer();
    return { offer: offer.sdp, answer: answer.sdp };
  },
  simulcast: async () => {
    const pc = new RTCPeerConnection();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
    pc.addTransceiver(stream.getVideoTracks()[0], {
      direction: 'sendonly', streams: [stream],
      sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }],
    });
    pc.createDataChannel('chat');
    const offer = await pc.createOffer();
    return { offer: offer.sdp };
  },
};

async function runChromium() {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  try {
    const page = await browser.newPage();
    // about:blank is not a secure context in Chromium (no navigator.mediaDevices); http://localhost
    // is, and the route answers it in-process, so nothing listens on a port.
    await page.route('http://localhost/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>sdp</title>' }));
    await page.goto('http://localhost/');
    const run = (fn) => page.evaluate(`(${fn.toString()})()`);
    const av = await run(scenarios.audioVideo);
    save('chromium-offer-audio-video.sdp', av.offer);
    save('chromium-answer-audio-video.sdp', av.answer);
    const ro = await run(scenarios.recvonly);
    save('chromium-offer-recvonly.sdp', ro.offer);
    save('chromium-answer-to-recvonly.sdp', ro.answer);
    const sc = await run(scenarios.simulcast);
    save('chromium-offer-simulcast.sdp', sc.offer);
  } finally {
    await browser.close();
  }
}

async function runFirefox() {
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox', protocol: 'webDriverBiDi', executablePath: '/usr/bin/firefox-esr', headless: true,
    extraPrefsFirefox: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true },
  });
  try {
    const page = await browser.newPage();
    // A file: page is a secure context in Firefox (about:blank is not), so getUserMedia exists.
    const blank = join(tmpdir(), 'parley-sdp-capture.html');
    writeFileSync(blank, '<!doctype html><title>sdp</title>');
    await page.goto(pathToFileURL(blank).href);
    const run = (fn) => page.evaluate(`(${fn.toString()})()`);
    const av = await run(scenarios.audioVideo);
    save('firefox-offer-audio-video.sdp', av.offer);
    save('firefox-answer-audio-video.sdp', av.answer);
    const ro = await run(scenarios.recvonly);
    save('firefox-offer-recvonly.sdp', ro.offer);
    save('firefox-answer-to-recvonly.sdp', ro.answer);
  } finally {
    await browser.close();
  }
}

const which = process.argv[2];
if (!which || which === 'chromium') await runChromium();
if (!which || which === 'firefox') await runFirefox();
