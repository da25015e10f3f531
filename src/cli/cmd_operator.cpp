// The operator's commands (R12): operator set-secret | signin, user ..., users ....
#include <iostream>

#include "cli.hpp"

namespace cli {
namespace {

// A user given by id, or by e-mail among the users the operator can list (the C API has no
// look-up by e-mail: only recently active users are found that way).
std::string resolve_user(const ld::Session& op, const std::string& arg) {
    if (arg.find('@') == std::string::npos) return arg;
    std::string wanted = arg;
    for (char& c : wanted) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (const auto& u : op.operator_active_users()) {
        if (u.email == wanted) return u.id;
    }
    throw ld::NotFound("no recently active user has the e-mail " + arg + "; pass the user id");
}

void print_users(const Context& ctx, const std::vector<ld::User>& users) {
    if (ctx.json()) return Context::print_json(users);
    std::vector<std::vector<std::string>> rows{{"ID", "E-MAIL", "NAME", "STATUS", "STATE"}};
    for (const auto& u : users) {
        rows.push_back(
            {u.id, u.email, u.display_name, u.status,
             u.deactivated ? "deactivated" : (u.activated() ? "active" : "not activated")});
    }
    print_table(rows);
}

void set_secret(Context& ctx, const Args& a) {
    const std::string current =
        a.has("first") ? std::string()
                       : read_secret("LEANDESK_OPERATOR_SECRET", "Current operator secret", false);
    const std::string next =
        read_secret("LEANDESK_NEW_OPERATOR_SECRET", "New operator secret", true);
    ctx.db().operator_set_secret(current, next);
    ctx.done("Operator secret set; every operator session ended.");
}

void signin(Context& ctx, const Args&) {
    const std::string secret = read_secret("LEANDESK_OPERATOR_SECRET", "Operator secret", false);
    const ld::Session s = ld::Session::operator_sign_in(ctx.db(), secret);
    ctx.end_stored_session();
    ctx.save_session(s);
    if (ctx.json()) return Context::print_json(s.info());
    std::cout << "Signed in as the operator; session kept in " << ctx.session_path() << "\n";
}

void status(Context& ctx, const Args& a) {
    const ld::Session op = ctx.session();
    const std::string id = resolve_user(op, a.at(0));
    const ld::User u = a.positional.size() > 1 ? op.operator_set_user_status(id, a.at(1))
                                               : op.operator_get_user(id);
    print_users(ctx, {u});
}

void deactivate(Context& ctx, const Args& a) {
    const ld::Session op = ctx.session();
    print_users(ctx, {op.operator_set_user_deactivated(resolve_user(op, a.at(0)), true)});
}

void reactivate(Context& ctx, const Args& a) {
    const ld::Session op = ctx.session();
    print_users(ctx, {op.operator_set_user_deactivated(resolve_user(op, a.at(0)), false)});
}

void login_email(Context& ctx, const Args& a) {
    const ld::Session op = ctx.session();
    print_users(ctx, {op.operator_change_login_email(resolve_user(op, a.at(0)), a.at(1))});
}

void reset_password(Context& ctx, const Args& a) {
    const ld::Session op = ctx.session();
    op.operator_reset_password(resolve_user(op, a.at(0)));
    ctx.done("A reset code was mailed to the user; their sessions ended.");
}

void active(Context& ctx, const Args&) {
    print_users(ctx, ctx.session().operator_active_users());
}

void newsletter(Context& ctx, const Args&) {
    print_users(ctx, ctx.session().operator_newsletter_recipients());
}

}  // namespace

void add_operator_commands(std::vector<Command>& commands) {
    commands.push_back(
        {"operator set-secret",
         "",
         "Set the operator secret (at least 16 characters).",
         "The current secret is read from $LEANDESK_OPERATOR_SECRET and the new one from\n"
         "$LEANDESK_NEW_OPERATOR_SECRET, else asked on the terminal, else read as lines\n"
         "of stdin (current first). Every operator session ends.",
         {{"first", "", "no secret was set yet: do not ask for the current one"}},
         0,
         0,
         set_secret});
    commands.push_back(
        {"operator signin",
         "",
         "Sign in as the operator and keep the session.",
         "The secret is read from $LEANDESK_OPERATOR_SECRET, else asked, else read from\n"
         "stdin. The session file is the same as for `signin` (see --session).",
         {},
         0,
         0,
         signin});
    const std::string user_help =
        "USER is a user id, or the e-mail address of a recently active user. Needs an\n"
        "operator session (`leandesk operator signin`).";
    commands.push_back({"user status",
                        "USER [none|bronze|silver|gold]",
                        "Show a user's record, or set their status (operator, R12).",
                        user_help,
                        {},
                        1,
                        2,
                        status});
    commands.push_back({"user deactivate",
                        "USER",
                        "Deactivate an account; every session of the user ends at once (R12).",
                        user_help,
                        {},
                        1,
                        1,
                        deactivate});
    commands.push_back({"user reactivate",
                        "USER",
                        "Reactivate a deactivated account (R12).",
                        user_help,
                        {},
                        1,
                        1,
                        reactivate});
    commands.push_back({"user login-email",
                        "USER EMAIL",
                        "Change a user's login e-mail (R12).",
                        user_help,
                        {},
                        2,
                        2,
                        login_email});
    commands.push_back({"user reset-password",
                        "USER",
                        "Mail the user a password-reset code and end their sessions (R12).",
                        user_help,
                        {},
                        1,
                        1,
                        reset_password});
    commands.push_back({"users active",
                        "",
                        "Users active in the last three months (operator).",
                        "",
                        {},
                        0,
                        0,
                        active});
    commands.push_back({"users newsletter",
                        "",
                        "Activated, active users who consented to the newsletter (operator).",
                        "",
                        {},
                        0,
                        0,
                        newsletter});
}

}  // namespace cli
