/**
 * @file leandesk.hpp
 * @brief Header-only C++ wrapper over the LeanDesk C API (leandesk.h).
 *
 * Everything here is inline code over the stable C functions of leandesk.h: no C++ symbol crosses
 * the library boundary, so this header works with any compiler and standard library that can call
 * the C API. It needs C++17 (C++20 works too) and nlohmann/json.
 *
 * - **Handles.** ld::Database owns an ::ld_db; ld::Session owns an ::ld_session. Both are
 * move-only. A Session shares ownership of its database, so the database is closed when the
 * Database object and every Session made from it are gone: a session can never outlive its
 * database.
 * - **Errors.** Every failing call throws an ld::Error carrying the C status code and message, as
 *   the subclass for that code (ld::PermissionDenied for #LD_EPERM, ld::NotFound, ...). A refusal
 * by a rule has a message starting with the rule id ("R9: ...").
 * - **Results** are plain structs (ld::Action, ld::Project, ...) decoded from the JSON the C API
 *   returns; nullable fields are std::optional. Each has `from_json`/`to_json` functions, so
 *   `nlohmann::json(x)` and `j.get<ld::Action>()` work.
 * - **Inputs** are nlohmann::json objects whose shapes are the input schemas in docs/schema/input.
 * - **Methods** are named after the C function they call, without the `ld_` prefix (and without
 *   `session_` for the session functions): ld::Session::group_create() calls ld_group_create().
 *   The C header documents what each does, the rules it enforces and the errors it returns.
 * - **Threads.** As in the C API, one Database or Session may be used from several threads (calls
 *   are serialized by the library). Moving or destroying a handle while another thread uses it is
 *   not allowed.
 */
#ifndef LEANDESK_HPP
#define LEANDESK_HPP

#include <leandesk/leandesk.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

/// The C++ API of LeanDesk.
namespace ld {

/// JSON values used for inputs and free-form results.
using json = nlohmann::json;

// ================================================================================================
// Errors
// ================================================================================================

/// A failed LeanDesk call: the C status code (`LD_E*`) and the library's message.
class Error : public std::runtime_error {
  public:
    /// An error with status `code` (negative `LD_E*`) and `message`.
    Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    /// The C status code, e.g. #LD_EPERM.
    int code() const noexcept { return code_; }
    /// The code's short stable name ("permission denied").
    const char* name() const noexcept { return ld_error_name(code_); }

  private:
    int code_;
};

/// #LD_ENOTFOUND: the id names nothing the caller may see.
class NotFound : public Error {
  public:
    /// The error with `message`.
    explicit NotFound(const std::string& message) : Error(LD_ENOTFOUND, message) {}
};

/// #LD_EPERM: refused by a rule; the message starts with the rule id ("R9: ...").
class PermissionDenied : public Error {
  public:
    /// The error with `message`.
    explicit PermissionDenied(const std::string& message) : Error(LD_EPERM, message) {}
    /// The id of the rule that refused ("R9"), read from the message; empty if it names none.
    std::string rule() const {
        const std::string message = what();
        std::size_t end = 1;
        while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
        const bool named =
            message.size() > end && message[0] == 'R' && end > 1 && message[end] == ':';
        return named ? message.substr(0, end) : std::string();
    }
};

/// #LD_EINVAL: a missing, malformed or out-of-range argument.
class InvalidArgument : public Error {
  public:
    /// The error with `message`.
    explicit InvalidArgument(const std::string& message) : Error(LD_EINVAL, message) {}
};

/// #LD_ECONFLICT: unique key taken, still in use, or state changed.
class Conflict : public Error {
  public:
    /// The error with `message`.
    explicit Conflict(const std::string& message) : Error(LD_ECONFLICT, message) {}
};

/// #LD_ENOTSIGNEDIN: no signed-in user behind the handle or token.
class NotSignedIn : public Error {
  public:
    /// The error with `message`.
    explicit NotSignedIn(const std::string& message) : Error(LD_ENOTSIGNEDIN, message) {}
};

/// #LD_ESESSION: the session expired, went idle too long, or was ended.
class SessionExpired : public Error {
  public:
    /// The error with `message`.
    explicit SessionExpired(const std::string& message) : Error(LD_ESESSION, message) {}
};

/// #LD_ENETWORK: network failure.
class NetworkError : public Error {
  public:
    /// The error with `message`.
    explicit NetworkError(const std::string& message) : Error(LD_ENETWORK, message) {}
};

/// #LD_EIO: the database file, the disk or the mail sender failed.
class IoError : public Error {
  public:
    /// The error with `message`.
    explicit IoError(const std::string& message) : Error(LD_EIO, message) {}
};

/// #LD_EBUSY: the database is locked by another process, or the sync server is unavailable for
/// longer than the retry budget (then retry_after() holds the server's time to wait).
class Busy : public Error {
  public:
    /// The error with `message` and, when the server gave one, the time to wait.
    explicit Busy(const std::string& message,
                  std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
        : Error(LD_EBUSY, message), retry_after_(retry_after) {}
    /// The server's time to wait before trying again (ld_last_error_retry_after_ms()), if any.
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

  private:
    std::optional<std::chrono::milliseconds> retry_after_;
};

/// #LD_ENOMEM: out of memory.
class OutOfMemory : public Error {
  public:
    /// The error with `message`.
    explicit OutOfMemory(const std::string& message) : Error(LD_ENOMEM, message) {}
};

/// #LD_ERATELIMIT: too many attempts; try again later. retry_after() holds the time to wait when
/// the sync server gave one (ld_last_error_retry_after_ms()).
class RateLimited : public Error {
  public:
    /// The error with `message` and, when the server gave one, the time to wait.
    explicit RateLimited(const std::string& message,
                         std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
        : Error(LD_ERATELIMIT, message), retry_after_(retry_after) {}
    /// The server's time to wait before trying again, if it gave one.
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

  private:
    std::optional<std::chrono::milliseconds> retry_after_;
};

/// #LD_ECANCELLED: cancelled by the caller.
class Cancelled : public Error {
  public:
    /// The error with `message`.
    explicit Cancelled(const std::string& message) : Error(LD_ECANCELLED, message) {}
};

/// #LD_ECORRUPT: damaged database or input file.
class Corrupt : public Error {
  public:
    /// The error with `message`.
    explicit Corrupt(const std::string& message) : Error(LD_ECORRUPT, message) {}
};

/// #LD_EINTERNAL: a bug in LeanDesk (or a result this header could not decode).
class InternalError : public Error {
  public:
    /// The error with `message`.
    explicit InternalError(const std::string& message) : Error(LD_EINTERNAL, message) {}
};

/// #LD_EAUTH: wrong e-mail or password, or an unknown, used or expired code.
class AuthFailed : public Error {
  public:
    /// The error with `message`.
    explicit AuthFailed(const std::string& message) : Error(LD_EAUTH, message) {}
};

/// Throws the ld::Error subclass that matches `code` (ld::Error itself for #LD_ERROR or an
/// unknown code). `retry_after_ms` (ld_last_error_retry_after_ms(); negative: none) goes to
/// ld::RateLimited and ld::Busy.
[[noreturn]] inline void throw_error(int code, const std::string& message,
                                     std::int64_t retry_after_ms = -1) {
    const std::optional<std::chrono::milliseconds> wait =
        retry_after_ms >= 0 ? std::optional<std::chrono::milliseconds>(retry_after_ms)
                            : std::nullopt;
    switch (code) {
        case LD_ENOTFOUND:
            throw NotFound(message);
        case LD_EPERM:
            throw PermissionDenied(message);
        case LD_EINVAL:
            throw InvalidArgument(message);
        case LD_ECONFLICT:
            throw Conflict(message);
        case LD_ENOTSIGNEDIN:
            throw NotSignedIn(message);
        case LD_ESESSION:
            throw SessionExpired(message);
        case LD_ENETWORK:
            throw NetworkError(message);
        case LD_EIO:
            throw IoError(message);
        case LD_EBUSY:
            throw Busy(message, wait);
        case LD_ENOMEM:
            throw OutOfMemory(message);
        case LD_ERATELIMIT:
            throw RateLimited(message, wait);
        case LD_ECANCELLED:
            throw Cancelled(message);
        case LD_ECORRUPT:
            throw Corrupt(message);
        case LD_EINTERNAL:
            throw InternalError(message);
        case LD_EAUTH:
            throw AuthFailed(message);
        default:
            throw Error(code, message);
    }
}

/// Does nothing for #LD_OK; otherwise throws the matching ld::Error with the calling thread's
/// ld_last_error() message (and ld_last_error_retry_after_ms() wait). Call it right after the C
/// call whose status `rc` is.
inline void check(int rc) {
    if (rc == LD_OK) return;
    const char* message = ld_last_error();
    throw_error(rc, message != nullptr ? std::string(message) : std::string(),
                ld_last_error_retry_after_ms());
}

// ================================================================================================
// Version
// ================================================================================================

/// The library's version string ("0.1.0"), which may differ from the header's #LD_VERSION.
inline std::string version() {
    return ld_version();
}

/// Throws ld::Conflict when the loaded library cannot serve code compiled against this header
/// (different major version, or an older minor one). Call it once at start-up.
inline void check_version() {
    check(ld_check_version(LD_VERSION_NUMBER));
}

// ================================================================================================
// Internals
// ================================================================================================

/// Implementation details; not part of the API.
namespace detail {

/// Owns a string returned by the C API and frees it with ld_string_free().
class CString {
  public:
    CString() = default;
    CString(const CString&) = delete;
    CString& operator=(const CString&) = delete;
    ~CString() { ld_string_free(p_); }
    /// The address to pass as the C function's `out` parameter.
    char** out() noexcept { return &p_; }
    /// The text ("" when NULL).
    std::string str() const { return p_ != nullptr ? std::string(p_) : std::string(); }
    /// The text parsed as JSON and decoded into T; a malformed result throws ld::InternalError.
    template <typename T>
    T as() const {
        try {
            return json::parse(p_ != nullptr ? p_ : "null").get<T>();
        } catch (const json::exception& e) {
            throw InternalError(std::string("unexpected result from the LeanDesk library: ") +
                                e.what());
        }
    }

  private:
    char* p_ = nullptr;
};

/// The deepest nesting of arrays and objects the wrapper serializes: nlohmann's dump() recurses
/// once per level, so a hostile depth would overflow the stack. The bound only keeps the wrapper
/// safe; the library itself refuses input nested more than 32 levels deep (docs/api.md).
constexpr std::size_t kMaxInputDepth = 512;

/// Throws ld::InvalidArgument when `j` nests arrays and objects more than kMaxInputDepth deep.
/// The value is walked with an explicit stack, never recursively.
inline void check_depth(const json& j) {
    if (!j.is_structured()) return;
    std::vector<std::pair<const json*, std::size_t>> todo{{&j, 1}};
    while (!todo.empty()) {
        const std::pair<const json*, std::size_t> top = todo.back();
        todo.pop_back();
        if (top.second > kMaxInputDepth) {
            throw InvalidArgument("JSON input is nested too deeply (more than " +
                                  std::to_string(kMaxInputDepth) +
                                  " levels of arrays and objects)");
        }
        for (const json& child : *top.first) {
            if (child.is_structured()) todo.emplace_back(&child, top.second + 1);
        }
    }
}

/// Serializes an input for the C API; text that is not valid UTF-8, or nested more than
/// kMaxInputDepth deep, gives ld::InvalidArgument.
inline std::string dump(const json& j) {
    check_depth(j);
    try {
        return j.dump();
    } catch (const json::exception& e) {
        throw InvalidArgument(std::string("input is not valid JSON text: ") + e.what());
    }
}

/// Reads the required member `key` of `j` into `v`.
template <typename T>
void get(const json& j, const char* key, T& v) {
    j.at(key).get_to(v);
}

/// Reads the optional member `key` (absent or null gives std::nullopt) into `v`.
template <typename T>
void get(const json& j, const char* key, std::optional<T>& v) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        v.reset();
    } else {
        v = it->template get<T>();
    }
}

/// A nullable value as JSON: the value or null.
template <typename T>
json nullable(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

/// Frees a heap-allocated callback box; passed to the C API as the ::ld_free_fn.
template <typename Box>
void free_box(void* userdata) {
    // The library hands the box back, once, when the callback is replaced or the database closes.
    const std::unique_ptr<Box> owned(static_cast<Box*>(userdata));
}

}  // namespace detail

/// Progress of long work (export, backup, restore, sync): `done` of `total` units (`total` 0 when
/// not known in advance). Return false to cancel: the call then throws ld::Cancelled and leaves
/// nothing behind. Called on the calling thread during the call; must not call LeanDesk.
using Progress = std::function<bool(std::int64_t done, std::int64_t total)>;

namespace detail {

/// Runs one C call that takes an ::ld_progress_fn, forwarding to a Progress (or none). An
/// exception thrown by the Progress cancels the work and is rethrown once the C call returned.
class ProgressCall {
  public:
    /// Forwards to `progress` (which must outlive this object).
    explicit ProgressCall(const Progress& progress) : progress_(progress) {}
    /// The function to hand to the C API (NULL without a Progress).
    ld_progress_fn fn() const noexcept { return progress_ ? &trampoline : nullptr; }
    /// The userdata to hand to the C API.
    void* userdata() noexcept { return this; }
    /// Rethrows the Progress's exception, if any, else checks `rc`.
    void finish(int rc) const {
        if (error_) std::rethrow_exception(error_);
        check(rc);
    }

  private:
    static int trampoline(std::int64_t done, std::int64_t total, void* userdata) {
        auto* self = static_cast<ProgressCall*>(userdata);
        try {
            return self->progress_(done, total) ? 0 : 1;
        } catch (...) {
            self->error_ = std::current_exception();
            return 1;
        }
    }

    const Progress& progress_;
    std::exception_ptr error_;
};

}  // namespace detail

// ================================================================================================
// Typed results
// ================================================================================================

/// A user's full record (own account, or any for the operator). Schema: docs/schema/user.
struct User {
    std::string id;                              ///< user id (UUID)
    std::string email;                           ///< login address, lower-case
    std::string first_name;                      ///< may be empty
    std::string last_name;                       ///< may be empty
    std::string display_name;                    ///< e-mail until activated, then "First Last"
    std::optional<std::string> avatar;           ///< avatar content hash
    std::string status;                          ///< "none", "bronze", "silver" or "gold"
    std::optional<std::int64_t> activated_at;    ///< ms since epoch; unset until activated
    bool deactivated = false;                    ///< set by the operator (R12)
    bool newsletter_opt_in = true;               ///< newsletter consent
    bool show_open_actions_on_dashboard = true;  ///< dashboard preference
    std::int64_t accepted_policy_version = 0;    ///< last acknowledged policy version
    std::optional<std::int64_t> last_active_at;  ///< ms since epoch
    std::int64_t created_at = 0;                 ///< ms since epoch
    /// Whether the e-mail address was verified.
    bool activated() const { return activated_at.has_value(); }
};

/// A group. Schema: docs/schema/group.
struct Group {
    std::string id;               ///< group id
    std::string name;             ///< its name
    std::string manager_id;       ///< the one manager (R2)
    std::int64_t created_at = 0;  ///< ms since epoch
};

/// A person as the caller sees them (group member, participant). Schema: person_view.
struct Person {
    std::string id;                     ///< user id
    std::string display_name;           ///< name to show (R16)
    std::string first_name;             ///< may be empty
    std::string last_name;              ///< may be empty
    std::optional<std::string> email;   ///< only where the caller may see it (R13)
    std::optional<std::string> avatar;  ///< avatar content hash
    std::string status;                 ///< "none", "bronze", "silver" or "gold"
    bool activated = false;             ///< account activated (R16)
};

/// A workflow step of a group. Schema: step.
struct Step {
    std::string id;             ///< step id
    std::string group_id;       ///< its group
    std::string name;           ///< its name
    std::int64_t position = 0;  ///< 0-based place in the workflow
    std::string kind;           ///< "open", "active" or "done"
};

/// A shared resource of a group. Schema: resource.
struct Resource {
    std::string id;                   ///< resource id
    std::string group_id;             ///< its group
    std::string name;                 ///< its name
    std::optional<std::string> url;   ///< an http(s) link
    std::optional<std::string> note;  ///< a free-text note
};

/// A project. Schema: project.
struct Project {
    std::string id;                          ///< project id
    std::string group_id;                    ///< its group
    std::string name;                        ///< its name
    std::string description;                 ///< current state; may be empty
    std::string future_state;                ///< aimed state; may be empty
    std::string owner_id;                    ///< the project owner (R5, R6)
    std::optional<std::string> start_date;   ///< YYYY-MM-DD
    std::optional<std::string> target_date;  ///< YYYY-MM-DD
    std::string status;                      ///< "active" or "closed"
    std::int64_t created_at = 0;             ///< ms since epoch
};

/// A participation in a project. Schema: participant.
struct Participant {
    std::string project_id;               ///< the project
    std::string user_id;                  ///< the participant
    std::optional<std::string> added_by;  ///< who added them
    std::int64_t added_at = 0;            ///< ms since epoch
};

/// An action of a project. Schema: action.
struct Action {
    std::string id;                           ///< action id
    std::string project_id;                   ///< its project
    std::string title;                        ///< what is to be done
    std::string description;                  ///< details; may be empty
    std::string step_id;                      ///< the workflow step it is in
    std::optional<std::string> owner_id;      ///< who does it
    std::string context;                      ///< GTD-style context; may be empty
    std::optional<std::string> due_date;      ///< YYYY-MM-DD
    int priority = 0;                         ///< 0 none .. 3 high
    int progress = 0;                         ///< percent
    std::optional<std::string> indicator_id;  ///< the indicator it moves
    std::optional<double> impact;             ///< signed effect on the indicator
    double position = 0;                      ///< order inside its step
    std::optional<std::string> created_by;    ///< its creator
    std::int64_t created_at = 0;              ///< ms since epoch
    std::int64_t updated_at = 0;              ///< ms since epoch
    std::optional<std::int64_t> done_at;      ///< when it entered a done step
    bool overdue = false;                     ///< derived: due before today and not done
};

/// A photo of an action. Schema: photo.
struct Photo {
    std::string id;                        ///< photo id
    std::string action_id;                 ///< its action
    std::string blob;                      ///< content hash; read it with Session::blob_read()
    std::string mime;                      ///< image type, from the bytes
    std::int64_t size = 0;                 ///< bytes
    std::string caption;                   ///< may be empty
    std::optional<std::int64_t> taken_at;  ///< ms since epoch
    std::optional<std::string> added_by;   ///< who added it
    std::int64_t created_at = 0;           ///< ms since epoch
};

/// A comment on an action. Schema: comment.
struct Comment {
    std::string id;                        ///< comment id
    std::string action_id;                 ///< its action
    std::optional<std::string> author_id;  ///< its author
    std::string body;                      ///< the text
    std::int64_t created_at = 0;           ///< ms since epoch
};

/// An action with its photos and comments. Schema: action_detail.
struct ActionDetail {
    Action action;                  ///< the action
    std::vector<Photo> photos;      ///< oldest first
    std::vector<Comment> comments;  ///< oldest first
};

/// A SMART indicator of a project. Schema: indicator.
struct Indicator {
    std::string id;               ///< indicator id
    std::string project_id;       ///< its project
    std::string name;             ///< what is measured
    std::string unit;             ///< unit of measure; may be empty
    double baseline = 0;          ///< value at the start
    double target = 0;            ///< value aimed for
    std::int64_t created_at = 0;  ///< ms since epoch
};

/// The measured value of an indicator in one ISO week. Schema: indicator_value.
struct IndicatorValue {
    std::string indicator_id;  ///< the indicator
    std::string week;          ///< "2026-W09"
    double actual = 0;         ///< the measured value
};

/// One week of an indicator's curve. Schema: indicator_point.
struct IndicatorPoint {
    std::string week;              ///< "2026-W09"
    double expected = 0;           ///< baseline plus impacts of the actions due by then
    std::optional<double> actual;  ///< measured value, if any
};

/// A workflow step with the project's actions in it. Schema: step_actions.
struct StepActions {
    Step step;                    ///< the step
    std::vector<Action> actions;  ///< by position
};

/// A project's review. Schema: project_review.
struct ProjectReview {
    Project project;                    ///< the project
    std::vector<StepActions> steps;     ///< every step in order with its actions
    std::vector<Person> participants;   ///< as the viewer sees them
    std::vector<Indicator> indicators;  ///< the project's indicators
};

/// One record of the change log. Schema: change.
struct Change {
    std::int64_t seq = 0;                   ///< position in the log
    std::string entity;                     ///< "action", "project", ...
    std::string entity_id;                  ///< record id (or composite id)
    std::string op;                         ///< "insert", "update" or "delete"
    std::vector<std::string> fields;        ///< fields written
    std::int64_t at = 0;                    ///< ms since epoch
    std::optional<std::string> actor;       ///< the user who acted; unset for the operator
    std::optional<std::string> group_id;    ///< the group sync bucket
    std::optional<std::string> project_id;  ///< the project sync bucket
};

/// What ld_session_info() tells about a session.
struct SessionInfo {
    std::optional<std::string> user_id;   ///< the user; unset for the operator
    std::int64_t expires_at = 0;          ///< ms since epoch
    bool policy_notice_required = false;  ///< show the privacy-policy notice, then acknowledge it
    std::int64_t policy_version = 0;      ///< the current policy version
    bool is_operator = false;             ///< an operator session
};

/// A published privacy-policy version.
struct PolicyVersion {
    std::int64_t version = 0;       ///< version number
    std::string summary;            ///< what changed
    std::int64_t published_at = 0;  ///< ms since epoch
};

/// One anonymous usage event, as passed to Database::usage_record().
struct UsageEvent {
    std::string event;         ///< "app_start", "sync", ...
    std::string platform;      ///< may be empty
    std::string os_version;    ///< may be empty
    std::string app_version;   ///< may be empty
    std::string device_class;  ///< may be empty
};

/// One row of the operator's usage report.
struct UsageCount {
    std::string event;         ///< the event
    std::string platform;      ///< platform
    std::string os_version;    ///< OS version
    std::string app_version;   ///< app version
    std::string device_class;  ///< device class
    std::int64_t count = 0;    ///< how many times
};

/// A mail the library asks the app to deliver (activation, password reset, e-mail change).
struct Mail {
    std::string to;       ///< address
    std::string to_name;  ///< display name; may be empty
    std::string subject;  ///< subject line
    std::string text;     ///< plain-text body
    std::string html;     ///< HTML body; may be empty
};

/// The input of Database::account_sign_up().
struct SignUp {
    std::string first_name;  ///< first name
    std::string last_name;   ///< last name
    std::string email;       ///< login address
    std::string password;    ///< 10 to 1024 bytes, not the e-mail
};

/// A project report (R15), as Session::project_report() renders it.
struct Report {
    std::string html;  ///< a printable, self-contained HTML page
    std::string text;  ///< the same content as plain text
};

/// Where a replica syncs (Database::open_replica()).
struct ReplicaOptions {
    std::string server_url;  ///< "https://..."; nothing else is accepted
    std::string ca_file;     ///< PEM bundle of the server's CA (intranets); empty: system store
    std::string pinned_key;  ///< "sha256//<base64>" public-key pin(s), ";"-joined; empty: none
};

/// The last failed sync, in SyncStatus.
struct SyncError {
    int code = 0;         ///< an `LD_E*` status
    std::string message;  ///< what went wrong
};

/// A replica's sync state (Database::sync_status()).
struct SyncStatus {
    std::int64_t pending = 0;   ///< commands waiting in the outbox
    std::int64_t rejected = 0;  ///< commands the server refused (kept: last 1,000)
    std::optional<std::int64_t> last_success_at;  ///< ms since the epoch of the last full sync
    std::optional<SyncError> last_error;          ///< the last failed sync; none after a success
    bool signed_in = false;                       ///< a server session is held
    std::optional<std::string> user_id;           ///< the replica's user
    std::string server_url;                       ///< the server
};

/// A command the server refused, already undone on the replica.
struct Rejection {
    std::string command_id;  ///< the id the replica gave the command
    std::string command;     ///< its name (an ld_session_execute() command)
    json args;               ///< its arguments
    int code = 0;            ///< an `LD_E*` status
    std::string rule;        ///< the refusing rule ("R9"), or empty
    std::string message;     ///< why
};

// JSON codecs of the result structs, found by nlohmann::json through ADL. They follow the JSON
// Schemas of docs/schema/ and are not part of the documented API.
/// @cond INTERNAL

inline void from_json(const json& j, User& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "email", v.email);
    detail::get(j, "first_name", v.first_name);
    detail::get(j, "last_name", v.last_name);
    detail::get(j, "display_name", v.display_name);
    detail::get(j, "avatar", v.avatar);
    detail::get(j, "status", v.status);
    detail::get(j, "activated_at", v.activated_at);
    detail::get(j, "deactivated", v.deactivated);
    detail::get(j, "newsletter_opt_in", v.newsletter_opt_in);
    detail::get(j, "show_open_actions_on_dashboard", v.show_open_actions_on_dashboard);
    detail::get(j, "accepted_policy_version", v.accepted_policy_version);
    detail::get(j, "last_active_at", v.last_active_at);
    detail::get(j, "created_at", v.created_at);
}
inline void to_json(json& j, const User& v) {
    j = json{{"id", v.id},
             {"email", v.email},
             {"first_name", v.first_name},
             {"last_name", v.last_name},
             {"display_name", v.display_name},
             {"avatar", detail::nullable(v.avatar)},
             {"status", v.status},
             {"activated_at", detail::nullable(v.activated_at)},
             {"deactivated", v.deactivated},
             {"newsletter_opt_in", v.newsletter_opt_in},
             {"show_open_actions_on_dashboard", v.show_open_actions_on_dashboard},
             {"accepted_policy_version", v.accepted_policy_version},
             {"last_active_at", detail::nullable(v.last_active_at)},
             {"created_at", v.created_at}};
}

inline void from_json(const json& j, Group& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "name", v.name);
    detail::get(j, "manager_id", v.manager_id);
    detail::get(j, "created_at", v.created_at);
}
inline void to_json(json& j, const Group& v) {
    j = json{
        {"id", v.id}, {"name", v.name}, {"manager_id", v.manager_id}, {"created_at", v.created_at}};
}

inline void from_json(const json& j, Person& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "display_name", v.display_name);
    detail::get(j, "first_name", v.first_name);
    detail::get(j, "last_name", v.last_name);
    detail::get(j, "email", v.email);
    detail::get(j, "avatar", v.avatar);
    detail::get(j, "status", v.status);
    detail::get(j, "activated", v.activated);
}
inline void to_json(json& j, const Person& v) {
    j = json{{"id", v.id},
             {"display_name", v.display_name},
             {"first_name", v.first_name},
             {"last_name", v.last_name},
             {"avatar", detail::nullable(v.avatar)},
             {"status", v.status},
             {"activated", v.activated}};
    if (v.email) j["email"] = *v.email;  // absent, not null, where it may not be seen (R13)
}

inline void from_json(const json& j, Step& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "group_id", v.group_id);
    detail::get(j, "name", v.name);
    detail::get(j, "position", v.position);
    detail::get(j, "kind", v.kind);
}
inline void to_json(json& j, const Step& v) {
    j = json{{"id", v.id},
             {"group_id", v.group_id},
             {"name", v.name},
             {"position", v.position},
             {"kind", v.kind}};
}

inline void from_json(const json& j, Resource& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "group_id", v.group_id);
    detail::get(j, "name", v.name);
    detail::get(j, "url", v.url);
    detail::get(j, "note", v.note);
}
inline void to_json(json& j, const Resource& v) {
    j = json{{"id", v.id},
             {"group_id", v.group_id},
             {"name", v.name},
             {"url", detail::nullable(v.url)},
             {"note", detail::nullable(v.note)}};
}

inline void from_json(const json& j, Project& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "group_id", v.group_id);
    detail::get(j, "name", v.name);
    detail::get(j, "description", v.description);
    detail::get(j, "future_state", v.future_state);
    detail::get(j, "owner_id", v.owner_id);
    detail::get(j, "start_date", v.start_date);
    detail::get(j, "target_date", v.target_date);
    detail::get(j, "status", v.status);
    detail::get(j, "created_at", v.created_at);
}
inline void to_json(json& j, const Project& v) {
    j = json{{"id", v.id},
             {"group_id", v.group_id},
             {"name", v.name},
             {"description", v.description},
             {"future_state", v.future_state},
             {"owner_id", v.owner_id},
             {"start_date", detail::nullable(v.start_date)},
             {"target_date", detail::nullable(v.target_date)},
             {"status", v.status},
             {"created_at", v.created_at}};
}

inline void from_json(const json& j, Participant& v) {
    detail::get(j, "project_id", v.project_id);
    detail::get(j, "user_id", v.user_id);
    detail::get(j, "added_by", v.added_by);
    detail::get(j, "added_at", v.added_at);
}
inline void to_json(json& j, const Participant& v) {
    j = json{{"project_id", v.project_id},
             {"user_id", v.user_id},
             {"added_by", detail::nullable(v.added_by)},
             {"added_at", v.added_at}};
}

inline void from_json(const json& j, Action& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "project_id", v.project_id);
    detail::get(j, "title", v.title);
    detail::get(j, "description", v.description);
    detail::get(j, "step_id", v.step_id);
    detail::get(j, "owner_id", v.owner_id);
    detail::get(j, "context", v.context);
    detail::get(j, "due_date", v.due_date);
    detail::get(j, "priority", v.priority);
    detail::get(j, "progress", v.progress);
    detail::get(j, "indicator_id", v.indicator_id);
    detail::get(j, "impact", v.impact);
    detail::get(j, "position", v.position);
    detail::get(j, "created_by", v.created_by);
    detail::get(j, "created_at", v.created_at);
    detail::get(j, "updated_at", v.updated_at);
    detail::get(j, "done_at", v.done_at);
    detail::get(j, "overdue", v.overdue);
}
inline void to_json(json& j, const Action& v) {
    j = json{{"id", v.id},
             {"project_id", v.project_id},
             {"title", v.title},
             {"description", v.description},
             {"step_id", v.step_id},
             {"owner_id", detail::nullable(v.owner_id)},
             {"context", v.context},
             {"due_date", detail::nullable(v.due_date)},
             {"priority", v.priority},
             {"progress", v.progress},
             {"indicator_id", detail::nullable(v.indicator_id)},
             {"impact", detail::nullable(v.impact)},
             {"position", v.position},
             {"created_by", detail::nullable(v.created_by)},
             {"created_at", v.created_at},
             {"updated_at", v.updated_at},
             {"done_at", detail::nullable(v.done_at)},
             {"overdue", v.overdue}};
}

inline void from_json(const json& j, Photo& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "action_id", v.action_id);
    detail::get(j, "blob", v.blob);
    detail::get(j, "mime", v.mime);
    detail::get(j, "size", v.size);
    detail::get(j, "caption", v.caption);
    detail::get(j, "taken_at", v.taken_at);
    detail::get(j, "added_by", v.added_by);
    detail::get(j, "created_at", v.created_at);
}
inline void to_json(json& j, const Photo& v) {
    j = json{{"id", v.id},
             {"action_id", v.action_id},
             {"blob", v.blob},
             {"mime", v.mime},
             {"size", v.size},
             {"caption", v.caption},
             {"taken_at", detail::nullable(v.taken_at)},
             {"added_by", detail::nullable(v.added_by)},
             {"created_at", v.created_at}};
}

inline void from_json(const json& j, Comment& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "action_id", v.action_id);
    detail::get(j, "author_id", v.author_id);
    detail::get(j, "body", v.body);
    detail::get(j, "created_at", v.created_at);
}
inline void to_json(json& j, const Comment& v) {
    j = json{{"id", v.id},
             {"action_id", v.action_id},
             {"author_id", detail::nullable(v.author_id)},
             {"body", v.body},
             {"created_at", v.created_at}};
}

inline void from_json(const json& j, ActionDetail& v) {
    detail::get(j, "action", v.action);
    detail::get(j, "photos", v.photos);
    detail::get(j, "comments", v.comments);
}
inline void to_json(json& j, const ActionDetail& v) {
    j = json{{"action", v.action}, {"photos", v.photos}, {"comments", v.comments}};
}

inline void from_json(const json& j, Indicator& v) {
    detail::get(j, "id", v.id);
    detail::get(j, "project_id", v.project_id);
    detail::get(j, "name", v.name);
    detail::get(j, "unit", v.unit);
    detail::get(j, "baseline", v.baseline);
    detail::get(j, "target", v.target);
    detail::get(j, "created_at", v.created_at);
}
inline void to_json(json& j, const Indicator& v) {
    j = json{{"id", v.id},
             {"project_id", v.project_id},
             {"name", v.name},
             {"unit", v.unit},
             {"baseline", v.baseline},
             {"target", v.target},
             {"created_at", v.created_at}};
}

inline void from_json(const json& j, IndicatorValue& v) {
    detail::get(j, "indicator_id", v.indicator_id);
    detail::get(j, "week", v.week);
    detail::get(j, "actual", v.actual);
}
inline void to_json(json& j, const IndicatorValue& v) {
    j = json{{"indicator_id", v.indicator_id}, {"week", v.week}, {"actual", v.actual}};
}

inline void from_json(const json& j, IndicatorPoint& v) {
    detail::get(j, "week", v.week);
    detail::get(j, "expected", v.expected);
    detail::get(j, "actual", v.actual);
}
inline void to_json(json& j, const IndicatorPoint& v) {
    j = json{{"week", v.week}, {"expected", v.expected}, {"actual", detail::nullable(v.actual)}};
}

inline void from_json(const json& j, StepActions& v) {
    detail::get(j, "step", v.step);
    detail::get(j, "actions", v.actions);
}
inline void to_json(json& j, const StepActions& v) {
    j = json{{"step", v.step}, {"actions", v.actions}};
}

inline void from_json(const json& j, ProjectReview& v) {
    detail::get(j, "project", v.project);
    detail::get(j, "steps", v.steps);
    detail::get(j, "participants", v.participants);
    detail::get(j, "indicators", v.indicators);
}
inline void to_json(json& j, const ProjectReview& v) {
    j = json{{"project", v.project},
             {"steps", v.steps},
             {"participants", v.participants},
             {"indicators", v.indicators}};
}

inline void from_json(const json& j, Change& v) {
    detail::get(j, "seq", v.seq);
    detail::get(j, "entity", v.entity);
    detail::get(j, "entity_id", v.entity_id);
    detail::get(j, "op", v.op);
    detail::get(j, "fields", v.fields);
    detail::get(j, "at", v.at);
    detail::get(j, "actor", v.actor);
    detail::get(j, "group_id", v.group_id);
    detail::get(j, "project_id", v.project_id);
}
inline void to_json(json& j, const Change& v) {
    j = json{{"seq", v.seq},
             {"entity", v.entity},
             {"entity_id", v.entity_id},
             {"op", v.op},
             {"fields", v.fields},
             {"at", v.at},
             {"actor", detail::nullable(v.actor)},
             {"group_id", detail::nullable(v.group_id)},
             {"project_id", detail::nullable(v.project_id)}};
}

inline void from_json(const json& j, SessionInfo& v) {
    detail::get(j, "user_id", v.user_id);
    detail::get(j, "expires_at", v.expires_at);
    detail::get(j, "policy_notice_required", v.policy_notice_required);
    detail::get(j, "policy_version", v.policy_version);
    detail::get(j, "is_operator", v.is_operator);
}
inline void to_json(json& j, const SessionInfo& v) {
    j = json{{"user_id", detail::nullable(v.user_id)},
             {"expires_at", v.expires_at},
             {"policy_notice_required", v.policy_notice_required},
             {"policy_version", v.policy_version},
             {"is_operator", v.is_operator}};
}

inline void from_json(const json& j, PolicyVersion& v) {
    detail::get(j, "version", v.version);
    detail::get(j, "summary", v.summary);
    detail::get(j, "published_at", v.published_at);
}
inline void to_json(json& j, const PolicyVersion& v) {
    j = json{{"version", v.version}, {"summary", v.summary}, {"published_at", v.published_at}};
}

inline void from_json(const json& j, UsageEvent& v) {
    detail::get(j, "event", v.event);
    v.platform = j.value("platform", "");
    v.os_version = j.value("os_version", "");
    v.app_version = j.value("app_version", "");
    v.device_class = j.value("device_class", "");
}
inline void to_json(json& j, const UsageEvent& v) {
    j = json{{"event", v.event},
             {"platform", v.platform},
             {"os_version", v.os_version},
             {"app_version", v.app_version},
             {"device_class", v.device_class}};
}

inline void from_json(const json& j, UsageCount& v) {
    detail::get(j, "event", v.event);
    detail::get(j, "platform", v.platform);
    detail::get(j, "os_version", v.os_version);
    detail::get(j, "app_version", v.app_version);
    detail::get(j, "device_class", v.device_class);
    detail::get(j, "count", v.count);
}
inline void to_json(json& j, const UsageCount& v) {
    j = json{{"event", v.event},
             {"platform", v.platform},
             {"os_version", v.os_version},
             {"app_version", v.app_version},
             {"device_class", v.device_class},
             {"count", v.count}};
}

inline void from_json(const json& j, Mail& v) {
    detail::get(j, "to", v.to);
    v.to_name = j.value("to_name", "");
    detail::get(j, "subject", v.subject);
    detail::get(j, "text", v.text);
    v.html = j.value("html", "");
}
inline void to_json(json& j, const Mail& v) {
    j = json{{"to", v.to},
             {"to_name", v.to_name},
             {"subject", v.subject},
             {"text", v.text},
             {"html", v.html}};
}

inline void from_json(const json& j, SyncError& v) {
    detail::get(j, "code", v.code);
    detail::get(j, "message", v.message);
}

inline void from_json(const json& j, SyncStatus& v) {
    detail::get(j, "pending", v.pending);
    detail::get(j, "rejected", v.rejected);
    detail::get(j, "last_success_at", v.last_success_at);
    detail::get(j, "last_error", v.last_error);
    detail::get(j, "signed_in", v.signed_in);
    detail::get(j, "user_id", v.user_id);
    detail::get(j, "server_url", v.server_url);
}

inline void from_json(const json& j, Rejection& v) {
    detail::get(j, "command_id", v.command_id);
    detail::get(j, "command", v.command);
    v.args = j.value("args", json());
    detail::get(j, "code", v.code);
    detail::get(j, "rule", v.rule);
    detail::get(j, "message", v.message);
}

inline void to_json(json& j, const SignUp& v) {
    j = json{{"first_name", v.first_name},
             {"last_name", v.last_name},
             {"email", v.email},
             {"password", v.password}};
}

/// @endcond

// ================================================================================================
// Database
// ================================================================================================

/// Log levels of Database::set_log() callbacks.
enum class LogLevel : int {
    debug = LD_LOG_DEBUG,      ///< detail
    info = LD_LOG_INFO,        ///< normal events
    warning = LD_LOG_WARNING,  ///< something unusual
    error = LD_LOG_ERROR       ///< a failure
};

class Session;

/// Keeps an observer registered; destroying it (or calling remove()) unregisters the observer.
/// Move-only. It does not keep the database open: once the database is closed it does nothing.
class ObserverToken {
  public:
    /// A token that holds nothing.
    ObserverToken() = default;
    ObserverToken(const ObserverToken&) = delete;
    ObserverToken& operator=(const ObserverToken&) = delete;
    /// Takes over `other`'s registration.
    ObserverToken(ObserverToken&& other) noexcept
        : db_(std::move(other.db_)), id_(std::exchange(other.id_, 0)) {}
    /// Unregisters the current observer, then takes over `other`'s registration.
    ObserverToken& operator=(ObserverToken&& other) noexcept {
        if (this != &other) {
            remove();
            db_ = std::move(other.db_);
            id_ = std::exchange(other.id_, 0);
        }
        return *this;
    }
    /// Unregisters the observer.
    ~ObserverToken() { remove(); }

    /// Unregisters the observer now (its callback is freed once no call of it is running). Safe
    /// to call twice, and after the database was closed. Never throws.
    void remove() noexcept {
        if (id_ == 0) return;
        if (auto db = db_.lock()) (void)ld_db_remove_observer(db.get(), id_);
        db_.reset();
        id_ = 0;
    }
    /// Lets the observer live until the database closes; the token then holds nothing.
    void detach() noexcept {
        db_.reset();
        id_ = 0;
    }
    /// The observer id of ld_db_add_observer() (0 when the token holds nothing).
    std::uint64_t id() const noexcept { return id_; }
    /// Whether the token holds a registration.
    explicit operator bool() const noexcept { return id_ != 0; }

  private:
    friend class Database;
    ObserverToken(std::weak_ptr<ld_db> db, std::uint64_t id) : db_(std::move(db)), id_(id) {}

    std::weak_ptr<ld_db> db_;
    std::uint64_t id_ = 0;
};

/// An open LeanDesk database (an ::ld_db). Move-only.
///
/// The database closes when this object and every Session made from it are destroyed (or after
/// close()). Callbacks (mail sender, log, clock, observers) are std::function objects owned by the
/// library and freed when replaced or when the database closes; a callback must therefore not own
/// a Session or Database of the same database, or the database can never close.
class Database {
  public:
    /// Mail sender: delivers one mail; throwing any exception reports failure, and the operation
    /// that wanted to send the mail then fails with ld::IoError. Runs inside the operation's
    /// transaction on the calling thread: it must not call LeanDesk.
    using MailSender = std::function<void(const Mail&)>;
    /// Log sink: one line, holding no secret. Runs on the logging thread; must not call LeanDesk.
    using LogSink = std::function<void(LogLevel, const std::string&)>;
    /// Clock: milliseconds since the Unix epoch. Must not call LeanDesk. If it throws, the system
    /// clock is used for that reading.
    using Clock = std::function<std::int64_t()>;
    /// Observer: the changes of one committed unit of work, on the committing thread after the
    /// commit. It may call LeanDesk. Exceptions it throws are swallowed.
    using Observer = std::function<void(const std::vector<Change>&)>;

    /// Opens (creating and migrating when needed) the database at `path` (":memory:" for a
    /// temporary one) with the options of ld_db_open() as a JSON object (null for none), e.g.
    /// `{{"session_lifetime_ms", 3600000}}`. Throws ld::InvalidArgument, ld::IoError, ...
    explicit Database(const std::string& path, const json& options = json::object()) {
        ld_db* raw = nullptr;
        const std::string text = options.is_null() ? std::string() : detail::dump(options);
        check(ld_db_open(&raw, path.c_str(), options.is_null() ? nullptr : text.c_str()));
        db_ = std::shared_ptr<ld_db>(raw, &ld_db_close);
    }
    /// The same as the constructor, reading like the C API.
    static Database open(const std::string& path, const json& options = json::object()) {
        return Database(path, options);
    }
    /// Opens (creating if needed) the database at `path` as a replica of a LeanDesk server
    /// (ld_sync_open()); `options` as for the constructor. Sign in with Session::sync_sign_in().
    /// Throws ld::InvalidArgument (not an https URL), ld::Conflict (a replica of another server, or
    /// local data never synced), and what the constructor throws.
    static Database open_replica(const std::string& path, const ReplicaOptions& replica,
                                 const json& options = json::object()) {
        ld_db* raw = nullptr;
        const std::string text = options.is_null() ? std::string() : detail::dump(options);
        check(ld_sync_open(&raw, path.c_str(), options.is_null() ? nullptr : text.c_str(),
                           replica.server_url.c_str(),
                           replica.ca_file.empty() ? nullptr : replica.ca_file.c_str(),
                           replica.pinned_key.empty() ? nullptr : replica.pinned_key.c_str()));
        Database db;
        db.db_ = std::shared_ptr<ld_db>(raw, &ld_db_close);
        return db;
    }

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    /// Takes over `other`'s handle; `other` is then closed (is_open() false).
    Database(Database&&) noexcept = default;
    /// Releases this handle (see close()), then takes over `other`'s.
    Database& operator=(Database&&) noexcept = default;
    /// Releases the handle (see close()).
    ~Database() = default;

    /// Releases this object's hold on the database: it closes now unless Sessions made from it
    /// still live (then when the last of them goes). Afterwards calls through this object throw
    /// ld::InvalidArgument.
    void close() noexcept { db_.reset(); }
    /// Whether this object still holds the database.
    bool is_open() const noexcept { return db_ != nullptr; }
    /// The C handle, for calling the C API directly (NULL after close()). Do not close it.
    ld_db* handle() const noexcept { return db_.get(); }

    // ---- configuration and callbacks --------------------------------------------------------

    /// Sets the mail sender (an empty function removes it). Sign-up and password resets need one.
    void set_mail_sender(MailSender sender) const {
        if (!sender) {
            check(ld_db_set_mail_sender(handle(), nullptr, nullptr, nullptr));
            return;
        }
        ld_db* const db = live();  // first: a closed database must not take the box
        std::unique_ptr<MailSender> box(new MailSender(std::move(sender)));
        // From here the library owns the box and frees it when the callback is replaced.
        check(ld_db_set_mail_sender(db, &mail_trampoline, box.release(),
                                    &detail::free_box<MailSender>));
    }

    /// Sets the log sink (an empty function removes it).
    void set_log(LogSink sink) const {
        if (!sink) {
            check(ld_db_set_log(handle(), nullptr, nullptr, nullptr));
            return;
        }
        ld_db* const db = live();  // first: a closed database must not take the box
        std::unique_ptr<LogSink> box(new LogSink(std::move(sink)));
        // From here the library owns the box and frees it when the callback is replaced.
        check(ld_db_set_log(db, &log_trampoline, box.release(), &detail::free_box<LogSink>));
    }

    /// Replaces the clock (an empty function restores the system clock). For tests: expiries,
    /// idle timeouts and rate-limit windows follow the injected time.
    void set_clock(Clock clock) const {
        if (!clock) {
            check(ld_db_set_clock(handle(), nullptr, nullptr, nullptr));
            return;
        }
        ld_db* const db = live();  // first: a closed database must not take the box
        std::unique_ptr<Clock> box(new Clock(std::move(clock)));
        // From here the library owns the box and frees it when the callback is replaced.
        check(ld_db_set_clock(db, &clock_trampoline, box.release(), &detail::free_box<Clock>));
    }

    /// Registers an observer of committed changes; it stays registered while the returned token
    /// lives (so do not discard it).
    [[nodiscard]] ObserverToken add_observer(Observer observer) const {
        if (!observer) throw InvalidArgument("add_observer: the observer must not be empty");
        ld_db* const db = live();  // first: a closed database must not take the box
        std::unique_ptr<Observer> box(new Observer(std::move(observer)));
        std::uint64_t id = 0;
        // From here the library owns the box and frees it when the observer is removed.
        check(ld_db_add_observer(&id, db, &observer_trampoline, box.release(),
                                 &detail::free_box<Observer>));
        return ObserverToken(db_, id);
    }

    /// The change log after `after_seq`, oldest first, at most `limit` records.
    std::vector<Change> changes_since(std::int64_t after_seq, std::int64_t limit = 1000) const {
        detail::CString out;
        check(ld_db_changes_since(out.out(), handle(), after_seq, limit));
        return out.as<std::vector<Change>>();
    }

    /// How the store is set up (schema_version, journal_mode, ...).
    json storage_info() const {
        detail::CString out;
        check(ld_db_storage_info(out.out(), handle()));
        return out.as<json>();
    }

    /// Moves the write-ahead log into the database file and truncates it.
    void checkpoint() const { check(ld_db_checkpoint(handle())); }

    // ---- accounts (no session needed) -------------------------------------------------------

    /// Creates an account from {first_name, last_name, email, password} and mails the activation
    /// code. Throws ld::InvalidArgument, ld::Conflict (account exists), ld::IoError (no sender).
    User account_sign_up(const json& input) const {
        detail::CString out;
        check(ld_account_sign_up(out.out(), handle(), detail::dump(input).c_str()));
        return out.as<User>();
    }
    /// account_sign_up() from a SignUp.
    User account_sign_up(const SignUp& input) const { return account_sign_up(json(input)); }

    /// Mails a fresh activation code (silently ignores unknown or activated addresses).
    void account_resend_activation(const std::string& email) const {
        check(ld_account_resend_activation(handle(), email.c_str()));
    }

    /// Consumes an activation or e-mail-change code. Throws ld::AuthFailed for a bad code.
    User account_activate(const std::string& code) const {
        detail::CString out;
        check(ld_account_activate(out.out(), handle(), code.c_str()));
        return out.as<User>();
    }

    /// Mails a password-reset code (silently ignores unknown addresses).
    void account_request_password_reset(const std::string& email) const {
        check(ld_account_request_password_reset(handle(), email.c_str()));
    }

    /// Sets a new password with a reset code; ends every session of the user.
    void account_reset_password(const std::string& code, const std::string& new_password) const {
        check(ld_account_reset_password(handle(), code.c_str(), new_password.c_str()));
    }

    /// Sets the operator secret (at least 16 characters); `current` empty the first time.
    void operator_set_secret(const std::string& current, const std::string& new_secret) const {
        check(ld_operator_set_secret(handle(), current.c_str(), new_secret.c_str()));
    }

    // ---- anonymous usage figures ------------------------------------------------------------

    /// Counts one anonymous event unless figures are turned off.
    void usage_record(const UsageEvent& event) const {
        check(ld_usage_record(handle(), detail::dump(json(event)).c_str()));
    }
    /// Turns the usage figures on or off for this database.
    void usage_set_enabled(bool enabled) const {
        check(ld_usage_set_enabled(handle(), enabled ? 1 : 0));
    }
    /// Whether the usage figures are on.
    bool usage_enabled() const {
        int on = 0;
        check(ld_usage_enabled(&on, handle()));
        return on != 0;
    }

    // ---- sync (replicas only: ld::InvalidArgument otherwise) -----------------------------------

    /// Receives each command the server refused (already undone on the replica), on the thread of
    /// sync_now(). Must not call sync_now(). Exceptions it throws are swallowed.
    using RejectionHandler = std::function<void(const Rejection&)>;

    /// Pushes the outbox, then pulls every change the user may see (ld_sync_now()); blocks until
    /// done. `progress` counts commands pushed plus rows pulled (`total` 0). Throws
    /// ld::SessionExpired / ld::NotSignedIn (sign in again with Session::sync_sign_in(); the
    /// outbox is kept), ld::NetworkError (after retries), ld::Cancelled.
    void sync_now(const Progress& progress = {}) const {
        detail::ProgressCall call(progress);
        call.finish(ld_sync_now(live(), call.fn(), call.userdata()));
    }
    /// Asks a running sync_now() (on any thread) to stop at its next batch.
    void sync_cancel() const { check(ld_sync_cancel(live())); }
    /// Pending commands, last success, last error, server and user.
    SyncStatus sync_status() const {
        detail::CString out;
        check(ld_sync_status(out.out(), live()));
        return out.as<SyncStatus>();
    }
    /// Sets the handler told of rejected commands (an empty function removes it).
    void set_rejection_handler(RejectionHandler handler) const {
        if (!handler) {
            check(ld_sync_set_rejection_callback(live(), nullptr, nullptr, nullptr));
            return;
        }
        ld_db* const db = live();
        std::unique_ptr<RejectionHandler> box(new RejectionHandler(std::move(handler)));
        check(ld_sync_set_rejection_callback(db, &rejection_trampoline, box.release(),
                                             &detail::free_box<RejectionHandler>));
    }

  private:
    Database() = default;  // for open_replica()
    friend class Session;

    // The handle, or ld::InvalidArgument once closed (before a callback box changes hands).
    ld_db* live() const {
        if (!db_) throw InvalidArgument("the database is closed");
        return db_.get();
    }

    static int mail_trampoline(const char* mail_json, void* userdata) {
        try {
            const Mail mail = json::parse(mail_json).get<Mail>();
            (*static_cast<MailSender*>(userdata))(mail);
            return 0;
        } catch (...) {
            return 1;
        }
    }
    static void log_trampoline(int level, const char* message, void* userdata) {
        try {
            (*static_cast<LogSink*>(userdata))(static_cast<LogLevel>(level), message);
        } catch (...) {  // a log line is not worth failing an operation for
        }
    }
    static std::int64_t clock_trampoline(void* userdata) {
        try {
            return (*static_cast<Clock*>(userdata))();
        } catch (...) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                .count();
        }
    }
    static void rejection_trampoline(const char* rejection_json, void* userdata) {
        try {
            const Rejection rejection = json::parse(rejection_json).get<Rejection>();
            (*static_cast<RejectionHandler*>(userdata))(rejection);
        } catch (...) {  // the sync goes on; the rejection stays counted in sync_status()
        }
    }
    static void observer_trampoline(const char* changes_json, void* userdata) {
        try {
            const auto changes = json::parse(changes_json).get<std::vector<Change>>();
            (*static_cast<Observer*>(userdata))(changes);
        } catch (...) {  // nothing can be reported back to the committing call
        }
    }

    std::shared_ptr<ld_db> db_;
};

// ================================================================================================
// Session
// ================================================================================================

/// A signed-in user, or the operator, on a database (an ::ld_session). Move-only.
///
/// Destroying a Session frees the handle but leaves the session valid on the database (its token
/// can resume it); call sign_out() to end it. A Session keeps its database open.
class Session {
  public:
    /// Signs in with e-mail and password. Throws ld::AuthFailed (same answer for an unknown
    /// e-mail and a wrong password), ld::RateLimited, ld::PermissionDenied (R12: deactivated).
    static Session sign_in(const Database& db, const std::string& email,
                           const std::string& password) {
        ld_session* raw = nullptr;
        check(ld_session_sign_in(&raw, db.handle(), email.c_str(), password.c_str()));
        return Session(db.db_, raw);
    }
    /// Resumes a session from its token. Throws ld::SessionExpired or ld::NotSignedIn.
    static Session resume(const Database& db, const std::string& token) {
        ld_session* raw = nullptr;
        check(ld_session_resume(&raw, db.handle(), token.c_str()));
        return Session(db.db_, raw);
    }
    /// Signs the operator in with the operator secret. Throws ld::AuthFailed.
    static Session operator_sign_in(const Database& db, const std::string& secret) {
        ld_session* raw = nullptr;
        check(ld_operator_sign_in(&raw, db.handle(), secret.c_str()));
        return Session(db.db_, raw);
    }
    /// Signs in on the replica's server (ld_sync_sign_in()) and opens the local session of that
    /// user on the replica. Throws ld::AuthFailed, ld::NetworkError (unreachable, or a
    /// certificate that is not trusted), ld::Conflict (another user's replica), ld::InvalidArgument
    /// (not a replica).
    static Session sync_sign_in(const Database& replica, const std::string& email,
                                const std::string& password) {
        ld_session* raw = nullptr;
        check(ld_sync_sign_in(&raw, replica.live(), email.c_str(), password.c_str()));
        return Session(replica.db_, raw);
    }

    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    /// Takes over `other`'s handle; `other` then holds nothing.
    Session(Session&&) noexcept = default;
    /// Frees this handle, then takes over `other`'s.
    Session& operator=(Session&& other) noexcept {
        if (this != &other) {
            session_.reset();  // before the database it may be the last holder of
            db_ = std::move(other.db_);
            session_ = std::move(other.session_);
        }
        return *this;
    }
    /// Frees the handle (the session stays valid; see sign_out()).
    ~Session() = default;

    /// The C handle (NULL once moved from). Do not free it.
    ld_session* handle() const noexcept { return session_.get(); }
    /// Whether this object holds a handle.
    explicit operator bool() const noexcept { return session_ != nullptr; }

    // ---- the session ------------------------------------------------------------------------

    /// Ends the session on the database; later calls with it throw ld::SessionExpired.
    void sign_out() const { check(ld_session_sign_out(handle())); }
    /// The secret token for resume(); keep it in secure storage and never log it.
    std::string token() const {
        detail::CString out;
        check(ld_session_token(out.out(), handle()));
        return out.str();
    }
    /// The session's user, expiry, policy notice and operator flag.
    SessionInfo info() const {
        detail::CString out;
        check(ld_session_info(out.out(), handle()));
        return out.as<SessionInfo>();
    }
    /// Runs any command or query by name (docs/api.md) with JSON arguments.
    json execute(const std::string& command, const json& args = json::object()) const {
        detail::CString out;
        check(ld_session_execute(out.out(), handle(), command.c_str(), detail::dump(args).c_str()));
        return out.as<json>();
    }

    // ---- my account (R11) -------------------------------------------------------------------

    /// The signed-in user's own record.
    User me_get() const {
        detail::CString out;
        check(ld_me_get(out.out(), handle()));
        return out.as<User>();
    }
    /// Edits the own profile: {first_name, last_name, newsletter_opt_in,
    /// show_open_actions_on_dashboard}.
    User me_update(const json& patch) const { return call_json<User>(ld_me_update, patch); }
    /// Mails a confirmation code to a new address (applied by Database::account_activate()).
    void me_request_email_change(const std::string& new_email) const {
        check(ld_me_request_email_change(handle(), new_email.c_str()));
    }
    /// Changes the password and ends every other session of the user.
    void me_change_password(const std::string& current_password,
                            const std::string& new_password) const {
        check(ld_me_change_password(handle(), current_password.c_str(), new_password.c_str()));
    }
    /// Sets the avatar from image bytes, or removes it when `image` is empty.
    User me_set_avatar(const std::vector<std::uint8_t>& image) const {
        detail::CString out;
        check(ld_me_set_avatar(out.out(), handle(), image.empty() ? nullptr : image.data(),
                               image.size()));
        return out.as<User>();
    }
    /// Acknowledges the privacy-policy notice of `version`.
    User me_acknowledge_policy(std::int64_t version) const {
        detail::CString out;
        check(ld_me_acknowledge_policy(out.out(), handle(), version));
        return out.as<User>();
    }
    /// Deletes the own account (password required); the session ends.
    void me_delete_account(const std::string& password) const {
        check(ld_me_delete_account(handle(), password.c_str()));
    }
    /// The user's actions across projects, late and soon-due first.
    std::vector<Action> dashboard_get() const {
        detail::CString out;
        check(ld_dashboard_get(out.out(), handle()));
        return out.as<std::vector<Action>>();
    }

    // ---- groups, members, steps, resources (R1–R4, R13) -------------------------------------

    /// Creates a group {id?, name}; the caller becomes its manager (R1).
    Group group_create(const json& input) const { return call_json<Group>(ld_group_create, input); }
    /// A group the caller is a member of.
    Group group_get(const std::string& group_id) const {
        return call_id<Group>(ld_group_get, group_id);
    }
    /// The caller's groups.
    std::vector<Group> group_list() const {
        detail::CString out;
        check(ld_group_list(out.out(), handle()));
        return out.as<std::vector<Group>>();
    }
    /// Renames a group: {name} (manager only, R2).
    Group group_update(const std::string& group_id, const json& patch) const {
        return call_id_json<Group>(ld_group_update, group_id, patch);
    }
    /// Deletes the group and everything in it, permanently (R2, R14).
    void group_delete(const std::string& group_id) const {
        check(ld_group_delete(handle(), group_id.c_str()));
    }
    /// The group's members as people (e-mail only where visible, R13).
    std::vector<Person> group_members(const std::string& group_id) const {
        return call_id<std::vector<Person>>(ld_group_members, group_id);
    }
    /// Adds a member by e-mail (manager only, R2; unknown addresses become people, R16).
    Person group_add_member(const std::string& group_id, const std::string& email) const {
        return call_id_text<Person>(ld_group_add_member, group_id, email);
    }
    /// Removes a member (manager only, R2, R3, R4).
    void group_remove_member(const std::string& group_id, const std::string& user_id) const {
        check(ld_group_remove_member(handle(), group_id.c_str(), user_id.c_str()));
    }
    /// Leaves the group and its projects (R3, R4).
    void group_leave(const std::string& group_id) const {
        check(ld_group_leave(handle(), group_id.c_str()));
    }
    /// Hands the manager role to another member (R2).
    Group group_transfer(const std::string& group_id, const std::string& new_manager_id) const {
        return call_id_text<Group>(ld_group_transfer, group_id, new_manager_id);
    }
    /// The group's projects the caller may see (all for the manager, R7).
    std::vector<Project> group_projects(const std::string& group_id) const {
        return call_id<std::vector<Project>>(ld_group_projects, group_id);
    }

    /// The group's workflow steps in order.
    std::vector<Step> step_list(const std::string& group_id) const {
        return call_id<std::vector<Step>>(ld_step_list, group_id);
    }
    /// Adds a step {id?, name, kind} at the end (R2).
    Step step_add(const std::string& group_id, const json& input) const {
        return call_id_json<Step>(ld_step_add, group_id, input);
    }
    /// Renames a step or changes its kind: {name, kind} (R2).
    Step step_update(const std::string& step_id, const json& patch) const {
        return call_id_json<Step>(ld_step_update, step_id, patch);
    }
    /// Moves a step to `position` (0-based); returns the new order (R2).
    std::vector<Step> step_move(const std::string& step_id, std::int64_t position) const {
        detail::CString out;
        check(ld_step_move(out.out(), handle(), step_id.c_str(), position));
        return out.as<std::vector<Step>>();
    }
    /// Removes an unused step (R2). Throws ld::Conflict while actions are in it.
    void step_remove(const std::string& step_id) const {
        check(ld_step_remove(handle(), step_id.c_str()));
    }

    /// The group's shared resources.
    std::vector<Resource> resource_list(const std::string& group_id) const {
        return call_id<std::vector<Resource>>(ld_resource_list, group_id);
    }
    /// Adds a resource {id?, name, url?, note?} (R2).
    Resource resource_add(const std::string& group_id, const json& input) const {
        return call_id_json<Resource>(ld_resource_add, group_id, input);
    }
    /// Edits a resource {name, url, note} (R2).
    Resource resource_update(const std::string& resource_id, const json& patch) const {
        return call_id_json<Resource>(ld_resource_update, resource_id, patch);
    }
    /// Removes a resource (R2).
    void resource_remove(const std::string& resource_id) const {
        check(ld_resource_remove(handle(), resource_id.c_str()));
    }

    // ---- projects and participants (R5–R8, R15) ---------------------------------------------

    /// Creates a project {id?, group_id, name, description?, future_state?, start_date?,
    /// target_date?}; the caller owns it (R5).
    Project project_create(const json& input) const {
        return call_json<Project>(ld_project_create, input);
    }
    /// A project the caller may read (R7, R8).
    Project project_get(const std::string& project_id) const {
        return call_id<Project>(ld_project_get, project_id);
    }
    /// The projects the caller takes part in.
    std::vector<Project> project_list() const {
        detail::CString out;
        check(ld_project_list(out.out(), handle()));
        return out.as<std::vector<Project>>();
    }
    /// Edits {name, description, future_state, start_date, target_date, status}.
    Project project_update(const std::string& project_id, const json& patch) const {
        return call_id_json<Project>(ld_project_update, project_id, patch);
    }
    /// Deletes the project and everything in it, permanently (R7, R14).
    void project_delete(const std::string& project_id) const {
        check(ld_project_delete(handle(), project_id.c_str()));
    }
    /// The participants as people, with e-mail (R8).
    std::vector<Person> project_participants(const std::string& project_id) const {
        return call_id<std::vector<Person>>(ld_project_participants, project_id);
    }
    /// Adds a group member as participant (owner or group manager, R6).
    Participant project_add_participant(const std::string& project_id,
                                        const std::string& user_id) const {
        return call_id_text<Participant>(ld_project_add_participant, project_id, user_id);
    }
    /// Removes a participant (owner or group manager, R6).
    void project_remove_participant(const std::string& project_id,
                                    const std::string& user_id) const {
        check(ld_project_remove_participant(handle(), project_id.c_str(), user_id.c_str()));
    }
    /// Leaves the project (R6).
    void project_leave(const std::string& project_id) const {
        check(ld_project_leave(handle(), project_id.c_str()));
    }
    /// Hands ownership to another participant (R6).
    Project project_transfer(const std::string& project_id, const std::string& new_owner_id) const {
        return call_id_text<Project>(ld_project_transfer, project_id, new_owner_id);
    }
    /// All actions of the project in workflow order.
    std::vector<Action> project_actions(const std::string& project_id) const {
        return call_id<std::vector<Action>>(ld_project_actions, project_id);
    }
    /// The review: the project, every step with its actions, participants, indicators.
    ProjectReview project_review(const std::string& project_id) const {
        return call_id<ProjectReview>(ld_project_review, project_id);
    }
    /// The project's indicators.
    std::vector<Indicator> project_indicators(const std::string& project_id) const {
        return call_id<std::vector<Indicator>>(ld_project_indicators, project_id);
    }
    /// Checks who a report may be sent to (R15); returns them as people with e-mail.
    std::vector<Person> project_report_recipients(
        const std::string& project_id, const std::vector<std::string>& recipient_ids) const {
        detail::CString out;
        check(ld_project_report_recipients(out.out(), handle(), project_id.c_str(),
                                           detail::dump(json(recipient_ids)).c_str()));
        return out.as<std::vector<Person>>();
    }

    // ---- actions, comments, indicators, photos (R9) -----------------------------------------

    /// Creates an action {id?, project_id, title, description?, step_id?, owner_id?, context?,
    /// due_date?, priority?, progress?, indicator_id?, impact?} (participants only, R9).
    Action action_create(const json& input) const {
        return call_json<Action>(ld_action_create, input);
    }
    /// An action with its photos and comments.
    ActionDetail action_get(const std::string& action_id) const {
        return call_id<ActionDetail>(ld_action_get, action_id);
    }
    /// Edits any field but id and project_id; null clears an optional one.
    Action action_update(const std::string& action_id, const json& patch) const {
        return call_id_json<Action>(ld_action_update, action_id, patch);
    }
    /// Moves the action to `step_id`, before `before_action_id` (unset: last).
    Action action_move(const std::string& action_id, const std::string& step_id,
                       const std::optional<std::string>& before_action_id = std::nullopt) const {
        detail::CString out;
        check(ld_action_move(out.out(), handle(), action_id.c_str(), step_id.c_str(),
                             before_action_id ? before_action_id->c_str() : nullptr));
        return out.as<Action>();
    }
    /// Deletes the action, its photos and comments, permanently (R14).
    void action_delete(const std::string& action_id) const {
        check(ld_action_delete(handle(), action_id.c_str()));
    }

    /// Adds a comment {id?, body} to an action.
    Comment comment_add(const std::string& action_id, const json& input) const {
        return call_id_json<Comment>(ld_comment_add, action_id, input);
    }
    /// Deletes one of the caller's own comments.
    void comment_delete(const std::string& comment_id) const {
        check(ld_comment_delete(handle(), comment_id.c_str()));
    }

    /// Creates an indicator {id?, project_id, name, unit?, baseline?, target?}.
    Indicator indicator_create(const json& input) const {
        return call_json<Indicator>(ld_indicator_create, input);
    }
    /// Edits {name, unit, baseline, target}.
    Indicator indicator_update(const std::string& indicator_id, const json& patch) const {
        return call_id_json<Indicator>(ld_indicator_update, indicator_id, patch);
    }
    /// Deletes the indicator and its values.
    void indicator_delete(const std::string& indicator_id) const {
        check(ld_indicator_delete(handle(), indicator_id.c_str()));
    }
    /// Records the actual value of ISO week `week` ("2026-W09").
    IndicatorValue indicator_set_value(const std::string& indicator_id, const std::string& week,
                                       double actual) const {
        detail::CString out;
        check(ld_indicator_set_value(out.out(), handle(), indicator_id.c_str(), week.c_str(),
                                     actual));
        return out.as<IndicatorValue>();
    }
    /// Removes the value of `week`.
    void indicator_clear_value(const std::string& indicator_id, const std::string& week) const {
        check(ld_indicator_clear_value(handle(), indicator_id.c_str(), week.c_str()));
    }
    /// The weekly curve of expected and actual values.
    std::vector<IndicatorPoint> indicator_curve(const std::string& indicator_id) const {
        return call_id<std::vector<IndicatorPoint>>(ld_indicator_curve, indicator_id);
    }

    /// Adds a photo to an action from image bytes with {id?, caption?, taken_at?} (or null).
    Photo photo_add(const std::string& action_id, const std::vector<std::uint8_t>& image,
                    const json& input = nullptr) const {
        detail::CString out;
        const std::string text = input.is_null() ? std::string() : detail::dump(input);
        check(ld_photo_add(out.out(), handle(), action_id.c_str(),
                           image.empty() ? nullptr : image.data(), image.size(),
                           input.is_null() ? nullptr : text.c_str()));
        return out.as<Photo>();
    }
    /// Removes a photo.
    void photo_remove(const std::string& photo_id) const {
        check(ld_photo_remove(handle(), photo_id.c_str()));
    }
    /// The bytes of a photo or avatar by content hash (ld::NotFound unless visible).
    std::vector<std::uint8_t> blob_read(const std::string& hash) const {
        std::uint8_t* bytes = nullptr;
        std::size_t size = 0;
        check(ld_blob_read(&bytes, &size, handle(), hash.c_str()));
        std::unique_ptr<std::uint8_t, void (*)(std::uint8_t*)> owned(bytes, &ld_bytes_free);
        return std::vector<std::uint8_t>(bytes, bytes + size);
    }

    // ---- the operator (R12) -----------------------------------------------------------------

    /// Any user's full record.
    User operator_get_user(const std::string& user_id) const {
        return call_id<User>(ld_operator_get_user, user_id);
    }
    /// Sets a user's status: "none", "bronze", "silver" or "gold".
    User operator_set_user_status(const std::string& user_id, const std::string& status) const {
        return call_id_text<User>(ld_operator_set_user_status, user_id, status);
    }
    /// Deactivates (every session of the user ends) or reactivates an account.
    User operator_set_user_deactivated(const std::string& user_id, bool deactivated) const {
        detail::CString out;
        check(ld_operator_set_user_deactivated(out.out(), handle(), user_id.c_str(),
                                               deactivated ? 1 : 0));
        return out.as<User>();
    }
    /// Changes a user's login e-mail. Throws ld::Conflict when the address is in use.
    User operator_change_login_email(const std::string& user_id, const std::string& email) const {
        return call_id_text<User>(ld_operator_change_login_email, user_id, email);
    }
    /// Mails the user a reset code and ends their sessions.
    void operator_reset_password(const std::string& user_id) const {
        check(ld_operator_reset_password(handle(), user_id.c_str()));
    }
    /// Publishes a new privacy-policy version with a summary.
    PolicyVersion operator_publish_policy(const std::string& summary) const {
        return call_id<PolicyVersion>(ld_operator_publish_policy, summary);
    }
    /// Users active in the last three months.
    std::vector<User> operator_active_users() const {
        detail::CString out;
        check(ld_operator_active_users(out.out(), handle()));
        return out.as<std::vector<User>>();
    }
    /// Activated, active users who consented to the newsletter.
    std::vector<User> operator_newsletter_recipients() const {
        detail::CString out;
        check(ld_operator_newsletter_recipients(out.out(), handle()));
        return out.as<std::vector<User>>();
    }
    /// The anonymous usage figures.
    std::vector<UsageCount> operator_usage_report() const {
        detail::CString out;
        check(ld_operator_usage_report(out.out(), handle()));
        return out.as<std::vector<UsageCount>>();
    }

    // ---- export, backup, reports (export.h) -------------------------------------------------

    /// Writes the group's spreadsheet to `path` (.xlsx; R10: the group manager only). The file
    /// appears whole or not at all. Throws ld::PermissionDenied, ld::NotFound, ld::IoError,
    /// ld::Cancelled.
    void group_export_xlsx(const std::string& group_id, const std::string& path,
                           const Progress& progress = {}) const {
        detail::ProgressCall call(progress);
        call.finish(ld_group_export_xlsx(handle(), group_id.c_str(), path.c_str(), call.fn(),
                                         call.userdata()));
    }
    /// Writes a full backup of the group, photos included, into the new folder `folder`
    /// (docs/backup-format.md). Throws ld::PermissionDenied, ld::Conflict (the folder exists),
    /// ld::IoError, ld::Cancelled.
    void group_backup(const std::string& group_id, const std::string& folder,
                      const Progress& progress = {}) const {
        detail::ProgressCall call(progress);
        call.finish(ld_group_backup(handle(), group_id.c_str(), folder.c_str(), call.fn(),
                                    call.userdata()));
    }
    /// Restores a backup folder as a new group managed by this user; returns it. A damaged or
    /// hostile backup throws ld::Corrupt and changes nothing.
    Group group_restore(const std::string& folder, const Progress& progress = {}) const {
        detail::ProgressCall call(progress);
        detail::CString out;
        call.finish(
            ld_group_restore(out.out(), handle(), folder.c_str(), call.fn(), call.userdata()));
        return out.as<Group>();
    }
    /// Renders the project report (R15) as HTML and as plain text.
    Report project_report(const std::string& project_id) const {
        detail::CString html;
        detail::CString text;
        check(ld_project_report(html.out(), text.out(), handle(), project_id.c_str()));
        return Report{html.str(), text.str()};
    }
    /// E-mails the project report to participants (R15), activated or not. Throws
    /// ld::PermissionDenied (R15), ld::NetworkError, ld::IoError (no mail sender).
    void project_report_send(const std::string& project_id,
                             const std::vector<std::string>& recipient_ids) const {
        const std::string ids = detail::dump(json(recipient_ids));
        check(ld_project_report_send(handle(), project_id.c_str(), ids.c_str()));
    }

  private:
    struct Free {
        void operator()(ld_session* s) const noexcept { ld_session_free(s); }
    };

    Session(std::shared_ptr<ld_db> db, ld_session* session)
        : db_(std::move(db)), session_(session) {}

    // Calls `fn(out, session, json)` and decodes the result.
    template <typename T>
    T call_json(int (*fn)(char**, ld_session*, const char*), const json& input) const {
        detail::CString out;
        check(fn(out.out(), handle(), detail::dump(input).c_str()));
        return out.as<T>();
    }
    // Calls `fn(out, session, id)` and decodes the result.
    template <typename T>
    T call_id(int (*fn)(char**, ld_session*, const char*), const std::string& id) const {
        detail::CString out;
        check(fn(out.out(), handle(), id.c_str()));
        return out.as<T>();
    }
    // Calls `fn(out, session, id, json)` and decodes the result.
    template <typename T>
    T call_id_json(int (*fn)(char**, ld_session*, const char*, const char*), const std::string& id,
                   const json& input) const {
        detail::CString out;
        check(fn(out.out(), handle(), id.c_str(), detail::dump(input).c_str()));
        return out.as<T>();
    }
    // Calls `fn(out, session, id, text)` and decodes the result.
    template <typename T>
    T call_id_text(int (*fn)(char**, ld_session*, const char*, const char*), const std::string& id,
                   const std::string& text) const {
        detail::CString out;
        check(fn(out.out(), handle(), id.c_str(), text.c_str()));
        return out.as<T>();
    }

    std::shared_ptr<ld_db> db_;  // declared first: the session handle is freed before the db
    std::unique_ptr<ld_session, Free> session_;
};

}  // namespace ld

#endif  // LEANDESK_HPP
