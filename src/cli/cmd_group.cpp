// group create | list | members | add-member | remove-member.
#include <iostream>

#include "cli.hpp"

namespace cli {
namespace {

void create(Context& ctx, const Args& a) {
    const ld::Group g = ctx.session().group_create({{"name", a.at(0)}});
    if (ctx.json()) return Context::print_json(g);
    std::cout << "Created group " << g.name << " (" << g.id << "); you manage it.\n";
}

void list(Context& ctx, const Args&) {
    const ld::Session s = ctx.session();
    const auto groups = s.group_list();
    if (ctx.json()) return Context::print_json(groups);
    const std::string me = or_empty(s.info().user_id);
    std::vector<std::vector<std::string>> rows{{"ID", "NAME", "ROLE"}};
    for (const auto& g : groups)
        rows.push_back({g.id, g.name, g.manager_id == me ? "manager" : "member"});
    print_table(rows);
}

void members(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    const std::string& group_id = a.at(0);
    const auto people = s.group_members(group_id);
    if (ctx.json()) return Context::print_json(people);
    const std::string manager = s.group_get(group_id).manager_id;
    std::vector<std::vector<std::string>> rows{{"ID", "NAME", "E-MAIL", "STATUS", "ROLE"}};
    for (const auto& p : people) {
        std::string role = p.id == manager ? "manager" : "member";
        if (!p.activated) role += " (not activated)";
        rows.push_back({p.id, p.display_name, or_empty(p.email), p.status, role});
    }
    print_table(rows);
}

void add_member(Context& ctx, const Args& a) {
    const ld::Person p = ctx.session().group_add_member(a.at(0), a.at(1));
    if (ctx.json()) return Context::print_json(p);
    std::cout << "Added " << p.display_name << " (" << p.id << ")"
              << (p.activated ? "" : "; they have no account yet") << ".\n";
}

void remove_member(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    const std::string user = resolve_person(a.at(1), s.group_members(a.at(0)));
    s.group_remove_member(a.at(0), user);
    ctx.done("Removed; they also left the group's projects.");
}

}  // namespace

void add_group_commands(std::vector<Command>& commands) {
    commands.push_back({"group create",
                        "NAME",
                        "Create a group; you become its manager (R1).",
                        "",
                        {},
                        1,
                        1,
                        create});
    commands.push_back({"group list", "", "List your groups.", "", {}, 0, 0, list});
    commands.push_back({"group members",
                        "GROUP_ID",
                        "List a group's members.",
                        "E-mail addresses show only where you may see them (R13).",
                        {},
                        1,
                        1,
                        members});
    commands.push_back({"group add-member",
                        "GROUP_ID EMAIL",
                        "Add a member by e-mail (manager only, R2).",
                        "An address without an account becomes a not-yet-activated person (R16).",
                        {},
                        2,
                        2,
                        add_member});
    commands.push_back({"group remove-member",
                        "GROUP_ID USER",
                        "Remove a member (manager only, R2-R4).",
                        "USER is a user id, or an e-mail address you can see.",
                        {},
                        2,
                        2,
                        remove_member});
}

}  // namespace cli
