#include "cluster/resp_codec.hpp"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <algorithm>
#include <new>
#include <stdexcept>

namespace parley::cluster {

namespace {

// hiredis builds replies through these callbacks. An element is placed in its parent's
// vector as it arrives; the top-level reply alone is heap-allocated and owned by the reader
// until handed out (hiredis frees only that one on error, and the elements go with it). The
// callbacks are C: nothing may throw through them, so an allocation failure becomes nullptr,
// which hiredis reports as an error.
void* place(const redisReadTask* task, RespValue&& value) noexcept {
    try {
        if (task->parent != nullptr) {
            auto* parent = static_cast<RespValue*>(task->parent->obj);
            // Elements arrive in order (idx 0, 1, ...), and an earlier sibling is complete before
            // the next begins, so growing the vector never moves an element hiredis still holds.
            parent->elements.push_back(std::move(value));
            return &parent->elements.back();
        }
        return new RespValue(std::move(value));
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}

void* createString(const redisReadTask* task, char* text, size_t length) {
    try {
        std::string bytes(text, length);
        switch (task->type) {
            case REDIS_REPLY_STATUS: return place(task, RespValue::status(std::move(bytes)));
            case REDIS_REPLY_ERROR: return place(task, RespValue::error(std::move(bytes)));
            default: return place(task, RespValue::bulk(std::move(bytes)));
        }
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}

void* createArray(const redisReadTask* task, int elements) {
    if (elements < 0) return nullptr;  // only *-1 (nil) may be negative, and that is createNil
    RespValue array = RespValue::array({});
    try {
        // The declared count is the peer's word: reserve a little, grow with what arrives.
        array.elements.reserve(static_cast<std::size_t>(std::min(elements, 64)));
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
    return place(task, std::move(array));
}

void* createInteger(const redisReadTask* task, long long value) {
    return place(task, RespValue::number(value));
}

void* createNil(const redisReadTask* task) {
    return place(task, RespValue::nil());
}

void freeObject(void* object) {
    delete static_cast<RespValue*>(object);
}

redisReplyObjectFunctions kFunctions = {createString, createArray, createInteger, createNil, freeObject};

}  // namespace

std::string encodeCommand(const std::vector<std::string>& argv) {
    if (argv.empty()) throw std::invalid_argument("a Redis command needs at least its name");
    std::vector<const char*> pointers;
    std::vector<size_t> lengths;
    pointers.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const auto& arg : argv) {
        pointers.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    char* formatted = nullptr;
    const int length = redisFormatCommandArgv(&formatted, static_cast<int>(argv.size()), pointers.data(),
                                              lengths.data());
    if (length < 0 || formatted == nullptr) throw std::bad_alloc();
    std::string command(formatted, static_cast<std::size_t>(length));
    redisFreeCommand(formatted);
    return command;
}

void RespDecoder::ReaderDeleter::operator()(redisReader* reader) const {
    redisReaderFree(reader);
}

RespDecoder::RespDecoder() : reader_(redisReaderCreateWithFunctions(&kFunctions)) {
    if (!reader_) throw std::bad_alloc();
}

RespDecoder::~RespDecoder() = default;

void RespDecoder::feed(std::string_view bytes) {
    if (failed_ || bytes.empty()) return;
    if (redisReaderFeed(reader_.get(), bytes.data(), bytes.size()) != REDIS_OK) {
        failed_ = RespProtocolError{reader_->errstr[0] ? reader_->errstr : "the reply buffer could not grow"};
    }
}

RespDecoder::Next RespDecoder::next() {
    if (failed_) return *failed_;
    void* reply = nullptr;
    if (redisReaderGetReply(reader_.get(), &reply) != REDIS_OK) {
        // hiredis reports a callback's nullptr as "Out of memory"; ours return it for a
        // negative array length too, which only a broken peer sends.
        std::string why = reader_->errstr;
        if (reader_->err == REDIS_ERR_OOM) why = "Protocol error or out of memory: a reply could not be built";
        failed_ = RespProtocolError{why.empty() ? "Protocol error" : std::move(why)};
        return *failed_;
    }
    if (reply == nullptr) return std::monostate{};
    std::unique_ptr<RespValue> owned(static_cast<RespValue*>(reply));
    return std::move(*owned);
}

std::string describe(const RespValue& value) {
    switch (value.kind) {
        case RespValue::Kind::Status: return "+" + value.text;
        case RespValue::Kind::Error: return "-" + value.text;
        case RespValue::Kind::Integer: return ":" + std::to_string(value.integer);
        case RespValue::Kind::Bulk: return "\"" + value.text + "\"";
        case RespValue::Kind::Nil: return "(nil)";
        case RespValue::Kind::Array: {
            std::string out = "[";
            for (std::size_t i = 0; i < value.elements.size(); ++i) {
                if (i > 0) out += ", ";
                out += describe(value.elements[i]);
            }
            return out + "]";
        }
    }
    return "?";
}

}  // namespace parley::cluster
