// The Host and Origin headers as a browser (or anyone) may send them: parsing never fails
// badly, and what it accepts is in canonical form.
#include <cctype>
#include <cstdlib>
#include <string_view>

#include "auth/host_policy.hpp"
#include "auth/origin_policy.hpp"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (auto host = auth::hostNameOf(input)) {
        for (char c : *host) {
            if (std::isupper(static_cast<unsigned char>(c))) std::abort();
        }
        if (host->empty()) std::abort();
        // Accepted by name, a host accepts itself again the same way.
        if (auth::hostNameOf(*host) != host && host->front() != '[') std::abort();
    }
    const auth::HostPolicy policy{{"meet.example.org", "*.rooms.example.org"}};
    const bool allowed = auth::isHostAllowed(input, policy);
    if (allowed && !auth::hostNameOf(input)) std::abort();
    if (auto origin = auth::normalizeOrigin(input)) {
        if (auth::normalizeOrigin(*origin) != origin) std::abort();  // canonical is a fixed point
    }
    (void)auth::isOriginAllowed(input, input, auth::OriginPolicy{});
    return 0;
}
