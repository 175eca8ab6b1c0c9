// The seed's signaling job, done the way the seed did it: a Socket.io 4 server where clients
// `join` a room and relay `offer` / `answer` / `candidate` to a target socket id. parley-load
// drives it through its Engine.IO adapter so it faces exactly the workload parley faces.
//
//   node bench/reference/server.mjs --listen 127.0.0.1:0 --port-file /tmp/port [--log]
//
// --log prints a line per relay, like the seed's "Offer from <id> for <target>" diagnostics.
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
const log = args.log ? (...words) => console.log(...words) : () => {};

const httpServer = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', connections: io.engine.clientsCount }));
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(httpServer, { cors: { origin: '*' } });

io.on('connection', (socket) => {
  log(`Client connected: ${socket.id}`);

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
    log(`Participant ${name} joined session ${room}`);
    if (typeof ack === 'function') ack({ id: socket.id, room, participants: others });
  });

  for (const kind of ['offer', 'answer', 'candidate']) {
    socket.on(kind, (message) => {
      const to = message?.to;
      log(`${kind} from ${socket.id} for ${to}`);
      const target = typeof to === 'string' ? io.sockets.sockets.get(to) : undefined;
      if (!target || target.data.room !== socket.data.room) {
        log(`${kind} target ${to} not found`);
        socket.emit('error', { kind, to, message: 'target not found' });
        return;
      }
      const { to: _, ...rest } = message;
      io.to(to).emit(kind, { ...rest, from: socket.id });
      log(`${kind} forwarded from ${socket.id} to ${to}`);
    });
  }

  socket.on('disconnect', (reason) => {
    log(`Client disconnected: ${socket.id} (${reason})`);
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
