#include "net/websocket_frame_reader.hpp"

#include <cstring>

#include "net/utf8.hpp"

namespace parley::net {

namespace {

enum Opcode : std::uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xA,
};

constexpr std::size_t kMaxControlPayload = 125;

bool isControl(std::uint8_t opcode) { return (opcode & 0x8) != 0; }

void unmask(char* payload, std::size_t size, const unsigned char key[4]) {
    std::uint64_t wide;
    unsigned char eight[8];
    for (int i = 0; i < 8; ++i) eight[i] = key[i % 4];
    std::memcpy(&wide, eight, 8);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t chunk;
        std::memcpy(&chunk, payload + i, 8);
        chunk ^= wide;
        std::memcpy(payload + i, &chunk, 8);
    }
    for (; i < size; ++i) payload[i] = static_cast<char>(payload[i] ^ key[i % 4]);
}

}  // namespace

bool isValidCloseCode(std::uint16_t code) {
    if (code >= 3000 && code <= 4999) return true;
    switch (code) {
        case 1000: case 1001: case 1002: case 1003: case 1007: case 1008: case 1009: case 1010:
        case 1011:
            return true;
        default:
            return false;
    }
}

WebSocketFrameReader::Partial& WebSocketFrameReader::partial() {
    if (!partial_) partial_ = std::make_unique<Partial>();
    return *partial_;
}

bool WebSocketFrameReader::consume(char* data, std::size_t size, Listener& listener) {
    if (failure_) return false;
    if (!partial_ || partial_->pending.empty()) {
        const std::size_t used = parse(data, size, listener);
        if (!failure_ && used < size) partial().pending.assign(data + used, size - used);
    } else {
        std::string& pending = partial_->pending;
        pending.append(data, size);
        const std::size_t used = parse(pending.data(), pending.size(), listener);
        if (!failure_) pending.erase(0, used);
    }
    // An idle connection should hold nothing at all.
    if (failure_ || (partial_ && partial_->pending.empty() && partial_->message.empty())) {
        partial_.reset();
    }
    return !failure_;
}

std::size_t WebSocketFrameReader::parse(char* data, std::size_t size, Listener& listener) {
    std::size_t at = 0;
    while (size - at >= 2) {
        const auto* head = reinterpret_cast<const unsigned char*>(data + at);
        const bool fin = (head[0] & 0x80) != 0;
        const std::uint8_t opcode = head[0] & 0x0F;
        // What the first two bytes can tell is refused before waiting for more.
        if ((head[0] & 0x70) != 0) return fail(kProtocolError), at;
        if (opcode != kContinuation && opcode != kText && opcode != kBinary && opcode != kClose &&
            opcode != kPing && opcode != kPong) {
            return fail(kProtocolError), at;
        }
        if ((head[1] & 0x80) == 0) return fail(kProtocolError), at;  // clients must mask
        const std::uint8_t shortLength = head[1] & 0x7F;
        if (isControl(opcode) && (!fin || shortLength > kMaxControlPayload)) {
            return fail(kProtocolError), at;
        }
        if (!isControl(opcode) && (opcode == kContinuation) != messageOpcode_.has_value()) {
            return fail(kProtocolError), at;  // a continuation of nothing, or a message inside one
        }

        const std::size_t lengthBytes = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0;
        const std::size_t headerBytes = 2 + lengthBytes + 4;
        if (size - at < headerBytes) break;
        std::uint64_t length = shortLength;
        if (lengthBytes) {
            length = 0;
            for (std::size_t i = 0; i < lengthBytes; ++i) length = (length << 8) | head[2 + i];
            if (length >> 63) return fail(kProtocolError), at;
        }
        if (!isControl(opcode) && length > maxMessageBytes_ - messageBytes()) {
            return fail(kMessageTooBig), at;
        }
        if (size - at - headerBytes < length) break;

        char* payload = data + at + headerBytes;
        unmask(payload, length, head + 2 + lengthBytes);
        at += headerBytes + length;
        if (!frame(opcode, fin, std::string_view(payload, length), listener)) return at;
    }
    return at;
}

bool WebSocketFrameReader::frame(std::uint8_t opcode, bool fin, std::string_view payload,
                                 Listener& listener) {
    switch (opcode) {
        case kPing:
            listener.onPing(payload);
            return true;
        case kPong:
            listener.onPong();
            return true;
        case kClose: {
            if (payload.size() == 1) return fail(kProtocolError);
            std::optional<std::uint16_t> code;
            std::string_view reason;
            if (payload.size() >= 2) {
                code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                  static_cast<unsigned char>(payload[1]));
                if (!isValidCloseCode(*code)) return fail(kProtocolError);
                reason = payload.substr(2);
                if (!isValidUtf8(reason)) return fail(kInvalidText);
            }
            listener.onClose(code, reason);
            return true;
        }
        default:
            break;
    }
    if (fin && !messageOpcode_) {
        // The common case: a whole message in one frame, handed out where it lies.
        if (opcode == kText && !isValidUtf8(payload)) return fail(kInvalidText);
        listener.onMessage(opcode == kText, payload);
        return true;
    }
    if (!messageOpcode_) messageOpcode_ = opcode;
    partial().message.append(payload);
    if (!fin) return true;
    const bool text = *messageOpcode_ == kText;
    messageOpcode_.reset();
    std::string whole;
    whole.swap(partial().message);
    if (text && !isValidUtf8(whole)) return fail(kInvalidText);
    listener.onMessage(text, whole);
    return true;
}

bool WebSocketFrameReader::fail(const CloseReason& reason) {
    if (!failure_) failure_ = &reason;
    return false;
}

}  // namespace parley::net
