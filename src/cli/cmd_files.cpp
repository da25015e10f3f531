// group export | backup | restore, project report | report-send: the work that writes files or
// mails, with a progress bar on a terminal.
#include <fstream>
#include <iostream>

#include "cli.hpp"

namespace cli {
namespace {

void export_xlsx(Context& ctx, const Args& a) {
    ctx.session().group_export_xlsx(a.at(0), a.at(1), progress_bar(ctx, "Exporting"));
    ctx.done("Wrote " + a.at(1) + ".");
}

void backup(Context& ctx, const Args& a) {
    ctx.session().group_backup(a.at(0), a.at(1), progress_bar(ctx, "Backing up"));
    ctx.done("Backed up into " + a.at(1) + " (group.json and photos/).");
}

void restore(Context& ctx, const Args& a) {
    const ld::Group g = ctx.session().group_restore(a.at(0), progress_bar(ctx, "Restoring"));
    if (ctx.json()) return Context::print_json(g);
    std::cout << "Restored as group " << g.name << " (" << g.id << "); you manage it.\n";
}

void report(Context& ctx, const Args& a) {
    const ld::Report r = ctx.session().project_report(a.at(0));
    if (const auto html = a.get("html")) {
        std::ofstream out(*html, std::ios::binary | std::ios::trunc);
        out << r.html;
        out.close();
        if (!out) throw ld::IoError("cannot write " + *html);
    }
    if (ctx.json()) return Context::print_json({{"html", r.html}, {"text", r.text}});
    if (!a.has("html")) std::cout << r.text;
}

void report_send(Context& ctx, const Args& a) {
    const ld::Session s = ctx.session();
    const auto participants = s.project_participants(a.at(0));
    std::vector<std::string> ids;
    for (std::size_t i = 1; i < a.positional.size(); ++i)
        ids.push_back(resolve_person(a.at(i), participants));
    s.project_report_send(a.at(0), ids);
    ctx.done("Sent the report to " + std::to_string(ids.size()) + " participant(s).");
}

}  // namespace

void add_file_commands(std::vector<Command>& commands) {
    commands.push_back({"group export",
                        "GROUP_ID FILE.xlsx",
                        "Export the group as a spreadsheet (manager only, R10).",
                        "Every member, step, project, participant, action, comment and indicator "
                        "value, as real numbers and dates; no photos. The file appears whole or "
                        "not at all.",
                        {},
                        2,
                        2,
                        export_xlsx});
    commands.push_back({"group backup",
                        "GROUP_ID FOLDER",
                        "Back up the group, photos included, into a new folder (manager only).",
                        "FOLDER must not exist. It holds group.json and photos/, readable without "
                        "LeanDesk (docs/backup-format.md).",
                        {},
                        2,
                        2,
                        backup});
    commands.push_back({"group restore",
                        "FOLDER",
                        "Restore a backup as a new group that you manage.",
                        "People are matched by e-mail. A damaged backup is refused whole.",
                        {},
                        1,
                        1,
                        restore});
    commands.push_back({"project report",
                        "PROJECT_ID",
                        "Print the project report (participants, R15).",
                        "Plain text on stdout; --html FILE writes the printable HTML page instead.",
                        {{"html", "FILE", "write the HTML report to FILE"}},
                        1,
                        1,
                        report});
    commands.push_back({"project report-send",
                        "PROJECT_ID USER...",
                        "E-mail the project report to participants (R15).",
                        "USER is a user id, or an e-mail address you can see.",
                        {},
                        2,
                        64,
                        report_send});
}

}  // namespace cli
