// A summary of one peer connection's getStats() for the diagnostics panel: round-trip time,
// packet loss, bitrates, the received video's size and frame rate, and which kinds of ICE
// candidates the selected pair joins (host, srflx, prflx, relay). Pure: it takes the stats as
// an array of plain objects (what RTCStatsReport.values() yields), so node --test can run it.

// The candidate pair ICE is using now: the transport names it (Chromium, Safari); Firefox marks
// the pair itself; a nominated, succeeded pair is the last resort.
function selectedPair(byId, stats) {
  for (const s of stats) {
    if (s.type === 'transport' && s.selectedCandidatePairId && byId.has(s.selectedCandidatePairId)) {
      return byId.get(s.selectedCandidatePairId);
    }
  }
  return stats.find((s) => s.type === 'candidate-pair' && s.selected)
    ?? stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded')
    ?? null;
}

const sum = (items, key) => items.reduce((total, s) => total + (Number(s[key]) || 0), 0);

// stats: array of RTCStats objects; previous: the `counters` of the last summary of the same
// connection (for bitrates), or null. Values that cannot be known yet are null.
export function summarizeStats(stats, previous = null) {
  const list = Array.isArray(stats) ? stats : [];
  const byId = new Map(list.map((s) => [s.id, s]));
  const pair = selectedPair(byId, list);
  const inbound = list.filter((s) => s.type === 'inbound-rtp');
  const outbound = list.filter((s) => s.type === 'outbound-rtp');

  let rttMs = null;
  if (pair && Number.isFinite(pair.currentRoundTripTime)) rttMs = pair.currentRoundTripTime * 1000;
  else {
    const remote = list.find((s) => s.type === 'remote-inbound-rtp' && Number.isFinite(s.roundTripTime));
    if (remote) rttMs = remote.roundTripTime * 1000;
  }

  const lost = sum(inbound, 'packetsLost');
  const received = sum(inbound, 'packetsReceived');
  const packetLossPct = lost + received > 0 ? (Math.max(0, lost) / (lost + received)) * 100 : null;

  const timestamps = list.map((s) => Number(s.timestamp)).filter(Number.isFinite);
  const counters = {
    at: timestamps.length ? Math.max(...timestamps) : null,
    bytesIn: sum(inbound, 'bytesReceived'),
    bytesOut: sum(outbound, 'bytesSent'),
  };
  const rate = (key) => {
    if (!previous || counters.at === null || previous.at === null) return null;
    const ms = counters.at - previous.at;
    const bytes = counters[key] - previous[key];
    return ms > 0 && bytes >= 0 ? (bytes * 8) / ms : null; // bits per ms = kbit/s
  };

  // The largest picture received stands for "the video" (a screen share may come beside it).
  const video = inbound.filter((s) => s.kind === 'video' && s.frameWidth > 0 && s.frameHeight > 0)
    .sort((a, b) => b.frameWidth * b.frameHeight - a.frameWidth * a.frameHeight)[0] ?? null;

  return {
    rttMs,
    packetLossPct,
    inboundKbps: rate('bytesIn'),
    outboundKbps: rate('bytesOut'),
    video: video ? {
      width: video.frameWidth,
      height: video.frameHeight,
      fps: Number.isFinite(video.framesPerSecond) ? video.framesPerSecond : null,
      framesDecoded: video.framesDecoded ?? 0,
    } : null,
    localCandidateType: (pair && byId.get(pair.localCandidateId)?.candidateType) ?? null,
    remoteCandidateType: (pair && byId.get(pair.remoteCandidateId)?.candidateType) ?? null,
    counters,
  };
}
