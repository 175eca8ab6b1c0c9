// One person in a browser context, seen through the DOM/test contract of web/ (data-testid
// attributes, accessible names) and `window.parley`.
import { pollUntil } from './poll.mjs';

export class Participant {
  constructor({ context, page, problems, origin }, label, name = label) {
    this.context = context;
    this.page = page;
    this.problems = problems;
    this.origin = origin;
    this.label = label;  // for messages; `name` is the display name, which may be hostile
    this.name = name;
    this.id = null;  // participant id, known once joined
  }

  async goto(pathAndQuery) {
    const url = new URL(pathAndQuery, this.origin).href;
    const response = await this.page.goto(url);
    if (!response?.ok()) {
      const body = (await response?.text().catch(() => '')) ?? '';
      throw new Error(`${this.label}: GET ${url} answered ${response?.status()} ${body.slice(0, 200)}`);
    }
    if (this.problems.missingFiles.length > 0) {
      throw new Error(`${this.label}: the client's files did not load:\n${this.problems.missingFiles.join('\n')}`);
    }
  }

  // The pre-join form, found the way a person (or a screen reader) finds it.
  nameField() { return this.page.getByLabel('Name', { exact: true }); }
  joinButton() { return this.page.getByRole('button', { name: 'Join', exact: true }); }
  byTestId(testId) { return this.page.getByTestId(testId); }
  nameValue() { return this.nameField().inputValue(); }

  async pressJoin() {
    await this.joinButton().click();
  }

  // Presses Join and waits until the client says it is in the call with a participant id.
  async join() {
    await this.pressJoin();
    const client = await pollUntil(() => this.client(), (c) => c?.state === 'in-call' && c.selfId,
                                   { what: `${this.label} to be in the call` });
    this.id = client.selfId;
    return this.id;
  }

  // The keys (i18n) of the lines in the page's event log, oldest first.
  logKeys() {
    return this.page.evaluate(() => [...document.querySelectorAll('[data-testid="event-log"] li')].map((li) => li.dataset.key));
  }

  // The state the client exposes for tests: { state, selfId, room, peerIds, signaling, waiting }.
  client() {
    return this.page.evaluate(() => {
      const parley = window.parley;
      if (!parley) return null;
      return {
        state: parley.state,
        selfId: parley.selfId ?? null,
        room: parley.room ?? null,
        peerIds: parley.peers ? [...parley.peers.keys()] : [],
        signaling: parley.signaling ?? null, // 'connected', or 'reconnecting' while resuming
        waiting: parley.waiting ?? null, // { position, of } while waiting in line
      };
    });
  }

  // Notes this page's current peer connection to `other`, for samePeerConnection() later: a
  // connection kept through a blip is the very same object, a rebuilt one is not.
  notePeerConnection(other) {
    return this.page.evaluate((id) => { window.__pcBefore = window.parley.peers.get(id); }, other.id);
  }

  samePeerConnection(other) {
    return this.page.evaluate((id) => window.parley.peers.get(id) === window.__pcBefore, other.id);
  }

  async peerIds() {
    return (await this.client())?.peerIds ?? [];
  }

  // Every tile in the call view, as plain data.
  tiles() {
    return this.page.evaluate(() => {
      const call = document.querySelector('[data-testid="call"]');
      if (!call) return [];
      const shown = (el) => Boolean(el) && !el.hidden;
      return [...call.querySelectorAll('[data-testid="tile"]')].map((tile) => ({
        participant: tile.dataset.participant ?? null,
        kind: tile.dataset.kind ?? null,
        self: tile.dataset.self === 'true',
        name: tile.querySelector('[data-testid="tile-name"]')?.textContent.trim() ?? null,
        hasMicIndicator: Boolean(tile.querySelector('[data-testid="mic-off"]')),
        hasCamIndicator: Boolean(tile.querySelector('[data-testid="cam-off"]')),
        micOff: shown(tile.querySelector('[data-testid="mic-off"]')),
        camOff: shown(tile.querySelector('[data-testid="cam-off"]')),
        hasVideo: Boolean(tile.querySelector('video')),
        speaking: tile.dataset.speaking === 'true', // the active-speaker highlight
      }));
    });
  }

  async tileOf(participantId, kind = 'camera') {
    return (await this.tiles()).find((t) => t.participant === participantId && t.kind === kind);
  }

  // aria-pressed of a toggle button: true when that medium is on.
  async isOn(toggleTestId) {
    return (await this.byTestId(toggleTestId).getAttribute('aria-pressed')) === 'true';
  }

  async press(testId) {
    await this.byTestId(testId).click();
  }

  // Opens a side panel of the call (people, chat, host, devices, diagnostics) from its button in
  // the control bar, as a person would; already open, it stays so. Returns the panel.
  async openPanel(name) {
    const button = this.byTestId(`${name}-toggle`);
    if (await button.getAttribute('aria-expanded') !== 'true') await button.click();
    const panel = this.byTestId(`${name}-panel`);
    await pollUntil(() => panel.isVisible(), Boolean, { what: `${this.label}'s ${name} panel to open` });
    return panel;
  }

  // Sends a chat message from the Chat panel (opened first).
  async sendChat(text) {
    await this.openPanel('chat');
    await this.byTestId('chat-input').fill(text);
    await this.byTestId('chat-input').press('Enter');
  }

  // This person's row in the People panel for someone (a Participant with an id).
  personRow(other) {
    return this.page.locator(`[data-testid="person"][data-participant="${other.id}"]`);
  }

  // Presses a toggle button and waits until it shows `expectOn` (aria-pressed).
  async toggle(toggleTestId, expectOn) {
    await this.press(toggleTestId);
    await pollUntil(() => this.isOn(toggleTestId), (on) => on === expectOn,
      { what: `${this.label}'s ${toggleTestId} to be aria-pressed=${expectOn}` });
  }

  // A compact getStats() summary of the connection to one remote participant, or null while
  // there is no such connection in `window.parley.peers`.
  inboundFrom(peerId) {
    return this.page.evaluate(async (peerId) => {
      const pc = window.parley?.peers?.get(peerId);
      if (!pc) return null;
      // Through the server, one connection carries everyone: only the m-sections the server's
      // offer assigned to peerId are theirs.
      const theirs = new Set(window.parley.midsFrom(peerId));
      // During a move between mesh and server the room's topology is already the new one while
      // a person's tiles still show the old connection: what counts is the one serving them.
      const forwarded = window.parley.servedBy(peerId) === 'forwarded' && theirs.size > 0;
      const report = await pc.getStats();
      const stats = new Map();
      report.forEach((s) => stats.set(s.id, s));
      const inbound = [];
      let pair = null;
      for (const s of stats.values()) {
        if (s.type === 'inbound-rtp' && (!forwarded || theirs.has(s.mid))) {
          inbound.push({
            id: s.id, kind: s.kind, ssrc: s.ssrc, mid: s.mid ?? null,
            framesDecoded: s.framesDecoded ?? 0, bytesReceived: s.bytesReceived ?? 0, packetsReceived: s.packetsReceived ?? 0,
            totalAudioEnergy: s.totalAudioEnergy ?? 0, totalSamplesDuration: s.totalSamplesDuration ?? 0,
            frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0,
          });
        }
        if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
      }
      const port = (id) => stats.get(id)?.port ?? null;
      const type = (id) => stats.get(id)?.candidateType ?? null;
      return {
        connectionState: pc.connectionState,
        forwarded,
        inbound,
        localPort: pair ? port(pair.localCandidateId) : null,
        remotePort: pair ? port(pair.remoteCandidateId) : null,
        // 'host', 'srflx', 'prflx' or 'relay' (through TURN)
        localCandidateType: pair ? type(pair.localCandidateId) : null,
        remoteCandidateType: pair ? type(pair.remoteCandidateId) : null,
      };
    }, peerId);
  }

  async close() {
    await this.context.close();
  }
}
