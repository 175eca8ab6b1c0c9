#pragma once
// WebSocket close codes the server sends (docs/protocol.md, "Close codes").
#include <cstdint>
#include <string_view>

namespace parley::net {

struct CloseReason {
    std::uint16_t code;
    std::string_view text;
};

inline constexpr CloseReason kServerShutdown{1001, "server-shutdown"};
inline constexpr CloseReason kMessageTooBig{1009, "message-too-big"};
inline constexpr CloseReason kIdleTimeout{4000, "idle-timeout"};
inline constexpr CloseReason kSlowConsumer{4001, "slow-consumer"};

}  // namespace parley::net
