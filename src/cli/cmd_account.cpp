// signup, activate, signin, signout.
#include <iostream>

#include "cli.hpp"

namespace cli {
namespace {

void print_user(const Context& ctx, const ld::User& u) {
    if (ctx.json()) return Context::print_json(u);
    print_table({{"ID", "E-MAIL", "NAME", "STATUS", "STATE"},
                 {u.id, u.email, u.display_name, u.status,
                  u.deactivated ? "deactivated" : (u.activated() ? "active" : "not activated")}});
}

void signup(Context& ctx, const Args& a) {
    if (!a.has("first-name") || !a.has("last-name")) {
        throw UsageError("--first-name and --last-name are required");
    }
    const std::string password = read_secret("LEANDESK_PASSWORD", "Password", true);
    const ld::User u = ctx.db().account_sign_up(ld::SignUp{
        a.get("first-name").value_or(""), a.get("last-name").value_or(""), a.at(0), password});
    if (!ctx.json()) std::cerr << "Account created; the activation code was mailed (above).\n";
    print_user(ctx, u);
}

void activate(Context& ctx, const Args& a) {
    if (a.has("resend")) {
        ctx.db().account_resend_activation(a.at(0));
        return ctx.done("If " + a.at(0) + " waits for activation, a new code was mailed.");
    }
    print_user(ctx, ctx.db().account_activate(a.at(0)));
}

void signin(Context& ctx, const Args& a) {
    const std::string password = read_secret("LEANDESK_PASSWORD", "Password", false);
    const ld::Session s = ld::Session::sign_in(ctx.db(), a.at(0), password);
    ctx.end_stored_session();
    ctx.save_session(s);
    const ld::SessionInfo info = s.info();
    if (ctx.json()) return Context::print_json(info);
    std::cout << "Signed in as " << a.at(0) << "; session kept in " << ctx.session_path() << "\n";
    if (info.policy_notice_required) {
        std::cout << "The privacy policy changed (version " << info.policy_version
                  << "): please read the notice in the app.\n";
    }
}

void signout(Context& ctx, const Args&) {
    ld::Session s = ctx.session();
    try {
        s.sign_out();
    } catch (const ld::SessionExpired&) {  // already over: forgetting it is all that is left
    }
    ctx.forget_session();
    ctx.done("Signed out.");
}

}  // namespace

void add_account_commands(std::vector<Command>& commands) {
    commands.push_back(
        {"signup",
         "EMAIL",
         "Create an account; the activation code is mailed.",
         "The password is read from $LEANDESK_PASSWORD, else asked (twice) on the\n"
         "terminal, else read as one line of stdin. It must be 10 to 1024 bytes and\n"
         "differ from the e-mail address. With a local database the mail is printed\n"
         "on stderr.",
         {{"first-name", "NAME", "your first name (required)"},
          {"last-name", "NAME", "your last name (required)"}},
         1,
         1,
         signup});
    commands.push_back({"activate",
                        "CODE",
                        "Activate an account (or confirm an e-mail change) with its code.",
                        "With --resend, CODE is the e-mail address and a fresh code is mailed.",
                        {{"resend", "", "mail a new code to the address given instead"}},
                        1,
                        1,
                        activate});
    commands.push_back(
        {"signin",
         "EMAIL",
         "Sign in and keep the session for the next commands.",
         "The password is read like for signup. The session token is written to the\n"
         "session file (see --session), readable by you only (mode 0600).",
         {},
         1,
         1,
         signin});
    commands.push_back({"signout",
                        "",
                        "End the stored session and remove the session file.",
                        "",
                        {},
                        0,
                        0,
                        signout});
}

}  // namespace cli
