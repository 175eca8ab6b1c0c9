// The Host, Origin and forwarding headers as a browser, a proxy (or anyone) may send them:
// parsing never fails badly, and what it accepts is in canonical form. Also the log line's
// key=value words (app/log_fields.hpp), which carry names clients chose: every field found is a
// known key with a non-empty value taken from the line itself.
#include <cctype>
#include <cstdlib>
#include <string_view>

#include "auth/host_policy.hpp"
#include "auth/https_redirect.hpp"
#include "auth/origin_policy.hpp"
#include "auth/proxy_policy.hpp"
#include "app/log_fields.hpp"

using namespace parley;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    app::forEachLogField(input, [&](std::string_view key, std::string_view value) {
        if (value.empty() || value.find(' ') != std::string_view::npos) std::abort();
        if (value.data() < input.data() || value.data() + value.size() > input.data() + input.size()) std::abort();
        bool known = false;
        for (auto k : app::kLogFieldKeys) known = known || k == key;
        if (!known) std::abort();
    });
    // A plain-HTTP request beside direct TLS: a redirect only ever names https:// and a path
    // without anything that could end the header.
    for (std::string_view publicUrl : {std::string_view(), std::string_view("https://meet.example.org")}) {
        const auto half = input.size() / 2;
        const auto location = auth::httpsLocation(input.substr(0, half), input.substr(half), publicUrl, 8443,
                                                   auth::HostPolicy{{"meet.example.org"}});
        if (location && (location->rfind("https://", 0) != 0 || location->find_first_of("\r\n ") != std::string::npos)) std::abort();
    }
    if (auto token = auth::acmeChallengeToken(input)) {
        if (token->empty() || token->find_first_of("./\\") != std::string_view::npos) std::abort();
    }
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

    if (auto address = auth::canonicalAddress(input)) {
        if (auth::canonicalAddress(*address) != address) std::abort();
    }
    if (auto range = auth::parseAddressRange(input)) {
        if (range->prefix < 0 || range->prefix > (range->v6 ? 128 : 32)) std::abort();
    }
    // A forwarding header from a trusted proxy: the client found is the peer or an address.
    auth::ProxyPolicy proxies{{*auth::parseAddressRange("127.0.0.0/8"), *auth::parseAddressRange("::1")}};
    for (auto header : {auth::ForwardedHeader::XForwardedFor, auth::ForwardedHeader::Forwarded}) {
        proxies.header = header;
        (void)auth::forwardedAddresses({input}, header);
        const std::string client = auth::clientAddress("127.0.0.1", {input}, proxies);
        if (client != "127.0.0.1" && !auth::canonicalAddress(client)) std::abort();
        if (auth::clientAddress("192.0.2.7", {input}, proxies) != "192.0.2.7") std::abort();  // untrusted peer
    }
    return 0;
}
