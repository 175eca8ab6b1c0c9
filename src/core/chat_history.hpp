#pragma once
// The last N chat messages of a room, handed to everyone who joins.
#include <cstdint>
#include <string>

#include "core/bounded_log.hpp"
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
    explicit ChatHistory(std::size_t capacity = 100) : messages_(capacity) {}

    const ChatMessage& add(ParticipantId from, std::string name, std::string text, std::int64_t atMs) {
        messages_.push(ChatMessage{++lastId_, std::move(from), std::move(name), std::move(text), atMs});
        return messages_.back();
    }
    const BoundedLog<ChatMessage>& messages() const { return messages_; }

private:
    std::uint64_t lastId_ = 0;
    BoundedLog<ChatMessage> messages_;
};

}  // namespace parley::core
