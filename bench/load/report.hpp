#pragma once
#include <string>

#include "load_result.hpp"

namespace parley::bench {

// A table for people.
std::string formatTable(const LoadResult& result);
// One line of JSON for bench/run and for anyone comparing runs; absent measurements are null.
std::string formatJson(const LoadResult& result);

}  // namespace parley::bench
