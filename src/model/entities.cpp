#include "model/entities.hpp"

#include "common/error.hpp"

namespace leandesk {

std::string User::display_name() const {
    if (!activated()) return email;
    std::string name = first_name;
    if (!first_name.empty() && !last_name.empty()) name += ' ';
    name += last_name;
    return name.empty() ? email : name;
}

std::string_view to_string(UserStatus status) {
    switch (status) {
        case UserStatus::none:
            return "none";
        case UserStatus::bronze:
            return "bronze";
        case UserStatus::silver:
            return "silver";
        case UserStatus::gold:
            return "gold";
    }
    return "none";
}

std::string_view to_string(StepKind kind) {
    switch (kind) {
        case StepKind::open:
            return "open";
        case StepKind::active:
            return "active";
        case StepKind::done:
            return "done";
    }
    return "active";
}

std::string_view to_string(ProjectStatus status) {
    return status == ProjectStatus::closed ? "closed" : "active";
}

UserStatus user_status_from(std::string_view text) {
    if (text == "none") return UserStatus::none;
    if (text == "bronze") return UserStatus::bronze;
    if (text == "silver") return UserStatus::silver;
    if (text == "gold") return UserStatus::gold;
    throw_invalid("'status' must be one of none, bronze, silver, gold");
}

StepKind step_kind_from(std::string_view text) {
    if (text == "open") return StepKind::open;
    if (text == "active") return StepKind::active;
    if (text == "done") return StepKind::done;
    throw_invalid("'kind' must be one of open, active, done");
}

ProjectStatus project_status_from(std::string_view text) {
    if (text == "active") return ProjectStatus::active;
    if (text == "closed") return ProjectStatus::closed;
    throw_invalid("'status' must be one of active, closed");
}

}  // namespace leandesk
