#pragma once
// A fresh private directory for one server process's files (port file, certificates, logs).
#include <string>
#include <string_view>

namespace parley::itest {

// Creates $TMPDIR/<prefix>-XXXXXX (/tmp when TMPDIR is unset or empty); throws on failure.
std::string makeTempDir(std::string_view prefix);

}  // namespace parley::itest
