#pragma once
// RFC 6455 frames from a client, incrementally: bytes in as they arrive, whole messages and
// control frames out. Pure logic (no sockets, no clocks), so it is unit-tested and fuzzed alone.
//
// Client frames must be masked; no extension is negotiated, so RSV bits must be 0. A message
// over the size limit is refused from its frame header alone, before its bytes are buffered.
// A frame that lies whole in the bytes given is unmasked in place and handed out without a copy;
// only a frame split across reads (or a fragmented message) is buffered.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/close_reason.hpp"

namespace parley::net {

class WebSocketFrameReader {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void onMessage(bool text, std::string_view payload) = 0;
        virtual void onPing(std::string_view payload) = 0;
        virtual void onPong() = 0;
        // `code` is absent when the close frame carried none (it is then 1005 for the peer).
        virtual void onClose(std::optional<std::uint16_t> code, std::string_view reason) = 0;
    };

    explicit WebSocketFrameReader(std::size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

    // Consumes `size` bytes at `data` (which it may modify: payloads are unmasked in place) and
    // calls the listener for everything complete. Returns false once the connection must fail
    // (failure() says how); from then on nothing more is read. The listener may be called
    // several times in one call.
    bool consume(char* data, std::size_t size, Listener& listener);

    // Why the connection failed (one of the constants below), or null while it has not.
    const CloseReason* failure() const { return failure_; }
    // Bytes held for an incomplete frame or message (0 between messages).
    std::size_t buffered() const { return partial_ ? partial_->pending.size() + partial_->message.size() : 0; }

private:
    // Parses whole frames from [data, data + size); returns how many bytes they took.
    std::size_t parse(char* data, std::size_t size, Listener& listener);
    // Handles one whole, unmasked frame; false if it failed the connection.
    bool frame(std::uint8_t opcode, bool fin, std::string_view payload, Listener& listener);
    bool fail(const CloseReason& reason);  // `reason` must be static
    std::size_t messageBytes() const { return partial_ ? partial_->message.size() : 0; }

    // What only a connection in the middle of something needs: every idle connection has a
    // reader, so it is allocated on demand and freed once the connection is between messages.
    struct Partial {
        std::string pending;  // the start of a frame that has not fully arrived
        std::string message;  // the fragments so far of a message sent in several frames
    };
    Partial& partial();  // allocated on first use

    const std::size_t maxMessageBytes_;
    std::unique_ptr<Partial> partial_;
    const CloseReason* failure_ = nullptr;
    std::optional<std::uint8_t> messageOpcode_;  // set while a fragmented message is in progress
};

// Close codes for connections that break the framing rules (RFC 6455, section 7.4.1).
inline constexpr CloseReason kProtocolError{1002, "protocol-error"};
inline constexpr CloseReason kInvalidText{1007, "invalid-utf8"};

// Whether a close code may appear in a close frame (RFC 6455, section 7.4).
bool isValidCloseCode(std::uint16_t code);

}  // namespace parley::net
