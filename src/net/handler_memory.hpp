#pragma once
// Room for one pending asynchronous operation inside the object that starts it. An idle
// connection always has its readiness wait pending; without this, asio takes a heap block for
// it from its per-thread cache, and that block is sized for whatever used it last (often an
// accept, three times larger), so every idle connection kept ~320 bytes it did not need.
// Asio frees an operation's memory before it calls the handler (also when it destroys pending
// operations at shutdown), so the owner outlives every use of this memory as long as the
// handler holds a reference to the owner.
#include <cstddef>
#include <new>

namespace parley::net {

// What a socket wait takes on an io_context-typed socket when its handler holds one shared_ptr
// (104 bytes with Boost 1.81 and GCC 12); tests/integration/handler_memory_test.cpp checks it still fits.
inline constexpr std::size_t kSocketWaitBytes = 104;

template <std::size_t Size>
class HandlerMemory {
public:
    HandlerMemory() = default;
    HandlerMemory(const HandlerMemory&) = delete;
    HandlerMemory& operator=(const HandlerMemory&) = delete;

    void* allocate(std::size_t size) {
        if (!inUse_ && size <= Size) {
            inUse_ = true;
            return storage_;
        }
        return ::operator new(size);  // a second operation at once, or a larger one
    }
    bool inUse() const { return inUse_; }
    void deallocate(void* pointer) {
        if (pointer == storage_) {
            inUse_ = false;
        } else {
            ::operator delete(pointer);
        }
    }

private:
    alignas(std::max_align_t) unsigned char storage_[Size];
    bool inUse_ = false;
};

// The allocator asio finds associated with a handler (asio::bind_allocator).
template <class T, std::size_t Size>
class HandlerAllocator {
public:
    using value_type = T;
    template <class U>
    struct rebind {
        using other = HandlerAllocator<U, Size>;
    };

    explicit HandlerAllocator(HandlerMemory<Size>& memory) : memory_(&memory) {}
    template <class U>
    HandlerAllocator(const HandlerAllocator<U, Size>& other) : memory_(other.memory_) {}

    T* allocate(std::size_t n) { return static_cast<T*>(memory_->allocate(sizeof(T) * n)); }
    void deallocate(T* pointer, std::size_t) { memory_->deallocate(pointer); }

    template <class U>
    bool operator==(const HandlerAllocator<U, Size>& other) const {
        return memory_ == other.memory_;
    }

private:
    template <class, std::size_t>
    friend class HandlerAllocator;
    HandlerMemory<Size>* memory_;
};

}  // namespace parley::net
