// The report as one printable HTML page. Every value from the database is escaped.
#include "export/html.hpp"
#include "export/report.hpp"
#include "export/svg_chart.hpp"

namespace leandesk::exports {
namespace {

constexpr const char* kStyle = R"css(
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;margin:2em;max-width:60em}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #1f5fbf;padding-bottom:.2em;margin-top:1.6em}
.meta{color:#555}table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eef3fb}td.num{text-align:right}tr.overdue td{background:#fdecea}
.empty{color:#777;font-style:italic}.pre{white-space:pre-wrap}
@media print{body{margin:0}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}}
)css";

std::string esc(std::string_view s) {
    return html_escape(s);
}

std::string td(std::string_view s, const char* cls = nullptr) {
    return std::string("<td") + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + esc(s) +
           "</td>";
}

const char* priority_name(std::int64_t p) {
    switch (p) {
        case 1:
            return "low";
        case 2:
            return "medium";
        case 3:
            return "high";
        default:
            return "";
    }
}

}  // namespace

std::string render_report_html(const ReportModel& m) {
    const Project& p = m.project;
    std::string h;
    h.reserve(16384);
    h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
    h += esc(report_subject(m)) + "</title><style>" + kStyle + "</style></head><body>\n";

    // Header.
    h += "<header><h1>" + esc(p.name) + "</h1><p class=\"meta\">Group: " + esc(m.group.name) +
         " &middot; Owner: " + esc(m.owner_name) + " &middot; Status: " + esc(to_string(p.status));
    if (p.start_date) h += " &middot; Start: " + esc(*p.start_date);
    if (p.target_date) h += " &middot; Target: " + esc(*p.target_date);
    h += " &middot; Report of " + esc(m.today) + "</p>";
    if (!p.description.empty()) h += "<p class=\"pre\">" + esc(p.description) + "</p>";
    if (!p.future_state.empty())
        h += "<p class=\"pre\"><strong>Future state:</strong> " + esc(p.future_state) + "</p>";
    h += "</header>\n";

    // Summary by step.
    std::int64_t total = 0, done = 0, overdue = 0;
    h += "<section><h2>Summary by "
         "step</h2><table><thead><tr><th>Step</th><th>Actions</th><th>Done</th>"
         "<th>Overdue</th></tr></thead><tbody>";
    for (const auto& s : m.steps) {
        const auto n = static_cast<std::int64_t>(s.rows.size());
        total += n, done += s.done, overdue += s.overdue;
        h += "<tr>" + td(s.step.name) + td(std::to_string(n), "num") +
             td(std::to_string(s.done), "num") + td(std::to_string(s.overdue), "num") + "</tr>";
    }
    h += "<tr><th>Total</th>" + td(std::to_string(total), "num") + td(std::to_string(done), "num") +
         td(std::to_string(overdue), "num") + "</tr></tbody></table></section>\n";

    // Overdue actions.
    h += "<section><h2>Overdue actions</h2>";
    if (m.overdue.empty()) {
        h += "<p class=\"empty\">No overdue action.</p>";
    } else {
        h += "<table><thead><tr><th>Action</th><th>Step</th><th>Owner</th><th>Due "
             "date</th><th>Progress</th>"
             "</tr></thead><tbody>";
        for (const auto& r : m.overdue) {
            h += "<tr class=\"overdue\">" + td(r.action.title) + td(r.step_name) +
                 td(r.owner_name) + td(r.action.due_date.value_or("")) +
                 td(std::to_string(r.action.progress) + "%", "num") + "</tr>";
        }
        h += "</tbody></table>";
    }
    h += "</section>\n";

    // Actions by step.
    h += "<section><h2>Actions by step</h2>";
    for (const auto& s : m.steps) {
        h += "<h3>" + esc(s.step.name) + "</h3>";
        if (s.rows.empty()) {
            h += "<p class=\"empty\">No action.</p>";
            continue;
        }
        h += "<table><thead><tr><th>Action</th><th>Owner</th><th>Due "
             "date</th><th>Priority</th><th>Progress</th>"
             "</tr></thead><tbody>";
        for (const auto& r : s.rows) {
            h += std::string(r.action.overdue ? "<tr class=\"overdue\">" : "<tr>") +
                 td(r.action.title) + td(r.owner_name) + td(r.action.due_date.value_or("")) +
                 td(priority_name(r.action.priority)) +
                 td(std::to_string(r.action.progress) + "%", "num") + "</tr>";
        }
        h += "</tbody></table>";
    }
    h += "</section>\n";

    // Indicators.
    h += "<section><h2>Indicators</h2>";
    if (m.indicators.empty()) h += "<p class=\"empty\">No indicator.</p>";
    for (const auto& ib : m.indicators) {
        const Indicator& ind = ib.indicator;
        const std::string unit = ind.unit.empty() ? "" : " " + ind.unit;
        h += "<h3>" + esc(ind.name) + (ind.unit.empty() ? "" : " (" + esc(ind.unit) + ")") +
             "</h3><p>Baseline " + esc(format_number(ind.baseline) + unit) + " &rarr; target " +
             esc(format_number(ind.target) + unit) + "</p>";
        if (ib.curve.empty()) {
            h += "<p class=\"empty\">No weekly data yet.</p>";
            continue;
        }
        h += indicator_svg(ind.name, ib.curve, ind.target);
        h += "<table><thead><tr><th>Week</th><th>Expected</th><th>Actual</th></tr></thead><tbody>";
        for (const auto& pt : ib.curve) {
            h += "<tr>" + td(pt.week) + td(format_number(pt.expected), "num") +
                 td(pt.actual ? format_number(*pt.actual) : "", "num") + "</tr>";
        }
        h += "</tbody></table>";
    }
    h += "</section>\n";

    // Participants.
    h += "<section><h2>Participants</h2><ul>";
    for (const auto& person : m.participants) {
        h += "<li>" + esc(person.display_name) + (person.id == p.owner_id ? " (owner)" : "") +
             "</li>";
    }
    h += "</ul></section>\n<footer class=\"meta\"><p>" + esc(m.product) +
         "</p></footer></body></html>\n";
    return h;
}

}  // namespace leandesk::exports
