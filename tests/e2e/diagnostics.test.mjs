// The diagnostics panel: the signaling chain per peer from the server's trace and the local
// connection, live getStats() numbers, "Restart connection" (a real ICE restart that the
// server's trace records and media survive), "Copy report" without secrets, and a chain broken
// on purpose shown as broken at the right step; in a forwarded room, the server's own counters
// (media-report) saying that the other's video reaches the server and is forwarded to you.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley();
const CHAIN = ['offer', 'offer-relay', 'answer', 'answer-relay', 'candidates-out', 'candidates-in', 'connected'];

// What the panel shows about one peer, read from its data-testid contract.
function panelFor(viewer, peerId) {
  return viewer.page.evaluate((peerId) => {
    const root = document.querySelector(`[data-testid="diag-peer-${peerId}"]`);
    if (!root || root.closest('[hidden]')) return null;
    const one = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    const steps = {};
    for (const item of root.querySelectorAll('[data-testid^="diag-step-"]')) {
      steps[item.dataset.testid.slice('diag-step-'.length)] = { state: item.dataset.state, first: item.dataset.first === 'true', text: item.textContent };
    }
    return {
      steps,
      firstBroken: root.dataset.firstBroken,
      rtt: one('diag-rtt').dataset.value,
      localType: one('diag-candidate-type').dataset.local,
      remoteType: one('diag-candidate-type').dataset.remote,
      width: Number(one('diag-resolution').dataset.width),
      height: Number(one('diag-resolution').dataset.height),
      fps: one('diag-fps').dataset.value,
      iceRestarts: Number(one('diag-ice-restarts').dataset.count),
      connection: one('diag-connection-state').dataset.value,
    };
  }, peerId);
}

const allDone = (panel) => panel && CHAIN.every((name) => panel.steps[name]?.state === 'done');
const numeric = (value) => value !== '' && value !== undefined && Number.isFinite(Number(value));

// The ICE username fragments of both descriptions on the viewer's connection to a peer.
function iceUfrags(viewer, peerId) {
  return viewer.page.evaluate((peerId) => {
    const pc = window.parley.peers.get(peerId);
    const ufrag = (d) => d?.sdp.match(/^a=ice-ufrag:(\S+)/m)?.[1] ?? null;
    return { local: ufrag(pc?.localDescription), remote: ufrag(pc?.remoteDescription), signaling: pc?.signalingState };
  }, peerId);
}

async function videoFramesFrom(viewer, peerId) {
  const sample = await viewer.inboundFrom(peerId);
  return Math.max(0, ...(sample?.inbound ?? []).filter((s) => s.kind === 'video').map((s) => s.framesDecoded));
}

// A line of the "Through the server" section: one stream as the server counts it.
function mediaLine(viewer, publisher, source) {
  return viewer.page.evaluate(([publisher, source]) => {
    const item = [...document.querySelectorAll('[data-testid="diag-media-stream"]')]
      .find((el) => el.dataset.publisher === publisher && el.dataset.source === source && !el.closest('[hidden]'));
    if (!item) return null;
    const forwarded = item.querySelector('[data-testid="diag-media-forwarded"]');
    return {
      text: item.textContent, reaches: item.dataset.reaches === 'true', kbps: Number(item.dataset.kbps),
      forwardedKbps: forwarded ? Number(forwarded.dataset.kbps) : null,
    };
  }, [publisher, source]);
}

async function openPanel(viewer) {
  await viewer.page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
  assert.equal(await viewer.byTestId('diagnostics-toggle').getAttribute('aria-expanded'), 'true');
  assert.ok(await viewer.byTestId('diagnostics-panel').isVisible(), 'the panel opens');
}

test('the panel shows the chain and live stats; restart renews ICE; the report has no secrets',
  { timeout: 120_000 }, async () => {
    const room = uniqueRoom('diag');
    const alice = await env.open(`/r/${room}?name=Alice`, 'Alice');
    const secrets = [];
    alice.page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      const token = /"resumeToken"\s*:\s*"([^"]+)"/.exec(String(payload))?.[1];
      if (token) secrets.push(token);
    }));
    await alice.join();
    const bob = await env.join(room, 'Bob');

    await openPanel(alice);
    const healthy = await pollUntil(() => panelFor(alice, bob.id),
      (p) => allDone(p) && numeric(p.rtt) && p.localType && p.width > 0 && p.height > 0 && Number(p.fps) > 0,
      { what: 'Alice\'s panel to show a complete chain and live stats for Bob' });
    assert.equal(healthy.firstBroken, '', 'nothing is broken');
    assert.deepEqual([healthy.localType, healthy.remoteType], ['host', 'host'], 'loopback only: host candidates');
    assert.equal(healthy.connection, 'connected');
    assert.equal(await alice.byTestId('diag-media').isHidden(), true, 'a peer-to-peer room has nothing at the server');
    assert.ok(Object.values(healthy.steps).every((s) => !s.first));

    // Restart connection: new ICE credentials on both descriptions, a restart in the server's
    // trace, and video still decoding afterwards.
    const before = await iceUfrags(alice, bob.id);
    assert.ok(before.local && before.remote, `ufrags before: ${JSON.stringify(before)}`);
    const restartButton = alice.page.getByRole('button', { name: 'Restart connection to Bob', exact: true });
    assert.equal(await restartButton.getAttribute('data-testid'), `diag-restart-ice-${bob.id}`, 'named for the person');
    await restartButton.click();
    await pollUntil(() => iceUfrags(alice, bob.id),
      (u) => u.local && u.remote && u.local !== before.local && u.remote !== before.remote && u.signaling === 'stable',
      { what: 'new ICE ufrags on both sides after the restart' });
    const restarted = await pollUntil(() => panelFor(alice, bob.id), (p) => p.iceRestarts >= 1 && allDone(p),
      { what: 'the server\'s trace to record the ICE restart' });
    assert.equal(restarted.iceRestarts, 1);
    const framesAfter = await videoFramesFrom(alice, bob.id);
    await pollUntil(() => videoFramesFrom(alice, bob.id), (n) => n > framesAfter,
      { what: 'Bob\'s video to keep decoding at Alice after the restart' });
    const bobFrames = await videoFramesFrom(bob, alice.id);
    await pollUntil(() => videoFramesFrom(bob, alice.id), (n) => n > bobFrames,
      { what: 'Alice\'s video to keep decoding at Bob after the restart' });

    // Copy report through the clipboard.
    await alice.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: alice.origin });
    await alice.press('diag-copy-report');
    await pollUntil(() => alice.byTestId('diag-copy-status').textContent(), (text) => /copied/i.test(text),
      { what: 'the copy confirmation' });
    const copied = await alice.page.evaluate(() => navigator.clipboard.readText());
    const report = JSON.parse(copied);
    assert.equal(report.room, room);
    assert.equal(report.selfId, alice.id);
    assert.match(report.browser, /Chrome/);
    const [peer] = report.peers;
    assert.equal(peer.id, bob.id);
    assert.equal(peer.name, 'Bob');
    assert.deepEqual(peer.chain.map((s) => [s.step, s.state]), CHAIN.map((name) => [name, 'done']));
    assert.equal(peer.stats.localCandidateType, 'host');
    assert.ok(Number.isFinite(peer.stats.rttMs));
    assert.equal(peer.iceRestarts, 1);
    assert.ok(peer.trace.some((s) => s.kind === 'ice-restart'), 'the trace excerpt shows the restart');
    assert.ok(secrets.length > 0, 'the test saw Alice\'s resume token');
    for (const secret of secrets) assert.ok(!copied.includes(secret), 'the report holds no resume token');
    assert.doesNotMatch(copied, /"[^"]*(token|password)[^"]*"\s*:/i, 'no key names a token or password');

    // The clipboard refused: the report is shown for copying by hand.
    await alice.page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
      document.execCommand = () => false;
    });
    await alice.press('diag-copy-report');
    const area = alice.byTestId('diag-report-text');
    await pollUntil(() => area.isVisible(), Boolean, { what: 'the report text to be shown' });
    assert.equal(JSON.parse(await area.inputValue()).selfId, alice.id);
    assert.match(await alice.byTestId('diag-copy-status').textContent(), /did not allow/);
  });

test('a chain broken on purpose is shown broken at its first missing step', { timeout: 60_000 }, async () => {
  const room = uniqueRoom('diag-broken');
  const alice = await env.open(`/r/${room}?name=Alice`, 'Alice');
  const bob = await env.open(`/r/${room}?name=Bob`, 'Bob');
  // Whoever answers the first offer drops the answer: the offer goes through, no answer comes.
  for (const person of [alice, bob]) await person.page.evaluate(() => window.parley.faults.dropOutgoing(['answer']));
  await alice.join();
  await bob.join();

  await openPanel(alice);
  const broken = await pollUntil(() => panelFor(alice, bob.id),
    (p) => p?.steps['offer-relay']?.state === 'done' && p.steps.answer?.state === 'missing',
    { what: 'Alice\'s panel to show the offer relayed and no answer' });
  assert.equal(broken.steps.offer.state, 'done');
  assert.equal(broken.firstBroken, 'answer');
  assert.deepEqual(Object.entries(broken.steps).filter(([, s]) => s.first).map(([name]) => name), ['answer'],
    'exactly the first missing step is marked');
  assert.match(broken.steps.answer.text, /missing/);
  assert.match(broken.steps.answer.text, /the chain stops here/);
  assert.notEqual(broken.steps.connected.state, 'done');
  assert.notEqual(broken.connection, 'connected');
});

test('in a forwarded room, Bob\'s panel shows from the server\'s counters that Alice\'s video reaches it and is forwarded to him',
  { timeout: 60_000 }, async () => {
    const server = await env.startServer(['--topology', 'forward', '--media-port', '0']);
    const room = uniqueRoom('diag-forwarded');
    const alice = await env.join(room, 'Alice', { server });
    const bob = await env.join(room, 'Bob', { server });
    await openPanel(bob);
    const camera = await pollUntil(() => mediaLine(bob, alice.id, 'camera'),
      (line) => line?.reaches && line.kbps > 0 && line.forwardedKbps > 0,
      { what: 'Bob\'s panel to show Alice\'s camera reaching the server and forwarded to him' });
    assert.match(camera.text, /Alice: their camera reaches the server, [\d,. ]+ kbit\/s/);
    assert.match(camera.text, /the server forwards it to you: [\d,. ]+ kbit\/s/);
    const own = await pollUntil(() => mediaLine(bob, bob.id, 'camera'), (line) => line?.reaches,
      { what: 'Bob\'s panel to show his own camera reaching the server' });
    assert.match(own.text, /The server receives your camera/);
    assert.equal(await bob.byTestId('diag-media-transport').getAttribute('data-state'), 'connected');
  });
