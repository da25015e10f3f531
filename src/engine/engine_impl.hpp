// Private state of the Engine and the helpers shared by its command and query files.
#pragma once

#include <map>
#include <mutex>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "common/error.hpp"
#include "engine/engine.hpp"
#include "store/sqlite.hpp"

namespace leandesk {

struct Engine::Impl {
    explicit Impl(EngineOptions opts);

    EngineOptions options;
    store::Database db;
    std::recursive_mutex mutex;   // serializes every call on this engine
    std::vector<Change> pending;  // changes of the open unit of work, told after commit
    std::mutex observers_mutex;   // observers may be (un)registered from inside a callback
    std::map<ObserverId, Observer> observers;
    ObserverId next_observer = 1;
    /// Sign-ins whose password is being checked now, per user (the rate limit counts them).
    std::unordered_map<Id, int> sign_ins_in_flight;
    /// Where the changes of the command now running begin in `pending` (for the replica outbox).
    std::size_t command_mark = 0;

    /// Set when this database is a replica of a sync server (engine_replica.cpp): each user
    /// command is then also recorded in the outbox, inside the command's own transaction. Null on
    /// a plain local database, which pays one pointer test per command for it.
    struct ReplicaState;
    std::unique_ptr<ReplicaState> replica;

    /// Facts the plan commands (actions, comments, indicators, photos) read again and again in a
    /// batch, remembered for the length of one outermost transaction. Plan commands cannot change
    /// any of them; every other command clears them before it runs, and so does the end of the
    /// transaction (another process may write between two transactions).
    struct PlanFacts {
        std::unordered_map<std::string, Project> editable;  // actor id + project id -> project
        std::unordered_map<Id, Step> steps;
        std::unordered_map<Id, Step> default_steps;             // group id -> its open step
        std::unordered_map<std::string, double> next_position;  // project id + step id
        std::unordered_set<std::string> participants;           // project id + user id
        void clear() {
            participants.clear();
            editable.clear();
            steps.clear();
            default_steps.clear();
            next_position.clear();
        }
    } plan_facts;

    /// Set when a command inside a batch failed after it had written: there is no savepoint to
    /// undo it alone (see run_unit), so the outermost transaction must not commit. Cleared when
    /// the outermost transaction ends, or by the isolated unit whose savepoint undid the writes.
    bool batch_broken = false;

    // ---- units of work --------------------------------------------------------------------------
    /// Runs `fn` as one command that applies whole or not at all; observers hear of its changes
    /// after the outermost commit. Outermost, it is a transaction of its own. Inside a batch it
    /// has no savepoint (a savepoint and its statement journal were a quarter of a create's
    /// cost): a command refused before it writes (rules, validation: nearly every failure) leaves
    /// the batch as it was; one that fails after writing makes the whole batch roll back.
    template <typename Fn>
    auto write(Fn&& fn) -> std::invoke_result_t<Fn> {
        return unit(/*plan_command=*/false, std::forward<Fn>(fn));
    }
    /// The same for plan commands, which keep the plan facts of the transaction.
    template <typename Fn>
    auto write_plan(Fn&& fn) -> std::invoke_result_t<Fn> {
        return unit(/*plan_command=*/true, std::forward<Fn>(fn));
    }

    /// Like write(), but inside a batch under a savepoint of its own, so that its failure, even
    /// after it wrote, undoes it alone and the batch goes on (the sync server's push: one
    /// rejected command must not take the others with it).
    template <typename Fn>
    auto write_isolated(Fn&& fn) -> std::invoke_result_t<Fn> {
        return unit(/*plan_command=*/false, std::forward<Fn>(fn), /*isolated=*/true);
    }

    template <typename Fn>
    auto unit(bool plan_command, Fn&& fn, bool isolated = false) -> std::invoke_result_t<Fn> {
        using R = std::invoke_result_t<Fn>;
        std::vector<Change> committed;
        if constexpr (std::is_void_v<R>) {
            run_unit(committed, plan_command, isolated, [&] { fn(); });
            notify(committed);
        } else {
            std::optional<R> result;
            run_unit(committed, plan_command, isolated, [&] { result.emplace(fn()); });
            notify(committed);
            return std::move(*result);
        }
    }

    template <typename Fn>
    auto read(Fn&& fn) -> std::invoke_result_t<Fn> {
        std::lock_guard lock(mutex);
        return fn();
    }

    void run_unit(std::vector<Change>& committed, bool plan_command, bool isolated,
                  const std::function<void()>& body);
    void notify(const std::vector<Change>& changes);

    /// Appends one change record (the log row and the observers' copy).
    void log(const std::string& entity, const Id& id, const char* op,
             std::vector<std::string> fields, const Actor& actor, const std::optional<Id>& group_id,
             const std::optional<Id>& project_id);

    /// On a replica, records the command in the outbox (`make_args` builds its arguments, with
    /// the ids the engine chose filled in); on a local database, does nothing.
    template <typename MakeArgs>
    void record(const char* command, const Actor& actor, MakeArgs&& make_args) {
        if (replica) record_command(command, actor, make_args(), std::nullopt);
    }
    void record_command(std::string_view command, const Actor& actor, Json args,
                        const std::optional<std::string>& blob);
    /// Loads the replica state when the database is one (after migrations, and after attaching).
    void load_replica_state();
    /// Opens a session for `user_id` in this database (the replica's local session after a
    /// sign-in on the server).
    Session open_local_session(const Id& user_id);

    // ---- facts for the rules --------------------------------------------------------------------
    rules::AccountFacts account(const Actor& actor);
    rules::GroupRole group_role(const Actor& actor, const Id& group_id);
    /// Loads the project (not found when it does not exist) and the actor's role in it.
    rules::ProjectRole project_role(const Actor& actor, const Project& project);
    /// Requires a signed-in, active user (not the operator) for commands on the data.
    void require_user(const Actor& actor);
    /// Requires an existing user whose account is not deactivated (not yet activated is fine):
    /// for editing one's own profile, which invited people do while finishing their sign-up.
    void require_account(const Actor& actor);

    // ---- loaders (throw not_found) --------------------------------------------------------------
    std::optional<User> find_user(const Id& id);
    std::optional<User> find_user_by_email(const std::string& email);
    User load_user(const Id& id);
    Group load_group(const Id& id);
    Step load_step(const Id& id);
    Resource load_resource(const Id& id);
    Project load_project(const Id& id);
    Action load_action(const Id& id);
    Indicator load_indicator(const Id& id);
    Photo load_photo(const Id& id);
    Comment load_comment(const Id& id);

    /// A project the actor may read (R7/R8); not_found for a non-member so nothing leaks (R13).
    Project readable_project(const Actor& actor, const Id& project_id);
    /// A project whose plan the actor may edit (R9).
    Project editable_project(const Actor& actor, const Id& project_id);

    PersonView person_view(const User& person, const Actor& viewer);
    std::vector<Step> steps_of(const Id& group_id);
    std::vector<Action> actions_of(const Id& project_id);
    void fill_overdue(Action& action, const std::string& today);

    /// Deletes blobs no photo or avatar references any more (after photos or avatars went).
    void drop_unreferenced_blobs(const std::vector<std::string>& hashes);
    /// Stores image bytes by content hash after checking type and size; returns hash and mime.
    std::pair<std::string, std::string> put_blob(const std::vector<unsigned char>& bytes);

    /// A step of the project's group (plan facts cached); invalid_argument otherwise.
    Step step_in_group(const Id& step_id, const Id& group_id);
    /// The step new actions land in: the group's first open step, else its first step.
    Step default_step(const Id& group_id);
    /// One past the last position in (project, step), remembered within a batch.
    double next_position(const Id& project_id, const Id& step_id);

    /// The sync client of a replica (sync::Replica, set by the C API). Last member: it goes first,
    /// while the database it syncs is still open.
    std::shared_ptr<void> sync_client;

    /// Writes a log line to the configured sink. Never pass a secret.
    void say(LogLevel level, const std::string& message) const {
        if (options.log) options.log(level, message);
    }

    /// A version-7 id greater than every id this engine made before (RFC 9562 method 3: within
    /// one millisecond the 74 random bits of the last id grow by a random step), so records made
    /// in the same millisecond sort by id in the order they were made (docs/api.md, "Order").
    Id new_id();
    /// The last id new_id made: its millisecond and its 74 random bits (12 high, 62 low).
    struct LastId {
        std::int64_t ms = -1;
        std::uint64_t rand_a = 0;
        std::uint64_t rand_b = 0;
    } last_id;
    Millis now() const { return options.clock(); }
    std::string today() const { return iso_date(now()); }
};

/// A replica's identity and hybrid logical clock (see docs/protocol.md): the node id breaks ties
/// between replicas, wall/counter only ever grow.
struct Engine::Impl::ReplicaState {
    Id user_id;        // the one user whose commands this replica queues (empty before sign-in)
    std::string node;  // 16 hex digits, made when the database became a replica
    Millis hlc_wall = 0;
    std::int64_t hlc_counter = 0;
};

// Column lists and row readers shared by the queries. Keep each SELECT's column order equal to
// the reader it is paired with.
extern const char* const kUserColumns;
extern const char* const kActionColumns;
extern const char* const kProjectColumns;
User read_user(const store::Stmt& s);
/// R17: refuses, by name, fields about payment means or postal addresses.
void refuse_forbidden_fields(const Json& input);
/// R4: ends a membership and every participation in the group's projects (owned projects pass to
/// the group manager, owned actions lose their owner).
void detach_member(Engine::Impl& impl, const Actor& actor, const Group& g, const Id& user_id);
Action read_action(const store::Stmt& s);
/// A copy of the object `input` with "id" set (the id the engine chose, for the outbox).
Json with_id(const Json& input, const Id& id);
/// A UUID (v4 layout) derived from `base` and `n`: the same on every replica and the server.
Id derived_id(const Id& base, std::int64_t n);
Project read_project(const store::Stmt& s);
Step read_step(const store::Stmt& s);

}  // namespace leandesk
