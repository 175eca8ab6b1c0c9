// Chromium sets up its WebRTC machinery (threads, codec lists, the first offer's templates) on
// a page's first RTCPeerConnection and first offer, and that takes it tens of milliseconds of
// the page's own time. The pre-join screen, where nothing waits, does it ahead with a
// throwaway connection, so the real ones right after Join start at once. Only createOffer:
// no setLocalDescription, so no ICE gathering starts and no address is looked up.
let warmed = false;

export async function warmUpWebRtc() {
  if (warmed || typeof RTCPeerConnection === 'undefined') return;
  warmed = true;
  let pc = null;
  try {
    pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    await pc.createOffer();
  } catch {
    // Only a head start: the real connection will do the same work itself.
  } finally {
    pc?.close();
  }
}
