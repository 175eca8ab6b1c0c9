// Heap bytes the rooms and the gateway hold per joined participant, with no sockets at all:
// N joins through Gateway::onText into rooms of K, measured with glibc's mallinfo2. Splits
// the per-connection memory of the idle scenario into "room state" and "transport".
//   parley-room-memory [N] [K]      (defaults 10000, 2)
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "protocol/gateway.hpp"

namespace {

struct CountingOutbound : parley::protocol::Outbound {
    std::size_t frames = 0;
    void send(parley::core::SessionId, parley::protocol::Frame) override { ++frames; }
};

}  // namespace

int main(int argc, char** argv) {
    const int joins = argc > 1 ? std::atoi(argv[1]) : 10'000;
    const int roomSize = argc > 2 ? std::atoi(argv[2]) : 2;
    if (joins <= 0 || roomSize <= 0) {
        std::fprintf(stderr, "usage: parley-room-memory [joins > 0] [room size > 0]\n");
        return 2;
    }
    spdlog::set_level(spdlog::level::off);
    parley::core::SystemClock clock;
    parley::core::RandomIdSource ids;
    CountingOutbound out;
    parley::core::RoomsConfig rooms;
    rooms.maxRooms = static_cast<std::size_t>(joins);
    rooms.maxRoomSize = static_cast<std::size_t>(roomSize);
    parley::protocol::Gateway gateway(rooms, {}, clock, ids, out);

    const auto before = mallinfo2().uordblks;
    for (int i = 0; i < joins; ++i) {
        const std::string join = R"({"v":1,"type":"join","room":"room-)" + std::to_string(i / roomSize) +
                                 R"(","name":"guest )" + std::to_string(i) + R"("})";
        gateway.onText(static_cast<parley::core::SessionId>(i + 1), join);
    }
    const auto after = mallinfo2().uordblks;
    std::printf("%d joins in rooms of %d: %zu participants, %zu frames sent, %.0f heap bytes each\n",
                joins, roomSize, gateway.rooms().participantCount(), out.frames,
                static_cast<double>(after - before) / joins);
    return gateway.rooms().participantCount() == static_cast<std::size_t>(joins) ? 0 : 1;
}
