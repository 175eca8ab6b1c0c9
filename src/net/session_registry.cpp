#include "net/session_registry.hpp"

#include <utility>
#include <vector>

namespace parley::net {

void SessionRegistry::add(SessionId id, std::weak_ptr<WebSocketPeer> peer) {
    peers_.insert_or_assign(id, std::move(peer));
}

void SessionRegistry::remove(SessionId id) {
    peers_.erase(id);
    if (peers_.empty() && whenEmpty_) std::exchange(whenEmpty_, nullptr)();
}

void SessionRegistry::send(SessionId to, Frame frame) {
    const auto found = peers_.find(to);
    if (found == peers_.end()) return;
    if (auto peer = found->second.lock()) peer->deliver(std::move(frame));
}

void SessionRegistry::close(SessionId session, std::uint16_t code, std::string_view reason) {
    const auto found = peers_.find(session);
    if (found == peers_.end()) return;
    if (auto peer = found->second.lock()) peer->close(CloseReason{code, reason});
}

void SessionRegistry::drop(SessionId session) {
    const auto found = peers_.find(session);
    if (found == peers_.end()) return;
    if (auto peer = found->second.lock()) peer->drop();
}

void SessionRegistry::stall(SessionId session) {
    const auto found = peers_.find(session);
    if (found == peers_.end()) return;
    if (auto peer = found->second.lock()) peer->stall();
}

void SessionRegistry::closeAll(CloseReason reason) {
    // Collect first: closing never removes synchronously today, but must not be able to
    // invalidate this iteration if that changes.
    std::vector<std::shared_ptr<WebSocketPeer>> open;
    open.reserve(peers_.size());
    for (const auto& [id, weak] : peers_) {
        if (auto peer = weak.lock()) open.push_back(std::move(peer));
    }
    for (const auto& peer : open) peer->close(reason);
}

void SessionRegistry::sweep(std::chrono::steady_clock::time_point now) {
    // Sweeping only starts close handshakes and posts the rest, so nothing is removed while
    // this runs.
    for (const auto& [id, weak] : peers_) {
        if (auto peer = weak.lock()) peer->sweep(now);
    }
}

void SessionRegistry::whenEmpty(std::function<void()> callback) {
    if (peers_.empty()) {
        callback();
        return;
    }
    whenEmpty_ = std::move(callback);
}

}  // namespace parley::net
