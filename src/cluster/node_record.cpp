#include "cluster/node_record.hpp"

#include <boost/json.hpp>

namespace parley::cluster {

namespace json = boost::json;

namespace {

const json::value* field(const json::object& object, std::string_view name) {
    return object.if_contains(name);
}

std::optional<std::string> stringField(const json::object& object, std::string_view name) {
    const auto* value = field(object, name);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->as_string());
}

std::optional<std::uint64_t> countField(const json::object& object, std::string_view name) {
    const auto* value = field(object, name);
    if (value == nullptr) return std::nullopt;
    if (value->is_uint64()) return value->as_uint64();
    if (value->is_int64() && value->as_int64() >= 0) return static_cast<std::uint64_t>(value->as_int64());
    return std::nullopt;
}

}  // namespace

std::string encodeNodeRecord(const NodeRecord& record) {
    json::object load;
    load["participants"] = record.load.participants;
    load["rooms"] = record.load.rooms;
    load["mediaPacketsPerSecond"] = record.load.mediaPacketsPerSecond;
    load["cpuPercent"] = record.load.cpuPercent;
    json::object object;
    object["id"] = record.id;
    object["instance"] = record.instance;
    object["publicUrl"] = record.publicUrl;
    object["announcedAtMs"] = record.announcedAtMs;
    object["load"] = std::move(load);
    json::array rooms;
    for (std::size_t i = 0; i < record.rooms.size() && i < kMaxListedRooms; ++i) rooms.emplace_back(record.rooms[i]);
    object["rooms"] = std::move(rooms);
    json::array addresses;
    for (std::size_t i = 0; i < record.addresses.size() && i < kMaxListedAddresses; ++i) {
        const auto& a = record.addresses[i];
        addresses.emplace_back(json::object{
            {"address", a.address}, {"seats", a.seats}, {"rooms", a.rooms}, {"connections", a.connections}});
    }
    object["addresses"] = std::move(addresses);
    return json::serialize(object);
}

std::optional<NodeRecord> decodeNodeRecord(std::string_view text) {
    json::error_code error;
    const json::value parsed = json::parse(text, error);
    if (error || !parsed.is_object()) return std::nullopt;
    const auto& object = parsed.as_object();
    NodeRecord record;
    auto id = stringField(object, "id");
    auto instance = stringField(object, "instance");
    auto url = stringField(object, "publicUrl");
    const auto* announced = field(object, "announcedAtMs");
    const auto* load = field(object, "load");
    if (!id || id->empty() || !instance || !url || announced == nullptr || !announced->is_int64() ||
        load == nullptr || !load->is_object()) {
        return std::nullopt;
    }
    const auto& loadObject = load->as_object();
    const auto participants = countField(loadObject, "participants");
    const auto rooms = countField(loadObject, "rooms");
    const auto packets = countField(loadObject, "mediaPacketsPerSecond");
    const auto cpu = countField(loadObject, "cpuPercent");
    if (!participants || !rooms || !packets || !cpu) return std::nullopt;
    if (const auto* listed = field(object, "rooms")) {
        if (!listed->is_array() || listed->as_array().size() > kMaxListedRooms) return std::nullopt;
        for (const auto& room : listed->as_array()) {
            if (!room.is_string() || room.as_string().empty() || room.as_string().size() > 64) return std::nullopt;
            record.rooms.emplace_back(room.as_string());
        }
    }
    if (const auto* listed = field(object, "addresses")) {
        if (!listed->is_array() || listed->as_array().size() > kMaxListedAddresses) return std::nullopt;
        for (const auto& entry : listed->as_array()) {
            if (!entry.is_object()) return std::nullopt;
            const auto& e = entry.as_object();
            auto address = stringField(e, "address");
            const auto seats = countField(e, "seats");
            const auto rooms = countField(e, "rooms");
            const auto connections = countField(e, "connections");
            if (!address || address->empty() || address->size() > 64 || !seats || !rooms || !connections) {
                return std::nullopt;
            }
            record.addresses.push_back(AddressLoad{std::move(*address), *seats, *rooms, *connections});
        }
    }
    record.id = std::move(*id);
    record.instance = std::move(*instance);
    record.publicUrl = std::move(*url);
    record.announcedAtMs = announced->as_int64();
    record.load = {*participants, *rooms, *packets, *cpu};
    return record;
}

}  // namespace parley::cluster
