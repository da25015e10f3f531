// The screens of the walkthrough, drawn from what the engine returns: a project's board by step,
// a member's dashboard, an indicator's weekly curve, and one line per live change. They read
// engine values only; the names come from a directory so that nobody has to read a UUID.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "console.hpp"
#include "engine/engine.hpp"

namespace demo {

/// Names by id, filled from the engine's own answers as the story goes.
struct Directory {
    std::map<leandesk::Id, std::string> people;  // display names (R16)
    std::map<leandesk::Id, std::string> projects;
    std::map<leandesk::Id, std::string> steps;
    std::map<leandesk::Id, std::string> actions;

    /// The person's display name, or "unassigned" for an action without an owner.
    [[nodiscard]] std::string person(const std::optional<leandesk::Id>& id) const;
};

/// A project's header (owner, dates, future state) and its actions under each workflow step.
void show_board(const Console& out, const leandesk::ProjectReview& review, const Directory& names,
                leandesk::Millis now);

/// A member's own actions across projects, most urgent first, late ones marked.
void show_dashboard(const Console& out, const std::vector<leandesk::Action>& actions,
                    const Directory& names, leandesk::Millis now);

/// The weekly expected (from the actions' impacts) and measured values of an indicator.
void show_curve(const Console& out, const leandesk::Indicator& indicator,
                const std::vector<leandesk::IndicatorPoint>& points, const std::string& this_week);

/// One change record as a client's live feed would show it, on one line.
std::string describe_change(const leandesk::Change& change, const Directory& names);

}  // namespace demo
