// The shared ground of the fault-injection tests (allocation failures, I/O errors): a small but
// complete database (accounts, a group, projects, actions with photos, comments, indicators), the
// representative commands run against it, and the checks every injected fault must pass —
// `PRAGMA integrity_check` and a full dump of every table compared with the state before and after
// the command.
//
// Everything is deterministic: a manual clock and a seeded random source, so the same command on
// the same file makes the same ids, tokens and times, and "after" can be computed once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "db_check.hpp"
#include "engine/engine.hpp"

namespace leandesk::faults {

inline constexpr Millis kNow = 1772442000000;  // 2026-03-02T09:00:00Z
inline constexpr const char* kPassword = "fault-injection-pass";

/// The ids of the fixture's records.
struct FixtureIds {
    Id ann, bob;      // ann manages the group; bob is a member and participant
    Id group;         // ann's group, bob a member
    Id project;       // ann owns it, bob participates; holds action_keep and action_drop
    Id project_drop;  // a second project with actions, a photo, an indicator: deleted by a command
    Id action_keep;   // edited by a command
    Id action_drop;   // deleted by a command (it has a photo and a comment)
};

/// One representative command: runs on an engine opened on a copy of the fixture.
struct Command {
    std::string name;
    std::function<void(Engine&, const FixtureIds&)> run;
};

/// Engine options on `path` with the fixed clock, the seeded random source, fast Argon2 and a mail
/// recorder. The same options always make the same ids.
EngineOptions fixture_options(const std::string& path);

/// Builds the fixture database at `path` (checkpointed: a single file, no WAL) and returns its ids.
FixtureIds build_fixture(const std::string& path);

/// The representative commands: create group, add member, create / edit / delete action, delete
/// project, sign-in.
std::vector<Command> representative_commands();

/// The database of a command run without faults: dumped before and after it, what every faulted
/// run must equal exactly (the command applied whole or not at all).
struct Reference {
    std::string before, after;
};

/// Copies the fixture `tmpl` to `work`, runs `cmd` there without faults and dumps both states.
Reference reference_run(const Command& cmd, const FixtureIds& ids, const std::string& tmpl,
                        const std::string& work);

}  // namespace leandesk::faults
