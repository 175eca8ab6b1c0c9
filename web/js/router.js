// Two kinds of address: "/" (home) and "/r/<room>" (a room, optionally ?name=...). Navigation
// stays in the page (history API) so local media and state survive a screen change.
import { normalizeRoomInput } from './validation.js';

export function parseRoute(loc = window.location) {
  const match = /^\/r\/([^/]*)\/?$/.exec(loc.pathname);
  if (!match) return { view: 'home' };
  const room = normalizeRoomInput(match[1]);
  const name = new URLSearchParams(loc.search).get('name');
  return { view: 'room', room, name };
}

export function roomPath(room) {
  return `/r/${encodeURIComponent(room)}`;
}

export function roomLink(room) {
  return `${window.location.origin}${roomPath(room)}`;
}

export function navigate(path, onRoute) {
  if (path !== window.location.pathname + window.location.search) {
    window.history.pushState(null, '', path);
  }
  onRoute(parseRoute());
}

export function watchRoutes(onRoute) {
  window.addEventListener('popstate', () => onRoute(parseRoute()));
}
