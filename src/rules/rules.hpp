// The permission rules R1–R17 of DESIGN §2 as pure functions: given the facts about the actor and
// the target (which the engine reads from the store), may this happen? No I/O, no clock, no state,
// so each rule is tested exhaustively on its own and runs identically on a phone and on the server.
#pragma once

#include <string>
#include <string_view>

#include "model/entities.hpp"

namespace leandesk {

/// Who is acting: a user (by id) or the operator (the service's own administrator, R12).
struct Actor {
    Id user_id;
    bool is_operator = false;

    static Actor user(Id id) { return Actor{std::move(id), false}; }
    static Actor operator_() { return Actor{{}, true}; }
};

namespace rules {

/// The outcome of a rule. `rule` names it ("R9") so a refusal can say which rule refused.
struct Decision {
    bool allowed = true;
    std::string_view rule;
    std::string reason;

    static Decision allow(std::string_view rule) { return {true, rule, {}}; }
    static Decision deny(std::string_view rule, std::string reason) {
        return {false, rule, std::move(reason)};
    }
};

/// Throws Error(permission_denied, "Rn: reason") when `d` denies.
void enforce(const Decision& d);

/// What is known of the acting user's account.
struct AccountFacts {
    bool exists = false;
    bool active = false;  // activated and not deactivated
};

/// The actor's place in one group.
struct GroupRole {
    bool member = false;
    bool manager = false;
};

/// The actor's place in one project (and its group).
struct ProjectRole {
    GroupRole group;
    bool participant = false;
    bool owner = false;
};

// R1: any active, signed-in user may create a group.
Decision create_group(const AccountFacts& actor);

// R2: only the manager renames the group, edits its steps and resources, adds and removes
// members, hands over the role and deletes the group.
Decision manage_group(const GroupRole& actor);
Decision transfer_group(const GroupRole& actor, bool target_is_member, bool target_is_self);

// R2/R3/R4: removing someone else is the manager's; nobody removes the manager.
Decision remove_member(const GroupRole& actor, bool target_is_manager);
// R3/R4: a member may leave; the manager must hand over first.
Decision leave_group(const GroupRole& actor);

// R13: nothing of a group is visible to a non-member.
Decision read_group(const GroupRole& actor);

// R5: any member creates a project.
Decision create_project(const GroupRole& actor);

// R6: the owner and the group manager add/remove participants, only members can be participants.
Decision add_participant(const ProjectRole& actor, bool target_is_group_member);
Decision remove_participant(const ProjectRole& actor, bool target_is_owner);
Decision leave_project(const ProjectRole& actor);
Decision transfer_project(const ProjectRole& actor, bool target_is_participant);

// R7/R8: participants read the project; so does the group manager without being a participant.
Decision read_project(const ProjectRole& actor);
// R7: the group manager (and the project's owner) may delete a project.
Decision delete_project(const ProjectRole& actor);
// R9 (with R7 for the manager): the project's own fields — name, description, dates, status.
Decision edit_project(const ProjectRole& actor);
// R9: participants create, edit and delete actions, photos, comments, indicators and values.
Decision edit_plan(const ProjectRole& actor);

// R10: only the group manager exports the group.
Decision export_group(const GroupRole& actor);

// R11: a user edits their own profile; R12: the operator's powers.
Decision edit_profile(const Actor& actor, const Id& target_user);
Decision operator_power(const Actor& actor, std::string_view what);

/// R13/R8: may the viewer see the e-mail address of a person?
struct EmailVisibility {
    bool self = false;
    bool co_participant = false;           // share a project (R8)
    bool manager_of_common_group = false;  // the viewer manages a group the person is in
};
bool may_see_email(const EmailVisibility& facts);

// R15: a participant may send the project report to participants only.
Decision send_report(const ProjectRole& actor, bool all_recipients_are_participants);

// R17: field names that must never be accepted on a person (payment means, postal addresses).
bool is_forbidden_personal_field(std::string_view key);

}  // namespace rules
}  // namespace leandesk
