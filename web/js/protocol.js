// The wire protocol (docs/protocol.md) as this client speaks it: every message the client sends
// is built here, so the protocol has one place in the client and a change to it one place to
// make. Signaling (signaling.js) carries them and numbers requests; the builders only say what
// goes in each message.
export const PROTOCOL_VERSION = 1;

// media: { mic, cam, screen }; settings, password: only when given.
export function join({ room, name, media, settings, password }) {
  const message = { type: 'join', v: PROTOCOL_VERSION, room, name, media };
  if (settings) message.settings = settings;
  if (password) message.password = password;
  return message;
}

// Takes a kept place back: the replay of what was missed after `lastSeq`, or (snapshot) the
// whole picture after a page reload. `room` (the room the token belongs to) lets any node of a
// cluster find it; left out when not known.
export function resume({ token, lastSeq, snapshot, room }) {
  const message = snapshot ? { type: 'resume', token, snapshot: true } : { type: 'resume', token, lastSeq };
  if (room) message.room = room;
  return message;
}
export const leave = () => ({ type: 'leave' });
// ack: the last event processed, so the server need not keep it for a resume (0: none yet).
export const ping = (t, ack = 0) => (ack > 0 ? { type: 'ping', t, ack } : { type: 'ping', t });

// What this participant sends, and which of its streams is the screen.
export function media({ mic, cam, screenStream = null }) {
  const message = { type: 'media', mic, cam, screen: Boolean(screenStream) };
  if (screenStream) message.screenStream = screenStream;
  return message;
}

// Relayed to one other participant. description: an RTCSessionDescription's { type, sdp }.
export const description = (to, { type, sdp }) => ({ type, to, sdp });
export const candidate = (to, value) => ({ type: 'candidate', to, candidate: value });
export const negotiationFailed = (to, descriptionType, reason) =>
  ({ type: 'negotiation-failed', to, description: descriptionType, reason });

// Forwarded rooms (docs/protocol.md, "Forwarded rooms"): our offer on the one connection to the
// server, with the source of each m-section we send on; and our answer to the server's offer
// numbered `version`, so the server can tell an answer to an offer it has since replaced.
export const mediaOffer = ({ sdp, tracks }) =>
  ({ type: 'media-offer', sdp, tracks: tracks.map(({ mid, source }) => ({ mid, source })) });
export const mediaAnswer = ({ version, sdp }) => ({ type: 'media-answer', version, sdp });

// The others' videos this page shows now ([{ participant, source: 'camera' | 'screen' }]): in a
// forwarded room the server sends no others.
export const visibleVideos = (videos) =>
  ({ type: 'visible-videos', videos: videos.map(({ participant, source }) => ({ participant, source })) });

// The `active-speaker` event's participant id, or null when it has none.
export const readActiveSpeaker = (message) =>
  (typeof message?.participant === 'string' && message.participant ? message.participant : null);

export const MEDIA_SOURCES = Object.freeze(['microphone', 'camera', 'screen']);

// The room's topology from its `state` (in `joined` and `room-state`). A server from before
// forwarding says nothing and only knows meshes; an unknown value is taken for a mesh too, the
// one topology every client can take part in.
export const topologyOf = (state) => (state?.topology === 'forwarded' ? 'forwarded' : 'mesh');

// A server `media-offer` event as the client uses it: { version, sdp, tracks: [{ mid, from,
// source }] }, or null when it lacks a version or an sdp. Entries of `tracks` the client could
// not place (no mid, no sender, an unknown source, a mid named twice) are left out: their
// m-sections then carry nothing anyone is shown.
export function readMediaOffer(message) {
  if (!message || typeof message.sdp !== 'string' || !Number.isInteger(message.version)) return null;
  return { version: message.version, sdp: message.sdp, tracks: readTracks(message.tracks) };
}

// The server's `media-answer` reply to our offer: { sdp, tracks }, with `tracks` as in its
// offers (every track it sends us once the answer is applied, some perhaps in the receive-only
// m-sections of our offer), or null from a server that does not say (then nothing changed
// hands). Null altogether without an sdp.
export function readMediaAnswer(message) {
  if (!message || typeof message.sdp !== 'string') return null;
  return { sdp: message.sdp, tracks: Array.isArray(message.tracks) ? readTracks(message.tracks) : null };
}

function readTracks(list) {
  const tracks = [];
  const mids = new Set();
  for (const entry of Array.isArray(list) ? list : []) {
    const { mid, from, source } = entry ?? {};
    if (typeof mid !== 'string' || !mid || mids.has(mid)) continue;
    if (typeof from !== 'string' || !from || !MEDIA_SOURCES.includes(source)) continue;
    mids.add(mid);
    tracks.push({ mid, from, source });
  }
  return tracks;
}

export const chat = (text) => ({ type: 'chat', text });
export const hand = (raised) => ({ type: 'hand', raised });
export const trace = () => ({ type: 'trace' });
export const mediaReport = () => ({ type: 'media-report' });

// The host's requests.
export const admit = (id) => ({ type: 'admit', id });
export const decline = (id) => ({ type: 'decline', id });
export const moveToFront = (id) => ({ type: 'move-to-front', id });
export const mute = (id) => ({ type: 'mute', id });
export const requestUnmute = (id) => ({ type: 'request-unmute', id });
export const kick = (id, reason = '') => (reason ? { type: 'kick', id, reason } : { type: 'kick', id });
export const transferHost = (id) => ({ type: 'transfer-host', id });
export const lock = (locked) => ({ type: 'lock', locked });
export const endSession = () => ({ type: 'end-session' });
export const setTimer = (seconds) => ({ type: 'set-timer', seconds });
export const extendTimer = (seconds) => ({ type: 'extend-timer', seconds });
