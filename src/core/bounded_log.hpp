#pragma once
// The newest `capacity` items, oldest first: a ring that owns no memory while empty and grows
// (doubling, up to its capacity) only as items come. std::deque would not do: libstdc++'s
// allocates over half a kilobyte as soon as it is constructed, and every room and participant
// keeps a few of these logs, most of them empty or nearly so. Counts are 32-bit so the whole log
// is 24 bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <utility>

namespace parley::core {

template <class T>
class BoundedLog {
public:
    explicit BoundedLog(std::size_t capacity)
        : capacity_(static_cast<std::uint32_t>(std::clamp<std::size_t>(capacity, 1, UINT32_MAX))) {}

    BoundedLog(BoundedLog&& other) noexcept
        : slots_(std::move(other.slots_)),
          capacity_(other.capacity_),
          slotCount_(std::exchange(other.slotCount_, 0)),
          head_(std::exchange(other.head_, 0)),
          size_(std::exchange(other.size_, 0)) {}
    BoundedLog& operator=(BoundedLog&& other) noexcept {
        if (this != &other) {
            slots_ = std::move(other.slots_);
            capacity_ = other.capacity_;
            slotCount_ = std::exchange(other.slotCount_, 0);
            head_ = std::exchange(other.head_, 0);
            size_ = std::exchange(other.size_, 0);
        }
        return *this;
    }
    BoundedLog(const BoundedLog& other) : capacity_(other.capacity_) {
        for (const T& item : other) push(item);
    }
    BoundedLog& operator=(const BoundedLog& other) {
        if (this != &other) *this = BoundedLog(other);
        return *this;
    }

    // Appends; when full, the oldest item gives way.
    void push(T item) {
        if (size_ == capacity_) {
            slots_[head_] = std::move(item);
            head_ = (head_ + 1) % slotCount_;
            return;
        }
        if (size_ == slotCount_) grow();
        slots_[(head_ + size_) % slotCount_] = std::move(item);
        ++size_;
    }

    void popFront() {
        slots_[head_] = T{};
        head_ = (head_ + 1) % slotCount_;
        if (--size_ == 0) clear();
    }

    void clear() {
        slots_.reset();
        slotCount_ = head_ = size_ = 0;
    }

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    const T& operator[](std::size_t i) const { return slots_[(head_ + i) % slotCount_]; }
    const T& front() const { return (*this)[0]; }
    const T& back() const { return (*this)[size_ - 1]; }

    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T*;
        using reference = const T&;

        const_iterator() = default;
        const_iterator(const BoundedLog* log, std::size_t i) : log_(log), i_(i) {}
        reference operator*() const { return (*log_)[i_]; }
        pointer operator->() const { return &(*log_)[i_]; }
        const_iterator& operator++() {
            ++i_;
            return *this;
        }
        const_iterator operator++(int) {
            auto before = *this;
            ++i_;
            return before;
        }
        bool operator==(const const_iterator& other) const { return i_ == other.i_; }

    private:
        const BoundedLog* log_ = nullptr;
        std::size_t i_ = 0;
    };
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size_}; }

private:
    void grow() {
        const std::uint32_t count = std::min(capacity_, std::max<std::uint32_t>(1, slotCount_ * 2));
        auto bigger = std::make_unique<T[]>(count);
        for (std::uint32_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) % slotCount_]);
        slots_ = std::move(bigger);
        slotCount_ = count;
        head_ = 0;
    }

    std::unique_ptr<T[]> slots_;
    std::uint32_t capacity_;
    std::uint32_t slotCount_ = 0;
    std::uint32_t head_ = 0;
    std::uint32_t size_ = 0;
};

}  // namespace parley::core
