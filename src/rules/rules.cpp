#include "rules/rules.hpp"

#include <algorithm>
#include <array>

#include "common/error.hpp"

namespace leandesk::rules {

void enforce(const Decision& d) {
    if (!d.allowed) throw_denied(d.rule, d.reason);
}

Decision create_group(const AccountFacts& actor) {
    if (!actor.exists) return Decision::deny("R1", "only a signed-in user may create a group");
    if (!actor.active) return Decision::deny("R1", "only an active account may create a group");
    return Decision::allow("R1");
}

Decision manage_group(const GroupRole& actor) {
    if (!actor.manager) return Decision::deny("R2", "only the group manager may do this");
    return Decision::allow("R2");
}

Decision transfer_group(const GroupRole& actor, bool target_is_member, bool target_is_self) {
    if (!actor.manager)
        return Decision::deny("R2", "only the group manager may hand over the role");
    if (!target_is_member || target_is_self) {
        return Decision::deny("R2", "the manager role can only go to another member of the group");
    }
    return Decision::allow("R2");
}

Decision remove_member(const GroupRole& actor, bool target_is_manager) {
    if (!actor.manager) return Decision::deny("R2", "only the group manager may remove members");
    if (target_is_manager) {
        return Decision::deny("R3", "the manager cannot be removed; hand over the role first");
    }
    return Decision::allow("R2");
}

Decision leave_group(const GroupRole& actor) {
    if (!actor.member) return Decision::deny("R4", "only a member may leave the group");
    if (actor.manager) {
        return Decision::deny("R3",
                              "the manager cannot leave; hand over the role or delete the group");
    }
    return Decision::allow("R4");
}

Decision read_group(const GroupRole& actor) {
    if (!actor.member)
        return Decision::deny("R13", "nothing of a group is visible to a non-member");
    return Decision::allow("R13");
}

Decision create_project(const GroupRole& actor) {
    if (!actor.member) return Decision::deny("R5", "only group members may create projects");
    return Decision::allow("R5");
}

Decision add_participant(const ProjectRole& actor, bool target_is_group_member) {
    if (!actor.owner && !actor.group.manager) {
        return Decision::deny("R6",
                              "only the project owner or the group manager may add participants");
    }
    if (!target_is_group_member) {
        return Decision::deny("R6", "only members of the project's group can be participants");
    }
    return Decision::allow("R6");
}

Decision remove_participant(const ProjectRole& actor, bool target_is_owner) {
    if (!actor.owner && !actor.group.manager) {
        return Decision::deny(
            "R6", "only the project owner or the group manager may remove participants");
    }
    if (target_is_owner) {
        return Decision::deny("R6",
                              "the project owner cannot be removed; hand over ownership first");
    }
    return Decision::allow("R6");
}

Decision leave_project(const ProjectRole& actor) {
    if (!actor.participant) return Decision::deny("R6", "only a participant may leave the project");
    if (actor.owner) {
        return Decision::deny("R6", "the project owner cannot leave; hand over ownership first");
    }
    return Decision::allow("R6");
}

Decision transfer_project(const ProjectRole& actor, bool target_is_participant) {
    if (!actor.owner && !actor.group.manager) {
        return Decision::deny(
            "R6", "only the project owner or the group manager may hand over ownership");
    }
    if (!target_is_participant) {
        return Decision::deny("R6", "ownership can only go to a participant of the project");
    }
    return Decision::allow("R6");
}

Decision read_project(const ProjectRole& actor) {
    if (actor.participant) return Decision::allow("R8");
    if (actor.group.manager) return Decision::allow("R7");
    return Decision::deny("R8", "only participants and the group manager may see this project");
}

Decision delete_project(const ProjectRole& actor) {
    if (actor.group.manager || actor.owner) return Decision::allow("R7");
    return Decision::deny("R7", "only the group manager or the project owner may delete a project");
}

Decision edit_project(const ProjectRole& actor) {
    if (actor.participant) return Decision::allow("R9");
    if (actor.group.manager) return Decision::allow("R7");
    return Decision::deny("R9", "only participants and the group manager may edit the project");
}

Decision edit_plan(const ProjectRole& actor) {
    if (actor.participant) return Decision::allow("R9");
    return Decision::deny("R9",
                          "only participants of the project may change its actions, photos "
                          "and indicators");
}

Decision export_group(const GroupRole& actor) {
    if (!actor.manager) return Decision::deny("R10", "only the group manager may export the group");
    return Decision::allow("R10");
}

Decision edit_profile(const Actor& actor, const Id& target_user) {
    if (actor.is_operator || actor.user_id != target_user) {
        return Decision::deny("R11", "a profile can only be edited by its own user");
    }
    return Decision::allow("R11");
}

Decision operator_power(const Actor& actor, std::string_view what) {
    if (!actor.is_operator) {
        return Decision::deny("R12", "only the operator may " + std::string(what));
    }
    return Decision::allow("R12");
}

bool may_see_email(const EmailVisibility& facts) {
    return facts.self || facts.co_participant || facts.manager_of_common_group;
}

Decision send_report(const ProjectRole& actor, bool all_recipients_are_participants) {
    if (!actor.participant) {
        return Decision::deny("R15", "only a participant may have the project report sent");
    }
    if (!all_recipients_are_participants) {
        return Decision::deny("R15", "the report can only be sent to participants of the project");
    }
    return Decision::allow("R15");
}

bool is_forbidden_personal_field(std::string_view key) {
    // R17: the service never asks for or stores payment means or postal addresses. These names are
    // refused with a message that says why, rather than the generic "unknown field".
    static constexpr std::array<std::string_view, 12> kForbidden = {
        "address",     "postal_address", "street",      "postcode",
        "zip",         "city",           "card_number", "iban",
        "credit_card", "bank_account",   "payment",     "billing_address"};
    return std::find(kForbidden.begin(), kForbidden.end(), key) != kForbidden.end();
}

}  // namespace leandesk::rules
