// JSON codecs of the entities (the shapes documented as JSON Schemas in docs/schema/) and a strict
// reader for inputs: unknown keys are refused, so nothing the policy forbids (R17: payment means,
// postal addresses) can be slipped into the store through an extra field.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/entities.hpp"

namespace leandesk {

using Json = nlohmann::json;

void to_json(Json& j, const User& v);
void to_json(Json& j, const Group& v);
void to_json(Json& j, const Member& v);
void to_json(Json& j, const Step& v);
void to_json(Json& j, const Resource& v);
void to_json(Json& j, const Project& v);
void to_json(Json& j, const Participant& v);
void to_json(Json& j, const Action& v);
void to_json(Json& j, const Indicator& v);
void to_json(Json& j, const IndicatorValue& v);
void to_json(Json& j, const IndicatorPoint& v);
void to_json(Json& j, const Photo& v);
void to_json(Json& j, const Comment& v);
void to_json(Json& j, const PersonView& v);
void to_json(Json& j, const Change& v);

/// Parses JSON text from an untrusted caller: depth- and size-bounded, errors as invalid_argument.
Json parse_json(std::string_view text, std::string_view what);

/// Reads an input object key by key, validating each value, then refuses leftover keys.
class JsonReader {
  public:
    JsonReader(const Json& object, std::string what);
    /// The reader keeps a reference: a temporary would dangle, so it is refused at compile time.
    JsonReader(Json&& object, std::string what) = delete;

    [[nodiscard]] bool has(const char* key) const;
    /// True when the key is present with an explicit null (a patch clearing a field).
    [[nodiscard]] bool is_null(const char* key) const;

    std::string string(const char* key, std::size_t max_chars, bool allow_empty = false,
                       bool multiline = false);
    std::optional<std::string> opt_string(const char* key, std::size_t max_chars,
                                          bool allow_empty = false, bool multiline = false);
    std::optional<std::string> opt_id(const char* key);
    std::string id(const char* key);
    std::optional<std::string> opt_date(const char* key);
    std::optional<std::int64_t> opt_int(const char* key, std::int64_t lo, std::int64_t hi);
    std::optional<double> opt_number(const char* key);
    std::optional<bool> opt_bool(const char* key);

    // The opt_* readers refuse an explicit null: a field that always has a value cannot be
    // cleared. Optional fields are read with these, where null clears the field.
    std::optional<std::string> nullable_string(const char* key, std::size_t max_chars,
                                               bool allow_empty = false, bool multiline = false);
    std::optional<std::string> nullable_id(const char* key);
    std::optional<std::string> nullable_date(const char* key);
    std::optional<std::int64_t> nullable_int(const char* key, std::int64_t lo, std::int64_t hi);
    std::optional<double> nullable_number(const char* key);

    /// The raw value (nullptr when absent or null), marked as consumed; the caller validates it.
    const Json* opt_raw(const char* key) { return value(key, true); }

    /// Throws invalid_argument naming the first key that no reader method consumed.
    void finish() const;

  private:
    const Json* value(const char* key, bool nullable);
    std::string field(const char* key) const;

    const Json& object_;
    std::string what_;
    // Keys are string literals of the engine's code; a few per input, so a vector beats a set.
    std::vector<std::string_view> consumed_;
};

}  // namespace leandesk
