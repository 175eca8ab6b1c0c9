#include "core/room_snapshot_json.hpp"

#include <boost/json.hpp>

#include <limits>
#include <set>

#include "core/events.hpp"

namespace parley::core {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxStringBytes = 16 * 1024;  // a name, a chat message, an id

constexpr char kSnapshotHex[] = "0123456789abcdef";

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes) {
    std::string out;
    out.reserve(2 * N);
    for (std::uint8_t b : bytes) {
        out += kSnapshotHex[b >> 4];
        out += kSnapshotHex[b & 15];
    }
    return out;
}

json::value optionalInt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object seatJson(const SeatSnapshot& seat) {
    return json::object{{"id", seat.id},
                        {"name", seat.name},
                        {"role", toString(seat.role)},
                        {"mic", seat.media.mic},
                        {"cam", seat.media.cam},
                        {"screen", seat.media.screen},
                        {"screenStream", seat.media.screenStream},
                        {"since", seat.sinceMs},
                        {"resumeSha256", hex(seat.resumeDigest.bytes)},
                        {"lastSeq", seat.lastSeq}};
}

// --- decoding --------------------------------------------------------------------------------

struct Refused {
    SnapshotError error;
};

[[noreturn]] void refuse(SnapshotErrorCode code, std::string field, std::string message) {
    throw Refused{{code, std::move(field), std::move(message)}};
}

// An object whose fields are all read exactly once; any other field is refused at the end.
class Reader {
public:
    Reader(const json::value& v, std::string path) : path_(std::move(path)) {
        if (!v.is_object()) refuse(SnapshotErrorCode::InvalidField, path_, "Expected an object");
        object_ = &v.get_object();
    }

    const json::value& field(std::string_view key) {
        const json::value* v = object_->if_contains(key);
        if (!v) refuse(SnapshotErrorCode::MissingField, where(key), "Missing");
        read_.insert(std::string(key));
        return *v;
    }
    std::string where(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

    std::string string(std::string_view key, bool nonEmpty = false) {
        const json::value& v = field(key);
        if (!v.is_string() || v.get_string().size() > kMaxStringBytes || (nonEmpty && v.get_string().empty())) {
            refuse(SnapshotErrorCode::InvalidField, where(key), "Expected a string");
        }
        return std::string(v.get_string());
    }
    bool boolean(std::string_view key) {
        const json::value& v = field(key);
        if (!v.is_bool()) refuse(SnapshotErrorCode::InvalidField, where(key), "Expected true or false");
        return v.get_bool();
    }
    std::int64_t integer(std::string_view key, std::int64_t min = 0,
                         std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
        return integerOf(field(key), where(key), min, max);
    }
    std::uint64_t unsignedInteger(std::string_view key) {
        const json::value& v = field(key);
        if (v.is_uint64()) return v.get_uint64();
        if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
        refuse(SnapshotErrorCode::InvalidField, where(key), "Expected a whole number, not negative");
    }
    std::optional<std::int64_t> optionalInteger(std::string_view key) {
        const json::value& v = field(key);
        if (v.is_null()) return std::nullopt;
        return integerOf(v, where(key), 0, kSnapshotMaxTimeMs);
    }
    const json::array& array(std::string_view key, std::size_t maxSize) {
        const json::value& v = field(key);
        if (!v.is_array() || v.get_array().size() > maxSize) {
            refuse(SnapshotErrorCode::InvalidField, where(key), "Expected a list of at most " + std::to_string(maxSize));
        }
        return v.get_array();
    }
    template <std::size_t N>
    std::array<std::uint8_t, N> hexBytes(std::string_view key) {
        const json::value& v = field(key);
        std::array<std::uint8_t, N> out{};
        if (!v.is_string() || v.get_string().size() != 2 * N) {
            refuse(SnapshotErrorCode::InvalidField, where(key), "Expected " + std::to_string(2 * N) + " hex digits");
        }
        const json::string& s = v.get_string();
        for (std::size_t i = 0; i < N; ++i) {
            const int high = digit(s[2 * i]);
            const int low = digit(s[2 * i + 1]);
            if (high < 0 || low < 0) refuse(SnapshotErrorCode::InvalidField, where(key), "Expected lowercase hex");
            out[i] = static_cast<std::uint8_t>(high << 4 | low);
        }
        return out;
    }

    // Every field was read: anything else is not part of this version's format.
    void done() const {
        for (const auto& kv : *object_) {
            const std::string key(kv.key());
            if (!read_.count(key)) refuse(SnapshotErrorCode::InvalidField, where(key), "Unknown field");
        }
    }

    static std::int64_t integerOf(const json::value& v, const std::string& where, std::int64_t min, std::int64_t max) {
        if (!v.is_int64() && !v.is_uint64()) refuse(SnapshotErrorCode::InvalidField, where, "Expected a whole number");
        if (v.is_uint64() || v.get_int64() < min || v.get_int64() > max) {
            refuse(SnapshotErrorCode::InvalidField, where, "Out of range");
        }
        return v.get_int64();
    }

private:
    static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    }

    std::string path_;
    const json::object* object_ = nullptr;
    std::set<std::string> read_;
};

std::string itemAt(const std::string& list, std::size_t i) { return list + "[" + std::to_string(i) + "]"; }

std::string itemString(const json::value& v, const std::string& where) {
    if (!v.is_string() || v.get_string().empty() || v.get_string().size() > kMaxStringBytes) {
        refuse(SnapshotErrorCode::InvalidField, where, "Expected a string");
    }
    return std::string(v.get_string());
}

SeatSnapshot readSeat(const json::value& v, const std::string& path) {
    Reader r(v, path);
    SeatSnapshot seat;
    seat.id = r.string("id", true);
    seat.name = r.string("name");
    const std::string role = r.string("role");
    if (role == "host") {
        seat.role = Role::Host;
    } else if (role == "guest") {
        seat.role = Role::Guest;
    } else {
        refuse(SnapshotErrorCode::InvalidField, r.where("role"), "Expected host or guest");
    }
    seat.media.mic = r.boolean("mic");
    seat.media.cam = r.boolean("cam");
    seat.media.screen = r.boolean("screen");
    seat.media.screenStream = r.string("screenStream");
    seat.sinceMs = r.integer("since", 0, kSnapshotMaxTimeMs);
    seat.resumeDigest.bytes = r.hexBytes<32>("resumeSha256");
    seat.lastSeq = r.unsignedInteger("lastSeq");
    r.done();
    return seat;
}

RoomSnapshot read(const json::value& doc) {
    Reader r(doc, "");
    // The version first: a newer format is refused as such, not as whatever field it changed.
    const json::value& version = r.field("version");
    if (!version.is_int64() || version.get_int64() != RoomSnapshot::kVersion) {
        refuse(SnapshotErrorCode::UnsupportedVersion, "version",
               "This server reads room snapshots of version " + std::to_string(RoomSnapshot::kVersion));
    }
    RoomSnapshot s;
    s.id = r.string("room", true);
    s.capturedAtMs = r.integer("capturedAt", 0, kSnapshotMaxTimeMs);
    const auto admission = admissionFromString(r.string("admission"));
    if (!admission) refuse(SnapshotErrorCode::InvalidField, "admission", "Expected open, knock or one-at-a-time");
    s.admission = *admission;
    s.seats = static_cast<std::size_t>(r.integer("seats", 1, kSnapshotMaxSeats));
    s.sessionLengthMs = r.integer("sessionLengthMs", 0, kSnapshotMaxTimeMs);
    s.slotLengthMs = r.integer("slotLengthMs", 0, kSnapshotMaxTimeMs);
    if (const json::value& pw = r.field("password"); !pw.is_null()) {
        Reader p(pw, "password");
        PasswordHash hash;
        hash.salt = p.hexBytes<16>("salt");
        hash.digest.bytes = p.hexBytes<32>("sha256");
        p.done();
        s.password = hash;
    }
    s.locked = r.boolean("locked");
    const std::string topology = r.string("topology");
    if (topology == "mesh") {
        s.topology = Topology::Mesh;
    } else if (topology == "forwarded") {
        s.topology = Topology::Forwarded;
    } else {
        refuse(SnapshotErrorCode::InvalidField, "topology", "Expected mesh or forwarded");
    }
    s.host = r.string("host");
    const json::array& members = r.array("members", kSnapshotMaxSeats);
    for (std::size_t i = 0; i < members.size(); ++i) s.members.push_back(readSeat(members[i], itemAt("members", i)));
    const json::array& waiting = r.array("waiting", kSnapshotMaxWaiting);
    for (std::size_t i = 0; i < waiting.size(); ++i) s.waiting.push_back(readSeat(waiting[i], itemAt("waiting", i)));
    s.sessionEndsAtMs = r.optionalInteger("sessionEndsAt");
    s.slotEndsAtMs = r.optionalInteger("slotEndsAt");
    const json::array& chat = r.array("chat", kSnapshotMaxChat);
    for (std::size_t i = 0; i < chat.size(); ++i) {
        Reader m(chat[i], itemAt("chat", i));
        ChatMessage msg;
        msg.id = m.unsignedInteger("id");
        msg.from = m.string("from", true);
        msg.name = m.string("name");
        msg.text = m.string("text");
        msg.atMs = m.integer("at", 0, kSnapshotMaxTimeMs);
        m.done();
        s.chat.push_back(std::move(msg));
    }
    s.lastChatId = r.unsignedInteger("lastChatId");
    const json::array& hands = r.array("hands", kSnapshotMaxSeats);
    for (std::size_t i = 0; i < hands.size(); ++i) s.hands.push_back(itemString(hands[i], itemAt("hands", i)));
    const json::array& stays = r.array("recentStaysMs", kSnapshotMaxStays);
    for (std::size_t i = 0; i < stays.size(); ++i) {
        s.recentStaysMs.push_back(Reader::integerOf(stays[i], itemAt("recentStaysMs", i), 0, kSnapshotMaxTimeMs));
    }
    r.done();
    if (auto error = validate(s)) throw Refused{*error};
    return s;
}

}  // namespace

std::string encodeRoomSnapshot(const RoomSnapshot& s) {
    json::array members;
    for (const SeatSnapshot& seat : s.members) members.push_back(seatJson(seat));
    json::array waiting;
    for (const SeatSnapshot& seat : s.waiting) waiting.push_back(seatJson(seat));
    json::array chat;
    for (const ChatMessage& m : s.chat) {
        chat.push_back(json::object{{"id", m.id}, {"from", m.from}, {"name", m.name}, {"text", m.text}, {"at", m.atMs}});
    }
    json::array hands;
    for (const ParticipantId& id : s.hands) hands.push_back(json::value(id));
    json::array stays;
    for (std::int64_t stay : s.recentStaysMs) stays.push_back(stay);
    json::value password = nullptr;
    if (s.password) password = json::object{{"salt", hex(s.password->salt)}, {"sha256", hex(s.password->digest.bytes)}};
    json::object doc{{"version", RoomSnapshot::kVersion},
                     {"room", s.id},
                     {"capturedAt", s.capturedAtMs},
                     {"admission", toString(s.admission)},
                     {"seats", s.seats},
                     {"sessionLengthMs", s.sessionLengthMs},
                     {"slotLengthMs", s.slotLengthMs},
                     {"password", std::move(password)},
                     {"locked", s.locked},
                     {"topology", toString(s.topology)},
                     {"host", s.host},
                     {"members", std::move(members)},
                     {"waiting", std::move(waiting)},
                     {"sessionEndsAt", optionalInt(s.sessionEndsAtMs)},
                     {"slotEndsAt", optionalInt(s.slotEndsAtMs)},
                     {"chat", std::move(chat)},
                     {"lastChatId", s.lastChatId},
                     {"hands", std::move(hands)},
                     {"recentStaysMs", std::move(stays)}};
    return json::serialize(doc);
}

std::variant<RoomSnapshot, SnapshotError> decodeRoomSnapshot(std::string_view text) {
    if (text.size() > kMaxSnapshotJsonBytes) {
        return SnapshotError{SnapshotErrorCode::InvalidField, "", "The document is too large"};
    }
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec) return SnapshotError{SnapshotErrorCode::BadJson, "", "Not JSON: " + ec.message()};
    try {
        return read(doc);
    } catch (const Refused& refused) {
        return refused.error;
    }
}

}  // namespace parley::core
