// Any byte stream from a client: the frame reader must never crash, never hand out a message
// over the limit or text that is not UTF-8, and must read the same things however the stream is
// cut into reads (TCP may deliver it in any pieces). The first byte picks the cut points.
#include <cstdlib>
#include <string>
#include <vector>

#include "net/utf8.hpp"
#include "net/websocket_frame_reader.hpp"

using namespace parley::net;

namespace {

constexpr std::size_t kLimit = 4096;

struct Log : WebSocketFrameReader::Listener {
    std::string events;  // everything seen, in order, tagged

    void onMessage(bool text, std::string_view payload) override {
        if (payload.size() > kLimit) std::abort();
        if (text && !isValidUtf8(payload)) std::abort();
        events += text ? "T" : "B";
        events += std::to_string(payload.size()) + ":";
        events.append(payload);
    }
    void onPing(std::string_view payload) override {
        if (payload.size() > 125) std::abort();
        events += "P";
        events.append(payload);
    }
    void onPong() override { events += "O"; }
    void onClose(std::optional<std::uint16_t> code, std::string_view reason) override {
        if (code && !isValidCloseCode(*code)) std::abort();
        events += "C" + std::to_string(code.value_or(0));
        events.append(reason);
    }
};

// Reads `bytes` in pieces of `step` (0: all at once); returns the events and the failure code.
std::pair<std::string, int> readInPieces(const std::string& bytes, std::size_t step) {
    WebSocketFrameReader reader(kLimit);
    Log log;
    std::string copy = bytes;
    std::size_t at = 0;
    bool ok = true;
    while (ok && at < copy.size()) {
        const std::size_t n = step == 0 ? copy.size() - at : std::min(step, copy.size() - at);
        ok = reader.consume(copy.data() + at, n, log);
        at += n;
    }
    if (ok && reader.buffered() > copy.size()) std::abort();
    return {log.events, reader.failure() ? reader.failure()->code : 0};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::size_t step = 1 + data[0] % 17;
    const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto whole = readInPieces(bytes, 0);
    const auto pieces = readInPieces(bytes, step);
    if (whole != pieces) std::abort();
    return 0;
}
