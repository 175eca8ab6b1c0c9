// A minimal client of a forwarded room, written from docs/protocol.md alone ("Forwarded rooms")
// and run inside a page: one RTCPeerConnection to the server, the page's fake camera and
// microphone published on it, the server's offers answered. It proves the server's side
// without the web client, and that the contract is enough to write a client from.
//
// { udpBlocked: true } plays a browser on a network that blocks UDP: the server's UDP
// candidates are taken out of every description it sends before the page applies it, so the
// only way to the server is its passive TCP candidate (ICE-TCP).
export async function joinForwarded(participant, room, { udpBlocked = false } = {}) {
  return participant.page.evaluate(async ({ room, name, udpBlocked }) => {
    const reachable = (sdp) => (udpBlocked ? sdp.split('\r\n').filter((line) => !/^a=candidate:\S+ \d+ udp /i.test(line)).join('\r\n') : sdp);
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
    const pc = new RTCPeerConnection();
    const state = { pc, log: [], tracks: [], offersAnswered: 0, offersIgnored: 0 };
    window.__forwarded = state;
    for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });

    let nextReq = 0;
    const replies = new Map();
    const send = (message) => ws.send(JSON.stringify(message));
    const request = (message) => new Promise((resolve) => {
      const req = ++nextReq;
      replies.set(req, resolve);
      send({ ...message, req });
    });
    let awaitingAnswer = false;
    // Frames are handled one after another, in order: a server offer that comes after the
    // reply to our own offer is applied after that reply (the protocol's rule).
    let chain = Promise.resolve();
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      chain = chain.then(async () => {
        if (message.req !== undefined && replies.has(message.req)) {
          const resolve = replies.get(message.req);
          replies.delete(message.req);
          await resolve(message);
          return;
        }
        if (message.type !== 'media-offer') return;
        if (awaitingAnswer) {  // glare: the server yields and will offer again
          state.offersIgnored += 1;
          return;
        }
        await pc.setRemoteDescription({ type: 'offer', sdp: reachable(message.sdp) });
        await pc.setLocalDescription();
        state.tracks = message.tracks;
        // The reply is handled by a later turn of the chain: not awaited here.
        const req = ++nextReq;
        replies.set(req, (reply) => state.log.push(`answered ${message.version}: ${reply.type}`));
        send({ type: 'media-answer', req, version: message.version, sdp: pc.localDescription.sdp });
        state.offersAnswered += 1;
      }).catch((error) => state.log.push(`error: ${error.message}`));
    };

    const joined = await request({ type: 'join', v: 1, room, name, media: { mic: true, cam: true, screen: false } });
    state.id = joined.you?.id;
    state.topology = joined.state?.topology;
    awaitingAnswer = true;
    await pc.setLocalDescription();
    const tracks = pc.getTransceivers().map((t) => ({ mid: t.mid, source: t.sender.track.kind === 'audio' ? 'microphone' : 'camera' }));
    await new Promise((resolve) => {
      const req = ++nextReq;
      replies.set(req, async (reply) => {
        if (reply.type !== 'media-answer') throw new Error(`media-offer refused: ${JSON.stringify(reply)}`);
        await pc.setRemoteDescription({ type: 'answer', sdp: reachable(reply.sdp) });
        awaitingAnswer = false;
        resolve();
      });
      send({ type: 'media-offer', req, sdp: pc.localDescription.sdp, tracks });
    });
    return { id: state.id, topology: state.topology };
  }, { room, name: participant.label, udpBlocked });
}

// What the page's one connection receives, per sender (the server's offer names whose each
// m-section is): decoded video frames and audio bytes.
export async function forwardedInbound(participant) {
  return participant.page.evaluate(async () => {
    const { pc, tracks } = window.__forwarded;
    const owner = new Map(tracks.map((t) => [t.mid, t.from]));
    const byMid = new Map(pc.getTransceivers().map((t) => [t.receiver.track.id, t.mid]));
    const report = await pc.getStats();
    const from = {};
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      const who = owner.get(s.mid ?? byMid.get(s.trackIdentifier));
      if (!who) return;
      from[who] ??= { framesDecoded: 0, audioBytes: 0 };
      if (s.kind === 'video') from[who].framesDecoded += s.framesDecoded ?? 0;
      if (s.kind === 'audio') from[who].audioBytes += s.bytesReceived ?? 0;
    });
    return { from, connection: pc.connectionState, connections: 1 };
  });
}

// The page's selected ICE path to the server, from getStats(): the protocol ('udp' or 'tcp')
// of the remote (the server's) and local candidates of the nominated pair in use.
export async function selectedPath(participant) {
  return participant.page.evaluate(async () => {
    const report = await window.__forwarded.pc.getStats();
    let pairId;
    report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
    const pair = pairId && report.get(pairId);
    if (!pair) return null;
    const remote = report.get(pair.remoteCandidateId);
    const local = report.get(pair.localCandidateId);
    return { remote: remote?.protocol, remoteType: remote?.candidateType, local: local?.protocol, port: remote?.port, bytesReceived: pair.bytesReceived };
  });
}

// What RTCP the page's connection has seen: the kinds it has remote-outbound-rtp for (the
// server's sender reports about what it receives) and the round-trip time of each kind it
// sends (remote-inbound-rtp, from the server's receiver reports quoting the page's own SRs).
export async function forwardedRtcp(participant) {
  return participant.page.evaluate(async () => {
    const report = await window.__forwarded.pc.getStats();
    const remoteOutbound = [];
    const roundTripTime = {};
    report.forEach((s) => {
      if (s.type === 'remote-outbound-rtp' && (s.packetsSent ?? 0) > 0) remoteOutbound.push(s.kind);
      if (s.type === 'remote-inbound-rtp' && s.roundTripTime !== undefined) roundTripTime[s.kind] = s.roundTripTime;
    });
    return { remoteOutbound: [...new Set(remoteOutbound)].sort(), roundTripTime };
  });
}
