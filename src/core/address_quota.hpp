#pragma once
// What one client address may hold in the rooms: seats (kept for a vanished socket through its
// resume grace as much as for a live one) and rooms it opened, and how fast it may open new
// ones. So one address can neither fill --max-rooms with rooms nobody is in nor sweep the room
// id space joining names at random. Pure: time comes with each call.
#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/address_usage.hpp"

namespace parley::core {

struct AddressLimits {
    std::size_t maxSeats = 0;         // seats held at once (0: unlimited)
    std::size_t maxRooms = 0;         // rooms it opened that are still open (0: unlimited)
    double newRoomsPerMinute = 0;     // sustained rate of opening rooms (0: unlimited)
    double newRoomsBurst = 0;         // opened back to back before the rate applies
};

class AddressQuota {
public:
    enum class Verdict { Ok, TooManySeats, TooManyRooms, TooFast };

    explicit AddressQuota(AddressLimits limits) : limits_(limits) {}

    // In a cluster: what the address holds on the other nodes counts against the same limits.
    void setElsewhere(UsageElsewhere elsewhere) { elsewhere_ = std::move(elsewhere); }

    Verdict canSeat(const std::string& address) const {
        if (limits_.maxSeats == 0) return Verdict::Ok;
        return seatsOf(address) + usageElsewhere(address).seats >= limits_.maxSeats ? Verdict::TooManySeats
                                                                                    : Verdict::Ok;
    }

    // Whether `address` may open a room now; `retryAfterMs` is set for TooFast.
    Verdict canOpen(const std::string& address, std::int64_t nowMs, std::int64_t& retryAfterMs) const {
        if (limits_.maxRooms > 0 && roomsOf(address) + usageElsewhere(address).rooms >= limits_.maxRooms) {
            return Verdict::TooManyRooms;
        }
        auto it = entries_.find(address);
        if (it == entries_.end()) return Verdict::Ok;
        if (limitsRate()) {
            const double tokens = tokensAt(it->second, nowMs);
            if (tokens < 1.0) {
                retryAfterMs = static_cast<std::int64_t>((1.0 - tokens) * 60'000.0 / limits_.newRoomsPerMinute) + 1;
                return Verdict::TooFast;
            }
        }
        return Verdict::Ok;
    }

    void seated(const std::string& address) { ++entries_[address].seats; }
    void unseated(const std::string& address, std::int64_t nowMs) {
        auto it = entries_.find(address);
        if (it == entries_.end()) return;
        if (it->second.seats > 0) --it->second.seats;
        forgetIfIdle(it, nowMs);
    }

    void opened(const std::string& address, std::int64_t nowMs) {
        auto [it, added] = entries_.try_emplace(address);
        Entry& e = it->second;
        if (added) {
            e.tokens = limits_.newRoomsBurst;
            e.lastMs = nowMs;
        }
        if (limitsRate()) {
            e.tokens = tokensAt(e, nowMs) - 1.0;
            e.lastMs = nowMs;
        }
        ++e.rooms;
    }
    void closed(const std::string& address, std::int64_t nowMs) {
        auto it = entries_.find(address);
        if (it == entries_.end()) return;
        if (it->second.rooms > 0) --it->second.rooms;
        forgetIfIdle(it, nowMs);
    }

    // Drops addresses that hold nothing and whose rate allowance has refilled.
    void forgetIdle(std::int64_t nowMs) {
        for (auto it = entries_.begin(); it != entries_.end();) {
            auto next = std::next(it);
            forgetIfIdle(it, nowMs);
            it = next;
        }
    }

    std::size_t seatsOf(const std::string& address) const {
        auto it = entries_.find(address);
        return it == entries_.end() ? 0 : it->second.seats;
    }
    std::size_t roomsOf(const std::string& address) const {
        auto it = entries_.find(address);
        return it == entries_.end() ? 0 : it->second.rooms;
    }
    std::size_t addresses() const { return entries_.size(); }
    // Each address holding something here: f(address, seats, rooms).
    template <class F>
    void forEachAddress(F&& f) const {
        for (const auto& [address, entry] : entries_) {
            if (entry.seats > 0 || entry.rooms > 0) f(address, entry.seats, entry.rooms);
        }
    }
    const AddressLimits& limits() const { return limits_; }

private:
    struct Entry {
        std::size_t seats = 0;
        std::size_t rooms = 0;
        double tokens = 0;      // rooms it may still open back to back, as of lastMs
        std::int64_t lastMs = 0;
    };
    using Iterator = std::unordered_map<std::string, Entry>::iterator;

    bool limitsRate() const { return limits_.newRoomsPerMinute > 0; }

    double tokensAt(const Entry& e, std::int64_t nowMs) const {
        const double refill = static_cast<double>(std::max<std::int64_t>(0, nowMs - e.lastMs)) *
                              limits_.newRoomsPerMinute / 60'000.0;
        return std::min(limits_.newRoomsBurst, e.tokens + refill);
    }

    void forgetIfIdle(Iterator it, std::int64_t nowMs) {
        const Entry& e = it->second;
        if (e.seats == 0 && e.rooms == 0 && (!limitsRate() || tokensAt(e, nowMs) >= limits_.newRoomsBurst)) {
            entries_.erase(it);
        }
    }

    AddressUsage usageElsewhere(const std::string& address) const {
        return elsewhere_ ? elsewhere_(address) : AddressUsage{};
    }

    AddressLimits limits_;
    std::unordered_map<std::string, Entry> entries_;
    UsageElsewhere elsewhere_;
};

}  // namespace parley::core
