#pragma once
// spdlog output as one JSON object per line, for log collectors:
// {"time":"2025-01-31T12:00:00.123Z","level":"info","msg":"join room=r1 id=p2 session=7 size=2",
//  "room":"r1","id":"p2","session":"7"} — the message's identifiers also as fields of their own
// (log_fields.hpp).
#include <memory>

#include <spdlog/formatter.h>

namespace parley::app {

class JsonLogFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

// Appends `text` as the inside of a JSON string: quotes, backslashes and control characters
// escaped, and bytes that are not valid UTF-8 replaced by U+FFFD so the line stays valid JSON
// whatever a message carries.
void appendJsonEscaped(std::string_view text, spdlog::memory_buf_t& out);

}  // namespace parley::app
