// The media streams arriving from one participant, and which of them is the camera and which
// the screen share: the stream named by their announced `screenStream` is the screen, the
// first other one the camera. Either may arrive before the `media` message that names it,
// so the answer is recomputed whenever tracks or the announced state change. In a forwarded
// room the streams are the client's own (forwarded.js), whose ids the sender never announced:
// there each track comes with its source, which says it outright.
export class ParticipantStreams {
  #streams = new Map(); // stream id -> MediaStream, in arrival order
  #screens = new Map(); // stream id -> whether its source says it is the screen (when it says)
  #onChange;

  constructor(onChange) {
    this.#onChange = onChange;
  }

  // source: 'microphone' | 'camera' | 'screen' when known (a forwarded room), else undefined.
  add(track, streams, source) {
    // A track without a stream (no msid in the SDP) gets one of its own.
    const stream = streams[0] ?? new MediaStream([track]);
    if (source) this.#screens.set(stream.id, source === 'screen');
    if (!this.#streams.has(stream.id)) {
      this.#streams.set(stream.id, stream);
      stream.addEventListener('addtrack', () => this.#onChange());
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0) {
          this.#streams.delete(stream.id);
          this.#screens.delete(stream.id);
        }
        this.#onChange();
      });
    }
    for (const type of ['mute', 'unmute', 'ended']) track.addEventListener(type, () => this.#onChange());
    this.#onChange();
  }

  // media: the participant's announced { screen, screenStream }.
  classify(media) {
    const screenId = media.screen ? media.screenStream : '';
    let camera = null;
    let screen = null;
    for (const stream of this.#streams.values()) {
      if (stream.getTracks().length === 0) continue;
      const isScreen = this.#screens.get(stream.id) ?? Boolean(screenId && stream.id === screenId);
      if (isScreen) screen = stream;
      else camera ??= stream;
    }
    return { camera, screen };
  }
}
