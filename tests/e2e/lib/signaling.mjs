// Cutting a participant's signaling the ways a network does: the server drops its socket
// (parley --test-hooks, POST /test/drop), and the page cannot open a new one until let go.
import assert from 'node:assert/strict';

// Stands in for the network: while held, the page cannot open WebSockets (as when offline).
export async function holdNetwork(person) {
  await person.page.evaluate(() => {
    const Real = window.WebSocket;
    window.__networkHeld = true;
    window.WebSocket = class extends Real {
      constructor(...args) {
        if (window.__networkHeld) throw new DOMException('network held by the test', 'NetworkError');
        super(...args);
      }
    };
  });
}

// Lets the network back and says so, the way a browser does (the `online` event).
export async function releaseNetwork(person) {
  await person.page.evaluate(() => {
    window.__networkHeld = false;
    window.dispatchEvent(new Event('online'));
  });
}

// The server cuts `person`'s signaling socket in `room` (needs parley --test-hooks).
export async function dropSocket(server, room, person) {
  const response = await fetch(`${server.origin}/test/drop?room=${room}&participant=${person.id}`, { method: 'POST' });
  assert.equal(response.status, 200, `drop hook for ${person.label}: ${await response.text()}`);
}
