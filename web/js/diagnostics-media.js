// The server's side of a forwarded room, for the diagnostics panel: the `media-report` reply
// (docs/protocol.md) turned into lines a person can read. For each stream in the room: does it
// reach the server (its bit rate there), and for someone else's, does the server forward it to
// you (bit rate, NACKs, keyframe requests). "Why can't I see Alice" then reads as "Alice's camera
// does not reach the server" or "the server does not forward it to you", from the server's own
// counters. Pure: the panel renders what this returns.

const kbps = (bitsPerSecond) => (Number.isFinite(bitsPerSecond) ? Math.round(bitsPerSecond / 1000) : 0);
// Loss in percent with one decimal, round trips in whole milliseconds; absent: not measured yet.
const percent = (value) => Math.round(value * 10) / 10;
const measured = (value) => Number.isFinite(value);

// How a stream fares on the way, from the receiver reports the server gets and sends: loss on
// the way to the server (yours), or loss and the round trip on the way to you (someone else's).
function qualityOf(stream, toMe, mine) {
  const quality = [];
  if (mine) {
    if (measured(stream.lossPercent)) quality.push({ key: 'diag.media.loss-in', args: { loss: percent(stream.lossPercent) } });
    return quality;
  }
  if (measured(toMe?.lossPercent)) quality.push({ key: 'diag.media.loss-out', args: { loss: percent(toMe.lossPercent) } });
  if (measured(toMe?.rttMs)) quality.push({ key: 'diag.media.rtt', args: { rtt: Math.round(toMe.rttMs) } });
  return quality;
}

// reply: the media-report reply; selfId: this participant. Returns
// { transport: { state, remoteAddress, protocol } | null,
//   lines: [{ key, args, publisher, source, kind, mine, reachesKbps, forwarded|null,
//             quality: [{ key, args }] (loss and round trip, where the server has measured them) }] }
// where `key` is the i18n key of the sentence and `args` its values. Yours come first, then the
// others in the order the server lists them (by participant).
export function describeMediaReport(reply, selfId) {
  const media = reply?.media ?? {};
  const me = (media.participants ?? []).find((p) => p.id === selfId) ?? null;
  const transport = me ? { state: me.transport, remoteAddress: me.remoteAddress, protocol: me.protocol } : null;
  const lines = [];
  for (const stream of media.streams ?? []) {
    const mine = stream.publisher === selfId;
    const reachesKbps = kbps(stream.bitsPerSecond);
    // A stream the server has never received a packet of does not reach it; one that stopped
    // (0 over the last interval) is said as such too.
    const reaches = stream.packets > 0 && stream.bitsPerSecond > 0;
    const base = {
      publisher: stream.publisher, name: stream.name, source: stream.source, kind: stream.kind, mine,
      reaches, reachesKbps, packets: stream.packets,
    };
    if (mine) {
      lines.push({
        ...base,
        key: reaches ? `diag.media.mine-reaches.${stream.source}` : `diag.media.mine-missing.${stream.source}`,
        args: { n: reachesKbps, people: stream.subscribers ?? 0 },
        forwarded: null,
        quality: qualityOf(stream, null, true),
      });
      continue;
    }
    const toMe = (stream.subscriptions ?? [])[0] ?? null;
    const forwarding = toMe != null && toMe.packets > 0 && toMe.bitsPerSecond > 0;
    lines.push({
      ...base,
      key: reaches ? `diag.media.reaches.${stream.source}` : `diag.media.missing.${stream.source}`,
      args: { who: stream.name || stream.publisher, n: reachesKbps },
      forwarded: toMe == null ? { key: 'diag.media.not-subscribed', args: {}, kbps: null } : {
        key: forwarding ? 'diag.media.forwarded' : 'diag.media.not-forwarded',
        args: { n: kbps(toMe.bitsPerSecond), nacks: toMe.nacks ?? 0, plis: (toMe.plis ?? 0) + (toMe.firs ?? 0) },
        kbps: kbps(toMe.bitsPerSecond),
        packets: toMe.packets,
        nacks: toMe.nacks ?? 0,
        plis: (toMe.plis ?? 0) + (toMe.firs ?? 0),
      },
      quality: qualityOf(stream, toMe, false),
    });
  }
  lines.sort((a, b) => Number(b.mine) - Number(a.mine));
  return { transport, lines };
}
