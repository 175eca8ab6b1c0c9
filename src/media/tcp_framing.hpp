#pragma once
// RFC 4571 framing: ICE-TCP (RFC 6544) carries STUN, DTLS, RTP and RTCP over a TCP connection,
// each packet preceded by its length as a 2-byte big-endian number. TCP delivers bytes, not
// packets, so the receiving side reassembles whole frames from whatever chunks arrive. Pure: no
// socket here (the worker's TCP listener, tcp_media_listener.hpp, feeds it).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace parley::media {

// The largest frame a media connection may carry. WebRTC keeps packets under the path MTU
// (~1200-1500 bytes) even over TCP; a peer announcing more is not speaking WebRTC, and a cap
// keeps one connection from making the server hold 64 KiB it will only throw away.
inline constexpr std::size_t kMaxTcpFrameSize = 4096;

// Appends `packet` with its length prefix to `out`. False (nothing appended) when the packet
// is empty or longer than 65535 bytes, which RFC 4571 cannot express.
bool appendTcpFrame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> packet);

class TcpFrameReassembler {
public:
    explicit TcpFrameReassembler(std::size_t maxFrameSize = kMaxTcpFrameSize) : maxFrameSize_(maxFrameSize) {}

    // Adds bytes as they came off the connection (any split). Ignored once broken().
    void push(std::span<const std::uint8_t> bytes);

    // The next whole frame (without its prefix), or nothing until more bytes arrive. The span
    // stays valid until the next push() or next() call.
    std::optional<std::span<const std::uint8_t>> next();

    // A length of 0 or above the maximum arrived: the stream can no longer be trusted to be in
    // step (there is no way to find the next frame), so the connection should be closed.
    bool broken() const { return broken_; }
    // Bytes held that are not yet a whole frame.
    std::size_t pending() const { return buffer_.size() - consumed_; }

private:
    std::size_t maxFrameSize_;
    std::vector<std::uint8_t> buffer_;
    std::size_t consumed_ = 0;  // bytes of buffer_ already handed out as frames
    bool broken_ = false;
};

}  // namespace parley::media
