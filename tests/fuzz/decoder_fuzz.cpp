// Any frame text: decode() must return a message or an error, never crash, and a message it
// accepts must satisfy the protocol's limits.
#include <cstdlib>
#include <string_view>

#include "protocol/decoder.hpp"
#include "protocol/validation.hpp"

using namespace parley::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = decode(text);
    if (auto* m = std::get_if<Message>(&result)) {
        if (auto* j = std::get_if<Join>(&m->body)) {
            if (!isValidRoomId(j->room) || !normalizeDisplayName(j->name)) std::abort();
        }
        if (auto* r = std::get_if<Relay>(&m->body)) {
            if (r->to.size() > kMaxIdChars || r->payload.empty()) std::abort();
        }
    }
    return 0;
}
