// Room control as a host and guests use it in the browser, beyond the knock/one-at-a-time/chat
// basics: muting and asking to unmute (proved on the audio itself), the session timer and its
// warnings, handing the host role over, removing someone, the line (decline, move to front,
// lock/unlock) and a password retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { expectIndicators } from './lib/tiles.mjs';

const env = useParley();

const tileOf = (viewer, person) =>
  viewer.page.locator(`[data-testid="tile"][data-kind="camera"][data-participant="${person.id}"]`);

// The host's actions from someone's tile, used as a person would: the tile's button opens the
// People panel with that person's menu open and focused.
async function fromTileMenu(host, person, action) {
  await tileOf(host, person).getByTestId('tile-menu').click();
  const item = host.personRow(person).getByTestId(action);
  await pollUntil(() => item.isVisible(), Boolean, { what: `${host.label}'s ${action} for ${person.label} in the People panel` });
  await item.click();
}

const noticesOf = (person) => person.byTestId('notice').allInnerTexts();

async function seesNotice(person, pattern, what) {
  return pollUntil(() => noticesOf(person), (texts) => texts.some((t) => pattern.test(t)),
    { what: `${person.label} to be told ${what}` });
}

const clientOf = (person) => person.page.evaluate(() => ({
  state: window.parley.state, role: window.parley.role, waiting: window.parley.waiting, peers: window.parley.peers.size,
}));

// Opens the room with "Room settings" filled in and joins as its host.
async function openRoomAsHost(room, name, options) {
  const host = await env.openAsHost(room, name, options);
  assert.equal((await clientOf(host)).role, 'host', `${name} opened the room and must host it`);
  return host;
}

async function joinAndWait(room, name) {
  const guest = await env.open(`/r/${room}?name=${encodeURIComponent(name)}`, name);
  await guest.pressJoin();
  await pollUntil(() => clientOf(guest), (c) => c.waiting, { what: `${name} to wait in line` });
  return guest;
}

async function becomesInCall(person) {
  const client = await pollUntil(() => person.client(), (c) => c?.state === 'in-call' && c.selfId,
    { what: `${person.label} to be in the call` });
  person.id = client.selfId;
}

// The audio `receiver` gets from `sender`: packets and the decoded energy (the fake
// microphone beeps, so energy rises while the mic is live and stands still while muted).
const audioFrom = (receiver, sender) => receiver.page.evaluate(async (id) => {
  const pc = window.parley.peers.get(id);
  if (!pc) return null;
  let audio = null;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      audio = { packets: s.packetsReceived ?? 0, energy: s.totalAudioEnergy ?? 0 };
    }
  });
  return audio;
}, sender.id);

// While ~2 s of audio packets arrive (100 packets of 20 ms), the energy rises clearly (the
// beeps: about 0.2 a second) or stays flat. For "flat", 1 s of packets goes by first so what
// the jitter buffer still held from before the mute is played out.
const AUDIBLE_ENERGY = 0.01;
const SILENT_ENERGY = 0.005;
async function expectAudible(receiver, sender, audible) {
  const route = `${sender.label} → ${receiver.label}`;
  const packetsAfter = (from, n, what) => pollUntil(() => audioFrom(receiver, sender),
    (a) => a.packets >= from.packets + n && (!audible || a.energy - from.energy > AUDIBLE_ENERGY),
    { what: `${route}: ${n} more audio packets${what}` });
  let start = await pollUntil(() => audioFrom(receiver, sender), (a) => a && a.packets > 0,
    { what: `${route}: audio packets` });
  if (!audible) start = await packetsAfter(start, 50, ' (to play out what was buffered)');
  const end = await packetsAfter(start, 100, audible ? ' with sound in them' : '');
  if (!audible) {
    assert.ok(end.energy - start.energy < SILENT_ENERGY,
      `${route}: sound still arrives from a muted microphone (energy ${start.energy} → ${end.energy})`);
  }
}

const outgoingMicEnabled = (person) => person.page.evaluate(() => {
  const senders = [...window.parley.peers.values()].flatMap((pc) => pc.getSenders());
  return senders.filter((s) => s.track?.kind === 'audio').map((s) => s.track.enabled);
});

// What the countdown shows, next to what it should show: the server's end time against the
// page's clock corrected by the offset the client measured.
const countdownOf = (person) => person.page.evaluate(() => {
  const el = document.querySelector('[data-testid="countdown-session"]');
  const match = /(\d+):(\d\d)/.exec(el && !el.hidden ? el.textContent : '');
  const endsAt = window.parley.roomState?.sessionEndsAt ?? null;
  return {
    shownMs: match ? (Number(match[1]) * 60 + Number(match[2])) * 1000 : null,
    endsAt,
    leftMs: endsAt === null ? null : endsAt - (Date.now() + window.parley.clockOffsetMs),
  };
});

// The countdown shows the time left to within the one-second tick.
async function expectCountdown(person, accept, what) {
  return pollUntil(() => countdownOf(person),
    (c) => c.shownMs !== null && c.endsAt !== null && Math.abs(c.shownMs - c.leftMs) <= 1500 && accept(c),
    { what: `${person.label}'s countdown to show ${what}` });
}

const CLOCK_SKEW_MS = 90_000;

async function setTimer(host, minutes, seconds) {
  const tools = await host.openPanel('host');
  await tools.getByLabel('Minutes').fill(String(minutes));
  await tools.getByLabel('Seconds').fill(String(seconds));
  await tools.getByRole('button', { name: 'Set timer' }).click();
}

test('the host mutes and asks to unmute, runs the timer, hands over the role; the new host removes someone; time runs out', { timeout: 180_000 }, async () => {
  const room = uniqueRoom('ctl');
  const hana = await env.join(room, 'Hana');
  // Gil's computer clock is 90 s fast: his countdown must still be right, from the offset the
  // client measures against the server's clock.
  const gil = await env.open(`/r/${room}?name=Gil`, 'Gil');
  await gil.context.addInitScript((skewMs) => {
    const realNow = Date.now;
    Date.now = () => realNow() + skewMs;
  }, CLOCK_SKEW_MS);
  await gil.page.reload();
  await gil.join();

  // Mute: Gil's microphone goes off, he is told by whom, and no sound reaches anyone.
  await expectAudible(hana, gil, true);
  await fromTileMenu(hana, gil, 'mute-participant');
  await pollUntil(() => gil.isOn('toggle-mic'), (on) => on === false, { what: "Gil's mic button to show off" });
  await seesNotice(gil, /Hana muted your microphone/, 'that Hana muted him');
  assert.deepEqual(await outgoingMicEnabled(gil), [false], "Gil's outgoing audio track is disabled");
  await expectIndicators(hana, gil, { micOff: true, camOff: false });
  await expectAudible(hana, gil, false);

  // Ask to unmute: Gil decides, and his sound is back.
  await fromTileMenu(hana, gil, 'request-unmute');
  await seesNotice(gil, /Hana asks you to turn your microphone on/, 'that Hana asks him to unmute');
  await gil.page.getByRole('button', { name: 'Turn microphone on' }).click();
  await pollUntil(() => gil.isOn('toggle-mic'), (on) => on === true, { what: "Gil's mic button to show on" });
  await expectIndicators(hana, gil, { micOff: false, camOff: false });
  await expectAudible(hana, gil, true);

  // Session timer: 1:02 leaves the one-minute warning just ahead; the guest's countdown
  // follows the server's end time; +5 min moves it by exactly that.
  const extend = (await hana.openPanel('host')).getByRole('button', { name: '+5 min' });
  assert.equal(await extend.isDisabled(), true, 'nothing to extend before a timer runs');
  await pollUntil(() => gil.page.evaluate(() => window.parley.clockOffsetMs), (ms) => ms < -CLOCK_SKEW_MS + 5_000,
    { what: "Gil's client to measure that his clock is 90 s ahead of the server's" });
  await setTimer(hana, 1, 2);
  const first = await expectCountdown(gil, (c) => c.leftMs > 45_000 && c.leftMs <= 62_000, 'about 1:02');
  await seesNotice(gil, /meeting ends in about 1 min/, 'the meeting ends in a minute');
  await extend.click();
  await expectCountdown(gil, (c) => c.endsAt === first.endsAt + 300_000 && c.shownMs > 300_000, 'five more minutes');
  // Someone joining now counts down to the same end.
  const ivy = await env.join(room, 'Ivy');
  await expectCountdown(ivy, (c) => c.endsAt === first.endsAt + 300_000, 'the same end time');

  // Handing over: Gil gets the host's tools and menus, Hana loses them.
  await fromTileMenu(hana, gil, 'make-host');
  await pollUntil(() => clientOf(gil), (c) => c.role === 'host', { what: 'Gil to become host' });
  // The room panel says who hosts, in words (the notices saying so fade after a while).
  await pollUntil(() => gil.byTestId('role').innerText(), (t) => /You are the host/.test(t), { what: 'Gil to read that he hosts' });
  await pollUntil(() => ivy.byTestId('role').innerText(), (t) => /Host: Gil/.test(t), { what: 'Ivy to read that Gil hosts' });
  await pollUntil(() => hana.byTestId('role').innerText(), (t) => /Host: Gil/.test(t), { what: 'Hana to read that Gil hosts' });
  await pollUntil(() => gil.byTestId('host-toggle').isVisible(), Boolean, { what: "Gil's Host tools button" });
  for (const other of [hana, ivy]) {
    await pollUntil(() => tileOf(gil, other).getByTestId('tile-menu').count(), (n) => n === 1,
      { what: `Gil's menu on ${other.label}'s tile` });
  }
  assert.equal((await clientOf(hana)).role, 'guest');
  assert.equal(await hana.byTestId('tile-menu').count(), 0, 'Hana has no host menus any more');
  assert.equal(await hana.byTestId('host-toggle').isVisible(), false, 'Hana has no Host tools any more');
  assert.equal(await hana.personRow(gil).getByTestId('person-menu').count(), 0, 'nor host actions in her People panel');
  await pollUntil(() => gil.personRow(hana).getByTestId('person-menu').count(), (n) => n === 1,
    { what: "Gil's actions for Hana in his People panel" });
  assert.equal(await tileOf(ivy, gil).getByTestId('host-badge').isVisible(), true, "Ivy sees the host badge on Gil's tile");

  // The new host removes Hana with a reason: she reads it, the others see her go.
  await fromTileMenu(gil, hana, 'kick');
  const dialog = gil.byTestId('kick-dialog');
  await dialog.getByLabel(/Reason/).fill('Handing over the floor');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await seesNotice(hana, /removed you[\s\S]*Handing over the floor/, 'why she was removed');
  assert.equal((await clientOf(hana)).state, 'left');
  for (const viewer of [gil, ivy]) {
    await pollUntil(() => tileOf(viewer, hana).count(), (n) => n === 0, { what: `Hana's tile to leave ${viewer.label}'s page` });
  }

  // A session of a few seconds (no warning marks left ahead of it) ends for everyone.
  await setTimer(gil, 0, 3);
  for (const person of [gil, ivy]) {
    await seesNotice(person, /time is up/, 'that the time is up');
    const client = await clientOf(person);
    assert.equal(client.state, 'left', `${person.label} is out of the call`);
    assert.equal(client.peers, 0, `${person.label} has no peer connection left`);
  }
});

test('the line: decline, move to front, lock closes it, unlock opens it', { timeout: 150_000 }, async () => {
  const room = uniqueRoom('line');
  const host = await openRoomAsHost(room, 'Kim', { admission: 'knock' });
  const queue = host.byTestId('queue-panel').getByTestId('queue-entry');
  await host.openPanel('people'); // the line is at the top of People

  // Declined: told so, back at the pre-join screen, never connected to anyone.
  const dee = await joinAndWait(room, 'Dee');
  await pollUntil(() => queue.allInnerTexts(), (rows) => rows.length === 1 && /Dee/.test(rows[0]), { what: 'Dee in the host\'s line' });
  assert.match(await host.byTestId('people-badge').textContent(), /^1\s*1 waiting to join$/, 'the People button counts the line');
  await queue.filter({ hasText: 'Dee' }).getByRole('button', { name: 'Decline Dee' }).click();
  await seesNotice(dee, /host didn't let you in/, 'that the host declined her');
  const declined = await clientOf(dee);
  assert.equal(declined.waiting, null, 'Dee is out of the line');
  assert.equal(declined.peers, 0, 'Dee never got a peer connection');
  assert.equal(await dee.byTestId('waiting').count(), 0, 'the waiting screen is gone');
  assert.equal(await dee.joinButton().isVisible(), true, 'Dee is back at the pre-join screen');

  // Move to front: Bo overtakes Ann, both pages say so, and Admit on the first row lets Bo in.
  const ann = await joinAndWait(room, 'Ann');
  const bo = await joinAndWait(room, 'Bo');
  const place = (person) => person.byTestId('queue-place').innerText();
  await pollUntil(() => place(bo), (t) => /number 2 of 2/.test(t), { what: 'Bo to be number 2 of 2' });
  await pollUntil(() => queue.allInnerTexts(), (rows) => rows.length === 2 && /Ann/.test(rows[0]) && /Bo/.test(rows[1]),
    { what: 'the host to see Ann, then Bo' });
  await host.page.getByRole('button', { name: 'Move Bo to the front' }).click();
  await pollUntil(() => place(bo), (t) => /number 1 of 2/.test(t), { what: 'Bo to be number 1 of 2' });
  await pollUntil(() => place(ann), (t) => /number 2 of 2/.test(t), { what: 'Ann to be number 2 of 2' });
  await pollUntil(() => queue.allInnerTexts(), (rows) => rows.length === 2 && /Bo/.test(rows[0]) && /Ann/.test(rows[1]),
    { what: 'the host to see Bo, then Ann' });
  await queue.first().getByTestId('admit').click();
  await becomesInCall(bo);
  await expectMediaFrom(host, bo);
  await pollUntil(() => place(ann), (t) => /number 1 of 1/.test(t), { what: 'Ann to move up to number 1 of 1' });
  assert.equal((await clientOf(ann)).peers, 0, 'Ann, still waiting, has no peer connection');

  // Lock: the line closes (Ann is told why) and Dee, trying again, is refused in words.
  const lock = (await host.openPanel('host')).getByRole('button', { name: 'Lock room' });
  await lock.click();
  await pollUntil(() => host.byTestId('lock-status').innerText(), (t) => /room is locked/.test(t), { what: 'the host to read that the room is locked' });
  await seesNotice(ann, /locked this room/, 'that the room was locked');
  assert.equal((await clientOf(ann)).waiting, null, 'Ann is out of the line');
  await pollUntil(() => queue.count(), (n) => n === 0, { what: "the host's line to be empty" });
  assert.equal(await host.byTestId('people-badge').isVisible(), false, 'nobody waits: no count on People');
  await dee.pressJoin();
  await seesNotice(dee, /locked this room/, 'that the room is locked');
  assert.deepEqual(await clientOf(dee), { state: 'error', role: null, waiting: null, peers: 0 });

  // Unlock: Dee tries once more, knocks and is let in.
  await host.byTestId('host-tools').getByRole('button', { name: 'Unlock room' }).click();
  await pollUntil(() => host.byTestId('lock-status').innerText(), (t) => /room is unlocked/.test(t), { what: 'the host to read that the room is unlocked' });
  await dee.pressJoin();
  await pollUntil(() => clientOf(dee), (c) => c.waiting, { what: 'Dee to wait in line after the unlock' });
  await host.openPanel('people');
  await queue.filter({ hasText: 'Dee' }).getByTestId('admit').click();
  await becomesInCall(dee);
  await expectMediaFrom(dee, host);
});

test('a wrong room password is explained and the right one lets the guest in, without a reload', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('pass');
  const host = await openRoomAsHost(room, 'Pat', { password: 'open sesame' });
  const quinn = await env.open(`/r/${room}?name=Quinn`, 'Quinn');
  await quinn.page.evaluate(() => { window.samePage = true; });

  await quinn.pressJoin();
  const password = quinn.page.getByLabel('Room password', { exact: true });
  await password.waitFor({ state: 'visible' });
  await pollUntil(() => quinn.page.getByRole('alert').allInnerTexts(), (t) => t.some((x) => /This room has a password/.test(x)),
    { what: 'Quinn to be told the room has a password' });
  await password.fill('open barley');
  await quinn.pressJoin();
  await pollUntil(() => quinn.page.getByRole('alert').allInnerTexts(), (t) => t.some((x) => /password isn't right/.test(x)),
    { what: 'Quinn to be told the password is wrong' });
  assert.equal(await password.getAttribute('aria-invalid'), 'true');
  assert.equal((await clientOf(quinn)).peers, 0);

  await password.fill('open sesame');
  await quinn.join();
  assert.equal(await quinn.page.evaluate(() => window.samePage), true, 'the page was not reloaded');
  await expectMediaFrom(quinn, host);
});
