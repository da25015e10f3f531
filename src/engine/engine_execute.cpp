// Commands and queries by name with JSON arguments: the single entry point that the C API, the
// bindings and sync use, so a command replayed on the server is exactly the command run locally.
#include <algorithm>
#include <unordered_map>

#include "engine/engine_impl.hpp"
#include "model/validate.hpp"

namespace leandesk {

void to_json(Json& j, const StepActions& v) {
    j = Json{{"step", v.step}, {"actions", v.actions}};
}
void to_json(Json& j, const ProjectReview& v) {
    j = Json{{"project", v.project},
             {"steps", v.steps},
             {"participants", v.participants},
             {"indicators", v.indicators}};
}
void to_json(Json& j, const ActionDetail& v) {
    j = Json{{"action", v.action}, {"photos", v.photos}, {"comments", v.comments}};
}

namespace {

const Json& empty_object() {
    static const Json e = Json::object();
    return e;
}

// The arguments of a named command: every key must be used by the handler.
class Args {
  public:
    explicit Args(const Json& args) : in_(args.is_null() ? empty_object() : args, "arguments") {}

    Id id(const char* key) { return in_.id(key); }
    std::optional<Id> opt_id(const char* key) { return in_.opt_id(key); }
    std::string text(const char* key, std::size_t max) { return in_.string(key, max); }
    /// A nested object (an input or a patch) that the engine method validates.
    Json object(const char* key) {
        const Json* v = in_.opt_raw(key);
        if (v == nullptr || !v->is_object())
            throw_invalid("'" + std::string(key) + "' must be an object");
        return *v;
    }
    std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) {
        auto v = in_.opt_int(key, lo, hi);
        if (!v) throw_invalid("'" + std::string(key) + "' is required");
        return *v;
    }
    double number(const char* key) {
        auto v = in_.opt_number(key);
        if (!v) throw_invalid("'" + std::string(key) + "' is required");
        return *v;
    }
    bool flag(const char* key) {
        auto v = in_.opt_bool(key);
        if (!v) throw_invalid("'" + std::string(key) + "' is required");
        return *v;
    }
    std::vector<Id> ids(const char* key) {
        const Json* v = in_.opt_raw(key);
        if (v == nullptr || !v->is_array()) {
            throw_invalid("'" + std::string(key) + "' must be an array of ids");
        }
        std::vector<Id> out;
        for (const auto& item : *v) {
            if (!item.is_string()) throw_invalid("'" + std::string(key) + "' must hold string ids");
            validate::id(key, item.get_ref<const std::string&>());
            out.push_back(item.get<std::string>());
        }
        return out;
    }
    void done() const { in_.finish(); }

  private:
    JsonReader in_;
};

using Handler = std::function<Json(Engine&, const Actor&, Args&)>;

// Each handler reads its arguments, checks there are no others, then calls the engine method.
// Objects (inputs, patches) are passed whole: the method's own reader validates them.
const std::unordered_map<std::string_view, Handler>& handlers() {
    static const std::unordered_map<std::string_view, Handler> table = {
        // people
        {"get_user", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("user_id"); in.done(); return Json(e.get_user(a, id)); }},
        {"update_profile", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("user_id"); auto p = in.object("patch"); in.done();
             return Json(e.update_profile(a, id, p)); }},
        {"set_user_status", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("user_id"); auto st = in.text("status", 16); in.done();
             return Json(e.set_user_status(a, id, user_status_from(st))); }},
        {"set_user_deactivated", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("user_id"); auto d = in.flag("deactivated"); in.done();
             return Json(e.set_user_deactivated(a, id, d)); }},
        {"change_login_email", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("user_id"); auto m = in.text("email", limits::email); in.done();
             return Json(e.change_login_email(a, id, m)); }},
        // groups
        {"create_group", [](Engine& e, const Actor& a, Args& in) {
             auto i = in.object("input"); in.done(); return Json(e.create_group(a, i)); }},
        {"update_group", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("group_id"); auto p = in.object("patch"); in.done();
             return Json(e.update_group(a, id, p)); }},
        {"delete_group", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("group_id"); in.done(); e.delete_group(a, id); return Json(); }},
        {"add_member", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("group_id"); auto m = in.text("email", limits::email); in.done();
             return Json(e.add_member(a, id, m)); }},
        {"remove_member", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); auto u = in.id("user_id"); in.done();
             e.remove_member(a, g, u); return Json(); }},
        {"leave_group", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); in.done(); e.leave_group(a, g); return Json(); }},
        {"transfer_group", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); auto u = in.id("user_id"); in.done();
             return Json(e.transfer_group(a, g, u)); }},
        {"add_step", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); auto i = in.object("input"); in.done();
             return Json(e.add_step(a, g, i)); }},
        {"update_step", [](Engine& e, const Actor& a, Args& in) {
             auto s = in.id("step_id"); auto p = in.object("patch"); in.done();
             return Json(e.update_step(a, s, p)); }},
        {"move_step", [](Engine& e, const Actor& a, Args& in) {
             auto s = in.id("step_id"); auto pos = in.integer("position", 0, 10000); in.done();
             return Json(e.move_step(a, s, pos)); }},
        {"remove_step", [](Engine& e, const Actor& a, Args& in) {
             auto s = in.id("step_id"); in.done(); e.remove_step(a, s); return Json(); }},
        {"add_resource", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); auto i = in.object("input"); in.done();
             return Json(e.add_resource(a, g, i)); }},
        {"update_resource", [](Engine& e, const Actor& a, Args& in) {
             auto r = in.id("resource_id"); auto p = in.object("patch"); in.done();
             return Json(e.update_resource(a, r, p)); }},
        {"remove_resource", [](Engine& e, const Actor& a, Args& in) {
             auto r = in.id("resource_id"); in.done(); e.remove_resource(a, r); return Json(); }},
        // projects
        {"create_project", [](Engine& e, const Actor& a, Args& in) {
             auto i = in.object("input"); in.done(); return Json(e.create_project(a, i)); }},
        {"update_project", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("project_id"); auto p = in.object("patch"); in.done();
             return Json(e.update_project(a, id, p)); }},
        {"delete_project", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("project_id"); in.done(); e.delete_project(a, id); return Json(); }},
        {"add_participant", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); auto u = in.id("user_id"); in.done();
             return Json(e.add_participant(a, p, u)); }},
        {"remove_participant", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); auto u = in.id("user_id"); in.done();
             e.remove_participant(a, p, u); return Json(); }},
        {"leave_project", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); in.done(); e.leave_project(a, p); return Json(); }},
        {"transfer_project", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); auto u = in.id("user_id"); in.done();
             return Json(e.transfer_project(a, p, u)); }},
        // actions, comments, indicators
        {"create_action", [](Engine& e, const Actor& a, Args& in) {
             auto i = in.object("input"); in.done(); return Json(e.create_action(a, i)); }},
        {"update_action", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("action_id"); auto p = in.object("patch"); in.done();
             return Json(e.update_action(a, id, p)); }},
        {"move_action", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("action_id"); auto s = in.id("step_id"); auto b = in.opt_id("before_id");
             in.done(); return Json(e.move_action(a, id, s, b)); }},
        {"delete_action", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("action_id"); in.done(); e.delete_action(a, id); return Json(); }},
        {"add_comment", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("action_id"); auto i = in.object("input"); in.done();
             return Json(e.add_comment(a, id, i)); }},
        {"delete_comment", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("comment_id"); in.done(); e.delete_comment(a, id); return Json(); }},
        {"create_indicator", [](Engine& e, const Actor& a, Args& in) {
             auto i = in.object("input"); in.done(); return Json(e.create_indicator(a, i)); }},
        {"update_indicator", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("indicator_id"); auto p = in.object("patch"); in.done();
             return Json(e.update_indicator(a, id, p)); }},
        {"delete_indicator", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("indicator_id"); in.done(); e.delete_indicator(a, id); return Json(); }},
        {"set_indicator_value", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("indicator_id"); auto w = in.text("week", 8); auto v = in.number("actual");
             in.done(); return Json(e.set_indicator_value(a, id, w, v)); }},
        {"clear_indicator_value", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("indicator_id"); auto w = in.text("week", 8); in.done();
             e.clear_indicator_value(a, id, w); return Json(); }},
        {"remove_photo", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("photo_id"); in.done(); e.remove_photo(a, id); return Json(); }},
        // queries
        {"my_groups", [](Engine& e, const Actor& a, Args& in) { in.done(); return Json(e.my_groups(a)); }},
        {"get_group", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); in.done(); return Json(e.get_group(a, g)); }},
        {"group_members", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); in.done(); return Json(e.group_members(a, g)); }},
        {"group_steps", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); in.done(); return Json(e.group_steps(a, g)); }},
        {"group_resources", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); in.done(); return Json(e.group_resources(a, g)); }},
        {"group_projects", [](Engine& e, const Actor& a, Args& in) {
             auto g = in.id("group_id"); in.done(); return Json(e.group_projects(a, g)); }},
        {"my_projects", [](Engine& e, const Actor& a, Args& in) { in.done(); return Json(e.my_projects(a)); }},
        {"get_project", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); in.done(); return Json(e.get_project(a, p)); }},
        {"project_participants", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); in.done(); return Json(e.project_participants(a, p)); }},
        {"project_actions", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); in.done(); return Json(e.project_actions(a, p)); }},
        {"project_review", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); in.done(); return Json(e.project_review(a, p)); }},
        {"project_indicators", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); in.done(); return Json(e.project_indicators(a, p)); }},
        {"dashboard", [](Engine& e, const Actor& a, Args& in) { in.done(); return Json(e.dashboard(a)); }},
        {"get_action", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("action_id"); in.done(); return Json(e.get_action(a, id)); }},
        {"indicator_curve", [](Engine& e, const Actor& a, Args& in) {
             auto id = in.id("indicator_id"); in.done(); return Json(e.indicator_curve(a, id)); }},
        {"report_recipients", [](Engine& e, const Actor& a, Args& in) {
             auto p = in.id("project_id"); auto r = in.ids("recipient_ids"); in.done();
             return Json(e.report_recipients(a, p, r)); }},
    };
    return table;
}

}  // namespace

Json Engine::execute(const Actor& actor, std::string_view command, const Json& args) {
    const auto& table = handlers();
    const auto it = table.find(command);
    if (it == table.end()) {
        const bool printable = command.size() <= 64 && validate::is_valid_utf8(command);
        throw_invalid("unknown command '" + (printable ? std::string(command) : "(not shown)") +
                      "'");
    }
    Args in(args);
    return it->second(*this, actor, in);
}

std::vector<std::string> Engine::command_names() {
    std::vector<std::string> out;
    for (const auto& [name, _] : handlers()) out.emplace_back(name);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace leandesk
