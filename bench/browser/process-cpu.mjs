// CPU time of every thread of the browser, the server and this harness, read from /proc, so a
// join can be split into who spent the machine's two cores on it. schedstat's first field is
// the thread's time on a CPU in nanoseconds (user and kernel), exact where /proc/<pid>/stat
// counts 10 ms ticks. Only processes in this PID namespace are visible (bench/browser/run
// starts the browser in one of its own), and only these are read.
import { readdirSync, readFileSync } from 'node:fs';

// What a process is, from its command line: Chromium's --type (and a utility process's
// service), the parley server, or the node process driving the browser.
function processKind(commandLine) {
  // Chromium rewrites its processes' titles: arguments end up joined by spaces, not NULs.
  const argv = commandLine.split(/[\0 ]/);
  if (/(^|\/)parley$/.test(argv[0])) return 'parley';
  if (/(^|\/)node$/.test(argv[0])) return 'harness (node)';
  if (!/chrom/.test(argv[0])) return null;
  const type = argv.find((arg) => arg.startsWith('--type='))?.slice('--type='.length) ?? 'browser';
  const service = argv.find((arg) => arg.startsWith('--utility-sub-type='))?.split('.').pop();
  return service ? `${type}: ${service}` : type;
}

const readOr = (file, fallback) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback; // the process or thread ended between listing and reading
  }
};

// { pid, kind } of every process above.
function processes() {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name))
    .map((pid) => ({ pid: Number(pid), kind: processKind(readOr(`/proc/${pid}/cmdline`, '')) }))
    .filter(({ kind }) => kind);
}

// { key 'pid/tid' -> { pid, kind, thread, ns } } for every thread of the processes above.
export function threadCpu() {
  const threads = new Map();
  for (const { pid, kind } of processes()) {
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const ns = Number(readOr(`/proc/${pid}/task/${tid}/schedstat`, '').split(' ')[0]);
      if (!Number.isFinite(ns)) continue;
      // Chromium numbers its pool threads (ThreadPoolForegroundWorker3...); one name for all.
      const thread = readOr(`/proc/${pid}/task/${tid}/comm`, '?').trim().replace(/\d+$/, '');
      threads.set(`${pid}/${tid}`, { pid, kind, thread, ns });
    }
  }
  return threads;
}

export const rendererPids = () =>
  new Set(processes().filter(({ kind }) => kind === 'renderer').map(({ pid }) => pid));

// Milliseconds of CPU each process kind and each thread spent between two readings. `role`
// names a process for the report (the joining page's renderer apart from the others').
export function cpuBetween(before, after, role = (t) => t.kind) {
  const byProcess = {};
  const byThread = {};
  for (const [key, t] of after) {
    const ms = (t.ns - (before.get(key)?.ns ?? 0)) / 1e6;
    if (ms <= 0) continue;
    const who = role(t);
    byProcess[who] = (byProcess[who] ?? 0) + ms;
    byThread[`${who}: ${t.thread}`] = (byThread[`${who}: ${t.thread}`] ?? 0) + ms;
  }
  return { byProcess, byThread };
}
