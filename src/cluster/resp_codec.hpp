#pragma once
// The Redis protocol (RESP2) as pure functions over bytes, with hiredis (Debian's 0.14) doing
// the parsing: commands are encoded with redisFormatCommandArgv, replies decoded incrementally
// by a redisReader whose objects are built straight into RespValue. No sockets: the
// connection (redis_connection.hpp) moves the bytes.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cluster/resp_value.hpp"

struct redisReader;

namespace parley::cluster {

// A command as Redis receives it: an array of bulk strings, e.g. {"SET", "k", "v", "PX", "6000"}.
// Throws std::invalid_argument for an empty command.
std::string encodeCommand(const std::vector<std::string>& argv);

// The reply stream did not follow the protocol. The connection it came from cannot be trusted
// any more (every later reply would be misaligned): close it.
struct RespProtocolError {
    std::string message;  // hiredis's description, e.g. "Protocol error, got \"?\" as reply type byte"
};

// Decodes replies from bytes as they arrive, split anywhere.
class RespDecoder {
public:
    RespDecoder();
    ~RespDecoder();
    RespDecoder(const RespDecoder&) = delete;
    RespDecoder& operator=(const RespDecoder&) = delete;

    // Appends received bytes.
    void feed(std::string_view bytes);

    // The next complete reply; std::monostate while more bytes are needed. After a protocol
    // error every later call returns the same error.
    using Next = std::variant<std::monostate, RespValue, RespProtocolError>;
    Next next();

private:
    struct ReaderDeleter {
        void operator()(redisReader* reader) const;
    };
    std::unique_ptr<redisReader, ReaderDeleter> reader_;
    std::optional<RespProtocolError> failed_;
};

}  // namespace parley::cluster
