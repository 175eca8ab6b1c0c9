// One headless Debian chromium per test file; each participant gets its own browser context
// (separate cookies, storage and fake devices), which is far cheaper than one browser each.
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

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
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
  const problems = { uncaught: [], consoleErrors: [], missingFiles: [] };
  // A script or stylesheet of the client that fails to load leaves a blank page; say so at once.
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (response.status() >= 400 && ['script', 'stylesheet'].includes(type)) {
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
  page.setDefaultTimeout(15_000);
  return { context, page, problems, origin };
}
