// One headless Debian chromium per test file; each participant gets its own browser context
// (separate cookies, storage and fake devices), which is far cheaper than one browser each.
// bench/browser/first-frame.mjs launches the same browser for its timing.
import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Without this no ICE candidate is gathered on loopback and calls silently stay "new".
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

// Browser features that cost CPU beside the pages and have nothing to do with them.
// WebUIOmniboxPopup, WebUIOmniboxAimPopup: Chromium 156 draws the address bar's suggestion
// lists as WebUI pages and loads them ahead, in a renderer of their own, for every new window,
// and headless every browser context is one. Opening a participant's page until a second
// after its camera went live cost 3.2 s of CPU with them and 1.6 s without, much of it right
// when the first-frame timing presses Join (bench/README.md). With only the first off, the
// second still loaded the same page.
const DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

// The --disable-features list of the newest browser process this node process launched.
// Chromium honours only the last --disable-features switch, and Playwright passes its own
// list, so ours has to carry Playwright's names too.
function launchedDisabledFeatures() {
  let newest = null;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat;
    let commandLine;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // Fields after the command name, which is in parentheses: state, ppid, ... starttime (22nd).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startedAt = Number(fields[19]);
    const args = commandLine.split('\0');
    if (Number(fields[1]) !== process.pid || !args.includes('--remote-debugging-pipe')) continue;
    if (newest && newest.startedAt > startedAt) continue;
    const lists = args.filter((arg) => arg.startsWith('--disable-features='));
    newest = { startedAt, features: lists.length ? lists[lists.length - 1].slice('--disable-features='.length).split(',') : [] };
  }
  if (!newest) throw new Error('could not find the launched browser process in /proc');
  return newest.features;
}

// A first launch tells which features Playwright disables; the browser used is the second.
export async function launchBrowser() {
  const options = { executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS };
  const probe = await chromium.launch(options);
  let theirs;
  try {
    theirs = launchedDisabledFeatures();
  } finally {
    await probe.close();
  }
  const features = [...new Set([...theirs, ...DISABLED_FEATURES])];
  const browser = await chromium.launch({ ...options, args: [...CHROMIUM_ARGS, `--disable-features=${features.join(',')}`] });
  const applied = launchedDisabledFeatures();
  if (!features.every((name) => applied.includes(name))) {
    await browser.close();
    throw new Error(`chromium did not get --disable-features=${features.join(',')}`);
  }
  return browser;
}

// A page that records what went wrong in it: uncaught errors fail the test, console errors
// are kept to explain a failure.
export async function openPage(browser, origin, label) {
  const context = await browser.newContext({
    locale: 'en-US',
    permissions: ['camera', 'microphone'],
    viewport: { width: 960, height: 640 },
    // Chromium's fake screen capture takes the size of the emulated screen: pin it to 1280x720.
    screen: { width: 1280, height: 720 },
  });
  const page = await context.newPage();
  const problems = watchProblems(page, label,
    (response) => ['script', 'stylesheet'].includes(response.request().resourceType()));
  page.setDefaultTimeout(15_000);
  return { context, page, problems, origin };
}

// What goes wrong in `page` (Playwright's or Puppeteer's: the same events), as it happens.
// isClientFile(response): whether a response is one of the client's scripts or stylesheets.
export function watchProblems(page, label, isClientFile) {
  const problems = { uncaught: [], consoleErrors: [], missingFiles: [] };
  // A script or stylesheet of the client that fails to load leaves a blank page; say so at once.
  page.on('response', (response) => {
    if (response.status() >= 400 && isClientFile(response)) {
      problems.missingFiles.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => {
    // Every page these tests open is on the parley origin, so any uncaught error is ours.
    problems.uncaught.push(`${label}: ${error.stack ?? error.message}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location()?.url ?? '';
      problems.consoleErrors.push(`${label}: ${message.text()}${where ? ` (${where})` : ''}`);
    }
  });
  return problems;
}
