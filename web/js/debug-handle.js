// window.parley: a read-only view of the client for tests and curious operators.
// peers is Map<participantId, RTCPeerConnection>, kept current by the mesh.
export const debugHandle = {
  state: 'home',
  selfId: null,
  room: null,
  peers: new Map(),
  clockOffsetMs: 0,
  role: null, // 'host' | 'guest' once in a room
  waiting: null, // { position, of } while waiting in line
  signaling: 'connected', // 'reconnecting' while the signaling socket is being resumed
};

window.parley = debugHandle;

export function setAppState(state) {
  debugHandle.state = state;
  document.body.dataset.state = state;
}
