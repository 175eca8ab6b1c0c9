#pragma once
// How many messages one connection may send: a token bucket decides each message, and a run of
// refusals with no accepted message in between marks the sender as flooding.
#include <cstdint>

#include "core/token_bucket.hpp"

namespace parley::core {

struct MessageRateLimit {
    double perSecond = 50;    // sustained rate; 0 turns the limit off
    double burst = 100;       // messages accepted back to back before the rate applies
    std::uint32_t floodAfter = 100;  // refused messages in a row that count as flooding
};

class FloodGuard {
public:
    enum class Verdict {
        Accept,  // handle the message
        Drop,    // over the rate: refuse this one message (rate-limited), keep the connection
        Close,   // flooding: the sender ignores refusals, close the connection
    };

    // Starts with a full bucket. The limit is passed on each call rather than kept: every
    // connection has a guard, and they all share the server's one limit.
    FloodGuard(const MessageRateLimit& limit, std::int64_t nowMs) : bucket_(rateOf(limit), nowMs) {}

    Verdict onMessage(const MessageRateLimit& limit, std::int64_t nowMs) {
        if (limit.perSecond <= 0) return Verdict::Accept;
        if (bucket_.take(rateOf(limit), nowMs)) {
            refusedInARow_ = 0;
            return Verdict::Accept;
        }
        // A client that backs off after a refusal gets tokens back and never gets here often;
        // one that keeps sending into an empty bucket is not listening.
        return ++refusedInARow_ >= limit.floodAfter ? Verdict::Close : Verdict::Drop;
    }

private:
    static BucketRate rateOf(const MessageRateLimit& limit) { return {limit.perSecond, limit.burst}; }

    TokenBucket bucket_;
    std::uint32_t refusedInARow_ = 0;
};

}  // namespace parley::core
