// project create | list | review | add-participant.
#include <iostream>
#include <map>

#include "cli.hpp"

namespace cli {
namespace {

void create(Context& ctx, const Args& a) {
    ld::json input = {{"group_id", a.at(0)}, {"name", a.at(1)}};
    const std::pair<const char*, const char*> fields[] = {{"description", "description"},
                                                          {"future-state", "future_state"},
                                                          {"start", "start_date"},
                                                          {"target", "target_date"}};
    for (const auto& [option, key] : fields) {
        if (auto v = a.get(option)) input[key] = *v;
    }
    const ld::Project p = ctx.session().project_create(input);
    if (ctx.json()) return Context::print_json(p);
    std::cout << "Created project " << p.name << " (" << p.id << "); you own it.\n";
}

void list(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    const auto group = a.get("group");
    const auto projects = group ? s.group_projects(*group) : s.project_list();
    if (ctx.json()) return Context::print_json(projects);
    std::vector<std::vector<std::string>> rows{{"ID", "NAME", "STATUS", "START", "TARGET"}};
    for (const auto& p : projects) {
        rows.push_back({p.id, p.name, p.status, or_empty(p.start_date), or_empty(p.target_date)});
    }
    print_table(rows);
}

void review(Context& ctx, const Args& a) {
    const ld::ProjectReview r = ctx.session().project_review(a.at(0));
    if (ctx.json()) return Context::print_json(r);
    std::map<std::string, std::string> names;
    for (const auto& p : r.participants) names[p.id] = p.display_name;
    std::cout << r.project.name << " (" << r.project.status << ")";
    if (r.project.target_date) std::cout << ", target " << *r.project.target_date;
    std::cout << "\n";
    if (!r.project.future_state.empty()) std::cout << "Aim: " << r.project.future_state << "\n";
    std::cout << "Participants: ";
    for (std::size_t i = 0; i < r.participants.size(); ++i) {
        std::cout << (i > 0 ? ", " : "") << r.participants[i].display_name;
    }
    std::cout << "\n";
    for (const auto& step : r.steps) {
        std::cout << "\n== " << step.step.name << " (" << step.step.kind << ", "
                  << step.actions.size() << ")\n";
        for (const auto& act : step.actions) {
            std::cout << "  " << act.id << "  " << act.title;
            if (act.owner_id) std::cout << "  @" << names[*act.owner_id];
            if (act.due_date) std::cout << "  due " << *act.due_date;
            if (act.progress > 0) std::cout << "  " << act.progress << "%";
            if (act.overdue) std::cout << "  OVERDUE";
            std::cout << "\n";
        }
    }
    for (const auto& i : r.indicators) {
        std::cout << "\nIndicator " << i.name << ": " << i.baseline << " -> " << i.target << " "
                  << i.unit << "\n";
    }
}

void add_participant(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    std::string user = a.at(1);
    if (user.find('@') != std::string::npos) {
        user = resolve_person(user, s.group_members(s.project_get(a.at(0)).group_id));
    }
    const ld::Participant p = s.project_add_participant(a.at(0), user);
    if (ctx.json()) return Context::print_json(p);
    std::cout << "Added " << p.user_id << " to the project.\n";
}

}  // namespace

void add_project_commands(std::vector<Command>& commands) {
    commands.push_back({"project create",
                        "GROUP_ID NAME",
                        "Create a project in a group; you own it and take part (R5).",
                        "Dates are YYYY-MM-DD.",
                        {{"description", "TEXT", "the current state"},
                         {"future-state", "TEXT", "the state aimed for"},
                         {"start", "DATE", "start date"},
                         {"target", "DATE", "target date"}},
                        2,
                        2,
                        create});
    commands.push_back(
        {"project list",
         "",
         "List the projects you take part in.",
         "With --group, the group's projects you may see (all of them for its manager, R7).",
         {{"group", "GROUP_ID", "list this group's projects"}},
         0,
         0,
         list});
    commands.push_back(
        {"project review",
         "PROJECT_ID",
         "Show a project: every step with its actions, the participants, the indicators.",
         "",
         {},
         1,
         1,
         review});
    commands.push_back({"project add-participant",
                        "PROJECT_ID USER",
                        "Add a group member to a project (owner or group manager, R6).",
                        "USER is a user id, or an e-mail address you can see.",
                        {},
                        2,
                        2,
                        add_participant});
}

}  // namespace cli
