// The diagnostics panel: for each other participant, the signaling chain (offer → relayed →
// answer → relayed → candidates each way → connected) with the first step that is not done
// called out in words, the connection's live numbers from getStats(), a "Restart connection"
// control that forces an ICE restart, and "Copy report" for a bug report. While open it asks
// the server for the trace (the `trace` request) and reads getStats() every few seconds;
// closed, it costs nothing. In a forwarded room it also shows, from the server's own counters
// (the `media-report` request), whose media reach the server and what it forwards to you.
import { h } from './dom.js';
import { bindText, bindAttrs, currentLanguage, t } from './i18n.js';
import { copyText } from './clipboard.js';
import { deriveChain, localSnapshot, stepsOfPair } from './diagnostics-chain.js';
import { summarizeStats } from './diagnostics-stats.js';
import { buildReport } from './diagnostics-report.js';
import { describeMediaReport } from './diagnostics-media.js';
import * as protocol from './protocol.js';

const REFRESH_MS = 2000;
const STATE_MARKS = { done: '✓', missing: '…', failed: '✗' };

const formatNumber = (value, digits = 0) => (Number.isFinite(value)
  ? value.toLocaleString(currentLanguage(), { maximumFractionDigits: digits, minimumFractionDigits: digits })
  : null);

export class DiagnosticsPanel {
  #signaling;
  #selfId;
  #room;
  #peers;
  #restartIce;
  #list;
  #empty;
  #traceError;
  #copyStatus;
  #reportArea;
  #views = new Map(); // peer id -> PeerView
  #latest = new Map(); // peer id -> what the last refresh found, for the report
  #traceSteps = [];
  #traceFailed = null; // error code of the last failed `trace` request
  #media; // the "Through the server" section (forwarded rooms)
  #mediaTransport;
  #mediaNote;
  #mediaList;
  #mediaSeen = null; // describeMediaReport() of the last reply, for the report
  #timer = null;
  #refreshing = null;
  #destroyed = false;
  element;

  // signaling: { request(message) }; peers(): [{ id, name, pc }] for everyone else in the call;
  // restartIce(id) forces an ICE restart on the connection to that participant.
  constructor({ signaling, selfId, room, peers, restartIce }) {
    this.#signaling = signaling;
    this.#selfId = selfId;
    this.#room = room;
    this.#peers = peers;
    this.#restartIce = restartIce;
    this.#list = h('div', { class: 'diag__peers' });
    this.#empty = h('p', { class: 'diag__note', 'data-testid': 'diag-empty', t: 'diag.no-peers' });
    this.#traceError = h('p', { class: 'diag__note diag__note--warn', role: 'status', 'data-testid': 'diag-trace-error', hidden: true });
    this.#copyStatus = h('p', { class: 'diag__note', role: 'status', 'aria-live': 'polite', 'data-testid': 'diag-copy-status' });
    this.#reportArea = h('textarea', {
      id: 'diag-report', class: 'input diag__report', readonly: true, rows: '8', 'data-testid': 'diag-report-text',
    });
    const reportBox = h('div', { class: 'diag__report-box', hidden: true },
      h('label', { for: 'diag-report', t: 'diag.report-label' }), this.#reportArea);
    this.element = h('div', { class: 'diag', 'data-testid': 'diagnostics' },
      h('p', { class: 'diag__note', t: 'diag.hint' }),
      h('div', { class: 'diag__actions' },
        h('button', { type: 'button', class: 'button button--small', 'data-testid': 'diag-copy-report', t: 'diag.copy-report',
          onclick: () => this.#copyReport(reportBox) })),
      this.#copyStatus,
      reportBox,
      this.#traceError,
      this.#empty,
      this.#mediaSection(),
      this.#list);
  }

  #mediaSection() {
    this.#mediaTransport = h('p', { class: 'diag__note', 'data-testid': 'diag-media-transport' });
    this.#mediaNote = h('p', { class: 'diag__note diag__note--warn', role: 'status', 'data-testid': 'diag-media-error', hidden: true });
    this.#mediaList = h('ul', { class: 'diag__media' });
    this.#media = h('section', { class: 'diag__peer', 'data-testid': 'diag-media', hidden: true },
      h('h3', { class: 'diag__peer-name', t: 'diag.media.title' }),
      h('p', { class: 'diag__note', t: 'diag.media.hint' }),
      this.#mediaTransport, this.#mediaNote, this.#mediaList);
    return this.#media;
  }

  // Shown in its side panel: refreshes every few seconds; hidden, it costs nothing.
  setShown(open) {
    clearInterval(this.#timer);
    this.#timer = null;
    if (open && !this.#destroyed) {
      this.refresh();
      this.#timer = setInterval(() => this.refresh(), REFRESH_MS);
    }
  }

  destroy() {
    this.#destroyed = true;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  // One look at the trace and every connection; overlapping calls share the running one.
  refresh() {
    if (!this.#refreshing) {
      this.#refreshing = this.#collect()
        .catch((error) => console.warn('diagnostics: refresh failed', error))
        .finally(() => { this.#refreshing = null; });
    }
    return this.#refreshing;
  }

  async #collect() {
    await this.#fetchTrace();
    await this.#fetchMediaReport();
    const peers = this.#peers();
    const seen = new Set();
    for (const { id, name, pc, weOpen } of peers) {
      seen.add(id);
      const previous = this.#latest.get(id)?.stats?.counters ?? null;
      const stats = await readStats(pc, previous);
      const chain = deriveChain({ selfId: this.#selfId, peerId: id, steps: this.#traceSteps, local: localSnapshot(pc), weOpen });
      const found = {
        id, name, chain, stats,
        connectionState: pc?.connectionState ?? null,
        iceConnectionState: pc?.iceConnectionState ?? null,
        trace: stepsOfPair(this.#traceSteps, this.#selfId, id),
      };
      this.#latest.set(id, found);
      if (!this.#destroyed) this.#viewFor(id).render(found, this.#selfId);
    }
    for (const id of [...this.#views.keys()]) {
      if (seen.has(id)) continue;
      this.#views.get(id).element.remove();
      this.#views.delete(id);
      this.#latest.delete(id);
    }
    this.#empty.hidden = peers.length > 0;
  }

  async #fetchTrace() {
    try {
      const reply = await this.#signaling.request(protocol.trace());
      this.#traceSteps = Array.isArray(reply.steps) ? reply.steps : [];
      this.#traceFailed = null;
      this.#traceError.hidden = true;
    } catch (error) {
      // Keep what we had: the local half of the chain is still worth showing.
      this.#traceFailed = String(error?.code ?? 'unknown');
      bindText(this.#traceError, 'diag.trace-unavailable', { code: this.#traceFailed });
      this.#traceError.hidden = false;
    }
  }

  // A peer-to-peer room has no media at the server (not-forwarded): the section stays hidden.
  async #fetchMediaReport() {
    let reply;
    try {
      reply = await this.#signaling.request(protocol.mediaReport());
    } catch (error) {
      const code = String(error?.code ?? 'unknown');
      this.#mediaSeen = null;
      this.#media.hidden = code === 'not-forwarded';
      this.#mediaList.replaceChildren();
      this.#mediaTransport.hidden = true;
      bindText(this.#mediaNote, 'diag.media.unavailable', { code });
      this.#mediaNote.hidden = code === 'not-forwarded';
      return;
    }
    if (this.#destroyed) return;
    const seen = this.#mediaSeen = describeMediaReport(reply, this.#selfId);
    this.#media.hidden = false;
    this.#mediaNote.hidden = true;
    this.#mediaTransport.hidden = false;
    const transport = seen.transport;
    this.#mediaTransport.dataset.state = transport?.state ?? '';
    if (transport) {
      const state = t(`diag.connection.${transport.state}`);
      bindText(this.#mediaTransport, 'diag.media.transport', {
        state, address: [transport.protocol, transport.remoteAddress].filter(Boolean).join(' '),
      });
    } else {
      bindText(this.#mediaTransport, 'diag.media.no-transport');
    }
    this.#mediaList.replaceChildren(...seen.lines.map(mediaItem));
  }

  #viewFor(id) {
    let view = this.#views.get(id);
    if (!view) {
      view = new PeerView(id, () => {
        this.#restartIce(id);
        this.refresh();
      });
      this.#views.set(id, view);
      this.#list.append(view.element);
    }
    return view;
  }

  async #copyReport(reportBox) {
    await this.refresh();
    const text = buildReport({
      now: Date.now(),
      userAgent: navigator.userAgent,
      language: currentLanguage(),
      room: this.#room,
      selfId: this.#selfId,
      peers: [...this.#latest.values()],
      traceError: this.#traceFailed,
      media: this.#mediaSeen,
    });
    if (await copyText(text)) {
      reportBox.hidden = true;
      bindText(this.#copyStatus, 'diag.copied');
      return;
    }
    // The clipboard was refused: the person can still select the text and copy it by hand.
    this.#reportArea.value = text;
    reportBox.hidden = false;
    bindText(this.#copyStatus, 'diag.copy-failed');
    this.#reportArea.focus();
    this.#reportArea.select();
  }
}

async function readStats(pc, previous) {
  if (!pc || pc.connectionState === 'closed') return null;
  try {
    const report = await pc.getStats();
    return summarizeStats([...report.values()], previous);
  } catch {
    return null; // closed between the check and the call
  }
}

// One participant's part of the panel. Built once and updated in place, so the restart button
// keeps keyboard focus across refreshes.
class PeerView {
  #heading;
  #chain;
  #restarts;
  #restart;
  #values = {};
  element;

  constructor(id, onRestart) {
    this.#heading = h('h3', { class: 'diag__peer-name' }); // under the Diagnostics panel's h2
    this.#chain = h('ol', { class: 'diag__chain', 'data-testid': 'diag-chain' });
    this.#restarts = h('p', { class: 'diag__note', 'data-testid': 'diag-ice-restarts' });
    const stats = h('dl', { class: 'diag__stats' });
    const row = (key, testid) => {
      const value = h('dd', { 'data-testid': testid, text: '—' });
      stats.append(h('dt', { t: key }), value);
      return value;
    };
    this.#values = {
      connection: row('diag.stat.connection', 'diag-connection-state'),
      rtt: row('diag.stat.rtt', 'diag-rtt'),
      loss: row('diag.stat.loss', 'diag-loss'),
      bitrateIn: row('diag.stat.bitrate-in', 'diag-bitrate-in'),
      bitrateOut: row('diag.stat.bitrate-out', 'diag-bitrate-out'),
      resolution: row('diag.stat.resolution', 'diag-resolution'),
      fps: row('diag.stat.fps', 'diag-fps'),
      route: row('diag.stat.route', 'diag-candidate-type'),
    };
    const restart = this.#restart = h('button', {
      type: 'button', class: 'button button--small', 'data-testid': `diag-restart-ice-${id}`,
      t: 'diag.restart', onclick: onRestart,
    });
    this.element = h('article', { class: 'diag__peer', 'data-testid': `diag-peer-${id}`, dataset: { peer: id } },
      this.#heading, this.#chain, this.#restarts, stats,
      h('p', { class: 'diag__note', t: 'diag.restart-hint' }), restart);
    bindAttrs(restart, { title: 'diag.restart-hint' });
  }

  render({ name, chain, stats, connectionState }, selfId) {
    this.#heading.textContent = name;
    bindAttrs(this.#restart, { 'aria-label': ['diag.restart-to', { name }] });
    this.element.dataset.firstBroken = chain.firstBroken ?? '';
    this.#chain.replaceChildren(...chain.steps.map((step) => stepItem(step, step.name === chain.firstBroken, selfId, name)));
    this.#restarts.dataset.count = String(chain.iceRestarts);
    bindText(this.#restarts, 'diag.ice-restarts', { n: chain.iceRestarts });
    const unit = (key, value, digits = 0) => (value == null ? null : [key, { n: formatNumber(value, digits) }]);
    this.#show('connection', connectionState ? [`diag.connection.${connectionState}`] : null, connectionState);
    this.#show('rtt', unit('diag.unit.ms', stats?.rttMs), stats?.rttMs);
    this.#show('loss', unit('diag.unit.percent', stats?.packetLossPct, 1), stats?.packetLossPct);
    this.#show('bitrateIn', unit('diag.unit.kbps', stats?.inboundKbps), stats?.inboundKbps);
    this.#show('bitrateOut', unit('diag.unit.kbps', stats?.outboundKbps), stats?.outboundKbps);
    const video = stats?.video;
    this.#show('resolution', video ? `${video.width}×${video.height}` : null, video ? `${video.width}x${video.height}` : null);
    this.#values.resolution.dataset.width = String(video?.width ?? 0);
    this.#values.resolution.dataset.height = String(video?.height ?? 0);
    this.#show('fps', video?.fps != null ? formatNumber(video.fps) : null, video?.fps);
    const local = stats?.localCandidateType ?? null;
    const remote = stats?.remoteCandidateType ?? null;
    this.#show('route', local || remote ? ['diag.route', { local: local ?? '?', remote: remote ?? '?' }] : null, local);
    this.#values.route.dataset.local = local ?? '';
    this.#values.route.dataset.remote = remote ?? '';
  }

  // Text for people (plain, or [i18n key, args] so it follows a language switch), the raw value
  // in data-value for tests and tools.
  #show(key, text, raw) {
    const el = this.#values[key];
    if (Array.isArray(text)) {
      bindText(el, ...text);
    } else {
      delete el.dataset.i18n;
      delete el.dataset.i18nArgs;
      el.textContent = text ?? '—';
    }
    el.dataset.value = raw == null ? '' : String(raw);
  }
}

// One stream of the room as the server sees it; the numbers also in data-* for tests and tools.
function mediaItem(line) {
  const number = (value) => formatNumber(value) ?? '0';
  const item = h('li', {
    class: 'diag__step', 'data-testid': 'diag-media-stream',
    dataset: {
      publisher: line.publisher, source: line.source, kind: line.kind, mine: String(line.mine),
      reaches: String(line.reaches), kbps: String(line.reachesKbps),
    },
  }, h('span', { class: 'diag__label', t: [line.key, { ...line.args, n: number(line.args.n) }] }));
  const forwarded = line.forwarded;
  if (forwarded) {
    item.append('; ', h('span', {
      class: 'diag__label', 'data-testid': 'diag-media-forwarded',
      dataset: { kbps: String(forwarded.kbps ?? ''), packets: String(forwarded.packets ?? 0), nacks: String(forwarded.nacks ?? 0), plis: String(forwarded.plis ?? 0) },
      t: [forwarded.key, { ...forwarded.args, n: number(forwarded.args.n) }],
    }));
  }
  for (const { key, args } of line.quality ?? []) {
    item.append('; ', h('span', { class: 'diag__label', 'data-testid': 'diag-media-quality', t: [key, args] }));
  }
  return item;
}

function stepItem(step, isFirstBroken, selfId, peerName) {
  const mine = step.by === selfId;
  const key = `diag.step.${step.name}${mine ? '-self' : ''}`;
  const args = { who: peerName, n: step.count ?? 0 };
  const item = h('li', {
    class: `diag__step diag__step--${step.state}${isFirstBroken ? ' diag__step--first' : ''}`,
    'data-testid': `diag-step-${step.name}`,
    dataset: { state: step.state, first: isFirstBroken ? 'true' : 'false', source: step.source ?? '' },
  },
  h('span', { class: 'diag__mark', 'aria-hidden': 'true', text: STATE_MARKS[step.state] ?? '?' }),
  h('span', { class: 'diag__label', t: [key, args] }),
  ' ',
  h('span', { class: 'diag__state', t: `diag.state.${step.state}` }));
  if (step.outcome) {
    const outcomeKey = `diag.outcome.${step.outcome}`;
    item.append(' ', h('span', { class: 'diag__outcome', text: t(outcomeKey) === outcomeKey ? step.outcome : t(outcomeKey) }));
  }
  if (step.source === 'local') item.append(' ', h('span', { class: 'diag__source', t: 'diag.source-local' }));
  if (isFirstBroken) item.append(' ', h('strong', { class: 'diag__first', 'data-testid': 'diag-first-broken', t: 'diag.first-broken' }));
  return item;
}
