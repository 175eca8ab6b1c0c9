#pragma once
// An idle run spread over several processes: each may open only RLIMIT_NOFILE sockets, so
// 50,000 connections from one machine with a 20,000 limit take three. Each shard connects
// and joins its share (rooms of its own), reports, and keeps its connections open until the
// parent lets it go; the parent measures the server meanwhile and merges the reports into
// one LoadResult.
#include "dialect.hpp"
#include "load_result.hpp"

namespace parley::bench {

// Needs options.shards > 1 and options.durationSeconds == 0. Returns the merged result, with
// timedOut set if a shard did not report within its bound.
LoadResult runShards(const Dialect& dialect, const LoadOptions& options);

}  // namespace parley::bench
