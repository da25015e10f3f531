// A replica's clock kept within reach of its device's wall clock (docs/protocol.md, "Clocks").
// Defined in src/engine/engine_replica.cpp, next to the stamping of local commands.
#pragma once

#include "engine/engine_impl.hpp"

namespace leandesk::sync {

/// Brings a replica's clock back when it is further ahead of the device's wall clock than
/// kReplicaMaxClockAheadMs (or out of the stamp's range), as an earlier version that adopted any
/// server stamp could leave it: the clock restarts from now, and the outbox commands stamped
/// beyond that bound (or with a stamp the server cannot read) are stamped again, in their order,
/// after it. `full` also looks through the outbox when the clock itself is fine (on open).
/// Logs what it did; returns true when it changed anything. The engine's lock must be held; it
/// writes in the caller's transaction, or in one of its own outside any.
bool recover_replica_clock(Engine::Impl& impl, bool full);

}  // namespace leandesk::sync
