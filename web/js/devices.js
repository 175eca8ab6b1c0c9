// Cameras, microphones and speakers the browser lets us see. Labels are empty until the page
// has had media permission once, so the UI numbers unnamed devices instead.
export const supportsSpeakerChoice =
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

export async function listDevices() {
  const groups = { audioinput: [], videoinput: [], audiooutput: [] };
  if (!navigator.mediaDevices?.enumerateDevices) return groups;
  try {
    for (const device of await navigator.mediaDevices.enumerateDevices()) {
      if (!groups[device.kind] || !device.deviceId) continue;
      groups[device.kind].push({ id: device.deviceId, label: device.label });
    }
  } catch {
    // No list: the selects stay empty and the browser's default device is used.
  }
  return groups;
}

export function watchDevices(onChange) {
  navigator.mediaDevices?.addEventListener?.('devicechange', onChange);
  return () => navigator.mediaDevices?.removeEventListener?.('devicechange', onChange);
}

// Plays remote audio on the chosen speaker where the browser allows choosing.
export async function applySpeaker(mediaElement, deviceId) {
  if (!supportsSpeakerChoice || !deviceId || mediaElement.sinkId === deviceId) return;
  try {
    await mediaElement.setSinkId(deviceId);
  } catch {
    // The device went away or is not allowed: the default output keeps playing.
  }
}
