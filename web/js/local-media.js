// This participant's camera and microphone: one MediaStream that the preview, the self tile
// and every peer connection share. Muting sets track.enabled=false (the sender stays, so
// unmuting needs no renegotiation).
import { loadPref, savePref } from './storage.js';
import { mediaProblemReason } from './media-errors.js';
import { withTimeout } from './with-timeout.js';

const GET_MEDIA_TIMEOUT_MS = 20_000;
const KIND_OF = { audio: 'audioinput', video: 'videoinput' };
const CAMERA_SIZE = { width: { ideal: 640 }, height: { ideal: 360 } };

function stopStream(stream) {
  for (const track of stream.getTracks()) track.stop();
}

export class LocalMedia {
  stream = new MediaStream();
  devices = {
    audioinput: loadPref('device.audioinput'),
    videoinput: loadPref('device.videoinput'),
    audiooutput: loadPref('device.audiooutput'),
  };

  get audioTrack() { return this.stream.getAudioTracks()[0] ?? null; }
  get videoTrack() { return this.stream.getVideoTracks()[0] ?? null; }
  get micOn() { return Boolean(this.audioTrack?.enabled); }
  get camOn() { return Boolean(this.videoTrack?.enabled); }
  get hasAny() { return this.stream.getTracks().length > 0; }

  // Gets camera and microphone, falling back to what still works. Returns
  // { problem: null } or { problem: { missing: 'camera'|'mic'|'both', reason } }.
  async start({ audio = true, video = true } = {}) {
    this.stop();
    if (!audio && !video) return { problem: null };
    // The devices chosen last time, exactly (browsers do not always honour an `ideal` device),
    // else any: a remembered device that is gone must not cost the call.
    const remembered = (audio && this.devices.audioinput) || (video && this.devices.videoinput);
    let first = remembered ? await this.#tryGet({ audio, video }, true) : null;
    if (!first?.stream) first = await this.#tryGet({ audio, video });
    if (first.stream) return this.#adopt(first.stream, null);
    if (!(audio && video)) {
      return { problem: { missing: video ? 'camera' : 'mic', reason: mediaProblemReason(first.error) } };
    }
    const reason = mediaProblemReason(first.error);
    const audioOnly = await this.#tryGet({ audio: true, video: false });
    if (audioOnly.stream) return this.#adopt(audioOnly.stream, { missing: 'camera', reason });
    const videoOnly = await this.#tryGet({ audio: false, video: true });
    if (videoOnly.stream) return this.#adopt(videoOnly.stream, { missing: 'mic', reason });
    return { problem: { missing: 'both', reason } };
  }

  setEnabled(kind, on) {
    const track = kind === 'audio' ? this.audioTrack : this.videoTrack;
    if (track) track.enabled = on;
  }

  // For a participant who joined without this kind of device and now wants it.
  async addKind(kind) {
    const result = await this.#tryGet({ [kind]: true });
    if (!result.stream) throw Object.assign(new Error('media'), { reason: mediaProblemReason(result.error) });
    const track = result.stream.getTracks()[0];
    this.stream.addTrack(track);
    return track;
  }

  // Switches the device of one kind; keeps the mute state. Returns { oldTrack, newTrack }.
  async switchDevice(kind, deviceId) {
    const deviceKind = KIND_OF[kind];
    this.devices[deviceKind] = deviceId;
    savePref(`device.${deviceKind}`, deviceId);
    const oldTrack = kind === 'audio' ? this.audioTrack : this.videoTrack;
    if (!oldTrack) return { oldTrack: null, newTrack: null };
    // Some cameras can't be open twice: release the old one first.
    oldTrack.stop();
    let result = await this.#tryGet({ [kind]: true }, true);
    if (!result.stream) result = await this.#tryGet({ [kind]: true });
    this.stream.removeTrack(oldTrack);
    if (!result.stream) return { oldTrack, newTrack: null, reason: mediaProblemReason(result.error) };
    const newTrack = result.stream.getTracks()[0];
    newTrack.enabled = oldTrack.enabled;
    this.stream.addTrack(newTrack);
    return { oldTrack, newTrack };
  }

  setSpeaker(deviceId) {
    this.devices.audiooutput = deviceId;
    savePref('device.audiooutput', deviceId);
  }

  stop() {
    stopStream(this.stream);
    for (const track of this.stream.getTracks()) this.stream.removeTrack(track);
  }

  #adopt(stream, problem) {
    for (const track of stream.getTracks()) this.stream.addTrack(track);
    return { problem };
  }

  #constraints({ audio, video }, exact = false) {
    const pick = (deviceKind) => {
      const id = this.devices[deviceKind];
      return id ? { deviceId: exact ? { exact: id } : { ideal: id } } : {}; // {}: any device
    };
    return {
      audio: audio ? pick('audioinput') : false,
      // Every tile and the preview show 16:9 (object-fit: cover), so a 4:3 picture would have
      // an eighth of its rows at the top and at the bottom captured, encoded, sent and decoded
      // only to be cut off.
      // Ideal, not exact: a camera without a 16:9 mode still works.
      video: video ? { ...pick('videoinput'), ...CAMERA_SIZE } : false,
    };
  }

  async #tryGet(kinds, exact = false) {
    if (!navigator.mediaDevices?.getUserMedia) return { error: null };
    try {
      const stream = await withTimeout(
        navigator.mediaDevices.getUserMedia(this.#constraints(kinds, exact)),
        GET_MEDIA_TIMEOUT_MS,
        stopStream);
      return { stream };
    } catch (error) {
      return { error };
    }
  }
}
