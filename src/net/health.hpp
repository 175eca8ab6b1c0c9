#pragma once
#include <string>

namespace parley::net {

class ServerState;

// The body of GET /health:
// {"status":"ok","version":"0.1.0","uptimeSeconds":N,"connections":N,"rooms":N,"participants":N}
// where connections counts open WebSocket sessions.
std::string healthJson(const ServerState& state);
// Prometheus text exposition: the gateway's counters plus connections and build info.
std::string metricsText(const ServerState& state);

}  // namespace parley::net
