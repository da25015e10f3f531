// The data model of DESIGN §3 as plain C++ values. Times are UTC milliseconds since the epoch,
// dates ISO "YYYY-MM-DD", ids random UUIDs made by whoever creates the record (so replicas can
// create offline). Optional members are NULL in the database and null/absent in JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace leandesk {

using Id = std::string;

enum class UserStatus { none, bronze, silver, gold };
enum class StepKind { open, active, done };
enum class ProjectStatus { active, closed };

struct User {
    Id id;
    std::string email;  // stored lower-case; unique
    std::string first_name;
    std::string last_name;
    std::optional<std::string> avatar;  // blob content hash
    UserStatus status = UserStatus::none;
    std::optional<Millis> activated_at;
    bool deactivated = false;
    bool newsletter_opt_in = true;  // consent is given at sign-up and can be withdrawn
    bool show_open_actions_on_dashboard = true;
    std::int64_t accepted_policy_version = 0;
    std::optional<Millis> last_active_at;
    Millis created_at = 0;

    [[nodiscard]] bool activated() const { return activated_at.has_value(); }
    /// R16: the e-mail address until the account is activated, then "First Last".
    [[nodiscard]] std::string display_name() const;
};

struct Group {
    Id id;
    std::string name;
    Id manager_id;
    Millis created_at = 0;
};

struct Member {
    Id group_id;
    Id user_id;
    std::optional<Id> added_by;
    Millis added_at = 0;
};

struct Step {
    Id id;
    Id group_id;
    std::string name;
    std::int64_t position = 0;
    StepKind kind = StepKind::active;
};

struct Resource {
    Id id;
    Id group_id;
    std::string name;
    std::optional<std::string> url;
    std::optional<std::string> note;
};

struct Project {
    Id id;
    Id group_id;
    std::string name;
    std::string description;
    std::string future_state;
    Id owner_id;
    std::optional<std::string> start_date;
    std::optional<std::string> target_date;
    ProjectStatus status = ProjectStatus::active;
    Millis created_at = 0;
};

struct Participant {
    Id project_id;
    Id user_id;
    std::optional<Id> added_by;
    Millis added_at = 0;
};

struct Action {
    Id id;
    Id project_id;
    std::string title;
    std::string description;
    Id step_id;
    std::optional<Id> owner_id;  // any participant, activated or not; none once its owner is gone
    std::string context;         // GTD-style context, free text
    std::optional<std::string> due_date;
    std::int64_t priority = 0;  // 0 none, 1 low, 2 medium, 3 high
    std::int64_t progress = 0;  // 0..100
    std::optional<Id> indicator_id;
    std::optional<double> impact;  // signed effect on the indicator once done
    double position = 0;           // order inside its step; fractional so a move touches one row
    std::optional<Id> created_by;
    Millis created_at = 0;
    Millis updated_at = 0;
    std::optional<Millis> done_at;
    /// Derived, never stored: due before today and not done.
    bool overdue = false;
};

struct Indicator {
    Id id;
    Id project_id;
    std::string name;
    std::string unit;
    double baseline = 0;
    double target = 0;
    Millis created_at = 0;
};

struct IndicatorValue {
    Id indicator_id;
    std::string week;  // ISO week "YYYY-Www"
    double actual = 0;
};

/// One week of an indicator's curve: what the actions' impacts promise, and what was measured.
struct IndicatorPoint {
    std::string week;
    double expected = 0;
    std::optional<double> actual;
};

struct Photo {
    Id id;
    Id action_id;
    std::string blob;  // content hash (hex SHA-256) naming the file in the blob store
    std::string mime;
    std::int64_t size = 0;
    std::string caption;
    std::optional<Millis> taken_at;
    std::optional<Id> added_by;
    Millis created_at = 0;
};

struct Comment {
    Id id;
    Id action_id;
    std::optional<Id> author_id;
    std::string body;
    Millis created_at = 0;
};

/// A person as another user sees them (R8, R13): the e-mail only where the viewer may see it.
struct PersonView {
    Id id;
    std::string display_name;
    std::string first_name;
    std::string last_name;
    std::optional<std::string> email;
    std::optional<std::string> avatar;
    UserStatus status = UserStatus::none;
    bool activated = false;
};

/// One record of the change log: what an applied command changed. Field names only, never values,
/// so that erased content (R14) does not survive in the log.
struct Change {
    std::int64_t seq = 0;
    std::string entity;  // "action", "project", ...
    Id entity_id;
    std::string op;  // "insert" | "update" | "delete"
    std::vector<std::string> fields;
    Millis at = 0;
    std::optional<Id> actor;
    std::optional<Id> group_id;    // sync bucket of the record, where it has one
    std::optional<Id> project_id;  // sync bucket of the record, where it has one
};

std::string_view to_string(UserStatus status);
std::string_view to_string(StepKind kind);
std::string_view to_string(ProjectStatus status);
UserStatus user_status_from(std::string_view text);  // throws invalid_argument
StepKind step_kind_from(std::string_view text);
ProjectStatus project_status_from(std::string_view text);

}  // namespace leandesk
