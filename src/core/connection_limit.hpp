#pragma once
// Open connections per client address, so one address cannot take every socket the server
// has. A connection holds a ConnectionSlot for its whole life (HTTP, then maybe WebSocket).
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace parley::core {

class ConnectionLimit {
public:
    explicit ConnectionLimit(std::size_t perAddress) : perAddress_(perAddress) {}

    // Counts one more connection from `address`; false (nothing counted) when it has its share.
    bool tryAcquire(const std::string& address) {
        auto& open = open_[address];
        if (open >= perAddress_) {
            if (open == 0) open_.erase(address);
            return false;
        }
        ++open;
        return true;
    }

    void release(const std::string& address) {
        auto it = open_.find(address);
        if (it == open_.end()) return;
        if (--it->second == 0) open_.erase(it);
    }

    std::size_t openFrom(const std::string& address) const {
        auto it = open_.find(address);
        return it == open_.end() ? 0 : it->second;
    }
    std::size_t addresses() const { return open_.size(); }
    std::size_t perAddress() const { return perAddress_; }

private:
    std::size_t perAddress_;
    std::unordered_map<std::string, std::size_t> open_;
};

// One counted connection; releases its count when destroyed. Empty (counts nothing) when the
// limit refused it. It shares ownership of the limit: a connection's last handler may be
// destroyed after the server that counted it (when the io_context goes away at exit).
class ConnectionSlot {
public:
    ConnectionSlot() = default;
    ConnectionSlot(std::shared_ptr<ConnectionLimit> limit, std::string address)
        : limit_(limit && limit->tryAcquire(address) ? std::move(limit) : nullptr),
          address_(std::move(address)) {}
    ConnectionSlot(ConnectionSlot&& other) noexcept
        : limit_(std::exchange(other.limit_, nullptr)), address_(std::move(other.address_)) {}
    ConnectionSlot& operator=(ConnectionSlot&& other) noexcept {
        if (this != &other) {
            reset();
            limit_ = std::exchange(other.limit_, nullptr);
            address_ = std::move(other.address_);
        }
        return *this;
    }
    ConnectionSlot(const ConnectionSlot&) = delete;
    ConnectionSlot& operator=(const ConnectionSlot&) = delete;
    ~ConnectionSlot() { reset(); }

    bool held() const { return limit_ != nullptr; }
    const std::string& address() const { return address_; }

private:
    void reset() {
        if (limit_) limit_->release(address_);
        limit_ = nullptr;
    }

    std::shared_ptr<ConnectionLimit> limit_;
    std::string address_;
};

}  // namespace parley::core
