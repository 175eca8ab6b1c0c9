#pragma once
// A room's snapshot as JSON text (what the cluster stores in Redis), with a format version.
// Decoding is strict and pure: the document must be exactly what encode() writes for some valid
// snapshot (every field present, no others, each of its type and range, validate() holding), or
// it is refused with a SnapshotError; a refused document yields no room, not part of one.
//
// {"version":1,"room":"brave-otter-417","capturedAt":1700000000000,"admission":"open",
//  "seats":6,"sessionLengthMs":0,"slotLengthMs":0,"password":{"salt":"<32 hex>","sha256":"<64 hex>"},
//  "locked":false,"topology":"mesh","host":"p1",
//  "members":[{"id":"p1","name":"Ann","role":"host","mic":true,"cam":true,"screen":false,
//              "screenStream":"","since":1700000000000,"resumeSha256":"<64 hex>","lastSeq":12}],
//  "waiting":[...same shape, role "guest"...],"sessionEndsAt":null,"slotEndsAt":null,
//  "chat":[{"id":1,"from":"p1","name":"Ann","text":"hello","at":1700000000000}],"lastChatId":1,
//  "hands":["p1"],"recentStaysMs":[]}
// Times are wall-clock milliseconds since the Unix epoch; "password" is null without one.
#include <string>
#include <string_view>
#include <variant>

#include "core/room_snapshot.hpp"

namespace parley::core {

// Larger documents are refused before parsing (a room's worth is well under 1 MiB: 100 chat
// messages and a few dozen seats).
inline constexpr std::size_t kMaxSnapshotJsonBytes = 4 * 1024 * 1024;

std::string encodeRoomSnapshot(const RoomSnapshot& snapshot);
std::variant<RoomSnapshot, SnapshotError> decodeRoomSnapshot(std::string_view json);

}  // namespace parley::core
