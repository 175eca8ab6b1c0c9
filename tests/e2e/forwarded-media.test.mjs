// A forwarded room, through the server alone: three pages, each with exactly one peer connection
// (to the server), decode every other page's video and receive its audio, and the counters keep
// rising. The pages speak the protocol with a minimal client of their own
// (lib/forwarded-peer.mjs), so this proves the server's side of forwarding. The server's RTCP
// reaches the browsers too: each receiver has remote-outbound-rtp for what it receives (the
// publishers' sender reports, passed on), and each publisher a round-trip time in its
// remote-inbound-rtp (the server's receiver reports).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley } from './lib/fixture.mjs';
import { forwardedInbound, forwardedRtcp, joinForwarded, selectedPath } from './lib/forwarded-peer.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley({ serverArgs: ['--topology', 'forward', '--media-port', '0'] });

test('three pages in a forwarded room see and hear each other through the server', async () => {
  const pages = [];
  for (const name of ['Ann', 'Ben', 'Cat']) {
    const page = await env.open('/', name);
    const joined = await joinForwarded(page, 'forwarded-three');
    assert.equal(joined.topology, 'forwarded');
    page.id = joined.id;
    pages.push(page);
  }
  for (const receiver of pages) {
    const others = pages.filter((p) => p !== receiver);
    const first = await pollUntil(() => forwardedInbound(receiver),
      (s) => others.every((o) => s.from[o.id]?.framesDecoded > 0 && s.from[o.id]?.audioBytes > 0),
      { what: `${receiver.label} decoding video and receiving audio from ${others.map((o) => o.label).join(' and ')}` });
    await pollUntil(() => forwardedInbound(receiver),
      (s) => others.every((o) => s.from[o.id].framesDecoded > first.from[o.id].framesDecoded &&
                                 s.from[o.id].audioBytes > first.from[o.id].audioBytes),
      { what: `${receiver.label}'s counters from the others to keep rising` });
    assert.equal(first.connection, 'connected');
  }
  // Each page has one connection: the server's offers went to it (no offer, answer or
  // candidate between pages), and the server's counters show what it forwarded.
  const metrics = await (await fetch(`${env.server.origin}/metrics`)).text();
  const forwarded = Number(/^parley_media_forwarded_packets_total (\d+)/m.exec(metrics)?.[1] ?? 0);
  assert.ok(forwarded > 0, `the server forwarded nothing: ${metrics.split('\n').filter((l) => l.startsWith('parley_media')).join('; ')}`);

  // Sender reports for audio and video reach Ann (what lets her browser sync them), and her own
  // camera and microphone have a round-trip time from the server's receiver reports.
  await pollUntil(() => forwardedRtcp(pages[0]),
    (s) => s.remoteOutbound.includes('audio') && s.remoteOutbound.includes('video') &&
           s.roundTripTime.audio !== undefined && s.roundTripTime.video !== undefined,
    { what: "Ann's remote-outbound-rtp for audio and video and a round-trip time for what she sends" });
});

// A page whose network blocks UDP (it never sees the server's UDP candidates) reaches the server
// over its passive TCP candidate (ICE-TCP, RFC 6544) and still sees and hears a page on UDP.
test('a page that cannot use UDP exchanges media with another over the server\'s TCP candidate', async () => {
  const onUdp = await env.open('/', 'Una');
  const onTcp = await env.open('/', 'Ted');
  for (const [page, udpBlocked] of [[onUdp, false], [onTcp, true]]) {
    const joined = await joinForwarded(page, 'forwarded-tcp', { udpBlocked });
    page.id = joined.id;
  }
  for (const [receiver, sender] of [[onTcp, onUdp], [onUdp, onTcp]]) {
    const first = await pollUntil(() => forwardedInbound(receiver),
      (s) => s.from[sender.id]?.framesDecoded > 0 && s.from[sender.id]?.audioBytes > 0,
      { what: `${receiver.label} decoding video and receiving audio from ${sender.label}` });
    await pollUntil(() => forwardedInbound(receiver),
      (s) => s.from[sender.id].framesDecoded > first.from[sender.id].framesDecoded,
      { what: `${receiver.label}'s video from ${sender.label} to keep coming` });
  }
  const tcp = await selectedPath(onTcp);
  assert.equal(tcp?.remote, 'tcp', `Ted's selected pair: ${JSON.stringify(tcp)}`);
  assert.equal(tcp.local, 'tcp');
  const udp = await selectedPath(onUdp);
  assert.equal(udp?.remote, 'udp', `Una's selected pair (UDP wins where it works): ${JSON.stringify(udp)}`);
  const metrics = await (await fetch(`${env.server.origin}/metrics`)).text();
  assert.match(metrics, /^parley_media_tcp_connections [1-9]/m);
});
