// A manual check of the web client's forwarded rooms in a real Chromium while no forwarding
// server exists: the signaling is a stand-in (Playwright's routeWebSocket answers join, ping,
// trace, media-offer, media-answer and relays offer/answer/candidate), and a second page holds
// the RTCPeerConnections of the "forwarding server" and of Bob, a peer-to-peer participant.
// Not part of any suite; it prints what it saw for a person to read.
//
//   node tests/manual/forwarded-standin.mjs join      # join a forwarded room, see Bob through the
//                                                     # server, then the room goes peer to peer and
//                                                     # Bob (a stand-in) never answers: 10 s bound
//   node tests/manual/forwarded-standin.mjs move      # a mesh call with Bob moves to the server;
//                                                     # counts frames where Bob's tile shows nothing
//
// Needs playwright-core (the repository's devDependencies) and /usr/bin/chromium.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const scenario = process.argv[2] ?? 'join';
const root = fileURLToPath(new URL('../../web', import.meta.url));
const types = { js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml', html: 'text/html' };
const files = http.createServer(async (req, res) => {
  const path = req.url.split('?')[0];
  const file = path === '/' || path.startsWith('/r/') ? '/index.html' : path;
  try {
    const body = await readFile(root + file);
    res.setHeader('content-type', types[file.split('.').pop()] ?? 'application/octet-stream');
    res.end(body);
  } catch { res.statusCode = 404; res.end(); }
});
await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${files.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'] });
const context = await browser.newContext({ permissions: ['camera', 'microphone'] });

// The other side: the server's connection and Bob's, with Bob's fake camera and microphone.
const far = await context.newPage();
await far.goto(`${origin}/favicon.svg`);
await far.evaluate(async () => {
  const gathered = (pc) => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    else pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
  window.bob = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  window.server = new RTCPeerConnection();
  window.bobPc = new RTCPeerConnection();
  for (const track of bob.getTracks()) bobPc.addTrack(track, bob);
  // Answers with every candidate in the SDP, as the ICE-lite server does.
  window.answer = async (pc, sdp) => {
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription();
    await gathered(pc);
    return pc.localDescription.sdp;
  };
  window.offerBob = async () => {
    const a = server.addTransceiver(bob.getAudioTracks()[0], { direction: 'sendonly' });
    const v = server.addTransceiver(bob.getVideoTracks()[0], { direction: 'sendonly' });
    await server.setLocalDescription();
    await gathered(server);
    return { sdp: server.localDescription.sdp,
      tracks: [{ mid: a.mid, from: 'pb', source: 'microphone' }, { mid: v.mid, from: 'pb', source: 'camera' }] };
  };
});

const client = await context.newPage();
const errors = [];
client.on('pageerror', (error) => errors.push(error.message));
const sentByClient = [];
let toClient = null;
const roomState = (topology) => ({ admission: 'open', seats: 6, locked: false, sessionEndsAt: null, slotEndsAt: null, slotSeconds: 0, topology });
await client.routeWebSocket(/\/ws$/, (ws) => {
  let seq = 0;
  let version = 0;
  const send = (message) => ws.send(JSON.stringify(message));
  toClient = (message) => send({ ...message, seq: ++seq });
  ws.onMessage(async (raw) => {
    const m = JSON.parse(raw);
    sentByClient.push(m);
    const reply = (message) => send({ ...message, req: m.req });
    switch (m.type) {
      case 'ping': reply({ type: 'pong', t: m.t, serverTime: Date.now() }); break;
      case 'join':
        reply({ type: 'joined', v: 1, server: 'stand-in', room: m.room, resumeToken: 'pa.0',
          you: { id: 'pa', name: m.name, role: 'guest', connected: true, media: m.media },
          participants: [{ id: 'pb', name: 'Bob', role: 'host', connected: true, media: { mic: true, cam: true, screen: false } }],
          host: 'pb', state: roomState(scenario === 'join' ? 'forwarded' : 'mesh'), chat: [], hands: [],
          iceServers: [], iceTransportPolicy: 'all', maxRoomSize: 6, serverTime: Date.now() });
        break;
      case 'media-offer':
        reply({ type: 'media-answer', sdp: await far.evaluate((sdp) => answer(server, sdp), m.sdp) });
        if (version === 0) {
          version += 1;
          toClient({ type: 'media-offer', version, ...await far.evaluate(() => offerBob()) });
        }
        break;
      case 'media-answer':
        await far.evaluate((sdp) => server.setRemoteDescription({ type: 'answer', sdp }), m.sdp);
        reply({ type: 'ok' });
        break;
      case 'offer':
        reply({ type: 'ok' });
        // In "join", Bob is a stand-in that never answers peer to peer.
        if (scenario === 'move') toClient({ type: 'answer', from: 'pb', sdp: await far.evaluate((sdp) => answer(bobPc, sdp), m.sdp) });
        break;
      case 'candidate':
        if (m.req != null) reply({ type: 'ok' });
        if (m.candidate) await far.evaluate((c) => bobPc.addIceCandidate(c).catch(() => {}), m.candidate);
        break;
      case 'trace': reply({ type: 'trace', room: m.room, steps: [] }); break;
      default: if (m.req != null) reply({ type: 'ok' });
    }
  });
});

const logKeys = () => client.evaluate(() => [...document.querySelectorAll('.event-log__entry')].map((e) => e.dataset.key));
const logText = () => client.evaluate(() => [...document.querySelectorAll('.event-log__entry')].map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
const waitForLog = (keys, timeout) => client.waitForFunction((wanted) => [...document.querySelectorAll('.event-log__entry')]
  .some((e) => wanted.includes(e.dataset.key)), keys, { timeout });
const bobShown = () => client.waitForFunction(() => {
  const video = document.querySelector('[data-participant="pb"][data-kind="camera"] video');
  return video && video.videoWidth > 0 && video.srcObject?.getAudioTracks().length === 1;
}, null, { timeout: 15_000 });
const connections = () => client.evaluate(() => [...window.parley.peers].map(([id, pc]) => `${id}: ${pc.connectionState}`));

await client.goto(`${origin}/r/forward-check?name=Alice`);
await client.getByRole('button', { name: 'Join', exact: true }).click();
await client.waitForFunction(() => window.parley?.state === 'in-call', null, { timeout: 15_000 });
await bobShown();
console.log('Bob shown with picture and sound; connections:', await connections());

if (scenario === 'join') {
  const started = Date.now();
  toClient({ type: 'room-state', state: roomState('mesh') });
  await client.waitForTimeout(1500);
  console.log('1.5 s into the move to mesh, Bob still shown:', await client.evaluate(() =>
    document.querySelector('[data-participant="pb"][data-kind="camera"] video').videoWidth > 0));
  await waitForLog(['log.switch-late', 'log.switch-done-mesh'], 15_000);
  console.log(`move ended after ${Math.round((Date.now() - started) / 1000)} s; connections:`, await connections());
} else {
  await client.evaluate(() => {
    window.meshPc = window.parley.peers.get('pb');
    window.blank = [];
    const sample = () => {
      const tile = document.querySelector('[data-participant="pb"][data-kind="camera"]');
      const video = tile?.querySelector('video');
      const why = !tile ? 'no tile' : tile.classList.contains('tile--no-video') ? 'placeholder shown'
        : !video.srcObject ? 'no stream' : video.videoWidth === 0 ? 'no frame yet' : null;
      if (why) window.blank.push(why);
      window.sampler = requestAnimationFrame(sample);
    };
    sample();
  });
  const started = Date.now();
  toClient({ type: 'room-state', state: roomState('forwarded') });
  await waitForLog(['log.switch-done-forwarded', 'log.switch-late'], 20_000);
  await client.waitForTimeout(1000);
  const seen = await client.evaluate(() => {
    cancelAnimationFrame(window.sampler);
    return { meshLink: window.meshPc.connectionState, blankFrames: window.blank,
      bobNowThroughServer: window.parley.peers.get('pb') !== window.meshPc };
  });
  console.log(`move took ${Date.now() - started} ms:`, JSON.stringify(seen));
}
console.log('client sent:', sentByClient.filter((m) => !['ping', 'candidate'].includes(m.type))
  .map((m) => m.type + (m.tracks ? JSON.stringify(m.tracks) : '') + (m.version ? ` v${m.version}` : '')).join(' | '));
console.log((await logText()).slice(-12).join('\n'));
console.log('log keys used:', [...new Set(await logKeys())].length, 'page errors:', errors);
await browser.close();
files.close();
