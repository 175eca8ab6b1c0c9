// Camera, microphone and speaker selects over a LocalMedia: on the pre-join screen and in the
// call alike. Lists what the browser lets us see (again when devices come and go), shows the
// device in use, and switches on change; LocalMedia remembers the choice for next time.
import { h } from './dom.js';
import { bindText } from './i18n.js';
import { listDevices, watchDevices, supportsSpeakerChoice } from './devices.js';

export const DEVICE_FIELDS = Object.freeze([
  { kind: 'videoinput', media: 'video', label: 'prejoin.camera', unnamed: 'prejoin.camera-n' },
  { kind: 'audioinput', media: 'audio', label: 'prejoin.microphone', unnamed: 'prejoin.microphone-n' },
  { kind: 'audiooutput', media: null, label: 'prejoin.speaker', unnamed: 'prejoin.speaker-n' },
]);

export class DevicePicker {
  fields; // the three .field elements, in DEVICE_FIELDS order (hidden while unusable)
  #media;
  #selects = {};
  #onChosen;
  #stopWatching;

  // prefix: for the selects' ids and test ids (`${prefix}-videoinput`, ...).
  // onChosen(kind, result): after a switch; result is LocalMedia.switchDevice's
  // ({ oldTrack, newTrack, reason }), or { deviceId } for the speaker.
  constructor({ media, prefix, onChosen }) {
    this.#media = media;
    this.#onChosen = onChosen;
    this.fields = DEVICE_FIELDS.map((field) => this.#field(field, prefix));
    this.#stopWatching = watchDevices(() => this.refresh());
  }

  destroy() {
    this.#stopWatching();
  }

  async refresh() {
    const groups = await listDevices();
    for (const { kind, unnamed } of DEVICE_FIELDS) {
      const { select, wrapper } = this.#selects[kind];
      const devices = groups[kind];
      const usable = kind === 'audiooutput' ? supportsSpeakerChoice : true;
      wrapper.hidden = !usable || devices.length === 0;
      select.replaceChildren(...devices.map((device, index) => {
        const option = h('option', { value: device.id });
        if (device.label) option.textContent = device.label;
        else bindText(option, unnamed, { n: index + 1 });
        return option;
      }));
      const current = this.#currentDeviceId(kind);
      if (current && devices.some((d) => d.id === current)) select.value = current;
    }
  }

  #field({ kind, label }, prefix) {
    const id = `${prefix}-${kind}`;
    const select = h('select', { id, class: 'select', 'data-testid': id });
    select.addEventListener('change', () => this.#choose(kind, select.value));
    const wrapper = h('div', { class: 'field', hidden: true },
      h('label', { for: id, class: 'label', t: label }),
      select);
    this.#selects[kind] = { select, wrapper };
    return wrapper;
  }

  #currentDeviceId(kind) {
    const media = this.#media;
    if (kind === 'audiooutput') return media.devices.audiooutput;
    const track = kind === 'audioinput' ? media.audioTrack : media.videoTrack;
    return track?.getSettings?.().deviceId ?? media.devices[kind];
  }

  async #choose(kind, deviceId) {
    if (kind === 'audiooutput') {
      this.#media.setSpeaker(deviceId);
      this.#onChosen(kind, { deviceId });
      return;
    }
    const field = DEVICE_FIELDS.find((f) => f.kind === kind);
    this.#onChosen(kind, await this.#media.switchDevice(field.media, deviceId));
  }
}
