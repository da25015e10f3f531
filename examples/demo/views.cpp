#include "views.hpp"

#include <cstdio>

#include "calendar.hpp"

namespace demo {
namespace {

using leandesk::Action;
using leandesk::Millis;

// Column widths shared by the board and the dashboard, so both screens line up the same way.
constexpr std::size_t kTitleWidth = 34;
constexpr std::size_t kOwnerWidth = 15;
constexpr std::size_t kProjectWidth = 24;
constexpr std::size_t kStepWidth = 11;
constexpr std::size_t kCurveColumn = 12;

std::string lookup(const std::map<leandesk::Id, std::string>& names, const leandesk::Id& id) {
    const auto it = names.find(id);
    return it == names.end() ? id.substr(0, 8) : it->second;
}

std::string number(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", value);
    return buf;
}

std::string signed_number(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f", value);
    return buf;
}

/// "due 2025-06-03 (in 3 days)", "done 2025-05-31" or "no due date": when, on a project board.
std::string when_text(const Action& a, Millis now) {
    if (a.done_at) return "done " + leandesk::iso_date(*a.done_at);
    if (!a.due_date) return "no due date";
    return "due " + *a.due_date + " (" + relative_to_today(now, *a.due_date) + ")";
}

/// "in 3 days", "2 days ago", "done": when, on a dashboard, where the column is narrow.
std::string short_when_text(const Action& a, Millis now) {
    if (a.done_at) return "done";
    if (!a.due_date) return "no due date";
    return relative_to_today(now, *a.due_date);
}

Tone when_tone(const Action& a) {
    if (a.done_at) return Tone::good;
    if (a.overdue) return Tone::bad;
    return a.due_date ? Tone::plain : Tone::muted;
}

std::string overdue_mark(const Console& out, const Action& a) {
    return a.overdue ? "  " + out.paint("OVERDUE", Tone::bad) : "";
}

void show_board_action(const Console& out, const Action& a, const Directory& names, Millis now) {
    out.raw("        " + out.cell(a.title, kTitleWidth) + "  " +
            out.cell(names.person(a.owner_id), kOwnerWidth) + "  " +
            out.paint(when_text(a, now), when_tone(a)) + overdue_mark(out, a));
}

void show_step(const Console& out, const leandesk::StepActions& column, const Directory& names,
               Millis now) {
    std::string header = out.paint(column.step.name, Tone::accent);
    header += out.paint("  " + std::to_string(column.actions.size()) + " action" +
                            (column.actions.size() == 1 ? "" : "s"),
                        Tone::muted);
    // The open step is where ideas wait before they are launched; say so, it is not obvious.
    if (column.step.kind == leandesk::StepKind::open) {
        header += out.paint("  (ideas, not yet launched)", Tone::muted);
    }
    out.raw("      " + header);
    if (column.actions.empty()) out.raw("        " + out.paint("-", Tone::muted));
    for (const Action& a : column.actions) show_board_action(out, a, names, now);
}

}  // namespace

std::string Directory::person(const std::optional<leandesk::Id>& id) const {
    return id ? lookup(people, *id) : "unassigned";
}

void show_board(const Console& out, const leandesk::ProjectReview& review, const Directory& names,
                Millis now) {
    const leandesk::Project& p = review.project;
    out.blank();
    out.raw("    " + out.paint(p.name, Tone::strong) + out.paint("  ·  owner ", Tone::muted) +
            names.person(p.owner_id) + out.paint("  ·  target ", Tone::muted) +
            p.target_date.value_or("none") + out.paint("  ·  participants ", Tone::muted) +
            std::to_string(review.participants.size()));
    if (!p.future_state.empty()) {
        out.raw("    " + out.paint("Future state: " + p.future_state, Tone::muted));
    }
    for (const auto& column : review.steps) show_step(out, column, names, now);
}

void show_dashboard(const Console& out, const std::vector<Action>& actions, const Directory& names,
                    Millis now) {
    out.raw("      " + out.cell("Action", kTitleWidth, Tone::muted) + "  " +
            out.cell("Project", kProjectWidth, Tone::muted) + "  " +
            out.cell("Step", kStepWidth, Tone::muted) + "  " + out.paint("Due", Tone::muted));
    for (const Action& a : actions) {
        out.raw("      " + out.cell(a.title, kTitleWidth) + "  " +
                out.cell(lookup(names.projects, a.project_id), kProjectWidth) + "  " +
                out.cell(lookup(names.steps, a.step_id), kStepWidth) + "  " +
                out.paint(short_when_text(a, now), when_tone(a)) + overdue_mark(out, a));
    }
}

void show_curve(const Console& out, const leandesk::Indicator& indicator,
                const std::vector<leandesk::IndicatorPoint>& points, const std::string& this_week) {
    // Whether "above the plan" is bad depends on the direction the indicator should move.
    const bool lower_is_better = indicator.target < indicator.baseline;
    out.raw("      " + out.cell("Week", kCurveColumn, Tone::muted) +
            out.cell("Expected", kCurveColumn, Tone::muted) +
            out.cell("Actual", kCurveColumn, Tone::muted) + out.paint("Gap", Tone::muted));
    for (const auto& pt : points) {
        const bool now = pt.week == this_week;
        std::string row = out.cell(pt.week, kCurveColumn, now ? Tone::strong : Tone::plain) +
                          out.cell(number(pt.expected), kCurveColumn);
        if (pt.actual) {
            const double gap = *pt.actual - pt.expected;
            const bool behind = lower_is_better ? gap > 0.05 : gap < -0.05;
            row += out.cell(number(*pt.actual), kCurveColumn) +
                   out.paint(signed_number(gap), behind ? Tone::warn : Tone::good);
        } else {
            row += out.paint("-", Tone::muted);
        }
        if (now) row += out.paint("   <- this week", Tone::accent);
        out.raw("      " + row);
    }
}

std::string describe_change(const leandesk::Change& change, const Directory& names) {
    // The past tense of the log's operations, as a person would say it.
    const std::string done = change.op == "insert"   ? "created"
                             : change.op == "delete" ? "deleted"
                                                     : "updated";
    std::string line = "#" + std::to_string(change.seq) + "  " + change.entity;
    if (change.entity == "action") line += " '" + lookup(names.actions, change.entity_id) + "'";
    line += " " + done;
    std::string fields;
    for (const auto& f : change.fields) fields += (fields.empty() ? "" : ", ") + f;
    if (!fields.empty()) line += ": " + fields;
    return line;
}

}  // namespace demo
