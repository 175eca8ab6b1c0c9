// Any bytes as a Redis reply stream: RespDecoder must decode or refuse without crashing, give
// the same replies however the stream is split, and stay failed once it has failed. Each
// decoded bulk string is also read as a node record (what the directory lists), which must
// refuse or round-trip.
#include <cstdlib>
#include <string_view>
#include <vector>

#include "cluster/node_record.hpp"
#include "cluster/resp_codec.hpp"

using namespace parley::cluster;

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

struct Decoded {
    std::vector<RespValue> replies;
    bool failed = false;
};

Decoded decode(std::string_view bytes, std::size_t step) {
    RespDecoder decoder;
    Decoded out;
    for (std::size_t i = 0; i < bytes.size() && !out.failed; i += step) {
        decoder.feed(bytes.substr(i, step));
        while (true) {
            auto next = decoder.next();
            if (std::holds_alternative<std::monostate>(next)) break;
            if (std::holds_alternative<RespProtocolError>(next)) {
                check(!std::get<RespProtocolError>(next).message.empty());
                check(std::holds_alternative<RespProtocolError>(decoder.next()));
                out.failed = true;
                break;
            }
            out.replies.push_back(std::get<RespValue>(std::move(next)));
        }
    }
    return out;
}

void visitBulks(const RespValue& value) {
    if (value.kind == RespValue::Kind::Bulk) {
        if (auto record = decodeNodeRecord(value.text)) {
            const auto again = decodeNodeRecord(encodeNodeRecord(*record));
            check(again.has_value() && again->id == record->id && again->instance == record->instance);
        }
    }
    for (const auto& element : value.elements) visitBulks(element);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto whole = decode(bytes, bytes.size() + 1);
    const auto split = decode(bytes, 1 + size % 7);
    // Splitting never changes what a complete prefix decodes to.
    const std::size_t common = std::min(whole.replies.size(), split.replies.size());
    for (std::size_t i = 0; i < common; ++i) check(whole.replies[i] == split.replies[i]);
    if (!whole.failed && !split.failed) check(whole.replies.size() == split.replies.size());
    for (const auto& reply : whole.replies) {
        visitBulks(reply);
        (void)describe(reply);
    }
    return 0;
}
