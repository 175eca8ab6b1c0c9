// The pre-join screen: name, live camera preview, mic/camera toggles, device choice, Join.
// Media problems are explained in words, with ways forward (audio only, listen only, retry).
import { h } from './dom.js';
import { bindText } from './i18n.js';
import { toggleButton } from './toggle-button.js';
import { DevicePicker } from './device-picker.js';
import { normalizeName, nameProblem } from './validation.js';
import { loadPref, savePref } from './storage.js';
import { RoomSettingsForm } from './room-settings.js';


export class PrejoinScreen {
  #media;
  #notices;
  #onJoin;
  #video;
  #previewOff;
  #nameInput;
  #nameError;
  #joinButton;
  #status;
  #toggles = {};
  #devices;
  #settings = new RoomSettingsForm();
  #passwordField;
  #passwordInput;
  #starting = Promise.resolve();
  element;

  // onJoin(name, { settings, password }): starts joining; the app calls setBusy(false) if that fails.
  constructor({ room, name, media, notices, onJoin }) {
    this.#media = media;
    this.#notices = notices;
    this.#onJoin = onJoin;
    this.#devices = new DevicePicker({
      media, prefix: 'device', onChosen: (kind, result) => this.#deviceChosen(kind, result),
    });
    this.element = h('section', { class: 'prejoin' },
      h('header', { class: 'prejoin__header' },
        h('h1', { class: 'prejoin__title', tabindex: '-1', t: 'prejoin.title' }),
        h('p', { class: 'prejoin__room' }, h('span', { t: 'prejoin.room' }), ' ', h('code', { text: room }))),
      h('div', { class: 'prejoin__body' }, this.#previewPanel(), this.#form(name)));
  }

  // Asks for camera and microphone; resolves when that settled one way or another.
  start(kinds = { audio: true, video: true }) {
    this.#starting = this.#acquire(kinds);
    return this.#starting;
  }

  setBusy(busy) {
    this.#joinButton.disabled = busy;
    bindText(this.#joinButton, busy ? 'prejoin.joining' : 'prejoin.join');
    bindText(this.#status, busy ? 'prejoin.status-joining' : 'prejoin.status-ready');
  }

  // The room wants a password (code: password-required | wrong-password | too-many-attempts,
  // with how long to wait for the last): ask for it; the next Join sends it.
  askPassword(code, retryAfterMs) {
    this.#passwordField.hidden = false;
    const error = this.#passwordField.querySelector('.field-error');
    if (code === 'too-many-attempts') {
      bindText(error, 'prejoin.password-wait', { seconds: Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000)) });
    } else {
      bindText(error, code === 'wrong-password' ? 'prejoin.password-wrong' : 'prejoin.password-needed');
    }
    if (code !== 'password-required') this.#passwordInput.setAttribute('aria-invalid', 'true');
    this.#passwordInput.focus();
  }

  destroy() {
    this.#devices.destroy();
    this.#notices.dismiss('media');
    this.#video.srcObject = null;
  }

  #previewPanel() {
    this.#video = h('video', { class: 'preview__video', autoplay: true, playsinline: true });
    this.#video.muted = true;
    this.#previewOff = h('p', { class: 'preview__off', hidden: true });
    this.#toggles.audio = this.#toggle('audio', 'prejoin-mic', 'mic', 'micOff', 'controls.mic', 'controls.mic-on', 'controls.mic-off');
    this.#toggles.video = this.#toggle('video', 'prejoin-cam', 'cam', 'camOff', 'controls.cam', 'controls.cam-on', 'controls.cam-off');
    this.#status = h('p', { class: 'preview__status', role: 'status', t: 'prejoin.status-starting' });
    return h('div', { class: 'preview' },
      h('div', { class: 'preview__frame' }, this.#video, this.#previewOff),
      h('div', { class: 'preview__toggles' }, this.#toggles.audio.button, this.#toggles.video.button),
      this.#status);
  }

  #toggle(kind, testid, iconOn, iconOff, nameKey, turnOn, turnOff) {
    return toggleButton({
      testid, iconOn, iconOff, keys: { name: nameKey, turnOn, turnOff },
      onClick: () => {
        this.#media.setEnabled(kind, !(kind === 'audio' ? this.#media.micOn : this.#media.camOn));
        this.#renderMediaState();
      },
    });
  }

  #form(initialName) {
    this.#nameInput = h('input', {
      id: 'name-input', name: 'name', type: 'text', class: 'input', autocomplete: 'name',
      'data-testid': 'name', 'aria-describedby': 'name-error', required: true,
    });
    this.#nameInput.value = initialName ?? loadPref('name', '');
    this.#nameError = h('p', { id: 'name-error', class: 'field-error', hidden: true });
    this.#nameInput.addEventListener('input', () => {
      this.#nameError.hidden = true;
      this.#nameInput.removeAttribute('aria-invalid');
    });
    this.#passwordInput = h('input', {
      id: 'room-password', name: 'room-password', type: 'password', class: 'input', autocomplete: 'current-password',
      maxlength: '128', 'data-testid': 'room-password', 'aria-describedby': 'room-password-error',
    });
    this.#passwordInput.addEventListener('input', () => this.#passwordInput.removeAttribute('aria-invalid'));
    this.#passwordField = h('div', { class: 'field', hidden: true },
      h('label', { for: 'room-password', class: 'label', t: 'prejoin.password' }),
      this.#passwordInput,
      h('p', { id: 'room-password-error', class: 'field-error', role: 'alert' }));
    this.#joinButton = h('button', { type: 'submit', class: 'button button--primary button--wide', 'data-testid': 'join', t: 'prejoin.join' });
    return h('form', { class: 'card prejoin__form', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.#submit(); } },
      h('label', { for: 'name-input', class: 'label', t: 'prejoin.name' }),
      this.#nameInput,
      this.#nameError,
      this.#passwordField,
      this.#devices.fields,
      this.#settings.element,
      this.#joinButton);
  }

  async #acquire(kinds) {
    this.#notices.dismiss('media');
    bindText(this.#status, 'prejoin.status-starting');
    const { problem } = await this.#media.start(kinds);
    this.#showPreview();
    this.#renderMediaState();
    bindText(this.#status, 'prejoin.status-ready');
    if (problem) this.#showProblem(problem);
    await this.#devices.refresh();
  }

  // Only a camera is worth previewing; an empty stream would also stall the media element.
  #showPreview() {
    const stream = this.#media.videoTrack ? this.#media.stream : null;
    if (this.#video.srcObject !== stream) this.#video.srcObject = stream;
    if (stream) this.#video.play().catch(() => {});
  }

  #showProblem({ missing, reason }) {
    const actions = [];
    if (missing === 'camera' && this.#media.audioTrack) {
      actions.push({ t: 'media.continue-audio', testid: 'join-audio-only', onClick: () => this.#submit() });
    }
    actions.push(
      { t: 'media.continue-listen', testid: 'join-listen-only', onClick: () => { this.#media.stop(); this.#renderMediaState(); this.#submit(); } },
      { t: 'media.retry', testid: 'media-retry', onClick: () => this.start() });
    this.#notices.show({
      id: 'media', kind: 'error', t: `media.lost-${missing}`, detail: `media.reason-${reason}`, actions, dismissible: false,
    });
  }

  #renderMediaState() {
    const media = this.#media;
    for (const kind of ['audio', 'video']) {
      const toggle = this.#toggles[kind];
      const has = Boolean(kind === 'audio' ? media.audioTrack : media.videoTrack);
      const on = kind === 'audio' ? media.micOn : media.camOn;
      toggle.button.disabled = !has;
      toggle.set(on);
    }
    const cameraShown = media.camOn;
    this.#previewOff.hidden = cameraShown;
    bindText(this.#previewOff, media.videoTrack ? 'prejoin.camera-off' : 'prejoin.no-camera');
    this.#video.classList.toggle('preview__video--hidden', !cameraShown);
  }

  #deviceChosen(kind, { newTrack, reason }) {
    if (kind === 'audiooutput') return;
    this.#showPreview();
    this.#renderMediaState();
    if (!newTrack && reason) {
      this.#notices.show({ id: 'device', kind: 'error', t: `media.lost-${kind === 'audioinput' ? 'mic' : 'camera'}`, detail: `media.reason-${reason}`, timeoutMs: 10_000 });
    }
  }

  async #submit() {
    const name = normalizeName(this.#nameInput.value);
    const problem = nameProblem(name);
    if (problem) {
      bindText(this.#nameError, problem);
      this.#nameError.hidden = false;
      this.#nameInput.setAttribute('aria-invalid', 'true');
      this.#nameInput.focus();
      return;
    }
    savePref('name', name);
    this.setBusy(true);
    await this.#starting;
    this.#notices.dismiss('media');
    const password = this.#passwordField.hidden ? undefined : this.#passwordInput.value || undefined;
    this.#onJoin(name, { settings: this.#settings.value(), password });
  }
}
