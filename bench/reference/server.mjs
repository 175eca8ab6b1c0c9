// The seed's signaling job, done the way the seed did it: a Socket.io 4 server where clients
// `join` a room and relay `offer` / `answer` / `candidate` to a target socket id. parley-load
// drives it through its Engine.IO adapter so it faces exactly the workload parley faces.
//
//   node bench/reference/server.mjs --listen 127.0.0.1:0 --port-file /tmp/port [--log]
//
// --log prints a line per relay, like the seed's "Offer from <id> for <target>" diagnostics.
//
// Written as a careful Node developer would run it in production, so that it stands for the
// best honest version of its stack (bench/README.md, *The reference*):
// - the relayed object is built as `{ from, ...rest }`: one hidden class for every relay. With
//   `{ ...rest, from }` V8 makes a new map per message (0 of 999 consecutive results share
//   one), which cost 5-6 µs a message, old-space growth and a full GC about every 2 s;
// - a relay goes straight to the target socket found a line above (`target.emit`), not through
//   `io.to(id)`, which builds a broadcast (two Sets, the room lookup) to reach that same socket;
// - without --log no log line is formatted at all (the template strings cost even when the
//   logger does nothing);
// - websocket transport only (the clients here never poll), and no permessage-deflate (engine.io
//   6's default: off; compressing 250-byte frames costs more than it saves on a LAN or loopback);
// - ws's native add-on bufferutil installed (package.json, optional), as Socket.io's
//   "Performance tuning" page advises: it unmasks client frames of 32 bytes and more. Its other
//   advice, utf-8-validate, ws no longer loads on Node >= 18.14 (it uses buffer.isUtf8); eiows
//   or uWebSockets.js would no longer be the plain `ws` stack the seed ran.
import { createServer } from 'node:http';
import { writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

const { values: args } = parseArgs({
  options: {
    listen: { type: 'string', default: '127.0.0.1:3001' },
    'port-file': { type: 'string' },
    log: { type: 'boolean', default: false },
  },
});

const colon = args.listen.lastIndexOf(':');
const host = args.listen.slice(0, colon);
const port = Number(args.listen.slice(colon + 1));
const logging = args.log;

const httpServer = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', connections: io.engine.clientsCount }));
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(httpServer, {
  cors: { origin: '*' },
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
});

io.on('connection', (socket) => {
  if (logging) console.log(`Client connected: ${socket.id}`);

  socket.on('join', (request, ack) => {
    const room = String(request?.room ?? '');
    const name = String(request?.name ?? '');
    if (!room || !name) {
      if (typeof ack === 'function') ack({ error: 'room and name are required' });
      return;
    }
    const others = [];
    for (const id of io.sockets.adapter.rooms.get(room) ?? []) {
      others.push({ id, name: io.sockets.sockets.get(id)?.data.name });
    }
    socket.data.name = name;
    socket.data.room = room;
    socket.join(room);
    socket.to(room).emit('participant-joined', { id: socket.id, name });
    if (logging) console.log(`Participant ${name} joined session ${room}`);
    if (typeof ack === 'function') ack({ id: socket.id, room, participants: others });
  });

  for (const kind of ['offer', 'answer', 'candidate']) {
    socket.on(kind, (message) => {
      const to = message?.to;
      if (logging) console.log(`${kind} from ${socket.id} for ${to}`);
      const target = typeof to === 'string' ? io.sockets.sockets.get(to) : undefined;
      if (!target || target.data.room !== socket.data.room) {
        if (logging) console.log(`${kind} target ${to} not found`);
        socket.emit('error', { kind, to, message: 'target not found' });
        return;
      }
      const { to: _, ...rest } = message;
      target.emit(kind, { from: socket.id, ...rest });
      if (logging) console.log(`${kind} forwarded from ${socket.id} to ${to}`);
    });
  }

  socket.on('disconnect', (reason) => {
    if (logging) console.log(`Client disconnected: ${socket.id} (${reason})`);
    if (socket.data.room) socket.to(socket.data.room).emit('participant-left', { id: socket.id });
  });
});

httpServer.listen(port, host, () => {
  const bound = httpServer.address().port;
  if (args['port-file']) {
    // Written under a temporary name and renamed, so a reader never sees half a number.
    writeFileSync(`${args['port-file']}.tmp`, `${bound}\n`);
    renameSync(`${args['port-file']}.tmp`, args['port-file']);
  }
  console.error(`reference: socket.io ${host}:${bound}${args.log ? ' (logging relays)' : ''}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    io.close();
    process.exit(0);
  });
}
