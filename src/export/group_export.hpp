// R10: the group spreadsheet. One .xlsx workbook, written by libxlsxwriter in constant-memory
// mode (memory does not grow with the number of rows), with one sheet per kind of record: Group,
// Members, Steps, Projects, Participants, Actions, Comments, Indicators, Indicator weeks. Numbers,
// booleans and dates are real Excel values; each sheet has a frozen header row and filters. No
// photos: each action gives its photo count. docs/export.md lists every column.
#pragma once

#include <string>

#include "engine/engine.hpp"
#include "export/progress.hpp"

namespace leandesk::exports {

/// Writes the workbook of `group_id` to `path` (replaced atomically; nothing is left behind on
/// failure or cancellation). Only the group's manager may export (R10: permission denied).
/// Progress counts rows. Errors: not_found, permission_denied, io, cancelled.
void export_group_xlsx(Engine& engine, const Actor& actor, const Id& group_id,
                       const std::string& path, const Progress& progress = {});

}  // namespace leandesk::exports
