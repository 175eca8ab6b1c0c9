#pragma once
// Growing delays after failed attempts (wrong passwords, wrong admin tokens), per key (an
// address, a room). The first `free` failures cost nothing; each one after that makes the key
// wait twice as long as the last, up to a ceiling, before its next attempt is even checked. A
// success forgets the key, and so does a quiet spell, so a person who mistyped a few times is
// never locked out for long. Pure: time comes with each call.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace parley::core {

struct ThrottlePolicy {
    std::uint32_t free = 5;              // failures before any delay
    std::int64_t firstDelayMs = 1'000;   // the delay after failure free+1; doubles after that
    std::int64_t maxDelayMs = 300'000;   // the delay stops growing here
    std::int64_t forgetAfterMs = 3'600'000;  // a key that failed nothing this long starts afresh
};

class AttemptThrottle {
public:
    explicit AttemptThrottle(ThrottlePolicy policy, std::size_t maxKeys = 100'000)
        : policy_(policy), maxKeys_(maxKeys) {}

    // How long `key` must still wait before an attempt is checked; nullopt: it may try now.
    std::optional<std::int64_t> retryAfterMs(const std::string& key, std::int64_t nowMs) const {
        auto it = keys_.find(key);
        if (it == keys_.end() || it->second.blockedUntilMs <= nowMs) return std::nullopt;
        return it->second.blockedUntilMs - nowMs;
    }

    // Whether `key` has failed recently (whether or not it must wait now).
    bool failedBefore(const std::string& key, std::int64_t nowMs) const {
        auto it = keys_.find(key);
        return it != keys_.end() && nowMs - it->second.lastFailureMs < policy_.forgetAfterMs;
    }

    void failed(const std::string& key, std::int64_t nowMs) {
        if (keys_.size() >= maxKeys_ && !keys_.count(key)) forgetOld(nowMs);
        if (keys_.size() >= maxKeys_ && !keys_.count(key)) return;  // full of fresh failures
        Entry& e = keys_[key];
        if (e.failures > 0 && nowMs - e.lastFailureMs >= policy_.forgetAfterMs) e = Entry{};
        ++e.failures;
        e.lastFailureMs = nowMs;
        if (e.failures > policy_.free) {
            const std::uint32_t doublings = std::min<std::uint32_t>(e.failures - policy_.free - 1, 30);
            const std::int64_t delay = std::min(policy_.firstDelayMs << doublings, policy_.maxDelayMs);
            e.blockedUntilMs = nowMs + delay;
        }
    }

    void succeeded(const std::string& key) { keys_.erase(key); }

    // Drops keys that have been quiet long enough to start afresh (call now and then).
    void forgetOld(std::int64_t nowMs) {
        std::erase_if(keys_, [&](const auto& kv) {
            return nowMs - kv.second.lastFailureMs >= policy_.forgetAfterMs &&
                   kv.second.blockedUntilMs <= nowMs;
        });
    }

    std::size_t size() const { return keys_.size(); }
    const ThrottlePolicy& policy() const { return policy_; }

private:
    struct Entry {
        std::uint32_t failures = 0;
        std::int64_t lastFailureMs = 0;
        std::int64_t blockedUntilMs = 0;
    };

    ThrottlePolicy policy_;
    std::size_t maxKeys_;
    std::unordered_map<std::string, Entry> keys_;
};

}  // namespace parley::core
