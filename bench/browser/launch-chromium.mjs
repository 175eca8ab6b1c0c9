// Chromium for the timing, with browser features turned off that have nothing to do with a page
// but cost CPU at the moment a page is timed.
//
// WebUIOmniboxPopup: Chromium 156 draws the address bar's suggestion list as a WebUI page and
// loads it ahead, in a renderer of its own, for every new browser window; headless, every new
// context is a window. That load took ~500 ms of CPU starting just as the joiner's camera went
// live, i.e. during the timed join (a trace's "WebUI Top Renderer"). A person's browser does it
// when their window opens, not when they press Join.
import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const EXTRA_DISABLED_FEATURES = ['WebUIOmniboxPopup'];

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
    const parent = Number(fields[1]);
    const startedAt = Number(fields[19]);
    const args = commandLine.split('\0');
    if (parent !== process.pid || !args.includes('--remote-debugging-pipe')) continue;
    if (newest && newest.startedAt > startedAt) continue;
    const lists = args.filter((arg) => arg.startsWith('--disable-features='));
    newest = { startedAt, features: lists.length ? lists[lists.length - 1].slice('--disable-features='.length).split(',') : [] };
  }
  if (!newest) throw new Error('could not find the launched browser process in /proc');
  return newest.features;
}

export async function launchChromium(options) {
  const probe = await chromium.launch(options);
  let theirs;
  try {
    theirs = launchedDisabledFeatures();
  } finally {
    await probe.close();
  }
  const features = [...new Set([...theirs, ...EXTRA_DISABLED_FEATURES])];
  const browser = await chromium.launch({ ...options, args: [...(options.args ?? []), `--disable-features=${features.join(',')}`] });
  const applied = launchedDisabledFeatures();
  if (!features.every((name) => applied.includes(name))) {
    await browser.close();
    throw new Error(`chromium did not get --disable-features=${features.join(',')}`);
  }
  return browser;
}
