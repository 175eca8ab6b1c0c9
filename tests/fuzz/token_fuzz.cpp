// Any token text: verifyRoomToken() must refuse or accept without crashing, and whatever it
// accepts must really be signed with the secret, unexpired and for the room asked about.
#include <cstdlib>
#include <string_view>

#include "auth/room_token.hpp"

using namespace parley::auth;

namespace {

constexpr std::string_view kSecret = "fuzz-secret";
constexpr std::int64_t kNow = 1'700'000'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view token(reinterpret_cast<const char*>(data), size);
    for (std::string_view room : {"fuzz-room", "other-room"}) {
        const auto check = verifyRoomToken(token, kSecret, room, kNow);
        if (!check.claims) continue;
        if (check.claims->expires <= kNow) std::abort();
        if (check.claims->room != "*" && check.claims->room != room) std::abort();
        // The same claims minted afresh verify too; and no other secret accepts the input.
        if (!verifyRoomToken(mintRoomToken(*check.claims, kSecret), kSecret, room, kNow).claims) std::abort();
        if (verifyRoomToken(token, "another-secret", room, kNow).claims) std::abort();
    }
    return 0;
}
