#pragma once
// The newest `capacity` items, oldest first: a ring that owns no memory while empty and grows
// (doubling, up to its capacity) only as items come. std::deque would not do: libstdc++'s
// allocates over half a kilobyte as soon as it is constructed, and every room and participant
// keeps a few of these logs, most of them empty or nearly so.
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace parley::core {

template <class T>
class BoundedLog {
public:
    explicit BoundedLog(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

    // Appends; when full, the oldest item gives way.
    void push(T item) {
        if (size_ == capacity_) {
            slots_[head_] = std::move(item);
            head_ = (head_ + 1) % slots_.size();
            return;
        }
        if (size_ == slots_.size()) grow();
        slots_[(head_ + size_) % slots_.size()] = std::move(item);
        ++size_;
    }

    void popFront() {
        slots_[head_] = T{};
        head_ = (head_ + 1) % slots_.size();
        if (--size_ == 0) clear();
    }

    void clear() {
        std::vector<T>().swap(slots_);
        head_ = size_ = 0;
    }

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    const T& operator[](std::size_t i) const { return slots_[(head_ + i) % slots_.size()]; }
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
        std::vector<T> bigger(std::min(capacity_, std::max<std::size_t>(1, slots_.size() * 2)));
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
        slots_.swap(bigger);
        head_ = 0;
    }

    std::size_t capacity_;
    std::vector<T> slots_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

}  // namespace parley::core
