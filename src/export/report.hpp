// R15: the project report. A printable, self-contained HTML page (inline CSS, an inline SVG chart
// per indicator, no external resource) and a plain-text version of the same content: header,
// summary by step, overdue actions, actions by step with owners and due dates, indicators
// (expected against actual per week), participants by display name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace leandesk::exports {

/// Everything the report shows, read once as the requesting actor (so R7/R8 apply).
struct ReportModel {
    std::string product;  // "LeanDesk"
    std::string today;    // "YYYY-MM-DD": overdue is judged against it
    Group group;
    Project project;
    std::string owner_name;
    struct Row {
        Action action;
        std::string owner_name;  // "" when the action has no owner
        std::string step_name;
    };
    struct StepBlock {
        Step step;
        std::vector<Row> rows;
        std::int64_t done = 0;
        std::int64_t overdue = 0;
    };
    std::vector<StepBlock> steps;
    std::vector<Row> overdue;  // oldest due date first
    struct IndicatorBlock {
        Indicator indicator;
        std::vector<IndicatorPoint> curve;
    };
    std::vector<IndicatorBlock> indicators;
    std::vector<PersonView> participants;  // by display name
};

/// Reads the model; any reader of the project may (participants R8, the group manager R7).
ReportModel load_report(Engine& engine, const Actor& actor, const Id& project_id);

std::string render_report_html(const ReportModel& model);
std::string render_report_text(const ReportModel& model);
/// "<product>: project report – <project name>".
std::string report_subject(const ReportModel& model);

struct RenderedReport {
    std::string subject;
    std::string html;
    std::string text;
};
RenderedReport project_report(Engine& engine, const Actor& actor, const Id& project_id);

/// R15: mails the report to each of `recipient_ids` (participants of the project, activated or
/// not), through `sender` or, when null, the engine's mail sender. Only a participant may send;
/// the check (Engine::report_recipients) runs before anything is sent. Returns the recipients.
/// Errors: permission_denied, invalid_argument, not_found, io (no sender configured), network.
std::vector<PersonView> send_project_report(Engine& engine, const Actor& actor,
                                            const Id& project_id,
                                            const std::vector<Id>& recipient_ids,
                                            MailSender* sender = nullptr);

/// "1", "2.5", "-0.33": at most two decimals, no trailing zeros (numbers in the report).
std::string format_number(double value);

}  // namespace leandesk::exports
