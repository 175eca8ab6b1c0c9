// Proof that media really flows, from getStats(): counters that rise between two samples on
// the connection to one named remote participant. A tile or a <video> existing proves nothing.
import assert from 'node:assert/strict';

import { pollUntil } from './poll.mjs';

// Counter growth of one kind ('video' framesDecoded, 'audio' bytesReceived) between two
// samples, per inbound stream; a stream missing from `before` counts from zero.
function growth(before, after, kind, counter) {
  const start = new Map(before.inbound.filter((s) => s.kind === kind).map((s) => [s.id, s[counter]]));
  return Math.max(0, ...after.inbound.filter((s) => s.kind === kind)
    .map((s) => s[counter] - (start.get(s.id) ?? 0)));
}

const anyPositive = (sample, kind, counter) =>
  sample.inbound.some((s) => s.kind === kind && s[counter] > 0);

// `receiver` decodes video frames and receives audio bytes from `sender` — on the connection
// the receiver keeps for the sender's id, which is the mirror image of the sender's connection
// to the receiver (same candidate ports), so the media cannot be the receiver's own.
// With the default topology (auto) a room moves to the server when a third person joins, and
// back when two remain; a check that samples one end before the move and the other after it is
// taken again on the connections both have then (at most `attempts` times).
export async function expectMediaFrom(receiver, sender, attempts = 3) {
  assert.ok(receiver.id && sender.id, 'both participants must have joined');
  assert.notEqual(receiver.id, sender.id, `${receiver.label} and ${sender.label} have the same id`);
  const route = `${sender.label} → ${receiver.label}`;

  const first = await pollUntil(() => receiver.inboundFrom(sender.id),
    (s) => s && anyPositive(s, 'video', 'framesDecoded') && anyPositive(s, 'audio', 'bytesReceived'),
    { what: `${route}: first decoded video frames and audio bytes` });
  const later = await pollUntil(() => receiver.inboundFrom(sender.id),
    (s) => s && growth(first, s, 'video', 'framesDecoded') > 0 && growth(first, s, 'audio', 'bytesReceived') > 0,
    { what: `${route}: video framesDecoded and audio bytesReceived to rise` });

  assert.ok(later.localPort && later.remotePort, `${route}: no selected candidate pair`);
  // Through the server the streams are the sender's by the server's offer (inboundFrom keeps
  // only the m-sections it assigned to them); peer to peer, by the mirrored connection.
  if (later.forwarded) return;
  const mirror = await pollUntil(() => sender.inboundFrom(receiver.id), (s) => s?.localPort,
    { what: `${sender.label}'s selected candidate pair towards ${receiver.label}` });
  const moving = mirror.forwarded || (await receiver.inboundFrom(sender.id))?.forwarded;
  if (moving && attempts > 1) return expectMediaFrom(receiver, sender, attempts - 1);
  assert.deepEqual([later.remotePort, later.localPort], [mirror.localPort, mirror.remotePort],
    `${route}: ${receiver.label}'s connection does not lead to ${sender.label}'s`);
}

// Every ordered pair of participants exchanges media.
export async function expectEveryoneHearsAndSeesEveryone(participants) {
  for (const receiver of participants) {
    for (const sender of participants) {
      if (receiver !== sender) await expectMediaFrom(receiver, sender);
    }
  }
}

// Inbound video streams on the receiver's connection to `sender` right now (ids of stats).
export async function inboundVideoIds(receiver, sender) {
  const sample = await receiver.inboundFrom(sender.id);
  return new Set((sample?.inbound ?? []).filter((s) => s.kind === 'video').map((s) => s.id));
}

// A video stream not among `knownIds` arrives from `sender` at width×height and keeps decoding.
export async function expectNewVideoFrom(receiver, sender, knownIds, { width, height }) {
  const route = `${sender.label} → ${receiver.label}`;
  const fresh = (s) => s.kind === 'video' && !knownIds.has(s.id);
  const sized = (s) => fresh(s) && s.framesDecoded > 0 && s.frameWidth === width && s.frameHeight === height;
  const first = await pollUntil(() => receiver.inboundFrom(sender.id), (s) => s?.inbound.some(sized),
    { what: `${route}: a new ${width}x${height} inbound video` });
  const stream = first.inbound.find(sized);
  await pollUntil(() => receiver.inboundFrom(sender.id),
    (s) => s?.inbound.some((x) => x.id === stream.id && x.framesDecoded > stream.framesDecoded),
    { what: `${route}: framesDecoded of the new video (${stream.id}) to rise` });
  return stream;
}

// The most video frames decoded on `receiver`'s connection to `sender` so far.
export async function framesFrom(receiver, sender) {
  const sample = await receiver.inboundFrom(sender.id);
  return Math.max(0, ...(sample?.inbound ?? []).filter((s) => s.kind === 'video').map((s) => s.framesDecoded));
}

// Waits until more than `after` frames from `sender` were decoded by `receiver`.
export function framesRise(receiver, sender, after, when) {
  return pollUntil(() => framesFrom(receiver, sender), (n) => n > after,
    { what: `${sender.label} → ${receiver.label}: framesDecoded to rise above ${after} ${when}` });
}

// Levels (RMS, 0..1) of received audio, from inbound-rtp totalAudioEnergy over
// totalSamplesDuration: what the speaker highlight's threshold calls sound (0.015), and silence.
const AUDIBLE = 0.015;
const SILENT = 0.001;
const LEVEL_WINDOW_S = 0.5;

const inboundAudio = (sample) => sample?.inbound.find((s) => s.kind === 'audio' && s.totalSamplesDuration > 0);

// The level of the audio `receiver` got from `sender` over the last LEVEL_WINDOW_S or more.
async function receivedLevel(receiver, sender) {
  const route = `${sender.label} → ${receiver.label}`;
  const first = inboundAudio(await pollUntil(() => receiver.inboundFrom(sender.id), inboundAudio,
    { what: `${route}: inbound audio with samples` }));
  const later = inboundAudio(await pollUntil(() => receiver.inboundFrom(sender.id), (s) => {
    const audio = inboundAudio(s);
    return audio?.id === first.id && audio.totalSamplesDuration - first.totalSamplesDuration >= LEVEL_WINDOW_S;
  }, { what: `${route}: ${LEVEL_WINDOW_S} s more of inbound audio` }));
  const energy = later.totalAudioEnergy - first.totalAudioEnergy;
  return Math.sqrt(Math.max(0, energy) / (later.totalSamplesDuration - first.totalSamplesDuration));
}

// Waits until what `receiver` hears from `sender` is sound (`sounding`) or silence: a muted
// microphone still sends packets, so only the audio's energy tells.
export function expectAudioFrom(receiver, sender, { sounding }) {
  return pollUntil(() => receivedLevel(receiver, sender), (level) => (sounding ? level > AUDIBLE : level < SILENT),
    { what: `${sender.label} → ${receiver.label}: the audio to be ${sounding ? 'sound' : 'silence'}` });
}
