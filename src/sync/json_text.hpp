// Writing JSON text straight from SQLite columns, without building a JSON document first: the
// server's pull pages hold thousands of rows, and a document per row (then its serialization) was
// most of a page's cost. The output parses back to what nlohmann::json would have written.
#pragma once

#include <string>
#include <string_view>

#include "store/sqlite.hpp"

namespace leandesk::sync {

/// Appends `text` as a JSON string (quoted, escaped). Invalid UTF-8 is replaced (U+FFFD), as
/// nlohmann's dump with error_handler_t::replace does, so a page always parses.
void append_json_string(std::string& out, std::string_view text);
/// Appends column `col` of the current row: null, an integer, a number or a string.
void append_json_column(std::string& out, const store::Stmt& s, int col);

}  // namespace leandesk::sync
