// A WebSocket client in Node's standard library alone (the package test must not depend on
// npm tools): connects to ws://127.0.0.1:PORT/ws, joins ROOM, prints "joined", then waits for
// the server to close the WebSocket and prints "close CODE". Exits 1 on any surprise or after
// 30 s (the test's bound). Usage: node ws_join.mjs PORT ROOM
import net from 'node:net';
import crypto from 'node:crypto';

const [port, room] = process.argv.slice(2);
const fail = (why) => { console.log(`error ${why}`); process.exit(1); };
setTimeout(() => fail('timeout'), 30_000).unref();

function frame(text) {
  const payload = Buffer.from(text);
  if (payload.length > 125) fail('frame too long for this client');
  const mask = crypto.randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

const socket = net.connect(Number(port), '127.0.0.1');
const key = crypto.randomBytes(16).toString('base64');
socket.on('connect', () => {
  socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
    `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`);
});
let buffer = Buffer.alloc(0);
let upgraded = false;
socket.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  if (!upgraded) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buffer.subarray(0, end).toString();
    if (!head.startsWith('HTTP/1.1 101')) fail(`upgrade refused: ${head.split('\r\n')[0]}`);
    upgraded = true;
    buffer = buffer.subarray(end + 4);
    socket.write(frame(JSON.stringify({ type: 'join', req: 1, v: 1, room, name: 'Probe' })));
  }
  // Server frames are unmasked; lengths up to 2^32 are enough here.
  while (buffer.length >= 2) {
    let length = buffer[1] & 0x7f;
    let offset = 2;
    if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); offset = 4; }
    else if (length === 127) { if (buffer.length < 10) return; length = Number(buffer.readBigUInt64BE(2)); offset = 10; }
    if (buffer.length < offset + length) return;
    const opcode = buffer[0] & 0x0f;
    const payload = buffer.subarray(offset, offset + length);
    buffer = buffer.subarray(offset + length);
    if (opcode === 0x1) {
      const message = JSON.parse(payload.toString());
      if (message.type === 'joined') console.log(`joined ${message.you.id}`);
      else if (message.type === 'error') fail(`join error ${message.code}`);
    } else if (opcode === 0x8) {
      console.log(`close ${payload.length >= 2 ? payload.readUInt16BE(0) : 'none'}`);
      process.exit(0);
    }
  }
});
socket.on('close', () => fail('closed without a close frame'));
socket.on('error', (error) => fail(error.message));
