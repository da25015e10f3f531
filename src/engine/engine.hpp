// The engine: every write is a command that goes through one pipeline —
//   validate the input → authorize it with the pure rules → apply it in one SQLite transaction →
//   append to the change log → tell the observers after commit —
// and every read is a query filtered by what the actor may see. The same pipeline serves the
// embedded app, scripts and (later) the sync server, which is what makes the rules hold everywhere.
//
// Thread safety: an Engine may be shared between threads; calls are serialized by an internal
// mutex. Observers are called on the thread that committed the change, after the commit, with the
// mutex released, so an observer may call back into the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/mail.hpp"
#include "auth/password.hpp"
#include "common/clock.hpp"
#include "model/entities.hpp"
#include "model/json.hpp"
#include "rules/rules.hpp"

namespace leandesk {

/// Lifetimes and limits of accounts; every duration in milliseconds.
struct AccountPolicy {
    Millis session_lifetime = 30LL * 24 * 3600 * 1000;  // absolute: a session never outlives this
    Millis session_idle_timeout = 14LL * 24 * 3600 * 1000;  // ends a session unused this long
    Millis activation_token_lifetime = 48LL * 3600 * 1000;
    Millis reset_token_lifetime = 3600LL * 1000;
    /// Failed sign-ins per (address tried, client address) before that pair waits: the window
    /// below after the last failure, doubling with every further failure (at most 64 windows).
    /// The same address from another client is not slowed (docs/accounts.md, "Throttling").
    int max_failed_sign_ins = 5;
    Millis failed_sign_in_window = 15LL * 60 * 1000;
    /// Failed sign-ins per client address, whatever the addresses tried, within the window.
    int max_failed_sign_ins_per_client = 100;
    /// Account mails (activation, "someone tried", reset) per recipient per hour; more are dropped.
    int max_mails_per_recipient_per_hour = 5;
    Millis active_user_window = 90LL * 24 * 3600 * 1000;  // "active in the last three months"
    std::string product_name = "LeanDesk";
    /// Prefix of the links in mails ("https://leandesk.example.com/"); the token is appended to
    /// "activate?token=", "reset?token=", "confirm-email?token=". Empty: mails give the bare code.
    std::string link_base;
};

enum class LogLevel { debug, info, warning, error };
/// Receives the engine's log lines. They hold ids and events, never a password, token or hash.
using LogSink = std::function<void(LogLevel, const std::string&)>;

struct EngineOptions {
    EngineOptions() = default;
    explicit EngineOptions(std::string database_path) : path(std::move(database_path)) {}

    std::string path = ":memory:";  // the database file; ":memory:" for a throw-away engine
    Clock clock = system_clock();
    RandomSource random = system_random();
    std::size_t max_blob_bytes = std::size_t{10} * 1024 * 1024;  // photos and avatars
    /// Sends activation, reset and e-mail-change mails; sign-up and resets need one.
    std::shared_ptr<MailSender> mail;
    auth::PasswordParams password_params;
    AccountPolicy accounts;
    LogSink log;
};

/// What sign-in hands to the app. The token is the session's only copy: the store keeps its hash.
struct Session {
    std::string token;
    Id user_id;
    Millis expires_at = 0;
    /// The operator published a privacy-policy version this user has not acknowledged yet.
    bool policy_notice_required = false;
    std::int64_t policy_version = 0;
};

/// One anonymous usage event: no user id, e-mail or address of any kind.
struct UsageEvent {
    std::string event;  // "app_start", "sync", ...
    std::string platform;
    std::string os_version;
    std::string app_version;
    std::string device_class;  // "phone", "tablet", "desktop", "server"
};

struct UsageCount {
    UsageEvent what;
    std::int64_t count = 0;
};

struct PolicyVersion {
    std::int64_t version = 0;
    std::string summary;
    Millis published_at = 0;
};

/// A project as its review screen shows it: every step with its actions, in order.
struct StepActions {
    Step step;
    std::vector<Action> actions;
};
struct ProjectReview {
    Project project;
    std::vector<StepActions> steps;
    std::vector<PersonView> participants;
    std::vector<Indicator> indicators;
};

/// One action with everything hanging from it.
struct ActionDetail {
    Action action;
    std::vector<Photo> photos;
    std::vector<Comment> comments;
};

void to_json(Json& j, const StepActions& v);
void to_json(Json& j, const ProjectReview& v);
void to_json(Json& j, const ActionDetail& v);

/// Observers receive the change records of one committed unit of work.
using Observer = std::function<void(const std::vector<Change>&)>;
using ObserverId = std::uint64_t;

class Engine {
  public:
    explicit Engine(EngineOptions options);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // ---- people -------------------------------------------------------------------------------
    /// Creates a local user record (the accounts layer calls this at sign-up; tests and the demo
    /// call it directly). Input: {id?, email, first_name?, last_name?, activated?}.
    User create_user(const Json& input);
    /// Marks a user activated (e-mail verified); R16 then shows "First Last".
    User activate_user(const Id& user_id);
    /// A user's own full record (R11), or the operator's view of any user (R12).
    User get_user(const Actor& actor, const Id& user_id);
    /// R11: {first_name, last_name, email, avatar, newsletter_opt_in,
    /// show_open_actions_on_dashboard}.
    User update_profile(const Actor& actor, const Id& user_id, const Json& patch);
    /// R12: the operator's powers.
    User set_user_status(const Actor& actor, const Id& user_id, UserStatus status);
    User set_user_deactivated(const Actor& actor, const Id& user_id, bool deactivated);
    User change_login_email(const Actor& actor, const Id& user_id, const std::string& email);
    /// Sets or clears (empty bytes) the actor's own avatar (R11), visible per R13.
    User set_avatar(const Actor& actor, const std::vector<unsigned char>& image);

    // ---- accounts (src/engine/engine_accounts.cpp) ---------------------------------------------
    /// {first_name, last_name, email, password}: records a claim on the address and mails it the
    /// activation code; nothing else changes until the code comes back. The answer is the same
    /// whether the address is free, pending or taken: for a taken address nothing is created, the
    /// owner gets a mail saying someone tried, and the user returned exists nowhere. An address
    /// held by a non-activated user (added to a group by e-mail) is claimed with their memberships
    /// and actions once verified.
    User sign_up(const Json& input);
    /// Sends a fresh activation code for the newest pending sign-up; anything else is ignored
    /// silently.
    void resend_activation(const std::string& email);
    /// Consumes an activation (or e-mail change) token. An activation makes its claim the account:
    /// its names and password; every other claim on the address, and its codes, die.
    User activate_account(const std::string& token);
    /// Same error (auth_failed) for an unknown e-mail, a wrong password and an account not yet
    /// activated; throttled per (address tried, client) and per client, known or unknown address
    /// alike. `client` is the caller's network address ("" for a local caller).
    Session sign_in(const std::string& email, const std::string& password,
                    const std::string& client = "");
    void sign_out(const std::string& token);
    /// The session behind a token (its `token` member left empty), or session_expired.
    Session describe_session(const std::string& token);
    /// The actor behind a session token; not_signed_in for an unknown token, session_expired for
    /// an ended, expired or idle one. Also records the user's last activity.
    Actor authenticate(const std::string& token);
    /// Needs the current password; ends every other session of the user.
    void change_password(const std::string& session_token, const std::string& current,
                         const std::string& replacement);
    /// Mails a reset token; silent for unknown addresses, and a mail that cannot be sent is logged,
    /// not reported (no account enumeration).
    void request_password_reset(const std::string& email);
    /// Sets the new password and ends every session of the user.
    void reset_password(const std::string& token, const std::string& replacement);
    /// R11: mails a confirmation token to the new address; the change applies when it is confirmed.
    void request_email_change(const Actor& actor, const std::string& new_email);
    /// Erases the account (password required): personal data goes, memberships end, actions they
    /// owned stay without an owner. A group manager must hand over their groups first.
    void delete_account(const Actor& actor, const std::string& password);
    /// R11: acknowledges the privacy-policy notice of `version`.
    User acknowledge_policy(const Actor& actor, std::int64_t version);

    // ---- the operator (R12) --------------------------------------------------------------------
    /// Sets the operator's secret: the first time with `current` empty, afterwards with the old
    /// one.
    void set_operator_secret(const std::string& current, const std::string& replacement);
    /// An operator session, distinct from user sessions; authenticate() maps it to the operator.
    Session operator_sign_in(const std::string& secret);
    /// Mails the user a reset token and ends their sessions.
    void operator_reset_password(const Actor& actor, const Id& user_id);
    PolicyVersion publish_policy(const Actor& actor, const std::string& summary);
    std::optional<PolicyVersion> current_policy();
    /// Users active within AccountPolicy::active_user_window (for the policy-change e-mail).
    std::vector<User> recently_active_users(const Actor& actor);
    /// Activated, active users who consented to the newsletter.
    std::vector<User> newsletter_recipients(const Actor& actor);

    // ---- anonymous usage figures ---------------------------------------------------------------
    /// Counts the event unless the app turned figures off. Never linked to a user.
    void record_usage(const UsageEvent& event);
    void set_usage_enabled(bool enabled);
    bool usage_enabled();
    std::vector<UsageCount> usage_report(const Actor& actor);

    // ---- groups -------------------------------------------------------------------------------
    Group create_group(const Actor& actor, const Json& input);  // R1 {id?, name}
    Group update_group(const Actor& actor, const Id& group_id, const Json& patch);  // R2 {name}
    void delete_group(const Actor& actor, const Id& group_id);                      // R2, R14
    /// R2/R16: adds a member by e-mail; an unknown address becomes a non-activated user.
    PersonView add_member(const Actor& actor, const Id& group_id, const std::string& email);
    void remove_member(const Actor& actor, const Id& group_id, const Id& user_id);  // R2, R3, R4
    void leave_group(const Actor& actor, const Id& group_id);                       // R3, R4
    Group transfer_group(const Actor& actor, const Id& group_id, const Id& new_manager);  // R2

    Step add_step(const Actor& actor, const Id& group_id, const Json& input);  // {id?, name, kind}
    Step update_step(const Actor& actor, const Id& step_id, const Json& patch);  // {name, kind}
    /// Moves a step to `position` (0-based) in its group's workflow.
    std::vector<Step> move_step(const Actor& actor, const Id& step_id, std::int64_t position);
    void remove_step(const Actor& actor, const Id& step_id);  // conflict while actions use it

    Resource add_resource(const Actor& actor, const Id& group_id, const Json& input);
    Resource update_resource(const Actor& actor, const Id& resource_id, const Json& patch);
    void remove_resource(const Actor& actor, const Id& resource_id);

    // ---- projects -----------------------------------------------------------------------------
    /// R5 {id?, group_id, name, description?, future_state?, start_date?, target_date?}
    Project create_project(const Actor& actor, const Json& input);
    /// {name, description, future_state, start_date, target_date, status}
    Project update_project(const Actor& actor, const Id& project_id, const Json& patch);
    void delete_project(const Actor& actor, const Id& project_id);  // R7, R14
    Participant add_participant(const Actor& actor, const Id& project_id, const Id& user_id);  // R6
    void remove_participant(const Actor& actor, const Id& project_id, const Id& user_id);      // R6
    void leave_project(const Actor& actor, const Id& project_id);                              // R6
    Project transfer_project(const Actor& actor, const Id& project_id, const Id& new_owner);   // R6

    // ---- actions ------------------------------------------------------------------------------
    /// R9 {id?, project_id, title, description?, step_id?, owner_id?, context?, due_date?,
    /// priority?, progress?, indicator_id?, impact?}. Without step_id it lands in the open step.
    Action create_action(const Actor& actor, const Json& input);
    /// R9: any field of create_action but id/project_id; null clears an optional field.
    Action update_action(const Actor& actor, const Id& action_id, const Json& patch);
    /// Moves to `step_id`, before `before_action_id` in that step or last when none.
    Action move_action(const Actor& actor, const Id& action_id, const Id& step_id,
                       const std::optional<Id>& before_action_id = std::nullopt);
    void delete_action(const Actor& actor, const Id& action_id);  // R9, R14

    Comment add_comment(const Actor& actor, const Id& action_id, const Json& input);  // {id?, body}
    void delete_comment(const Actor& actor, const Id& comment_id);  // its author only

    /// {id?, project_id, name, unit?, baseline?, target?}
    Indicator create_indicator(const Actor& actor, const Json& input);
    Indicator update_indicator(const Actor& actor, const Id& indicator_id, const Json& patch);
    void delete_indicator(const Actor& actor, const Id& indicator_id);
    IndicatorValue set_indicator_value(const Actor& actor, const Id& indicator_id,
                                       const std::string& week, double actual);
    void clear_indicator_value(const Actor& actor, const Id& indicator_id, const std::string& week);

    /// R9: stores the image (JPEG, PNG, WebP or HEIC by magic bytes, size-capped) by content hash.
    Photo add_photo(const Actor& actor, const Id& action_id,
                    const std::vector<unsigned char>& image,
                    const Json& input);  // {id?, caption?, taken_at?}
    void remove_photo(const Actor& actor, const Id& photo_id);
    /// The bytes of a blob the actor may see (a photo of a visible action, or a visible avatar).
    std::vector<unsigned char> read_blob(const Actor& actor, const std::string& hash);

    // ---- queries ------------------------------------------------------------------------------
    std::vector<Group> my_groups(const Actor& actor);
    Group get_group(const Actor& actor, const Id& group_id);
    /// R13: members with e-mail only where the actor may see it.
    std::vector<PersonView> group_members(const Actor& actor, const Id& group_id);
    std::vector<Step> group_steps(const Actor& actor, const Id& group_id);
    std::vector<Resource> group_resources(const Actor& actor, const Id& group_id);
    /// The group's projects the actor may see: all for the manager (R7), else those they are in.
    std::vector<Project> group_projects(const Actor& actor, const Id& group_id);
    /// Projects the actor takes part in, across groups.
    std::vector<Project> my_projects(const Actor& actor);
    Project get_project(const Actor& actor, const Id& project_id);
    std::vector<PersonView> project_participants(const Actor& actor, const Id& project_id);
    /// All the project's actions in step order, then position.
    std::vector<Action> project_actions(const Actor& actor, const Id& project_id);
    ProjectReview project_review(const Actor& actor, const Id& project_id);
    /// The actor's own actions across projects; open-step ones hidden when their preference says.
    std::vector<Action> dashboard(const Actor& actor);
    ActionDetail get_action(const Actor& actor, const Id& action_id);
    std::vector<Indicator> project_indicators(const Actor& actor, const Id& project_id);
    /// Weekly curve from the project's start (or first value) to its target date (or last value):
    /// expected = baseline + impacts of actions due by that week's end; actual where recorded.
    std::vector<IndicatorPoint> indicator_curve(const Actor& actor, const Id& indicator_id);
    /// R15: the participants (activated or not) a report may go to; refuses non-participants.
    std::vector<PersonView> report_recipients(const Actor& actor, const Id& project_id,
                                              const std::vector<Id>& recipient_ids);

    /// The change log after `after_seq`, oldest first, at most `limit` records.
    std::vector<Change> changes_since(std::int64_t after_seq, std::size_t limit = 1000);

    // ---- observers and units of work ----------------------------------------------------------
    ObserverId add_observer(Observer observer);
    void remove_observer(ObserverId id);

    /// Runs `work` as one transaction: every command inside commits together or not at all, and
    /// observers hear of it once, after the commit. Used for bulk work (1,000 commands per batch).
    /// A command refused inside `work` (a rule, bad input) throws and changes nothing; `work` may
    /// catch that and go on. A command that fails after it has written (a full disk, a constraint)
    /// cannot be undone alone: the batch then rolls back whole and throws Errc::conflict, and
    /// every later command inside it fails at once.
    void batch(const std::function<void()>& work);

    /// Runs a command by name with JSON arguments: the one entry point the C API, the bindings
    /// and sync use. Returns the command's result as JSON (null when it has none).
    Json execute(const Actor& actor, std::string_view command, const Json& args);
    /// Every name `execute` accepts, sorted.
    static std::vector<std::string> command_names();

    /// Moves the WAL into the main file and truncates it (used after deletions and by tests).
    void checkpoint();

    /// How the store is set up, for diagnostics and support: schema_version, journal_mode,
    /// foreign_keys, secure_delete, busy_timeout_ms, prepared_statements, page_count, page_size.
    Json storage_info();

    [[nodiscard]] const EngineOptions& options() const;
    [[nodiscard]] Millis now() const;
    /// A new UUID version 7: the injected clock's milliseconds, then 74 bits of the injected random
    /// source (docs/schema.md says why ids are time-ordered).
    [[nodiscard]] Id new_id();

    struct Impl;
    /// The engine's private state, for the in-tree modules built on it (export, sync, the server);
    /// they include engine/engine_impl.hpp. Not part of any public API.
    Impl& internals() { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace leandesk
