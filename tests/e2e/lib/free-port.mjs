// A TCP port free on 127.0.0.1 right now, for a server that must be told its port before it
// starts (a cluster node's --public-url names it). The test runs in a network namespace of its
// own (tests/e2e/run), so nothing else takes it in between.
import net from 'node:net';

export async function freeTcpPort() {
  const server = net.createServer();
  const port = await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
  await new Promise((resolve) => server.close(resolve));
  return port;
}
