#pragma once
// The in-memory directory behind a switch: made unreachable as Redis can be, and able to hold
// the answers to state writes back (a write on its way). For the cluster layer's unit tests.
#include <functional>
#include <string>
#include <vector>

#include "cluster/in_memory_directory.hpp"

namespace parley::cluster {

class SwitchableDirectory final : public ClusterDirectory {
public:
    explicit SwitchableDirectory(const core::Clock& clock) : inner_(clock) {}
    bool up = true;
    void announce(const NodeRecord& n, std::chrono::milliseconds ttl, DirectoryCallback<AnnounceOutcome> done) override {
        inner_.announce(n, ttl, std::move(done));
    }
    void withdraw(const std::string& id, const std::string& instance, DirectoryCallback<bool> done) override {
        inner_.withdraw(id, instance, std::move(done));
    }
    void liveNodes(DirectoryCallback<std::vector<NodeRecord>> done) override { inner_.liveNodes(std::move(done)); }
    void acquireLease(const std::string& room, const std::string& owner, std::chrono::milliseconds ttl,
                      DirectoryCallback<LeaseOutcome> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.acquireLease(room, owner, ttl, std::move(done));
    }
    void acquireLeases(const std::vector<std::string>& rooms, const std::string& owner, std::chrono::milliseconds ttl,
                       DirectoryCallback<std::vector<LeaseOutcome>> done) override {
        ++batchedAcquires;
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.acquireLeases(rooms, owner, ttl, std::move(done));
    }
    int batchedAcquires = 0;
    void renewLease(const std::string& room, const std::string& owner, std::chrono::milliseconds ttl,
                    DirectoryCallback<bool> done) override {
        inner_.renewLease(room, owner, ttl, std::move(done));
    }
    void releaseLease(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.releaseLease(room, owner, std::move(done));
    }
    void leaseOwner(const std::string& room, DirectoryCallback<std::optional<std::string>> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.leaseOwner(room, std::move(done));
    }
    void saveRoomState(const std::string& room, const std::string& owner, const std::string& state,
                       std::chrono::milliseconds ttl, DirectoryCallback<bool> done) override {
        ++saves;
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        if (holdAnswers) {
            held.push_back([this, room, owner, state, ttl, done = std::move(done)]() mutable {
                inner_.saveRoomState(room, owner, state, ttl, std::move(done));
            });
            return;
        }
        inner_.saveRoomState(room, owner, state, ttl, std::move(done));
    }
    void loadRoomState(const std::string& room, DirectoryCallback<std::optional<std::string>> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.loadRoomState(room, std::move(done));
    }
    void closeRoom(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.closeRoom(room, owner, std::move(done));
    }
    int saves = 0;          // saveRoomState calls, answered or not
    bool holdAnswers = false;  // saves wait in `held` until answered (as a write on its way)
    std::vector<std::function<void()>> held;
    bool reachable() const override { return up; }
    ListenerId addReachabilityListener(std::function<void(bool)> listener) override {
        listener_ = std::move(listener);
        return 1;
    }
    void removeReachabilityListener(ListenerId) override { listener_ = nullptr; }
    void setUp(bool value) {
        up = value;
        if (listener_) listener_(value);
    }

private:
    InMemoryDirectory inner_;
    std::function<void(bool)> listener_;
};


}  // namespace parley::cluster
