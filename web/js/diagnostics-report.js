// The text behind "Copy report": what a person pastes into a bug report or a chat with whoever
// runs the server. JSON, so it reads as text and parses as data. It is built from named fields
// only, and anything that looks like a secret (the resume token, passwords, TURN credentials)
// is cut out again on the way, in case a field ever carries one.

const TRACE_EXCERPT = 30; // the latest steps per peer; the operator has the whole trace
const SECRET_KEY = /token|password|secret|credential/i;

export function withoutSecrets(value) {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    const clean = {};
    for (const [key, inner] of Object.entries(value)) {
      if (!SECRET_KEY.test(key)) clean[key] = withoutSecrets(inner);
    }
    return clean;
  }
  return value;
}

const round = (value, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);

function traceStep(step) {
  const out = { at: new Date(step.at).toISOString(), kind: step.kind, from: step.from };
  if (step.to) out.to = step.to;
  if (step.outcome) out.outcome = step.outcome;
  if (step.bytes) out.bytes = step.bytes;
  return out;
}

// peers: [{ id, name, chain (deriveChain), stats (summarizeStats) | null, connectionState,
// iceConnectionState, trace (the pair's steps) }]; media: describeMediaReport() of the server's
// media-report in a forwarded room, or null.
export function buildReport({ now, userAgent, language, room, selfId, peers, traceError = null, media = null }) {
  const report = {
    app: 'parley',
    generatedAt: new Date(now).toISOString(),
    browser: String(userAgent ?? ''),
    language: language ?? null,
    room: room ?? null,
    selfId: selfId ?? null,
    traceError,
    media: media ? {
      // The address is the person's own (as the server sees it) and stays out of a pasted report.
      transport: media.transport ? { state: media.transport.state, protocol: media.transport.protocol } : null,
      streams: media.lines.map((line) => ({
        publisher: line.publisher, source: line.source, kind: line.kind, mine: line.mine,
        reachesServerKbps: line.reachesKbps,
        forwardedToYouKbps: line.forwarded?.kbps ?? null,
        nacks: line.forwarded?.nacks ?? null,
        keyframeRequests: line.forwarded?.plis ?? null,
      })),
    } : null,
    peers: (peers ?? []).map((peer) => ({
      id: peer.id,
      name: peer.name,
      connectionState: peer.connectionState ?? null,
      iceConnectionState: peer.iceConnectionState ?? null,
      firstBrokenStep: peer.chain?.firstBroken ?? null,
      iceRestarts: peer.chain?.iceRestarts ?? 0,
      chain: (peer.chain?.steps ?? []).map((step) => {
        const out = { step: step.name, state: step.state };
        if (step.by) out.by = step.by;
        if (step.outcome) out.outcome = step.outcome;
        if (step.count !== undefined) out.count = step.count;
        if (step.source) out.source = step.source;
        return out;
      }),
      stats: peer.stats ? {
        rttMs: round(peer.stats.rttMs),
        packetLossPct: round(peer.stats.packetLossPct, 2),
        inboundKbps: round(peer.stats.inboundKbps),
        outboundKbps: round(peer.stats.outboundKbps),
        video: peer.stats.video,
        localCandidateType: peer.stats.localCandidateType,
        remoteCandidateType: peer.stats.remoteCandidateType,
      } : null,
      trace: (peer.trace ?? []).slice(-TRACE_EXCERPT).map(traceStep),
    })),
  };
  return JSON.stringify(withoutSecrets(report), null, 2);
}
