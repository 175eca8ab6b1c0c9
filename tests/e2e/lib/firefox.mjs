// One Debian firefox-esr per test file, driven by puppeteer-core over WebDriver BiDi, on a
// virtual X display of its own (Xvfb, started here and stopped by PID): Firefox's screen
// capture records a real screen, and headless has none. Each participant gets a browser context
// of its own (separate cookies and storage) in a window of its own, as with chromium.
import { spawn } from 'node:child_process';
import puppeteer from 'puppeteer-core';

import { watchProblems } from './browser.mjs';
import { Participant } from './participant.mjs';

const START_TIMEOUT_MS = 10_000;

// Xvfb's screen, which is what a shared screen shows: the size chromium's fake screen has.
export const FIREFOX_SCREEN = { width: 1280, height: 720 };

// What each is for was seen by trying without it (Firefox ESR 153); the last two are set as
// the chromium flags set them.
const PREFS = {
  // A test-pattern camera and a microphone playing a 1 kHz tone, and no prompts for them or
  // for the screen (the first one is shared; without this Join never completes).
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // ... and yet counted as granted: without it, and without the next one, ICE fails in the
  // loopback-only namespace (no candidate pair; the connection goes 'failed').
  'media.navigator.permission.fake': true,
  'media.peerconnection.ice.loopback': true,
  // A window without focus lists no devices otherwise (enumerateDevices waits for focus), and
  // only one participant's window has it.
  'media.devices.unfocused.enabled': true,
  // These machines have no sound card: with no audio output to open, an AudioContext never
  // leaves 'suspended' (resume() never settles), so the client's own-level meter
  // (audio-level-meter.js) would hear nothing. A mock audio backend stands in for one.
  'media.cubeb.force_mock_context': true,
  // Media play without a gesture (--autoplay-policy), and the pages are in English (locale).
  'media.autoplay.default': 0,
  'intl.accept_languages': 'en-US',
};

// Every Xvfb still running; killed on process exit so a crashed test file leaves none behind.
const displays = new Set();
process.on('exit', () => {
  for (const child of displays) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

// Starts Xvfb on a display number it picks itself (-displayfd: the first free one, written to
// that descriptor once it accepts clients). Resolves to { display: ':N', stop() }.
async function startDisplay() {
  const { width, height } = FIREFOX_SCREEN;
  const child = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', `${width}x${height}x24`],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  displays.add(child);
  let log = '';
  child.stderr.on('data', (chunk) => { log = (log + chunk).slice(-2000); });
  const exited = new Promise((resolve) => child.once('close', resolve));
  exited.then(() => displays.delete(child));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let timer;
  try {
    const number = await new Promise((resolve, reject) => {
      let text = '';
      child.stdio[3].on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) resolve(text.trim());
      });
      child.once('error', reject);
      child.once('close', (code, signal) => reject(new Error(`Xvfb exited (${code ?? signal}) before it was ready`)));
      timer = setTimeout(() => reject(new Error(`Xvfb did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    });
    if (!/^\d+$/.test(number)) throw new Error(`Xvfb wrote ${JSON.stringify(number)} as its display`);
    return { display: `:${number}`, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${log}`);
  } finally {
    clearTimeout(timer);
  }
}

// Resolves to a puppeteer Browser; its display goes when it does (closed or crashed).
export async function launchFirefox() {
  const { display, stop } = await startDisplay();
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: process.env.PARLEY_FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      env: { ...process.env, DISPLAY: display },
      extraPrefsFirefox: PREFS,
      timeout: 30_000,
    });
    browser.once('disconnected', () => { stop(); });
    return browser;
  } catch (error) {
    await stop();
    throw error;
  }
}

// A participant's window: a browser context of its own, and the same record of what went
// wrong in it as a chromium page keeps (browser.mjs).
export async function openFirefoxPage(browser, origin, label) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage({ type: 'window' });
  await page.setViewport({ width: 960, height: 640 });
  // Puppeteer over BiDi knows no resource types: the client's scripts and stylesheets by name.
  const problems = watchProblems(page, label, (response) => /\.(m?js|css)$/.test(new URL(response.url()).pathname));
  page.setDefaultTimeout(15_000);
  return { context, page, problems, origin };
}

// Participant (participant.mjs) with the few calls that differ between Playwright and Puppeteer:
// elements by data-testid as Puppeteer locators (click() waits for them to be visible and
// enabled, and is a real input event, as getDisplayMedia needs), attributes read in the page.
export class FirefoxParticipant extends Participant {
  byTestId(testId) { return this.page.locator(`[data-testid="${testId}"]`); }
  nameField() { return this.byTestId('name'); }
  joinButton() { return this.byTestId('join'); }

  nameValue() {
    return this.page.evaluate(() => document.querySelector('[data-testid="name"]')?.value ?? null);
  }

  isOn(toggleTestId) {
    return this.page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('aria-pressed') === 'true',
      toggleTestId);
  }
}
