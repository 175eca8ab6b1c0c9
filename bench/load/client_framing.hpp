#pragma once
// The client side of RFC 6455 framing, as the load tool needs it: masked frames appended to an
// outgoing byte string (so many frames leave in one socket write), and a parser for the server's
// unmasked frames that finds every complete frame in whatever one read returned. Beast's stream
// writes one frame per system call; at saturation that made the tool, not the server, the limit.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::bench {

enum class Opcode : std::uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Masking keys need not be secret for a load tool, only fresh per frame (RFC 6455 5.3):
// splitmix64 gives a new one for a few instructions.
class MaskKeys {
public:
    explicit MaskKeys(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next64();
    std::uint32_t next() { return static_cast<std::uint32_t>(next64()); }

private:
    std::uint64_t state_;
};

// Appends one final (FIN) frame carrying `payload`, masked with `key`.
void appendClientFrame(std::string& out, Opcode opcode, std::string_view payload,
                       std::uint32_t key);

// The payload of a close frame: the status code (network order) then the reason.
std::string closePayload(std::uint16_t code, std::string_view reason = {});

// Receives what ServerFrameParser finds. Each call returns false to stop parsing (the
// connection closed), true to go on.
class ServerFrameSink {
public:
    virtual ~ServerFrameSink() = default;
    virtual bool onMessage(std::string_view payload) = 0;  // a whole text or binary message
    virtual bool onPing(std::string_view payload) = 0;
    virtual bool onClose(std::optional<std::uint16_t> code, std::string_view reason) = 0;
};

class ServerFrameParser {
public:
    explicit ServerFrameParser(std::size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

    // Hands every complete frame at the start of `bytes` to `sink` and returns how many bytes
    // they took; the rest (a partial frame) must be offered again with more bytes behind it.
    // After a protocol violation it returns what it consumed so far and failure() says why.
    std::size_t parse(std::string_view bytes, ServerFrameSink& sink);
    const std::optional<std::string>& failure() const { return failure_; }

private:
    std::size_t fail(std::string why, std::size_t consumed);

    std::size_t maxMessageBytes_;
    std::string fragments_;      // a fragmented message so far
    bool inFragmented_ = false;  // a message began without FIN and awaits continuations
    std::optional<std::string> failure_;
};

}  // namespace parley::bench
