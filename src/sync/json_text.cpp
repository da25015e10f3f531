#include "sync/json_text.hpp"

#include <charconv>
#include <cmath>

#include "model/json.hpp"
#include "model/validate.hpp"

namespace leandesk::sync {

void append_json_string(std::string& out, std::string_view text) {
    if (!validate::is_valid_utf8(text)) {
        // Never written by the engine (its inputs are checked); kept safe all the same.
        out += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;  // start of the stretch copied as is
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

void append_json_column(std::string& out, const store::Stmt& s, int col) {
    sqlite3_stmt* st = s.raw();
    switch (sqlite3_column_type(st, col)) {
        case SQLITE_NULL:
            out += "null";
            return;
        case SQLITE_INTEGER: {
            char buf[24];
            const auto r = std::to_chars(buf, buf + sizeof buf, sqlite3_column_int64(st, col));
            out.append(buf, r.ptr);
            return;
        }
        case SQLITE_FLOAT: {
            const double v = sqlite3_column_double(st, col);
            if (!std::isfinite(v)) {
                out += "null";
                return;
            }
            char buf[40];
            const auto r = std::to_chars(buf, buf + sizeof buf, v);
            const std::string_view digits(buf, static_cast<std::size_t>(r.ptr - buf));
            out += digits;
            // Stays a floating-point number when read back, as nlohmann writes it ("2.0").
            if (digits.find_first_of(".e") == std::string_view::npos) out += ".0";
            return;
        }
        default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
            const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st, col));
            append_json_string(out, std::string_view(p == nullptr ? "" : p, n));
        }
    }
}

}  // namespace leandesk::sync
