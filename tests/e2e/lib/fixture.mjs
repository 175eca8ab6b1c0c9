// Per test file: one parley server and one browser of each kind it names (chromium unless
// told), started before the first test and stopped after the last. Per test: the participants
// it opened are closed afterwards, and the test fails if any of their pages threw an uncaught
// error.
import { after, afterEach, before } from 'node:test';
import { randomBytes } from 'node:crypto';

import { launchBrowser, openPage } from './browser.mjs';
import { FirefoxParticipant, launchFirefox, openFirefoxPage } from './firefox.mjs';
import { Participant } from './participant.mjs';
import { startParley } from './parley-server.mjs';

const BROWSERS = {
  chromium: {
    launch: launchBrowser,
    open: async (browser, origin, label, name) => new Participant(await openPage(browser, origin, label), label, name),
  },
  firefox: {
    launch: launchFirefox,
    open: async (browser, origin, label, name) => new FirefoxParticipant(await openFirefoxPage(browser, origin, label), label, name),
  },
};

// browsers: the kinds this file's participants use, e.g. ['firefox', 'chromium']; the first is
// what env.open and env.join take unless told otherwise ({ browser: 'chromium' }).
// serverArgs: null starts no server of the file's own (the file starts its servers with
// env.startServer, e.g. the nodes of a cluster).
export function useParley({ serverArgs = [], browsers: kinds = ['chromium'] } = {}) {
  const servers = [];
  const browsers = new Map(); // kind -> the launched browser
  let participants = [];

  const env = {
    get server() { return servers[0]; },

    // Another server with other flags (e.g. a smaller room size), stopped after the file;
    // options.port puts it on a given port (a restart where the clients expect it).
    async startServer(args, options) {
      const server = await startParley(args, options);
      servers.push(server);
      return server;
    },

    // Opens `pathAndQuery` (e.g. `/r/room?name=Alice`) in a fresh browser context.
    async open(pathAndQuery, label, { server = servers[0], name = label, browser = kinds[0] } = {}) {
      if (!browsers.has(browser)) throw new Error(`${label}: ${browser} is not among this file's browsers (${kinds.join(', ')})`);
      const participant = await BROWSERS[browser].open(browsers.get(browser), server.origin, label, name);
      participants.push(participant);
      await participant.goto(pathAndQuery);
      return participant;
    },

    // Opens the room link with `?name=`, checks the Name field took it, and joins.
    async join(room, name, { label = name, server = servers[0], browser = kinds[0] } = {}) {
      const p = await env.open(`/r/${room}?name=${encodeURIComponent(name)}`, label, { server, name, browser });
      const prefilled = await p.nameValue();
      if (prefilled !== name) throw new Error(`${label}: Name field holds ${JSON.stringify(prefilled)}, not the ?name= value`);
      await p.join();
      return p;
    },

    // Opens a new room as its host, with "Room settings" filled in as a person would (admission:
    // 'open' | 'knock' | 'one-at-a-time'; slotSeconds for one-at-a-time; an optional password),
    // and joins.
    async openAsHost(room, name, { admission, slotSeconds, password } = {}) {
      const host = await env.open(`/r/${room}?name=${encodeURIComponent(name)}`, name);
      await host.page.getByText('Room settings', { exact: true }).click();
      if (admission) await host.page.getByLabel('Who gets in').selectOption(admission);
      if (slotSeconds) await host.page.getByLabel('Time per guest (seconds)').fill(String(slotSeconds));
      if (password) await host.page.getByLabel('Room password (optional)').fill(password);
      await host.join();
      return host;
    },
  };

  before(async () => {
    if (serverArgs !== null) servers.push(await startParley(serverArgs));
    for (const kind of kinds) browsers.set(kind, await BROWSERS[kind].launch());
  });

  afterEach(async (t) => {
    const done = participants;
    participants = [];
    if (!t.passed) await explainFailure(t, done, servers);
    await Promise.allSettled(done.map((p) => p.close()));
    const uncaught = done.flatMap((p) => p.problems.uncaught);
    if (uncaught.length > 0) throw new Error(`uncaught errors in the page:\n${uncaught.join('\n')}`);
  });

  after(async () => {
    await Promise.allSettled([...browsers.values()].map((browser) => browser.close()));
    const crashed = servers.filter((s) => s.diedOnItsOwn());
    await Promise.allSettled(servers.map((s) => s.stop()));
    if (crashed.length > 0) {
      throw new Error(`parley died while the tests ran:\n${crashed.map((s) => s.log()).join('\n')}`);
    }
  });

  return env;
}

// What the pages and the server said, printed only when a test failed.
async function explainFailure(t, participants, servers) {
  for (const p of participants) {
    for (const line of [...p.problems.uncaught, ...p.problems.consoleErrors]) t.diagnostic(`page ${line}`);
    const shown = await p.page.evaluate(() => {
      const text = (selector) => [...document.querySelectorAll(selector)].map((el) => el.innerText.trim());
      return { notices: text('[data-testid="notice"]'), log: text('[data-testid="event-log"]') };
    }).catch((error) => ({ unavailable: error.message }));
    t.diagnostic(`${p.label} (${p.page.url()}) shows ${JSON.stringify(shown)}`);
  }
  for (const server of servers) {
    const tail = server.log().split('\n').slice(-40).join('\n');
    if (tail) t.diagnostic(`parley (pid ${server.pid}) log tail:\n${tail}`);
  }
}

// A room id of its own for every test, valid per docs/protocol.md (a-z, 0-9, '-').
export function uniqueRoom(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
