// The report as plain text: the same sections as the HTML page, for the text part of the mail.
#include "export/report.hpp"

namespace leandesk::exports {
namespace {

void heading(std::string& t, const char* title) {
    t += "\n";
    t += title;
    t += "\n";
    t += std::string(std::char_traits<char>::length(title), '-');
    t += "\n";
}

// Free text may hold line breaks: keep them, indented under their item.
std::string indented(const std::string& s, const std::string& pad) {
    std::string out;
    for (const char c : s) {
        out += c;
        if (c == '\n') out += pad;
    }
    return out;
}

}  // namespace

std::string render_report_text(const ReportModel& m) {
    const Project& p = m.project;
    std::string t;
    t += "Project report: " + p.name + "\n";
    t += "Group: " + m.group.name + "\n";
    t += "Owner: " + m.owner_name + "\n";
    t += "Status: " + std::string(to_string(p.status)) + "\n";
    if (p.start_date) t += "Start: " + *p.start_date + "\n";
    if (p.target_date) t += "Target: " + *p.target_date + "\n";
    t += "Report of " + m.today + "\n";
    if (!p.description.empty()) t += "\n" + p.description + "\n";
    if (!p.future_state.empty()) t += "\nFuture state: " + p.future_state + "\n";

    heading(t, "Summary by step");
    std::int64_t total = 0, done = 0, overdue = 0;
    for (const auto& s : m.steps) {
        const auto n = static_cast<std::int64_t>(s.rows.size());
        total += n, done += s.done, overdue += s.overdue;
        t += "  " + s.step.name + ": " + std::to_string(n) + " actions, " + std::to_string(s.done) +
             " done, " + std::to_string(s.overdue) + " overdue\n";
    }
    t += "  Total: " + std::to_string(total) + " actions, " + std::to_string(done) + " done, " +
         std::to_string(overdue) + " overdue\n";

    heading(t, "Overdue actions");
    if (m.overdue.empty()) t += "  No overdue action.\n";
    for (const auto& r : m.overdue) {
        t += "  - " + r.action.title + " (" + r.step_name +
             "; owner: " + (r.owner_name.empty() ? "none" : r.owner_name) + "; due " +
             r.action.due_date.value_or("") + "; " + std::to_string(r.action.progress) + "%)\n";
    }

    heading(t, "Actions by step");
    for (const auto& s : m.steps) {
        t += "  " + s.step.name + "\n";
        if (s.rows.empty()) t += "    No action.\n";
        for (const auto& r : s.rows) {
            t += "    - " + indented(r.action.title, "      ") +
                 "\n      owner: " + (r.owner_name.empty() ? "none" : r.owner_name) +
                 "; due: " + r.action.due_date.value_or("none") +
                 "; progress: " + std::to_string(r.action.progress) + "%" +
                 (r.action.overdue ? "; OVERDUE" : "") + "\n";
        }
    }

    heading(t, "Indicators");
    if (m.indicators.empty()) t += "  No indicator.\n";
    for (const auto& ib : m.indicators) {
        const Indicator& ind = ib.indicator;
        const std::string unit = ind.unit.empty() ? "" : " " + ind.unit;
        t += "  " + ind.name + (ind.unit.empty() ? "" : " (" + ind.unit + ")") + ": baseline " +
             format_number(ind.baseline) + unit + ", target " + format_number(ind.target) + unit +
             "\n";
        if (ib.curve.empty()) t += "    No weekly data yet.\n";
        for (const auto& pt : ib.curve) {
            t += "    " + pt.week + "  expected " + format_number(pt.expected) + "  actual " +
                 (pt.actual ? format_number(*pt.actual) : "-") + "\n";
        }
    }

    heading(t, "Participants");
    for (const auto& person : m.participants) {
        t += "  - " + person.display_name + (person.id == p.owner_id ? " (owner)" : "") + "\n";
    }
    return t;
}

}  // namespace leandesk::exports
