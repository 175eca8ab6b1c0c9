// Any text as a stored room snapshot: decodeRoomSnapshot() must refuse it or accept it without
// crashing, and whatever it accepts must be a room that can exist: valid, the same after
// another trip through JSON, and restorable on a fresh node, which then captures it unchanged.
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/room_snapshot_json.hpp"
#include "core/rooms.hpp"

using namespace parley::core;

namespace {

struct Silent : Rooms::Listener {
    void onEvent(std::optional<SessionId>, const ParticipantId&, std::uint64_t, const Event&) override {}
    void onRelay(const RelayTrace&) override {}
    void onGone(const ParticipantId&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto decoded = decodeRoomSnapshot(text);
    if (auto* error = std::get_if<SnapshotError>(&decoded)) {
        if (error->message.empty()) std::abort();
        return 0;
    }
    const RoomSnapshot& snapshot = std::get<RoomSnapshot>(decoded);
    if (validate(snapshot)) std::abort();
    const std::string again = encodeRoomSnapshot(snapshot);
    auto twice = decodeRoomSnapshot(again);
    if (!std::holds_alternative<RoomSnapshot>(twice) || std::get<RoomSnapshot>(twice) != snapshot) std::abort();

    ManualClock clock(snapshot.capturedAtMs);
    SequentialIdSource ids;
    Silent silent;
    Rooms rooms(RoomsConfig{}, clock, ids, silent);
    if (rooms.restore(snapshot)) std::abort();
    auto captured = rooms.snapshot(snapshot.id);
    if (!captured || *captured != snapshot) std::abort();
    // The restored room lives on: time passes, graces run out, it empties without trouble.
    clock.advance(RoomsConfig{}.resumeGraceMs);
    rooms.tick();
    if (rooms.awayCount() != 0) std::abort();
    return 0;
}
