// Reading the report's content through the engine's queries, as the requesting actor.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "export/report.hpp"

namespace leandesk::exports {

std::string format_number(double value) {
    if (!std::isfinite(value)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", value);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

ReportModel load_report(Engine& engine, const Actor& actor, const Id& project_id) {
    ReportModel m;
    m.product = engine.options().accounts.product_name;
    m.today = iso_date(engine.now());
    ProjectReview review = engine.project_review(actor, project_id);
    m.project = review.project;
    m.group = engine.get_group(actor, m.project.group_id);
    m.participants = review.participants;
    // Stable: participants of the same display name keep project_participants' order.
    std::stable_sort(
        m.participants.begin(), m.participants.end(),
        [](const PersonView& a, const PersonView& b) { return a.display_name < b.display_name; });
    std::unordered_map<Id, std::string> names;
    for (const auto& p : review.participants) names.emplace(p.id, p.display_name);
    const auto name_of = [&](const std::optional<Id>& id) {
        if (!id) return std::string();
        const auto it = names.find(*id);
        return it != names.end() ? it->second : std::string();
    };
    m.owner_name = name_of(m.project.owner_id);
    for (auto& sa : review.steps) {
        ReportModel::StepBlock block;
        block.step = sa.step;
        for (auto& a : sa.actions) {
            if (a.done_at) ++block.done;
            if (a.overdue) ++block.overdue;
            ReportModel::Row row{std::move(a), {}, sa.step.name};
            row.owner_name = name_of(row.action.owner_id);
            if (row.action.overdue) m.overdue.push_back(row);
            block.rows.push_back(std::move(row));
        }
        m.steps.push_back(std::move(block));
    }
    std::stable_sort(m.overdue.begin(), m.overdue.end(), [](const auto& a, const auto& b) {
        return a.action.due_date < b.action.due_date;
    });
    for (auto& ind : review.indicators) {
        m.indicators.push_back({ind, engine.indicator_curve(actor, ind.id)});
    }
    return m;
}

std::string report_subject(const ReportModel& m) {
    return m.product + ": project report \u2013 " + m.project.name;
}

RenderedReport project_report(Engine& engine, const Actor& actor, const Id& project_id) {
    const ReportModel m = load_report(engine, actor, project_id);
    return {report_subject(m), render_report_html(m), render_report_text(m)};
}

}  // namespace leandesk::exports
