// What a screen reader should hear about the room as it happens (someone joined, left, is
// waiting to come in, the connection is back): one polite live region in the page's shell,
// outside every panel, so nothing is said from a region that is hidden at that moment, and each
// event is said once. Every announcement is a new line; the last few are kept.
import { h } from './dom.js';
import { bindText } from './i18n.js';

const KEPT = 5;

export function announce(key, args) {
  const region = document.getElementById('announcer');
  if (!region) return;
  const line = h('p', {});
  bindText(line, key, args);
  region.append(line);
  while (region.childElementCount > KEPT) region.firstElementChild.remove();
}
