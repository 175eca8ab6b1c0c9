// Everyone else in the call as this page knows them: name, announced media, the streams that
// arrive from them and whether their signaling is away; and, kept in step with that, their
// tiles on the stage and their speaker meters. Listeners (the People panel) hear of every
// change. How media reach us (the mesh today) is not its business: it is handed the tracks.
import { ParticipantStreams } from './participant-streams.js';
import { receivedAudioMeter } from './audio-level-meter.js';

export function mediaFrom(value = {}) {
  return {
    mic: Boolean(value.mic),
    cam: Boolean(value.cam),
    screen: Boolean(value.screen),
    screenStream: typeof value.screenStream === 'string' ? value.screenStream : '',
  };
}

export class Roster {
  #people = new Map(); // id -> { id, name, media, streams, away, speakerTrack }
  #stage;
  #speaker;
  #connections;
  #listeners = new Set();

  // stage: the stage's tiles; speaker: the SpeakerDetector; connections: Map id ->
  // RTCPeerConnection, where the received-audio meters read their levels.
  constructor({ stage, speaker, connections }) {
    this.#stage = stage;
    this.#speaker = speaker;
    this.#connections = connections;
  }

  get size() { return this.#people.size; }
  has(id) { return this.#people.has(id); }
  get(id) { return this.#people.get(id) ?? null; }
  ids() { return [...this.#people.keys()]; }
  values() { return [...this.#people.values()]; }
  nameOf(id) { return this.#people.get(id)?.name ?? id; }

  // listener(): something about someone changed (joined, left, media, connection).
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // Returns the new participant, or null for ourselves, a duplicate or a nameless id.
  add(info, selfId) {
    if (!info?.id || info.id === selfId || this.#people.has(info.id)) return null;
    const participant = {
      id: info.id,
      name: String(info.name ?? ''),
      media: mediaFrom(info.media),
      streams: new ParticipantStreams(() => this.#sync(info.id)),
      away: info.connected === false, // their signaling is down; they may come back
      speakerTrack: null, // the audio track the speaker detector measures for them
    };
    this.#people.set(info.id, participant);
    this.#stage.ensure({ participantId: info.id, kind: 'camera', name: participant.name }).setMedia(participant.media);
    this.#changed();
    return participant;
  }

  remove(id) {
    const participant = this.#people.get(id);
    if (!participant) return null;
    this.#stage.removeParticipant(id);
    this.#speaker.unwatch(id);
    this.#people.delete(id);
    this.#changed();
    return participant;
  }

  clear() {
    for (const id of this.ids()) this.remove(id);
  }

  setMedia(id, value) {
    const participant = this.#people.get(id);
    if (!participant) return null;
    participant.media = mediaFrom(value);
    this.#sync(id);
    this.#changed();
    return participant;
  }

  // source: what a forwarded room says the track is (see ParticipantStreams.add).
  addTrack(id, track, streams, source) {
    this.#people.get(id)?.streams.add(track, streams, source);
  }

  // A fresh connection to them: what came over the old one is forgotten.
  resetStreams(id) {
    const participant = this.#people.get(id);
    if (!participant) return;
    participant.streams = new ParticipantStreams(() => this.#sync(id));
    this.#sync(id);
  }

  setAway(id, away) {
    const participant = this.#people.get(id);
    if (!participant) return;
    participant.away = away;
    this.showConnection(id);
    this.#changed();
  }

  // How the connection to someone is: 'away' while their signaling is down, else the peer
  // connection's state ('new' before there is one); null for someone unknown.
  connectionOf(id) {
    const participant = this.#people.get(id);
    if (!participant) return null;
    return participant.away ? 'away' : this.#connections.get(id)?.connectionState ?? 'new';
  }

  // The tile says in words when the connection to someone is not (yet) well.
  showConnection(id) {
    const state = this.connectionOf(id);
    const tile = this.#stage.get(id, 'camera');
    if (state && tile) tile.setConnection(state);
  }

  #changed() {
    for (const listener of this.#listeners) listener();
  }

  // Tiles follow the participant's streams and announced media.
  #sync(id) {
    const participant = this.#people.get(id);
    if (!participant) return;
    const { camera, screen } = participant.streams.classify(participant.media);
    const cameraTile = this.#stage.ensure({ participantId: id, kind: 'camera', name: participant.name });
    cameraTile.setStream(camera);
    cameraTile.setMedia(participant.media);
    const audio = camera?.getAudioTracks()[0] ?? null;
    if (participant.speakerTrack !== audio) {
      participant.speakerTrack = audio;
      this.#speaker.watch(id, audio && receivedAudioMeter(this.#connections, id, audio));
    }
    if (screen) {
      this.#stage.ensure({ participantId: id, kind: 'screen', name: participant.name }).setStream(screen);
    } else {
      this.#stage.remove(id, 'screen');
    }
  }
}
