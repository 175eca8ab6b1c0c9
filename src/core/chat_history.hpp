#pragma once
// The last N chat messages of a room, handed to everyone who joins.
#include <cstdint>
#include <deque>
#include <string>

#include "core/participant.hpp"

namespace parley::core {

struct ChatMessage {
    std::uint64_t id;  // 1, 2, ... per room
    ParticipantId from;
    std::string name;  // the sender's name when sent, so history survives their leaving
    std::string text;
    std::int64_t atMs;
};

class ChatHistory {
public:
    explicit ChatHistory(std::size_t capacity = 100) : capacity_(capacity) {}

    const ChatMessage& add(ParticipantId from, std::string name, std::string text, std::int64_t atMs) {
        if (capacity_ > 0 && messages_.size() == capacity_) messages_.pop_front();
        messages_.push_back(ChatMessage{++lastId_, std::move(from), std::move(name), std::move(text), atMs});
        return messages_.back();
    }
    const std::deque<ChatMessage>& messages() const { return messages_; }

private:
    std::size_t capacity_;
    std::uint64_t lastId_ = 0;
    std::deque<ChatMessage> messages_;
};

}  // namespace parley::core
