// What this person sends in the call: microphone and camera on or off (asked for mid-call when
// they joined without one), switching devices, a muting by the host, the screen share, and the
// `media` message that tells the others. Attached to a call's stage, connections and signaling
// while the person is in it; detached, the toggles still keep the local tracks right.
import { h } from './dom.js';
import { DevicePicker } from './device-picker.js';
import { sentAudioMeter } from './audio-level-meter.js';
import { captureScreen } from './screen-share.js';
import * as protocol from './protocol.js';

export class OwnMedia {
  #media;
  #controls;
  #notices;
  #log;
  #name;
  #onChanged;
  #send;
  #destroyed = false;
  #devices; // DevicePicker: camera, microphone and speaker in the call
  #call = null; // { stage, topology, selfId, speaker } while in a call
  #screen = null; // { stream, track } while sharing
  devicesCard;

  // media: LocalMedia; controls: the control bar; send(message): hands a message to the
  // signaling, false when there is none to take it now; onChanged(): after any change to what
  // we send (the session remembers it for a reload).
  constructor({ media, controls, notices, log, name, send, onChanged }) {
    this.#send = send;
    this.#media = media;
    this.#controls = controls;
    this.#notices = notices;
    this.#log = log;
    this.#name = name;
    this.#onChanged = onChanged;
    this.#devices = new DevicePicker({
      media, prefix: 'call-device', onChosen: (kind, result) => this.#deviceChosen(kind, result),
    });
    this.devicesCard = h('section', { class: 'call__devices', id: 'call-devices', 'data-testid': 'call-devices',
      'aria-labelledby': 'call-devices-title' },
    h('h2', { class: 'visually-hidden', id: 'call-devices-title', t: 'call.devices-title' }),
    this.#devices.fields);
  }

  get sharingScreen() { return this.#screen !== null; }

  // call: { stage, topology, selfId, speaker } of the call just joined.
  attach(call) {
    this.#call = call;
    this.#showSelf();
    this.#controls.set('screen', false);
  }

  detach() {
    this.stopScreen({ announce: false });
    this.#call = null;
  }

  destroy() {
    this.#destroyed = true;
    this.detach();
    this.#devices.destroy();
  }

  // The Devices panel opened: list what is there now and start at the first choice.
  async showDevices() {
    await this.#devices.refresh();
    this.devicesCard.querySelector('.field:not([hidden]) select')?.focus();
  }

  // Tells the others what we send (and which stream is the screen).
  send() {
    const media = this.#media;
    const message = protocol.media({ mic: media.micOn, cam: media.camOn, screenStream: this.#screen?.stream.id ?? null });
    if (!this.#send(message)) return;
    this.#log.info('log.media-sent', {
      mic: message.mic ? '✓' : '✗', cam: message.cam ? '✓' : '✗', screen: message.screen ? '✓' : '✗',
    });
  }

  // The host may mute anyone; unmuting stays the person's own decision. The notice names who
  // did it, so nobody wonders why their microphone went off, and stays until the mic is back on.
  mutedBy(hostName) {
    this.#media.setEnabled('audio', false);
    this.#afterChange();
    this.#notices.dismiss('unmute');
    this.#notices.show({ id: 'muted', t: ['notice.muted-by-host', { name: hostName }] });
  }

  async toggle(kind) {
    const name = kind === 'audio' ? 'mic' : 'cam';
    const media = this.#media;
    const track = kind === 'audio' ? media.audioTrack : media.videoTrack;
    if (track) {
      media.setEnabled(kind, !track.enabled);
      this.#afterChange();
      return;
    }
    // Joined without this device: ask for it now and send it to everyone.
    this.#controls.setBusy(name, true);
    try {
      const added = await media.addKind(kind);
      if (this.#destroyed) {
        added.stop(); // the call ended while the browser asked
        return;
      }
      this.#call?.topology.addLocalTrack(added, media.stream);
      this.#afterChange();
    } catch (error) {
      this.#notices.show({
        id: 'device', kind: 'error', t: kind === 'audio' ? 'media.lost-mic' : 'media.lost-camera',
        detail: `media.reason-${error.reason ?? 'unknown'}`, timeoutMs: 15_000,
      });
    } finally {
      this.#controls.setBusy(name, false);
    }
  }

  async toggleScreen() {
    if (this.#screen) {
      this.stopScreen({ announce: true });
      return;
    }
    this.#controls.setBusy('screen', true);
    const result = await captureScreen();
    this.#controls.setBusy('screen', false);
    const call = this.#call;
    if (!call) {
      result.stream?.getTracks().forEach((track) => track.stop());
      return;
    }
    if (!result.stream) {
      this.#log.warn('log.screen-refused', { reason: result.reason });
      this.#notices.show({ id: 'screen', kind: 'info', t: `screen.${result.reason}`, timeoutMs: 10_000 });
      return;
    }
    const stream = result.stream;
    const [track] = stream.getVideoTracks();
    if ('contentHint' in track) track.contentHint = 'detail';
    this.#screen = { stream, track };
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => this.stopScreen({ announce: true }));
    this.#controls.set('screen', true);
    this.send(); // first, so receivers know the stream id when the track arrives
    call.stage.ensure({ participantId: call.selfId, kind: 'screen', self: true, name: this.#name }).setStream(stream);
    call.topology.addLocalTrack(track, stream, 'screen'); // said outright: a forwarded room tells the server
    this.#log.info('log.screen-started');
  }

  stopScreen({ announce }) {
    if (!this.#screen) return;
    const { track } = this.#screen;
    this.#screen = null;
    this.#call?.topology.removeLocalTrack(track);
    track.stop();
    this.#call?.stage.remove(this.#call.selfId, 'screen');
    this.#controls.set('screen', false);
    if (announce) {
      this.#log.info('log.screen-stopped');
      this.send();
    }
  }

  #showSelf() {
    const { stage, selfId, speaker, topology } = this.#call;
    const tile = stage.ensure({ participantId: selfId, kind: 'camera', self: true, name: this.#name });
    tile.setStream(this.#media.stream);
    tile.setMedia({ mic: this.#media.micOn, cam: this.#media.camOn });
    // The meter follows whichever microphone track the stream has now.
    speaker.watch(selfId, sentAudioMeter(topology.connections, () => this.#media.stream?.getAudioTracks()[0]));
    this.#controls.set('mic', this.#media.micOn);
    this.#controls.set('cam', this.#media.camOn);
  }

  #afterChange() {
    const media = this.#media;
    if (media.micOn) {
      this.#notices.dismiss('muted');
      this.#notices.dismiss('unmute');
    }
    this.#controls.set('mic', media.micOn);
    this.#controls.set('cam', media.camOn);
    const call = this.#call;
    const tile = call?.stage.get(call.selfId, 'camera');
    tile?.setStream(media.stream);
    tile?.setMedia({ mic: media.micOn, cam: media.camOn });
    this.send();
    this.#onChanged();
  }

  // Camera, microphone and speaker can be changed in the call; the choice is remembered
  // (LocalMedia) for the next one.
  #deviceChosen(kind, result) {
    if (kind === 'audiooutput') {
      this.#call?.stage.setSpeakerDevice(result.deviceId);
      this.#log.info(`log.switched-${kind}`);
      return;
    }
    const { oldTrack, newTrack, reason } = result;
    const topology = this.#call?.topology;
    if (newTrack && oldTrack) topology?.replaceLocalTrack(oldTrack, newTrack, this.#media.stream);
    else if (oldTrack) topology?.removeLocalTrack(oldTrack);
    if (!newTrack && reason) {
      this.#notices.show({ id: 'device', kind: 'error', t: `media.lost-${kind === 'audioinput' ? 'mic' : 'camera'}`,
        detail: `media.reason-${reason}`, timeoutMs: 10_000 });
    } else {
      this.#log.info(`log.switched-${kind}`);
    }
    if (this.#call) this.#showSelf();
    this.send();
  }
}
