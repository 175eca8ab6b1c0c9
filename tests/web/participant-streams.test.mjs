// Which of a person's streams is the camera and which the screen (web/js/participant-streams.js):
// in a mesh the announced screenStream says it; in a forwarded room, where the streams are the
// client's own, the source each track came with.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeMediaStream, FakeTrack, installFakes } from './webrtc-fakes.mjs';

installFakes();
const { ParticipantStreams } = await import('../../web/js/participant-streams.js');

test('mesh: the stream named by the announced screenStream is the screen', () => {
  const streams = new ParticipantStreams(() => {});
  const camera = new FakeMediaStream([new FakeTrack('audio'), new FakeTrack('video')]);
  const screen = new FakeMediaStream([new FakeTrack('video')]);
  streams.add(camera.getTracks()[0], [camera]);
  streams.add(screen.getTracks()[0], [screen]);
  assert.deepEqual(streams.classify({ screen: true, screenStream: screen.id }), { camera, screen });
  assert.deepEqual(streams.classify({ screen: false, screenStream: '' }), { camera, screen: null });
});

test('forwarded: the source says which is the screen, whatever was announced', () => {
  const streams = new ParticipantStreams(() => {});
  const screen = new FakeMediaStream([new FakeTrack('video')]);
  const camera = new FakeMediaStream([new FakeTrack('audio')]);
  streams.add(screen.getTracks()[0], [screen], 'screen'); // the screen came first
  streams.add(camera.getTracks()[0], [camera], 'microphone');
  assert.deepEqual(streams.classify({ screen: true, screenStream: '{their-own-id}' }), { camera, screen });
});

test('a stream emptied by removetrack is forgotten', () => {
  let changes = 0;
  const streams = new ParticipantStreams(() => { changes += 1; });
  const track = new FakeTrack('video');
  const screen = new FakeMediaStream([track]);
  streams.add(track, [screen], 'screen');
  screen.removeTrack(track);
  screen.dispatchEvent(Object.assign(new Event('removetrack'), { track }));
  assert.deepEqual(streams.classify({}), { camera: null, screen: null });
  assert.ok(changes >= 2);
});
