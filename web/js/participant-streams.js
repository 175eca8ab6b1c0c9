// The media streams arriving from one participant, and which of them is the camera and which
// the screen share: the stream named by their announced `screenStream` is the screen, the
// first other one the camera. Either may arrive before the `media` message that names it,
// so the answer is recomputed whenever tracks or the announced state change.
export class ParticipantStreams {
  #streams = new Map(); // stream id -> MediaStream, in arrival order
  #onChange;

  constructor(onChange) {
    this.#onChange = onChange;
  }

  add(track, streams) {
    // A track without a stream (no msid in the SDP) gets one of its own.
    const stream = streams[0] ?? new MediaStream([track]);
    if (!this.#streams.has(stream.id)) {
      this.#streams.set(stream.id, stream);
      stream.addEventListener('addtrack', () => this.#onChange());
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0) this.#streams.delete(stream.id);
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
      if (screenId && stream.id === screenId) screen = stream;
      else camera ??= stream;
    }
    return { camera, screen };
  }
}
