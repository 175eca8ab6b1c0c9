// Room control in the browser: the waiting room (knock), office hours (one-at-a-time slots)
// and chat, driven through the page the way people use it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley();

// Opens the room with the pre-join "Room settings" filled in, and joins as its host.
async function openRoomAsHost(room, name, options) {
  const host = await env.openAsHost(room, name, options);
  const role = await host.page.evaluate(() => window.parley.role);
  assert.equal(role, 'host', `${name} opened the room and must host it`);
  return host;
}

// Presses Join and waits until the client says it is waiting in line.
async function joinAndWait(room, name) {
  const guest = await env.open(`/r/${room}?name=${encodeURIComponent(name)}`, name);
  await guest.pressJoin();
  await pollUntil(() => guest.page.evaluate(() => window.parley.waiting), Boolean,
    { what: `${name} to wait in line` });
  return guest;
}

const waitingOf = (person) => person.page.evaluate(() => ({
  waiting: window.parley.waiting, peers: window.parley.peers.size, state: window.parley.state,
}));

const queuePlace = (person) => person.byTestId('queue-place').innerText();

async function becomesInCall(person, timeout) {
  const client = await pollUntil(() => person.client(), (c) => c?.state === 'in-call' && c.selfId,
    { what: `${person.label} to be in the call`, timeout });
  person.id = client.selfId;
}

test('knock: guests wait without a peer connection until the host admits them', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('knock');
  const host = await openRoomAsHost(room, 'Hana', { admission: 'knock' });
  const gina = await joinAndWait(room, 'Gina');
  const gus = await joinAndWait(room, 'Gus');

  await pollUntil(() => queuePlace(gina), (text) => /\b1\b/.test(text) && /\b2\b/.test(text),
    { what: "Gina's waiting screen to say number 1 of 2" });
  const before = await waitingOf(gina);
  assert.deepEqual(before.waiting, { position: 1, of: 2 }, "Gina's window.parley.waiting");
  assert.equal(before.peers, 0, 'no peer connection for a person still waiting');
  assert.equal(await gina.byTestId('call').count(), 0, 'no call view while waiting');

  const entries = host.byTestId('queue-panel').getByTestId('queue-entry');
  await pollUntil(() => entries.allInnerTexts(), (rows) => rows.length === 2 && /Gina/.test(rows[0]) && /Gus/.test(rows[1]),
    { what: "the host's queue panel to list Gina, then Gus" });
  await host.openPanel('people');
  // What Gina's page puts up from now on: the call, straight from the waiting screen.
  await gina.page.evaluate(() => {
    window.screensShown = [];
    new MutationObserver(() => {
      const shown = document.querySelector('main')?.firstElementChild;
      const name = shown?.dataset.testid ?? (shown?.querySelector('[data-testid="join"]') ? 'prejoin' : shown?.tagName);
      if (name && window.screensShown.at(-1) !== name) window.screensShown.push(name);
    }).observe(document.querySelector('main'), { childList: true });
  });
  await entries.filter({ hasText: 'Gina' }).getByTestId('admit').click();

  await becomesInCall(gina);
  assert.deepEqual(await gina.page.evaluate(() => window.screensShown), ['call'], 'no pre-join screen between the line and the call');
  await expectMediaFrom(gina, host);
  await expectMediaFrom(host, gina);
  assert.equal((await gina.page.evaluate(() => window.parley.role)), 'guest');
  assert.equal(await gina.page.locator(`[data-testid="tile"][data-participant="${host.id}"] [data-testid="host-badge"]`).isVisible(), true,
    "Gina sees the host badge on Hana's tile");

  await pollUntil(() => queuePlace(gus), (text) => /\b1\b/.test(text) && !/\b2\b/.test(text),
    { what: "Gus's place to move up to number 1 of 1" });
  assert.equal((await waitingOf(gus)).peers, 0, 'Gus, still waiting, has no peer connection');
});

test('one-at-a-time: when the slot ends the next guest comes in by itself', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('office');
  const host = await openRoomAsHost(room, 'Olga', { admission: 'one-at-a-time', slotSeconds: 8 });
  // Both pages are open before the 8 s slot starts, so a slow page load on a busy machine
  // cannot eat the slot before the second guest even asks to join.
  const first = await env.open(`/r/${room}?name=First`, 'First');
  const second = await env.open(`/r/${room}?name=Second`, 'Second');
  await first.join();
  await second.pressJoin();
  await pollUntil(() => second.page.evaluate(() => window.parley.waiting), Boolean, { what: 'Second to wait in line' });
  assert.equal((await waitingOf(second)).peers, 0, 'the second guest waits without peers');
  await pollUntil(() => first.byTestId('countdown').innerText(), (text) => /\d\d:\d\d/.test(text),
    { what: "the first guest's countdown of the slot", timeout: 6_000 });

  await becomesInCall(second, 30_000);
  await expectMediaFrom(second, host);
  await expectMediaFrom(host, second);

  const firstSees = () => first.page.evaluate(() => ({
    state: window.parley.state,
    notices: [...document.querySelectorAll('[data-testid="notice"]')].map((n) => n.innerText),
  }));
  const seen = await pollUntil(firstSees, (s) => s.notices.some((text) => /slot has ended/i.test(text)),
    { what: 'the first guest to be told the slot ended' });
  assert.notEqual(seen.state, 'in-call', 'the first guest is out of the call');
});

test('chat reaches everyone, and late joiners get the history', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('chat');
  const ann = await env.join(room, 'Ann');
  const ben = await env.join(room, 'Ben');
  const cat = await env.join(room, 'Cat');

  await ann.sendChat('Hello <b>all</b>');
  await ben.openPanel('chat');
  await ben.byTestId('chat-input').fill('Hi Ann');
  await ben.byTestId('chat-send').click();

  const messages = (person) => person.byTestId('chat-message').allInnerTexts();
  const hasBoth = (rows) => rows.length === 2 && /Ann[\s\S]*Hello <b>all<\/b>/.test(rows[0]) && /Ben[\s\S]*Hi Ann/.test(rows[1]);
  for (const person of [ann, ben]) {
    await pollUntil(() => messages(person), hasBoth, { what: `${person.label} to see both messages, in order` });
  }
  // Cat has the chat closed: its button counts what came and the announcer names the sender.
  const badge = cat.byTestId('chat-badge');
  await pollUntil(() => badge.innerText(), (text) => /^2\b/.test(text), { what: "Cat's chat button to count 2 unread" });
  assert.match(await badge.textContent(), /2 unread/, 'the count is said in words too');
  assert.match(await cat.byTestId('announcer').textContent(), /New chat message from Ben\./);
  await cat.openPanel('chat');
  await pollUntil(() => messages(cat), hasBoth, { what: 'Cat to see both messages, in order' });
  assert.equal(await badge.isVisible(), false, 'opening the chat clears the count');
  assert.equal(await cat.page.evaluate(() => document.activeElement?.dataset.testid), 'chat-input', 'the message box has focus');
  const dan = await env.join(room, 'Dan');
  await pollUntil(() => messages(dan), hasBoth, { what: 'Dan, joining later, to see the chat history' });
  // A screen reader reads a line as "name, time: text" (not "Ann07:15 PMHello").
  const spoken = await dan.byTestId('chat-message').first().evaluate((li) => li.textContent);
  assert.match(spoken, /^Ann, \d{1,2}:\d{2}(\s?[AP]M)?: Hello <b>all<\/b>$/, spoken);
});
