#include "client_framing.hpp"

#include <cstring>

namespace parley::bench {
namespace {

constexpr std::size_t kMaxControlPayload = 125;

std::uint64_t readBigEndian(const unsigned char* at, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value = (value << 8) | at[i];
    return value;
}

// Copies `size` bytes while XOR-ing them with the 4-byte key, eight bytes at a time.
void copyMasked(char* to, const char* from, std::size_t size, const unsigned char key[4]) {
    unsigned char wide[8];
    for (int i = 0; i < 8; ++i) wide[i] = key[i % 4];
    std::uint64_t key64;
    std::memcpy(&key64, wide, 8);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, from + i, 8);
        word ^= key64;
        std::memcpy(to + i, &word, 8);
    }
    for (; i < size; ++i) to[i] = static_cast<char>(from[i] ^ key[i % 4]);
}

bool isControl(std::uint8_t opcode) { return opcode & 0x8; }

}  // namespace

std::uint64_t MaskKeys::next64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void appendClientFrame(std::string& out, Opcode opcode, std::string_view payload,
                       std::uint32_t key) {
    unsigned char header[14];
    std::size_t size = 0;
    header[size++] = static_cast<unsigned char>(0x80 | static_cast<std::uint8_t>(opcode));
    const std::uint64_t length = payload.size();
    if (length < 126) {
        header[size++] = static_cast<unsigned char>(0x80 | length);
    } else if (length <= 0xFFFF) {
        header[size++] = 0x80 | 126;
        header[size++] = static_cast<unsigned char>(length >> 8);
        header[size++] = static_cast<unsigned char>(length);
    } else {
        header[size++] = 0x80 | 127;
        for (int shift = 56; shift >= 0; shift -= 8)
            header[size++] = static_cast<unsigned char>(length >> shift);
    }
    unsigned char* mask = header + size;
    std::memcpy(mask, &key, 4);
    size += 4;

    const std::size_t at = out.size();
    out.resize(at + size + payload.size());
    std::memcpy(out.data() + at, header, size);
    copyMasked(out.data() + at + size, payload.data(), payload.size(), mask);
}

std::string closePayload(std::uint16_t code, std::string_view reason) {
    std::string payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xFF);
    payload += reason.substr(0, kMaxControlPayload - 2);
    return payload;
}

std::size_t ServerFrameParser::fail(std::string why, std::size_t consumed) {
    failure_ = std::move(why);
    return consumed;
}

std::size_t ServerFrameParser::parse(std::string_view bytes, ServerFrameSink& sink) {
    if (failure_) return 0;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t at = 0;
    while (bytes.size() - at >= 2) {
        const unsigned char* frame = data + at;
        const bool fin = frame[0] & 0x80;
        const std::uint8_t opcode = frame[0] & 0x0F;
        if (frame[0] & 0x70) return fail("reserved bits set (no extension was negotiated)", at);
        if (frame[1] & 0x80) return fail("masked frame from the server (RFC 6455 5.1)", at);

        std::size_t headerSize = 2;
        std::uint64_t length = frame[1] & 0x7F;
        if (length == 126) {
            headerSize = 4;
        } else if (length == 127) {
            headerSize = 10;
        }
        if (bytes.size() - at < headerSize) break;
        if (headerSize == 4) length = readBigEndian(frame + 2, 2);
        if (headerSize == 10) length = readBigEndian(frame + 2, 8);

        if (isControl(opcode)) {
            if (!fin) return fail("fragmented control frame", at);
            if (length > kMaxControlPayload) return fail("control frame over 125 bytes", at);
        } else if (length > maxMessageBytes_ ||
                   (inFragmented_ && fragments_.size() + length > maxMessageBytes_)) {
            return fail("message over " + std::to_string(maxMessageBytes_) + " bytes", at);
        }
        if (bytes.size() - at - headerSize < length) break;

        const std::string_view payload(bytes.data() + at + headerSize, std::size_t(length));
        at += headerSize + std::size_t(length);

        bool goOn = true;
        switch (opcode) {
        case 0x0:  // continuation
            if (!inFragmented_) return fail("continuation without a message to continue", at);
            fragments_.append(payload);
            if (fin) {
                inFragmented_ = false;
                goOn = sink.onMessage(fragments_);
                fragments_.clear();
            }
            break;
        case 0x1:
        case 0x2:
            if (inFragmented_) return fail("new message inside a fragmented one", at);
            if (fin) {
                goOn = sink.onMessage(payload);
            } else {
                inFragmented_ = true;
                fragments_.assign(payload);
            }
            break;
        case 0x8:
            if (payload.size() == 1) return fail("close frame with a 1-byte payload", at);
            if (payload.empty()) {
                goOn = sink.onClose(std::nullopt, {});
            } else {
                const auto code = std::uint16_t(readBigEndian(
                    reinterpret_cast<const unsigned char*>(payload.data()), 2));
                goOn = sink.onClose(code, payload.substr(2));
            }
            break;
        case 0x9:
            goOn = sink.onPing(payload);
            break;
        case 0xA:  // an unsolicited pong: nothing to do
            break;
        default:
            return fail("unknown opcode " + std::to_string(opcode), at);
        }
        if (!goOn) break;
    }
    return at;
}

}  // namespace parley::bench
