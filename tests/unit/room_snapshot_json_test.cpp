// The JSON form of a room's snapshot: exact round trips, and every malformed or impossible
// document refused with a stable code and the field at fault, never a partial room.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <functional>

#include "core/room_snapshot_json.hpp"

using namespace parley::core;
namespace json = boost::json;

namespace {

SeatSnapshot seat(std::string id, Role role, std::uint64_t lastSeq) {
    SeatSnapshot s;
    s.id = std::move(id);
    s.name = "Name of " + s.id + " \"quoted\" ünïcödé";
    s.media = MediaState{true, false, true, "stream-" + s.id};
    s.role = role;
    s.sinceMs = 1'700'000'000'000;
    s.resumeDigest = sha256(s.id);
    s.lastSeq = lastSeq;
    return s;
}

RoomSnapshot sample() {
    RoomSnapshot s;
    s.id = "brave-otter-417";
    s.capturedAtMs = 1'700'000'100'000;
    s.admission = Admission::Open;
    s.seats = 3;
    s.sessionLengthMs = 1'800'000;
    s.password = PasswordHash::of("hunter2");
    s.topology = Topology::Forwarded;
    s.host = "p1";
    s.members = {seat("p1", Role::Host, 40), seat("p2", Role::Guest, 18'446'744'073'709'551'615u)};
    s.waiting = {seat("p4", Role::Guest, 3), seat("p3", Role::Guest, 0)};
    s.sessionEndsAtMs = 1'700'001'800'000;
    s.chat = {ChatMessage{7, "p1", "Ann", "hello\nthere", 1'700'000'050'000},
              ChatMessage{9, "gone", "Zed", "someone who left", 1'700'000'060'000}};
    s.lastChatId = 9;
    s.hands = {"p2", "p1"};
    s.recentStaysMs = {1'000, 0};
    return s;
}

json::object sampleJson() { return json::parse(encodeRoomSnapshot(sample())).as_object(); }

SnapshotError refusalOf(const std::string& text) {
    auto r = decodeRoomSnapshot(text);
    if (!std::holds_alternative<SnapshotError>(r)) {
        ADD_FAILURE() << "accepted: " << text.substr(0, 200);
        return {SnapshotErrorCode::BadJson, "", ""};
    }
    return std::get<SnapshotError>(r);
}
SnapshotError refusalOf(const json::object& doc) { return refusalOf(json::serialize(doc)); }

TEST(RoomSnapshotJson, RoundTripsExactly) {
    const RoomSnapshot s = sample();
    auto r = decodeRoomSnapshot(encodeRoomSnapshot(s));
    ASSERT_TRUE(std::holds_alternative<RoomSnapshot>(r)) << std::get<SnapshotError>(r).message;
    EXPECT_EQ(std::get<RoomSnapshot>(r), s);

    RoomSnapshot bare = s;  // no password, no session timer, one-at-a-time with a slot, locked
    bare.password.reset();
    bare.sessionEndsAtMs.reset();
    bare.admission = Admission::OneAtATime;
    bare.slotEndsAtMs = 1'700'000'200'000;
    bare.locked = true;
    bare.waiting.clear();
    bare.chat.clear();
    bare.hands.clear();
    auto r2 = decodeRoomSnapshot(encodeRoomSnapshot(bare));
    ASSERT_TRUE(std::holds_alternative<RoomSnapshot>(r2)) << std::get<SnapshotError>(r2).message;
    EXPECT_EQ(std::get<RoomSnapshot>(r2), bare);
}

TEST(RoomSnapshotJson, CarriesItsVersionAndNamesItsFieldsPlainly) {
    const json::object doc = sampleJson();
    EXPECT_EQ(doc.at("version").as_int64(), 1);
    EXPECT_EQ(doc.at("room").as_string(), "brave-otter-417");
    EXPECT_EQ(doc.at("admission").as_string(), "open");
    EXPECT_EQ(doc.at("members").as_array()[0].as_object().at("role").as_string(), "host");
    EXPECT_EQ(doc.at("members").as_array()[0].as_object().at("resumeSha256").as_string().size(), 64u);
    EXPECT_TRUE(doc.at("slotEndsAt").is_null());
}

TEST(RoomSnapshotJson, NotJsonIsBadJson) {
    for (const char* text : {"", "{", "not json", "{\"version\":1,}", "[1,2"}) {
        EXPECT_EQ(refusalOf(text).code, SnapshotErrorCode::BadJson) << text;
    }
    EXPECT_EQ(refusalOf("[]").code, SnapshotErrorCode::InvalidField);
    EXPECT_EQ(refusalOf("null").code, SnapshotErrorCode::InvalidField);
    EXPECT_EQ(refusalOf(std::string(kMaxSnapshotJsonBytes + 1, ' ')).code, SnapshotErrorCode::InvalidField);
}

TEST(RoomSnapshotJson, AnotherVersionIsRefusedAsSuch) {
    for (json::value version : {json::value(2), json::value(0), json::value("1"), json::value(1.0)}) {
        json::object doc = sampleJson();
        doc["version"] = version;
        doc["somethingNew"] = true;  // a newer format may add fields: the version speaks first
        const auto e = refusalOf(doc);
        EXPECT_EQ(e.code, SnapshotErrorCode::UnsupportedVersion) << json::serialize(version);
        EXPECT_EQ(e.field, "version");
    }
    json::object doc = sampleJson();
    doc.erase("version");
    EXPECT_EQ(refusalOf(doc).code, SnapshotErrorCode::MissingField);
}

TEST(RoomSnapshotJson, EveryFieldIsRequired) {
    const json::object full = sampleJson();
    for (const auto& kv : full) {
        if (kv.key() == "version") continue;
        json::object doc = full;
        doc.erase(kv.key());
        const auto e = refusalOf(doc);
        EXPECT_EQ(e.code, SnapshotErrorCode::MissingField) << kv.key();
        EXPECT_EQ(e.field, std::string(kv.key()));
    }
    for (const auto& kv : full.at("members").as_array()[0].as_object()) {
        json::object doc = full;
        doc["members"].as_array()[0].as_object().erase(kv.key());
        const auto e = refusalOf(doc);
        EXPECT_EQ(e.code, SnapshotErrorCode::MissingField) << kv.key();
        EXPECT_EQ(e.field, "members[0]." + std::string(kv.key()));
    }
}

TEST(RoomSnapshotJson, WrongTypesRangesAndUnknownFieldsAreInvalid) {
    struct Case {
        const char* what;
        std::function<void(json::object&)> change;
        const char* field;
    };
    auto member = [](json::object& d, std::size_t i) -> json::object& { return d["members"].as_array()[i].as_object(); };
    const std::vector<Case> cases = {
        {"room is a number", [](json::object& d) { d["room"] = 5; }, "room"},
        {"empty room", [](json::object& d) { d["room"] = ""; }, "room"},
        {"seats 0", [](json::object& d) { d["seats"] = 0; }, "seats"},
        {"seats fractional", [](json::object& d) { d["seats"] = 2.5; }, "seats"},
        {"negative time", [](json::object& d) { d["capturedAt"] = -1; }, "capturedAt"},
        {"huge time", [](json::object& d) { d["capturedAt"] = 18'446'744'073'709'551'615u; }, "capturedAt"},
        {"admission", [](json::object& d) { d["admission"] = "closed"; }, "admission"},
        {"topology", [](json::object& d) { d["topology"] = "sfu"; }, "topology"},
        {"locked as text", [](json::object& d) { d["locked"] = "false"; }, "locked"},
        {"members not a list", [](json::object& d) { d["members"] = json::object{}; }, "members"},
        {"a seat not an object", [](json::object& d) { d["members"].as_array()[1] = "p2"; }, "members[1]"},
        {"role", [&](json::object& d) { member(d, 0)["role"] = "admin"; }, "members[0].role"},
        {"mic", [&](json::object& d) { member(d, 0)["mic"] = 1; }, "members[0].mic"},
        {"short digest", [&](json::object& d) { member(d, 0)["resumeSha256"] = "abcd"; }, "members[0].resumeSha256"},
        {"uppercase digest", [&](json::object& d) { member(d, 0)["resumeSha256"] = std::string(64, 'A'); },
         "members[0].resumeSha256"},
        {"negative lastSeq", [](json::object& d) { d["waiting"].as_array()[0].as_object()["lastSeq"] = -1; },
         "waiting[0].lastSeq"},
        {"password salt", [](json::object& d) { d["password"].as_object()["salt"] = std::string(31, 'a'); },
         "password.salt"},
        {"password as text", [](json::object& d) { d["password"] = "hunter2"; }, "password"},
        {"chat text", [](json::object& d) { d["chat"].as_array()[0].as_object()["text"] = json::array{}; },
         "chat[0].text"},
        {"hand not a string", [](json::object& d) { d["hands"].as_array()[0] = 2; }, "hands[0]"},
        {"negative stay", [](json::object& d) { d["recentStaysMs"].as_array()[0] = -5; }, "recentStaysMs[0]"},
        {"too many stays", [](json::object& d) { d["recentStaysMs"] = json::array(11, json::value(1)); },
         "recentStaysMs"},
        {"deadline as text", [](json::object& d) { d["sessionEndsAt"] = "soon"; }, "sessionEndsAt"},
        {"deadline beyond 2^53", [](json::object& d) { d["sessionEndsAt"] = 9'007'199'254'740'992; }, "sessionEndsAt"},
        {"a long name", [&](json::object& d) { member(d, 0)["name"] = std::string(20'000, 'x'); }, "members[0].name"},
        {"unknown field", [](json::object& d) { d["resumeSecret"] = "x"; }, "resumeSecret"},
        {"unknown seat field", [&](json::object& d) { member(d, 0)["token"] = "x"; }, "members[0].token"},
    };
    for (const Case& c : cases) {
        json::object doc = sampleJson();
        c.change(doc);
        const auto e = refusalOf(doc);
        EXPECT_EQ(e.code, SnapshotErrorCode::InvalidField) << c.what;
        EXPECT_EQ(e.field, c.field) << c.what;
        EXPECT_FALSE(e.message.empty()) << c.what;
    }
}

TEST(RoomSnapshotJson, ImpossibleRoomsAreInconsistent) {
    struct Case {
        const char* what;
        std::function<void(RoomSnapshot&)> change;
    };
    const std::vector<Case> cases = {
        {"nobody inside",
         [](RoomSnapshot& s) {
             s.members.clear();
             s.host.clear();
             s.hands.clear();
         }},
        {"host not inside", [](RoomSnapshot& s) { s.host = "p4"; }},
        {"two hosts", [](RoomSnapshot& s) { s.members[1].role = Role::Host; }},
        {"no host role", [](RoomSnapshot& s) { s.members[0].role = Role::Guest; }},
        {"a host in line", [](RoomSnapshot& s) { s.waiting[0].role = Role::Host; }},
        {"an id twice", [](RoomSnapshot& s) { s.waiting[1].id = "p2"; }},
        {"more inside than seats", [](RoomSnapshot& s) { s.seats = 1; }},
        {"one at a time, three inside",
         [](RoomSnapshot& s) {
             s.admission = Admission::OneAtATime;
             s.members.push_back(seat("p9", Role::Guest, 0));
         }},
        {"a slot in an open room", [](RoomSnapshot& s) { s.slotEndsAtMs = 1; }},
        {"a locked room with a line", [](RoomSnapshot& s) { s.locked = true; }},
        {"a hand of someone in line", [](RoomSnapshot& s) { s.hands.push_back("p3"); }},
        {"a hand twice", [](RoomSnapshot& s) { s.hands.push_back("p2"); }},
        {"chat out of order", [](RoomSnapshot& s) { std::swap(s.chat[0], s.chat[1]); }},
        {"chat beyond the last id", [](RoomSnapshot& s) { s.lastChatId = 8; }},
    };
    for (const Case& c : cases) {
        RoomSnapshot s = sample();
        c.change(s);
        ASSERT_TRUE(validate(s)) << c.what;
        EXPECT_EQ(validate(s)->code, SnapshotErrorCode::Inconsistent) << c.what;
        const auto e = refusalOf(encodeRoomSnapshot(s));
        EXPECT_EQ(e.code, SnapshotErrorCode::Inconsistent) << c.what;
    }
}

// A snapshot built in code (restore does not need JSON) is held to the decoder's ranges too.
TEST(RoomSnapshotJson, ValidateHoldsTimesToTheDecodersRange) {
    RoomSnapshot late = sample();
    late.sessionEndsAtMs = kSnapshotMaxTimeMs + 1;
    RoomSnapshot early = sample();
    early.members[1].sinceMs = -1;
    for (const RoomSnapshot* s : {&late, &early}) {
        ASSERT_TRUE(validate(*s));
        EXPECT_EQ(validate(*s)->code, SnapshotErrorCode::Inconsistent);
        EXPECT_EQ(refusalOf(encodeRoomSnapshot(*s)).code, SnapshotErrorCode::InvalidField);
    }
}

TEST(RoomSnapshotJson, ErrorCodesHaveStableNames) {
    EXPECT_EQ(toString(SnapshotErrorCode::BadJson), "bad-json");
    EXPECT_EQ(toString(SnapshotErrorCode::UnsupportedVersion), "unsupported-version");
    EXPECT_EQ(toString(SnapshotErrorCode::MissingField), "missing-field");
    EXPECT_EQ(toString(SnapshotErrorCode::InvalidField), "invalid-field");
    EXPECT_EQ(toString(SnapshotErrorCode::Inconsistent), "inconsistent");
    EXPECT_EQ(toString(SnapshotErrorCode::RoomExists), "room-exists");
    EXPECT_EQ(toString(SnapshotErrorCode::SeatTaken), "seat-taken");
}

}  // namespace
