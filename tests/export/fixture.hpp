// A small but complete group for the export tests: every kind of record, every optional field
// both set and empty, text that needs escaping or encoding (<, &, quotes, non-ASCII, line breaks),
// an activated and a not-yet-activated participant, overdue and done actions, photos shared by two
// actions, indicators with weekly values. Deterministic for a given engine clock and random seed.
#pragma once

#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace leandesk::testing {

/// 2026-03-02T09:00:00Z, a Monday: "today" for the fixture (overdue is judged against it).
inline constexpr Millis kFixtureTime = 1772442000000;

struct Fixture {
    Actor manager;   // Ann, the group manager, participant of project 1 only
    Actor member;    // Bob, participant of both projects, owner of project 2
    Actor outsider;  // Eve, no member of the group
    Actor pending;   // dan@example.com, added by e-mail, never activated
    Actor unicode;   // Zoë Ørsted-Ünal, participant of project 1
    Group group;
    Project project1;  // owned by Ann
    Project project2;  // owned by Bob
    std::vector<Action> actions;
    std::vector<Indicator> indicators;
};

/// Builds the fixture; `clock_now` is the engine's manual clock, moved forward as records are made.
Fixture make_fixture(Engine& engine, Millis& clock_now);

/// A few bytes that pass the engine's PNG/JPEG magic check (content differs by `salt`).
std::vector<unsigned char> fake_png(int salt);
std::vector<unsigned char> fake_jpeg(int salt);

}  // namespace leandesk::testing
