// Inline SVG icons built as DOM (no icon font, no external files, nothing for the CSP to block).
const SVG_NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  mic: 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11z',
  micOff: 'M19 11h-2a5 5 0 0 1-.6 2.4l1.5 1.5A7 7 0 0 0 19 11zm-4 .2V5a3 3 0 0 0-5.9-.8zM4.3 3 3 4.3l6 6V11a3 3 0 0 0 4.5 2.6l1.6 1.6A5 5 0 0 1 7 11H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 3.5-1.4l3.2 3.2 1.3-1.3z',
  cam: 'M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z',
  camOff: 'M21 6.5l-4 4V7a1 1 0 0 0-1-1H9.8L21 17.2zM3.3 2 2 3.3 4.7 6H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 .5-.1l3.2 3.2 1.3-1.3z',
  screen: 'M20 3H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h6v2H8v2h8v-2h-2v-2h6a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm0 13H4V5h16zM12 6l-4 4h3v4h2v-4h3z',
  link: 'M10.6 13.4a1 1 0 0 1 0-1.4l3.5-3.5a1 1 0 1 1 1.4 1.4L12 13.4a1 1 0 0 1-1.4 0zM13 17.2l-1.8 1.8a4 4 0 0 1-5.7-5.7L7.3 11.5l1.4 1.4-1.8 1.8a2 2 0 0 0 2.9 2.9l1.8-1.8zm-2-10.4 1.8-1.8a4 4 0 0 1 5.7 5.7l-1.8 1.8-1.4-1.4 1.8-1.8a2 2 0 0 0-2.9-2.9L12.4 8.2z',
  // Three sliders: the devices in use.
  devices: 'M3 5h9v2H3zM18 5h3v2h-3zM3 11h3v2H3zM12 11h9v2h-9zM3 17h11v2H3zM20 17h1v2h-1zM15 3.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5zM9 9.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5zM17 15.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z',
  // Two heads: the people in the room.
  people: 'M9 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm7 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM9 14c-3.3 0-7 1.6-7 4v2h14v-2c0-2.4-3.7-4-7-4zm7 0c-.5 0-1 0-1.6.1 1.6.9 2.6 2.2 2.6 3.9v2h5v-2c0-2.2-3.2-4-6-4z',
  // A speech bubble.
  chat: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2zm3 5v2h10V8zm0 4v2h7v-2z',
  // A key: what only the host may do.
  host: 'M7 14a3 3 0 1 1 0-6 3 3 0 0 1 0 6zm5.6-4A6 6 0 1 0 12.6 14H16v3h3v-3h2v-4z',
  // A pulse line: how the connections are doing.
  diagnostics: 'M3 13h4l2-6 4 12 2.5-6H21v-2h-6.8L13 14.3 9 2.7 5.6 11H3z',
  close: 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z',
  // A raised palm.
  hand: 'M18 6.5a1.5 1.5 0 0 0-1.5 1.5v4h-1V4.5a1.5 1.5 0 0 0-3 0V11h-1V3.5a1.5 1.5 0 0 0-3 0V11h-1V5.5a1.5 1.5 0 0 0-3 0v9.3A7.2 7.2 0 0 0 11.7 22h.6a7.2 7.2 0 0 0 7.2-7.2V8A1.5 1.5 0 0 0 18 6.5z',
  // A pin: keep this person on the stage.
  pin: 'M16 3H8v2h1v6l-3 3v2h5v6h2v-6h5v-2l-3-3V5h1z',
  // One large picture over a row of small ones: the speaker view.
  speakerView: 'M3 4h18v11H3zm0 13h5v3H3zm6.5 0h5v3h-5zM16 17h5v3h-5z',
  // Four squares: the grid view.
  gridView: 'M3 3h8v8H3zm10 0h8v8h-8zM3 13h8v8H3zm10 0h8v8h-8z',
  leave: 'M12 9c-1.6 0-3.2.3-4.6.7v3.1c0 .4-.2.7-.6.9a11 11 0 0 0-2.7 1.9.9.9 0 0 1-1.3 0L.3 13.1a.9.9 0 0 1 0-1.3A16.9 16.9 0 0 1 12 7a16.9 16.9 0 0 1 11.7 4.8.9.9 0 0 1 0 1.3l-2.5 2.5a.9.9 0 0 1-1.3 0 11 11 0 0 0-2.7-1.9.9.9 0 0 1-.6-.9V9.7A15 15 0 0 0 12 9z',
};

export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.append(path);
  return svg;
}
