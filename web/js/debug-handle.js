// window.parley: a read-only view of the client for tests and curious operators.
// peers is Map<participantId, RTCPeerConnection>, kept current by the topology: in a forwarded
// room every participant maps to the one connection to the server, and during a move between
// mesh and forwarded each maps to the connection whose media their tiles show. topology is the
// room's ('mesh' | 'forwarded') once in a call.
export const debugHandle = {
  state: 'home',
  selfId: null,
  room: null,
  peers: new Map(),
  topology: null,
  midsFrom: () => [], // participant id -> the server connection's mids carrying their media
  servedBy: () => null, // participant id -> 'mesh' | 'forwarded': whose connection shows them now
  clockOffsetMs: 0,
  role: null, // 'host' | 'guest' once in a room
  waiting: null, // { position, of } while waiting in line
  signaling: 'connected', // 'reconnecting' while the signaling socket is being resumed
  node: null, // the signaling URL of the node the page is in the room on (several nodes: the room's)
};

window.parley = debugHandle;

export function setAppState(state) {
  debugHandle.state = state;
  document.body.dataset.state = state;
}
