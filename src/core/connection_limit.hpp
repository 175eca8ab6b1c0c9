#pragma once
// Open connections per client address, so one address cannot take every socket the server
// has. A connection holds a ConnectionSlot for its whole life (HTTP, then maybe WebSocket).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace parley::core {

class ConnectionLimit {
public:
    // `total` caps the connections of every address together (the probation allowance, below,
    // is small per address and overall); the main limit has none but the file table.
    explicit ConnectionLimit(std::size_t perAddress, std::size_t total = SIZE_MAX)
        : perAddress_(perAddress), total_(total) {}

    // Counts one more connection from `address`. Returns the stored copy of the address (valid
    // while it has connections), or null, counting nothing, when it already has its share or
    // every address together has the total.
    const std::string* tryAcquire(const std::string& address) {
        if (held_ >= total_) return nullptr;
        auto [it, added] = open_.try_emplace(address, 0);
        if (it->second + (elsewhere_ ? elsewhere_(address) : 0) >= perAddress_) {
            if (added) open_.erase(it);
            return nullptr;
        }
        ++it->second;
        ++held_;
        return &it->first;
    }

    void release(const std::string& address) {
        auto it = open_.find(address);
        if (it == open_.end()) return;
        --held_;
        if (--it->second == 0) open_.erase(it);
    }

    std::size_t held() const { return held_; }

    std::size_t openFrom(const std::string& address) const {
        auto it = open_.find(address);
        return it == open_.end() ? 0 : it->second;
    }
    std::size_t addresses() const { return open_.size(); }
    // In a cluster: the connections an address holds on the other nodes count here too.
    void setElsewhere(std::function<std::size_t(const std::string&)> elsewhere) { elsewhere_ = std::move(elsewhere); }
    // Each address with connections here: f(address, count).
    template <class F>
    void forEachAddress(F&& f) const {
        for (const auto& [address, count] : open_) f(address, count);
    }
    std::size_t perAddress() const { return perAddress_; }

private:
    std::size_t perAddress_;
    std::size_t total_;
    std::size_t held_ = 0;
    std::unordered_map<std::string, std::size_t> open_;
    std::function<std::size_t(const std::string&)> elsewhere_;
};

// One counted connection; releases its count when destroyed. Empty (counts nothing) when the
// limit refused it. It shares ownership of the limit: a connection's last handler may be
// destroyed after the server that counted it (when the io_context goes away at exit).
class ConnectionSlot {
public:
    ConnectionSlot() = default;
    ConnectionSlot(std::shared_ptr<ConnectionLimit> limit, const std::string& address)
        : address_(limit ? limit->tryAcquire(address) : nullptr),
          limit_(address_ ? std::move(limit) : nullptr) {}
    ConnectionSlot(ConnectionSlot&& other) noexcept
        : address_(std::exchange(other.address_, nullptr)), limit_(std::exchange(other.limit_, nullptr)) {}
    ConnectionSlot& operator=(ConnectionSlot&& other) noexcept {
        if (this != &other) {
            reset();
            address_ = std::exchange(other.address_, nullptr);
            limit_ = std::exchange(other.limit_, nullptr);
        }
        return *this;
    }
    ConnectionSlot(const ConnectionSlot&) = delete;
    ConnectionSlot& operator=(const ConnectionSlot&) = delete;
    ~ConnectionSlot() { reset(); }

    bool held() const { return limit_ != nullptr; }
    // The client address it counts against (empty when not held).
    std::string_view address() const { return address_ ? std::string_view(*address_) : std::string_view{}; }

private:
    void reset() {
        if (limit_) limit_->release(*address_);
        limit_ = nullptr;
        address_ = nullptr;
    }

    // The limit's own copy of the address (every connection from one address shares it).
    const std::string* address_ = nullptr;
    std::shared_ptr<ConnectionLimit> limit_;
};

}  // namespace parley::core
