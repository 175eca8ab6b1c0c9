// Any bytes on a TCP media connection, in chunks of any size: the reassembler must yield frames
// whose prefixes match what is left of the stream, never a frame of 0 or above the maximum, and
// re-framing what it yielded must give back the input up to where it stopped or broke.
#include <cstdlib>
#include <vector>

#include "media/tcp_framing.hpp"

using namespace parley::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    // The first byte picks the chunk size, so splits are fuzzed too.
    const std::size_t chunk = std::size_t{data[0]} + 1;
    const std::span<const std::uint8_t> stream(data + 1, size - 1);
    TcpFrameReassembler r(1200);
    std::vector<std::uint8_t> reframed;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
        r.push(stream.subspan(i, std::min(chunk, stream.size() - i)));
        while (auto frame = r.next()) {
            if (frame->empty() || frame->size() > 1200) std::abort();
            if (!appendTcpFrame(reframed, *frame)) std::abort();
        }
    }
    if (reframed.size() > stream.size()) std::abort();
    for (std::size_t i = 0; i < reframed.size(); ++i) {
        if (reframed[i] != stream[i]) std::abort();
    }
    if (!r.broken() && reframed.size() + r.pending() != stream.size()) std::abort();
    return 0;
}
