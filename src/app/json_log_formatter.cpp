#include "app/json_log_formatter.hpp"

#include "app/log_fields.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace parley::app {

namespace {

void append(spdlog::memory_buf_t& out, std::string_view text) {
    out.append(text.data(), text.data() + text.size());
}

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not one.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned min = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        min = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    unsigned codePoint = lead & (0x7f >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
        codePoint = (codePoint << 6) | (byte(i + k) & 0x3f);
    }
    const bool surrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
    if (codePoint < min || codePoint > 0x10ffff || surrogate) return 0;
    return length;
}

}  // namespace

void appendJsonEscaped(std::string_view text, spdlog::memory_buf_t& out) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const auto length = utf8SequenceLength(text, i);
            if (length == 0) {
                append(out, "\\ufffd");
                ++i;
            } else {
                append(out, text.substr(i, length));
                i += length;
            }
            continue;
        }
        switch (c) {
            case '"': append(out, "\\\""); break;
            case '\\': append(out, "\\\\"); break;
            case '\n': append(out, "\\n"); break;
            case '\r': append(out, "\\r"); break;
            case '\t': append(out, "\\t"); break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
        ++i;
    }
}

void JsonLogFormatter::format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) {
    using namespace std::chrono;
    const auto sinceEpoch = message.time.time_since_epoch();
    const auto seconds = duration_cast<std::chrono::seconds>(sinceEpoch);
    const auto millis = duration_cast<milliseconds>(sinceEpoch - seconds).count();
    const std::time_t whole = seconds.count();
    std::tm utc{};
    gmtime_r(&whole, &utc);

    char stamp[32];
    const auto stampLength = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    append(out, R"({"time":")");
    append(out, std::string_view(stamp, stampLength));
    fmt::format_to(std::back_inserter(out), ".{:03}Z", millis);
    append(out, R"(","level":")");
    // Spelled as --log-level spells them ("warn", not spdlog's "warning"), so a filter on the
    // flag's word finds its lines.
    append(out, message.level == spdlog::level::warn ? std::string_view("warn")
                : message.level == spdlog::level::critical
                    ? std::string_view("critical")
                    : std::string_view(spdlog::level::to_string_view(message.level).data(),
                                       spdlog::level::to_string_view(message.level).size()));
    append(out, R"(","msg":")");
    const std::string_view text(message.payload.data(), message.payload.size());
    appendJsonEscaped(text, out);
    append(out, "\"");
    // The message's identifiers as fields of their own (the words stay in msg too).
    forEachLogField(text, [&](std::string_view key, std::string_view value) {
        append(out, ",\"");
        append(out, key);
        append(out, "\":\"");
        appendJsonEscaped(value, out);
        append(out, "\"");
    });
    append(out, "}\n");
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
    return std::make_unique<JsonLogFormatter>();
}

}  // namespace parley::app
