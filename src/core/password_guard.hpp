#pragma once
// Wrong room passwords, throttled so that guessing one is hopeless and the rightful guests still
// get in. Each address gets a few free mistakes, then waits longer after every wrong guess,
// whatever room it tries. A room that many wrong guesses reach (from however many addresses)
// makes waits grow too, but only for addresses that have already guessed wrong there: a guest
// who types the right password the first time is never held back by someone else's guessing.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "core/attempt_throttle.hpp"

namespace parley::core {

class PasswordGuard {
public:
    static constexpr ThrottlePolicy kPerAddress{5, 1'000, 300'000, 3'600'000};
    static constexpr ThrottlePolicy kPerRoom{20, 1'000, 60'000, 3'600'000};

    // How long this address must wait before its password for `room` is checked; nullopt: now.
    std::optional<std::int64_t> retryAfterMs(const std::string& room, const std::string& address,
                                             std::int64_t nowMs) const {
        if (auto wait = byAddress_.retryAfterMs(address, nowMs)) return wait;
        if (triedHere_.failedBefore(pair(room, address), nowMs)) return byRoom_.retryAfterMs(room, nowMs);
        return std::nullopt;
    }

    void failed(const std::string& room, const std::string& address, std::int64_t nowMs) {
        byAddress_.failed(address, nowMs);
        byRoom_.failed(room, nowMs);
        triedHere_.failed(pair(room, address), nowMs);
    }

    // The right password: this address is no longer a suspect in this room. Its failures
    // elsewhere stand (knowing one room's password must not buy more guesses at another).
    void succeeded(const std::string& room, const std::string& address) {
        triedHere_.succeeded(pair(room, address));
    }

    void forgetOld(std::int64_t nowMs) {
        byAddress_.forgetOld(nowMs);
        byRoom_.forgetOld(nowMs);
        triedHere_.forgetOld(nowMs);
    }

private:
    static std::string pair(const std::string& room, const std::string& address) {
        return room + '\n' + address;  // neither may contain a newline
    }

    AttemptThrottle byAddress_{kPerAddress};
    AttemptThrottle byRoom_{kPerRoom};
    // Which addresses guessed wrong in which room; only remembered, never delayed by itself.
    AttemptThrottle triedHere_{{std::numeric_limits<std::uint32_t>::max(), 0, 0, 3'600'000}};
};

}  // namespace parley::core
