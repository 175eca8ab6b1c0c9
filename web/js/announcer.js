// What a screen reader should hear about the room as it happens (someone joined, left, is
// waiting to come in, the connection is back): one polite live region in the page's shell,
// outside every panel, so nothing is said from a region that is hidden at that moment, and each
// event is said once. Every announcement is a new line; the last few are kept. A line is plain
// text in the language of its moment, not bound to its key: a language switch re-renders bound
// text, and in a live region that would say every kept line again.
import { h } from './dom.js';
import { t } from './i18n.js';

const KEPT = 5;

export function announce(key, args) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.append(h('p', { text: t(key, args) }));
  while (region.childElementCount > KEPT) region.firstElementChild.remove();
}
