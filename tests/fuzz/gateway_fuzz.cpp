// A script of frames from four sessions against one gateway: the room invariants must hold
// whatever arrives, and every frame the server sends must be valid JSON.
// Input: lines; the first byte of a line picks the session ('!' disconnects one, '~' is a
// ping frame from one, '+' lets seconds pass). Sessions come from two addresses, with small
// per-address limits.
#include <boost/json.hpp>
#include <cstdlib>
#include <spdlog/spdlog.h>
#include <string_view>

#include "protocol/gateway.hpp"

using namespace parley;

namespace {

struct CheckingOutbound : protocol::Outbound {
    void send(protocol::SessionId, protocol::Frame f) override {
        boost::system::error_code ec;
        auto v = boost::json::parse(*f, ec);
        if (ec || !v.is_object()) std::abort();
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    spdlog::set_level(spdlog::level::off);
    core::ManualClock clock;
    core::SequentialIdSource ids;
    CheckingOutbound out;
    core::RoomsConfig rooms{3};
    rooms.perAddress = core::AddressLimits{3, 2, 6, 3};  // small, so the fuzzer reaches them
    protocol::Gateway gw(rooms, protocol::GatewayConfig{}, clock, ids, out);
    for (protocol::SessionId s = 0; s < 4; ++s) gw.onOpen(s, s % 2 ? "10.0.0.1" : "10.0.0.2");

    std::string_view input(reinterpret_cast<const char*>(data), size);
    while (!input.empty()) {
        auto end = input.find('\n');
        std::string_view line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        if (line.empty()) continue;
        protocol::SessionId session = static_cast<unsigned char>(line[0]) % 4;
        if (line[0] == '!') {
            gw.onDisconnect(static_cast<unsigned char>(line.size()) % 4);
        } else if (line[0] == '~') {
            gw.onControl(static_cast<unsigned char>(line.size()) % 4);  // a ping or pong frame
        } else if (line[0] == '+') {
            clock.advance(static_cast<std::int64_t>(line.size()) * 1'000);  // time passes
            gw.tick();
        } else {
            gw.onText(session, line.substr(1));
        }
        if (gw.rooms().participantCount() > 4) std::abort();
        if (gw.rooms().roomCount() > gw.rooms().participantCount()) std::abort();
    }
    return 0;
}
