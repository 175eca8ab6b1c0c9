#pragma once
// The header of a frame the server sends (RFC 6455, section 5.2): final, unmasked, with the
// payload length in the shortest form. The payload goes out beside it, never copied into it.
#include <array>
#include <cstddef>
#include <cstdint>

namespace parley::net {

struct WebSocketFrameHeader {
    static constexpr std::uint8_t kText = 0x1;
    static constexpr std::uint8_t kClose = 0x8;
    static constexpr std::uint8_t kPong = 0xA;

    std::array<unsigned char, 10> bytes{};
    std::uint8_t size = 0;

    WebSocketFrameHeader() = default;
    WebSocketFrameHeader(std::uint8_t opcode, std::size_t payloadBytes) {
        bytes[0] = static_cast<unsigned char>(0x80 | opcode);
        if (payloadBytes < 126) {
            bytes[1] = static_cast<unsigned char>(payloadBytes);
            size = 2;
        } else if (payloadBytes <= 0xFFFF) {
            bytes[1] = 126;
            bytes[2] = static_cast<unsigned char>(payloadBytes >> 8);
            bytes[3] = static_cast<unsigned char>(payloadBytes);
            size = 4;
        } else {
            bytes[1] = 127;
            for (int i = 0; i < 8; ++i) {
                bytes[2 + i] = static_cast<unsigned char>(static_cast<std::uint64_t>(payloadBytes) >> (56 - 8 * i));
            }
            size = 10;
        }
    }
};

}  // namespace parley::net
