#pragma once
// Raised hands in the order they went up.
#include <algorithm>
#include <vector>

#include "core/participant.hpp"

namespace parley::core {

class RaisedHands {
public:
    // Returns false when nothing changed (already raised / not raised).
    bool raise(const ParticipantId& id) {
        if (isRaised(id)) return false;
        order_.push_back(id);
        return true;
    }
    bool lower(const ParticipantId& id) { return std::erase(order_, id) > 0; }
    bool isRaised(const ParticipantId& id) const {
        return std::find(order_.begin(), order_.end(), id) != order_.end();
    }
    const std::vector<ParticipantId>& order() const { return order_; }

private:
    std::vector<ParticipantId> order_;
};

}  // namespace parley::core
