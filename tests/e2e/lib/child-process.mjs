// What the launchers of helper servers for browser tests (redis-server, turnserver) share:
// finding the Debian program, and stopping it by PID.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const STOP_TIMEOUT_MS = 5_000;

// The executable `name` on PATH (or Debian's places for it), or null.
export function findProgram(name) {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/usr/sbin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return null;
}

// SIGTERM, then SIGKILL if `child` has not ended within 5 s; resolves once it is gone.
// `exited` resolves when it ends; `running()` says whether it has not ended yet.
export async function stopChild(child, exited, running) {
  if (!running()) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true),
    new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, false).unref())]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}
