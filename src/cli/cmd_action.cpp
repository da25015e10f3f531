// action create | list | move | update | delete, and dashboard.
#include <iostream>
#include <map>

#include "cli.hpp"

namespace cli {
namespace {

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

// A step given by id or by name (case-insensitive) among the project's group's steps.
std::string resolve_step(const ld::Session& s, const std::string& project_id,
                         const std::string& arg) {
    for (const auto& step : s.step_list(s.project_get(project_id).group_id)) {
        if (step.id == arg || lower(step.name) == lower(arg)) return step.id;
    }
    throw ld::NotFound("no step '" + arg + "' in this project's workflow");
}

std::int64_t whole_number(const std::string& option, const std::string& text) {
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size())
        throw ld::InvalidArgument("--" + option + " must be a whole number");
    return value;
}

// Fills the action fields common to create and update from the options.
void read_fields(const ld::Session& s, const std::string& project_id, const Args& a, ld::json& j) {
    const std::pair<const char*, const char*> texts[] = {{"title", "title"},
                                                         {"description", "description"},
                                                         {"context", "context"},
                                                         {"due", "due_date"}};
    for (const auto& [option, key] : texts) {
        if (auto v = a.get(option)) j[key] = *v;
    }
    for (const char* option : {"priority", "progress"}) {
        if (auto v = a.get(option)) j[option] = whole_number(option, *v);
    }
    if (auto owner = a.get("owner")) {
        j["owner_id"] = resolve_person(*owner, s.project_participants(project_id));
    }
    if (auto step = a.get("step")) j["step_id"] = resolve_step(s, project_id, *step);
}

void print_actions(const Context& ctx, const ld::Session& s, const std::string& project_id,
                   const std::vector<ld::Action>& actions) {
    if (ctx.json()) return Context::print_json(actions);
    std::map<std::string, std::string> steps;
    for (const auto& st : s.step_list(s.project_get(project_id).group_id)) steps[st.id] = st.name;
    std::map<std::string, std::string> people;
    for (const auto& p : s.project_participants(project_id)) people[p.id] = p.display_name;
    std::vector<std::vector<std::string>> rows{{"ID", "STEP", "TITLE", "OWNER", "DUE", "PROGRESS"}};
    for (const auto& act : actions) {
        rows.push_back({act.id, steps[act.step_id], act.title,
                        act.owner_id ? people[*act.owner_id] : "",
                        or_empty(act.due_date) + (act.overdue ? " (late)" : ""),
                        std::to_string(act.progress) + "%"});
    }
    print_table(rows);
}

void print_action(const Context& ctx, const ld::Action& act, const std::string& what) {
    if (ctx.json()) return Context::print_json(act);
    std::cout << what << " action " << act.title << " (" << act.id << ").\n";
}

void create(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    ld::json input = {{"project_id", a.at(0)}, {"title", a.at(1)}};
    read_fields(s, a.at(0), a, input);
    print_action(ctx, s.action_create(input), "Created");
}

void list(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    print_actions(ctx, s, a.at(0), s.project_actions(a.at(0)));
}

void move(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    const ld::Action current = s.action_get(a.at(0)).action;
    const std::string step = resolve_step(s, current.project_id, a.at(1));
    print_action(ctx, s.action_move(a.at(0), step, a.get("before")), "Moved");
}

void update(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    const ld::Action current = s.action_get(a.at(0)).action;
    ld::json patch = ld::json::object();
    read_fields(s, current.project_id, a, patch);
    if (a.has("no-owner")) patch["owner_id"] = nullptr;
    if (a.has("no-due")) patch["due_date"] = nullptr;
    if (patch.empty()) throw UsageError("nothing to change: give at least one option");
    print_action(ctx, s.action_update(a.at(0), patch), "Updated");
}

void remove(Context& ctx, const Args& a) {
    ctx.session().action_delete(a.at(0));
    ctx.done("Deleted the action, its photos and comments.");
}

void dashboard(Context& ctx, const Args&) {
    const ld::Session s = ctx.session();
    const auto actions = s.dashboard_get();
    if (ctx.json()) return Context::print_json(actions);
    std::map<std::string, std::string> projects;
    for (const auto& p : s.project_list()) projects[p.id] = p.name;
    std::vector<std::vector<std::string>> rows{{"ID", "PROJECT", "TITLE", "DUE", "PROGRESS"}};
    for (const auto& act : actions) {
        rows.push_back({act.id, projects[act.project_id], act.title,
                        or_empty(act.due_date) + (act.overdue ? " (late)" : ""),
                        std::to_string(act.progress) + "%"});
    }
    print_table(rows);
}

const std::vector<Option> kFieldOptions = {
    {"description", "TEXT", "details"},
    {"owner", "USER", "who does it: a participant's user id or e-mail"},
    {"context", "TEXT", "GTD-style context"},
    {"due", "DATE", "due date, YYYY-MM-DD"},
    {"priority", "N", "0 none, 1 low, 2 medium, 3 high"},
    {"progress", "N", "progress in percent, 0-100"},
};

}  // namespace

void add_action_commands(std::vector<Command>& commands) {
    std::vector<Option> create_options = kFieldOptions;
    create_options.push_back({"step", "STEP", "step id or name (default: the open step)"});
    commands.push_back({"action create", "PROJECT_ID TITLE",
                        "Create an action in a project (participants only, R9).", "",
                        create_options, 2, 2, create});
    commands.push_back({"action list",
                        "PROJECT_ID",
                        "List a project's actions in workflow order.",
                        "",
                        {},
                        1,
                        1,
                        list});
    commands.push_back({"action move",
                        "ACTION_ID STEP",
                        "Move an action to a step (id or name); a done step marks it done.",
                        "",
                        {{"before", "ACTION_ID", "place it before this action (default: last)"}},
                        2,
                        2,
                        move});
    std::vector<Option> update_options = kFieldOptions;
    update_options.insert(update_options.begin(), {"title", "TEXT", "what is to be done"});
    update_options.push_back({"no-owner", "", "clear the owner"});
    update_options.push_back({"no-due", "", "clear the due date"});
    commands.push_back({"action update", "ACTION_ID",
                        "Change an action's fields (participants only, R9).", "", update_options, 1,
                        1, update});
    commands.push_back({"action delete",
                        "ACTION_ID",
                        "Delete an action with its photos and comments, permanently (R14).",
                        "",
                        {},
                        1,
                        1,
                        remove});
    commands.push_back({"dashboard",
                        "",
                        "Your actions across projects, late and soon-due first.",
                        "",
                        {},
                        0,
                        0,
                        dashboard});
}

}  // namespace cli
