#include "model/json.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "model/validate.hpp"

namespace leandesk {
namespace {

template <typename T>
Json nullable(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}

// Refuses deeply nested input before it is built into a tree (stack safety for hostile input).
constexpr std::size_t kMaxDepth = 32;
constexpr std::size_t kMaxInputBytes = 16U * 1024U * 1024U;

}  // namespace

void to_json(Json& j, const User& v) {
    j = Json{{"id", v.id},
             {"email", v.email},
             {"first_name", v.first_name},
             {"last_name", v.last_name},
             {"display_name", v.display_name()},
             {"avatar", nullable(v.avatar)},
             {"status", to_string(v.status)},
             {"activated_at", nullable(v.activated_at)},
             {"deactivated", v.deactivated},
             {"newsletter_opt_in", v.newsletter_opt_in},
             {"show_open_actions_on_dashboard", v.show_open_actions_on_dashboard},
             {"accepted_policy_version", v.accepted_policy_version},
             {"last_active_at", nullable(v.last_active_at)},
             {"created_at", v.created_at}};
}

void to_json(Json& j, const Group& v) {
    j = Json{
        {"id", v.id}, {"name", v.name}, {"manager_id", v.manager_id}, {"created_at", v.created_at}};
}

void to_json(Json& j, const Member& v) {
    j = Json{{"group_id", v.group_id},
             {"user_id", v.user_id},
             {"added_by", nullable(v.added_by)},
             {"added_at", v.added_at}};
}

void to_json(Json& j, const Step& v) {
    j = Json{{"id", v.id},
             {"group_id", v.group_id},
             {"name", v.name},
             {"position", v.position},
             {"kind", to_string(v.kind)}};
}

void to_json(Json& j, const Resource& v) {
    j = Json{{"id", v.id},
             {"group_id", v.group_id},
             {"name", v.name},
             {"url", nullable(v.url)},
             {"note", nullable(v.note)}};
}

void to_json(Json& j, const Project& v) {
    j = Json{{"id", v.id},
             {"group_id", v.group_id},
             {"name", v.name},
             {"description", v.description},
             {"future_state", v.future_state},
             {"owner_id", v.owner_id},
             {"start_date", nullable(v.start_date)},
             {"target_date", nullable(v.target_date)},
             {"status", to_string(v.status)},
             {"created_at", v.created_at}};
}

void to_json(Json& j, const Participant& v) {
    j = Json{{"project_id", v.project_id},
             {"user_id", v.user_id},
             {"added_by", nullable(v.added_by)},
             {"added_at", v.added_at}};
}

void to_json(Json& j, const Action& v) {
    j = Json{{"id", v.id},
             {"project_id", v.project_id},
             {"title", v.title},
             {"description", v.description},
             {"step_id", v.step_id},
             {"owner_id", nullable(v.owner_id)},
             {"context", v.context},
             {"due_date", nullable(v.due_date)},
             {"priority", v.priority},
             {"progress", v.progress},
             {"indicator_id", nullable(v.indicator_id)},
             {"impact", nullable(v.impact)},
             {"position", v.position},
             {"created_by", nullable(v.created_by)},
             {"created_at", v.created_at},
             {"updated_at", v.updated_at},
             {"done_at", nullable(v.done_at)},
             {"overdue", v.overdue}};
}

void to_json(Json& j, const Indicator& v) {
    j = Json{{"id", v.id},
             {"project_id", v.project_id},
             {"name", v.name},
             {"unit", v.unit},
             {"baseline", v.baseline},
             {"target", v.target},
             {"created_at", v.created_at}};
}

void to_json(Json& j, const IndicatorValue& v) {
    j = Json{{"indicator_id", v.indicator_id}, {"week", v.week}, {"actual", v.actual}};
}

void to_json(Json& j, const IndicatorPoint& v) {
    j = Json{{"week", v.week}, {"expected", v.expected}, {"actual", nullable(v.actual)}};
}

void to_json(Json& j, const Photo& v) {
    j = Json{{"id", v.id},
             {"action_id", v.action_id},
             {"blob", v.blob},
             {"mime", v.mime},
             {"size", v.size},
             {"caption", v.caption},
             {"taken_at", nullable(v.taken_at)},
             {"added_by", nullable(v.added_by)},
             {"created_at", v.created_at}};
}

void to_json(Json& j, const Comment& v) {
    j = Json{{"id", v.id},
             {"action_id", v.action_id},
             {"author_id", nullable(v.author_id)},
             {"body", v.body},
             {"created_at", v.created_at}};
}

void to_json(Json& j, const PersonView& v) {
    j = Json{{"id", v.id},
             {"display_name", v.display_name},
             {"first_name", v.first_name},
             {"last_name", v.last_name},
             {"avatar", nullable(v.avatar)},
             {"status", to_string(v.status)},
             {"activated", v.activated}};
    // Absent rather than null: the viewer may not even learn that an address exists (R13).
    if (v.email) j["email"] = *v.email;
}

void to_json(Json& j, const Change& v) {
    j = Json{{"seq", v.seq},
             {"entity", v.entity},
             {"entity_id", v.entity_id},
             {"op", v.op},
             {"fields", v.fields},
             {"at", v.at},
             {"actor", nullable(v.actor)},
             {"group_id", nullable(v.group_id)},
             {"project_id", nullable(v.project_id)}};
}

Json parse_json(std::string_view text, std::string_view what) {
    if (text.size() > kMaxInputBytes) throw_invalid(std::string(what) + " is too large");
    if (!validate::is_valid_utf8(text)) throw_invalid(std::string(what) + " is not valid UTF-8");
    std::size_t depth = 0;
    bool too_deep = false;
    const Json::parser_callback_t guard = [&](int d, Json::parse_event_t event, Json&) {
        if (event == Json::parse_event_t::object_start ||
            event == Json::parse_event_t::array_start) {
            if (static_cast<std::size_t>(d) + 1 > kMaxDepth) too_deep = true;
        }
        depth = static_cast<std::size_t>(d);
        return !too_deep;
    };
    Json parsed = Json::parse(text.begin(), text.end(), guard, /*allow_exceptions=*/false);
    if (too_deep) throw_invalid(std::string(what) + " is nested too deeply");
    if (parsed.is_discarded()) throw_invalid(std::string(what) + " is not valid JSON");
    return parsed;
}

JsonReader::JsonReader(const Json& object, std::string what)
    : object_(object), what_(std::move(what)) {
    if (!object_.is_object()) throw_invalid(what_ + " must be a JSON object");
}

std::string JsonReader::field(const char* key) const {
    return std::string(key);
}

bool JsonReader::has(const char* key) const {
    return object_.contains(key);
}

bool JsonReader::is_null(const char* key) const {
    const auto it = object_.find(key);
    return it != object_.end() && it->is_null();
}

const Json* JsonReader::value(const char* key, bool nullable) {
    const auto it = object_.find(key);
    if (it == object_.end()) return nullptr;
    consumed_.emplace_back(key);
    if (!it->is_null()) return &*it;
    if (!nullable) throw_invalid("'" + field(key) + "' cannot be null");
    return nullptr;
}

std::string JsonReader::string(const char* key, std::size_t max_chars, bool allow_empty,
                               bool multiline) {
    auto v = opt_string(key, max_chars, allow_empty, multiline);
    if (!v) throw_invalid("'" + field(key) + "' is required in " + what_);
    return *v;
}

std::optional<std::string> JsonReader::opt_string(const char* key, std::size_t max_chars,
                                                  bool allow_empty, bool multiline) {
    if (is_null(key)) value(key, false);  // throws: this field cannot be cleared
    return nullable_string(key, max_chars, allow_empty, multiline);
}

std::optional<std::string> JsonReader::nullable_string(const char* key, std::size_t max_chars,
                                                       bool allow_empty, bool multiline) {
    const Json* v = value(key, true);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) throw_invalid("'" + field(key) + "' must be a string");
    const auto& s = v->get_ref<const std::string&>();
    validate::text(key, s, max_chars, allow_empty, multiline);
    return s;
}

std::optional<std::string> JsonReader::opt_id(const char* key) {
    if (is_null(key)) value(key, false);
    return nullable_id(key);
}

std::optional<std::string> JsonReader::nullable_id(const char* key) {
    const Json* v = value(key, true);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) throw_invalid("'" + field(key) + "' must be a string id");
    const auto& s = v->get_ref<const std::string&>();
    validate::id(key, s);
    return s;
}

std::string JsonReader::id(const char* key) {
    auto v = opt_id(key);
    if (!v) throw_invalid("'" + field(key) + "' is required in " + what_);
    return *v;
}

std::optional<std::string> JsonReader::opt_date(const char* key) {
    if (is_null(key)) value(key, false);
    return nullable_date(key);
}

std::optional<std::string> JsonReader::nullable_date(const char* key) {
    const Json* v = value(key, true);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) throw_invalid("'" + field(key) + "' must be a date string YYYY-MM-DD");
    const auto& s = v->get_ref<const std::string&>();
    validate::date(key, s);
    return s;
}

std::optional<std::int64_t> JsonReader::opt_int(const char* key, std::int64_t lo, std::int64_t hi) {
    if (is_null(key)) value(key, false);
    return nullable_int(key, lo, hi);
}

std::optional<std::int64_t> JsonReader::nullable_int(const char* key, std::int64_t lo,
                                                     std::int64_t hi) {
    const Json* v = value(key, true);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number_integer()) throw_invalid("'" + field(key) + "' must be an integer");
    const auto n =
        v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(hi)
            ? hi + 1  // out of range either way; avoid the signed conversion overflow
            : v->get<std::int64_t>();
    validate::range(key, n, lo, hi);
    return n;
}

std::optional<double> JsonReader::opt_number(const char* key) {
    if (is_null(key)) value(key, false);
    return nullable_number(key);
}

std::optional<double> JsonReader::nullable_number(const char* key) {
    const Json* v = value(key, true);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) throw_invalid("'" + field(key) + "' must be a number");
    const double d = v->get<double>();
    validate::finite(key, d);
    return d;
}

std::optional<bool> JsonReader::opt_bool(const char* key) {
    const Json* v = value(key, false);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) throw_invalid("'" + field(key) + "' must be true or false");
    return v->get<bool>();
}

void JsonReader::finish() const {
    for (const auto& [key, _] : object_.items()) {
        if (std::find(consumed_.begin(), consumed_.end(), key) == consumed_.end()) {
            throw_invalid("unknown field '" + key + "' in " + what_);
        }
    }
}

}  // namespace leandesk
