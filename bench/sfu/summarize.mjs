// Turns bench/sfu/run's results.jsonl into the tables and target ratios bench/README.md quotes.
//   node bench/sfu/summarize.mjs results.jsonl [machine.txt]
import { readFileSync } from 'node:fs';

const [file, machineFile] = process.argv.slice(2);
// A label run twice (a step repeated after a connection failure) counts by its last attempt.
const byLabel = new Map();
for (const l of readFileSync(file, 'utf8').trim().split('\n').filter(Boolean)) {
  const r = JSON.parse(l);
  byLabel.set(r.label, r);
}
const runs = [...byLabel.values()];
const machine = machineFile ? readFileSync(machineFile, 'utf8').trim() : '';

const f = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits));
const int = (x) => (x === undefined || x === null ? '–' : Math.round(x).toLocaleString('en-US'));
const ok = (r) => r.connected === r.subscribers && r.loss_pct < 1 && r.delivered > 0;
const order = ['parley', 'janus', 'floor'];
const servers = order.filter((s) => runs.some((r) => r.target === s));
const steps = runs.filter((r) => r.label.startsWith('step-'));
const halves = runs.filter((r) => r.label.startsWith('half-'));
const floorAt = (rooms) => steps.find((r) => r.target === 'floor' && r.rooms === rooms);

const out = [];
out.push('```', machine, '```', '');
out.push('### Every step (rooms of ' + (runs[0]?.subscribers_per_room ?? '?') + ' subscribers, one publisher each)', '');
out.push('| rooms | subscribed tracks | server | forwarded pkt/s | loss % (worst subscriber) | latency p50 / p99 ms | server CPU % | µs per packet | KiB per track | tool CPU % |');
out.push('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const roomsList = [...new Set(steps.map((r) => r.rooms))].sort((a, b) => a - b);
for (const rooms of roomsList) {
  for (const s of servers) {
    const r = steps.find((x) => x.target === s && x.rooms === rooms);
    if (!r) continue;
    const failed = r.connected !== r.subscribers ? ` (${r.connected}/${r.subscribers} connected)` : '';
    out.push(`| ${rooms} | ${int(r.subscribed_tracks)} | ${s}${failed} | ${int(r.forwarded_pps)} | ${f(r.loss_pct, 2)} (${f(r.loss_pct_worst_subscriber, 2)}) | ` +
             `${f(r.latency_p50_ms, 2)} / ${f(r.latency_p99_ms, 2)} | ${f(r.server_cpu_pct)} | ${f(r.server_us_per_packet, 2)} | ` +
             `${f((r.server_bytes_per_track ?? NaN) / 1024)} | ${f(r.tool_cpu_pct)} |`);
  }
}

// The most each forwarded at under 1% loss, on one core.
const best = {};
for (const s of servers) {
  const passing = steps.filter((r) => r.target === s && ok(r));
  if (passing.length) best[s] = passing.reduce((a, b) => (b.forwarded_pps > a.forwarded_pps ? b : a));
}
out.push('', '### Most forwarded at under 1% loss, server on one core', '');
// On a shared machine the server gets part of its core; its CPU time per packet is the steadier
// measure, and a whole core at that cost is what it would forward on a quiet one.
const wholeCore = (r) => (r.server_us_per_packet ? 1e6 / r.server_us_per_packet : NaN);
const tracksAt = (r, pps) => pps / (r.forwarded_pps / r.subscribed_tracks);
out.push('| server | rooms | subscribed tracks | forwarded pkt/s | server CPU % | µs per packet | a whole core at that cost: pkt/s (tracks) | tool CPU % | what stopped it |');
out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const s of servers) {
  const b = best[s];
  if (!b) { out.push(`| ${s} | – | – | – | – | – | – | – | no step under 1% loss |`); continue; }
  const next = steps.filter((r) => r.target === s && r.rooms > b.rooms).sort((x, y) => x.rooms - y.rooms)[0];
  let why = 'the last step (a lower bound)';
  if (next) {
    why = next.connected !== next.subscribers ? `${next.rooms} rooms: ${next.connected}/${next.subscribers} connected`
      : `${next.rooms} rooms: ${f(next.loss_pct, 2)}% lost, server CPU ${f(next.server_cpu_pct)}%, tool CPU ${f(next.tool_cpu_pct)}%`;
  }
  out.push(`| ${s} | ${b.rooms} | ${int(b.subscribed_tracks)} | ${int(b.forwarded_pps)} | ${f(b.server_cpu_pct)} | ` +
           `${f(b.server_us_per_packet, 2)} | ${int(wholeCore(b))} (${int(tracksAt(b, wholeCore(b)))}) | ${f(b.tool_cpu_pct)} | ${why} |`);
}

// Half load: label half-<server>-r<rooms>-<who ran>-<round>; each figure the median of the rounds.
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};
const halfOf = (server, who) => {
  const rs = halves.filter((r) => r.label.startsWith(`half-${server}-`) && r.target === who);
  if (!rs.length) return null;
  const m = { rooms: rs[0].rooms, runs: rs.length, target: who };
  for (const k of ['forwarded_pps', 'loss_pct', 'latency_p50_ms', 'latency_p99_ms', 'latency_p999_ms', 'server_us_per_packet',
                   'server_cpu_pct', 'server_bytes_per_track', 'first_packet_p50_ms', 'first_video_p50_ms', 'tool_cpu_pct']) {
    m[k] = median(rs.map((r) => r[k]));
  }
  m.p50s = rs.map((r) => f(r.latency_p50_ms, 2)).join(', ');
  m.p99s = rs.map((r) => f(r.latency_p99_ms, 1)).join(', ');
  return m;
};
out.push('', '### Half load (each server at half its own maximum, the floor at the same load; medians of the rounds)', '');
out.push('| server | rooms | runs | forwarded pkt/s | latency p50 / p99 / p99.9 ms | p50 each run | p99 each run | added over the floor p50 / p99 ms | µs per packet | × floor | subscribe → first packet / video p50 ms |');
out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const halfRows = {};
for (const s of servers.filter((x) => x !== 'floor')) {
  const m = halfOf(s, s);
  if (!m) continue;
  const fl = halfOf(s, 'floor');
  halfRows[s] = { m, fl };
  for (const [r, ref] of [[m, fl], [fl, null]]) {
    if (!r) continue;
    const added = ref ? `${f(r.latency_p50_ms - ref.latency_p50_ms, 2)} / ${f(r.latency_p99_ms - ref.latency_p99_ms, 2)}` : '–';
    const ratio = ref && ref.server_us_per_packet ? f(r.server_us_per_packet / ref.server_us_per_packet, 2) : '–';
    out.push(`| ${r === m ? s : `floor (beside ${s})`} | ${r.rooms} | ${r.runs} | ${int(r.forwarded_pps)} | ${f(r.latency_p50_ms, 2)} / ${f(r.latency_p99_ms, 2)} / ${f(r.latency_p999_ms, 2)} | ` +
             `${r.p50s} | ${r.p99s} | ${added} | ${f(r.server_us_per_packet, 2)} | ${ratio} | ${f(r.first_packet_p50_ms)} / ${f(r.first_video_p50_ms)} |`);
  }
}

// The issue's targets, as ratios within this run.
const p = best.parley, j = best.janus;
const ph = halfRows.parley?.m;
const fh = halfRows.parley?.fl;
const memory = p && p.server_bytes_per_track;
out.push('', '### Targets (issue 18)', '');
out.push('| target | measured | met |');
out.push('| --- | --- | --- |');
const row = (target, measured, met) => out.push(`| ${target} | ${measured} | ${met === undefined ? '–' : met ? 'yes' : '**no**'} |`);
if (p && j) row('forwarded pkt/s on one core ≥ 2× Janus', `${int(p.forwarded_pps)} vs ${int(j.forwarded_pps)}: ${f(p.forwarded_pps / j.forwarded_pps, 2)}×`, p.forwarded_pps >= 2 * j.forwarded_pps);
if (p && j) row('the same, by CPU time per packet (a whole core each)', `${int(wholeCore(p))} vs ${int(wholeCore(j))}: ${f(wholeCore(p) / wholeCore(j), 2)}×`, wholeCore(p) >= 2 * wholeCore(j));
if (p) row('≥ 500 subscribed tracks on one core', `${int(p.subscribed_tracks)} measured at ${f(p.loss_pct, 2)}% loss; ${int(tracksAt(p, wholeCore(p)))} for a whole core at its cost per packet`, p.subscribed_tracks >= 500);
if (memory !== undefined) row('≤ 64 KB of server memory per subscribed track', `${f(memory / 1024)} KiB (at ${int(p.subscribed_tracks)} tracks)`, memory <= 64 * 1024);
if (ph && fh) {
  row('added latency p50 ≤ 1 ms at half load (medians)', `${f(ph.latency_p50_ms - fh.latency_p50_ms, 2)} ms (${f(ph.latency_p50_ms, 2)} through Parley, ${f(fh.latency_p50_ms, 2)} through the floor)`, ph.latency_p50_ms - fh.latency_p50_ms <= 1);
  row('added latency p99 ≤ 5 ms at half load (medians)', `${f(ph.latency_p99_ms - fh.latency_p99_ms, 2)} ms (${f(ph.latency_p99_ms, 2)} through Parley, ${f(fh.latency_p99_ms, 2)} through the floor)`, ph.latency_p99_ms - fh.latency_p99_ms <= 5);
  row('server CPU per forwarded packet ≤ 2× the floor (half load, medians)', `${f(ph.server_us_per_packet, 2)} µs vs ${f(fh.server_us_per_packet, 2)} µs: ${f(ph.server_us_per_packet / fh.server_us_per_packet, 1)}×`, ph.server_us_per_packet <= 2 * fh.server_us_per_packet);
}
console.log(out.join('\n'));
