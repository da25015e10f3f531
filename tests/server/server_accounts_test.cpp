// The server's account answers (issue 21 items 5 and 6), through handle_request without a socket:
// sign-up, sign-in and reset answer the same for known and unknown addresses, failed sign-ins
// slow the client that makes them and never the owner elsewhere; and the pickup mail sender
// encodes display names instead of writing them raw. The engine runs on an injected clock.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include <sys/stat.h>

#include "common/error.hpp"
#include "engine/engine.hpp"
#include "model/json.hpp"
#include "server/config.hpp"
#include "server/http_api.hpp"
#include "server/pickup_mail.hpp"
#include "sync/authority.hpp"

namespace leandesk::testing {
namespace {

namespace fs = std::filesystem;

const std::string kPassword = "correct horse battery";
const std::string kAttacker = "203.0.113.66";
const std::string kOwnerHome = "198.51.100.7";

std::string code_in(const Mail& m) {
    std::istringstream in(m.text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) == 0) return line.substr(4);
    }
    return {};
}

/// A mail relay that can be switched off.
class SwitchableMail : public MailSender {
  public:
    void send(const Mail& m) override {
        if (down) throw Error(Errc::network, "the relay refused the mail");
        sent.push_back(m);
    }
    bool down = false;
    std::vector<Mail> sent;
};

class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() / ("leandesk-server-accounts-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

class ServerAccounts : public ::testing::Test {
  protected:
    void SetUp() override {
        EngineOptions o;
        o.clock = manual_clock(now);
        o.random = seeded_random(5);
        o.mail = mail;
        o.password_params = auth::PasswordParams::fastest_for_tests();
        engine = std::make_unique<Engine>(std::move(o));
        authority = std::make_unique<sync::Authority>(*engine);
        context = std::make_unique<server::ApiContext>(
            server::ApiContext{*engine, *authority, log, limiter});
    }

    server::ApiReply post(const std::string& path, const Json& body,
                          const std::string& client = kOwnerHome) {
        const std::string text = body.dump();
        return server::handle_request(*context, server::ApiRequest{"POST", path, "", client, text});
    }

    void account(const std::string& email) {
        ASSERT_EQ(post("/v1/accounts", {{"email", email},
                                        {"first_name", "Ann"},
                                        {"last_name", "Archer"},
                                        {"password", kPassword}})
                      .status,
                  201);
        ASSERT_EQ(post("/v1/accounts/activate", {{"code", code_in(mail->sent.back())}}).status,
                  200);
    }

    server::ApiReply sign_in(const std::string& email, const std::string& password,
                             const std::string& client) {
        return post("/v1/sessions", {{"email", email}, {"password", password}}, client);
    }

    std::shared_ptr<Millis> now = std::make_shared<Millis>(1772442000000);
    std::shared_ptr<SwitchableMail> mail = std::make_shared<SwitchableMail>();
    std::unique_ptr<Engine> engine;
    std::unique_ptr<sync::Authority> authority;
    server::Log log{LogLevel::error};
    server::RateLimiter limiter{1000000};
    std::unique_ptr<server::ApiContext> context;
};

}  // namespace

TEST_F(ServerAccounts, SignUpAnswersTheSameForATakenAndAFreeAddress) {
    account("ann@example.com");
    const Json body{{"first_name", "X"}, {"last_name", "Y"}, {"password", "another password"}};
    Json taken = body;
    taken["email"] = "ann@example.com";
    Json free_address = body;
    free_address["email"] = "zoe@example.com";
    const server::ApiReply a = post("/v1/accounts", taken);
    const server::ApiReply b = post("/v1/accounts", free_address);
    EXPECT_EQ(a.status, b.status) << a.body;
    EXPECT_EQ(a.status, 201);
    const Json ja = Json::parse(a.body);
    const Json jb = Json::parse(b.body);
    ASSERT_EQ(ja.size(), jb.size()) << a.body << " / " << b.body;
    for (const auto& [key, value] : jb.items()) {
        ASSERT_TRUE(ja.contains(key)) << key;
        EXPECT_EQ(ja[key].type(), value.type()) << key;
    }
}

TEST_F(ServerAccounts, AClaimOnAPendingAddressDoesNotLockTheOwnerOut) {
    const Json mallory{{"email", "newhire@example.com"},
                       {"first_name", "IT"},
                       {"last_name", "Support"},
                       {"password", "mallory's own secret"}};
    ASSERT_EQ(post("/v1/accounts", mallory, kAttacker).status, 201);
    EXPECT_EQ(sign_in("newhire@example.com", "mallory's own secret", kAttacker).status, 401)
        << "no session before the address is verified";
    const server::ApiReply own = post("/v1/accounts", {{"email", "newhire@example.com"},
                                                       {"first_name", "Nina"},
                                                       {"last_name", "Hire"},
                                                       {"password", kPassword}});
    EXPECT_EQ(own.status, 201) << own.body;
    EXPECT_EQ(post("/v1/accounts/activate", {{"code", code_in(mail->sent.back())}}).status, 200);
    EXPECT_EQ(sign_in("newhire@example.com", kPassword, kOwnerHome).status, 200);
    EXPECT_EQ(sign_in("newhire@example.com", "mallory's own secret", kAttacker).status, 401);
}

TEST_F(ServerAccounts, AfterFiveFailuresKnownAndUnknownAddressesAnswerAlike) {
    account("ann@example.com");
    for (const std::string address : {"ann@example.com", "nobody@example.com"}) {
        for (int i = 0; i < 5; ++i) {
            EXPECT_EQ(sign_in(address, "wrong password!", kAttacker).status, 401) << address;
        }
        EXPECT_EQ(sign_in(address, "wrong password!", kAttacker).status, 429) << address;
    }
}

TEST_F(ServerAccounts, TheAttackersGuessesDoNotLockTheOwnerOut) {
    account("ann@example.com");
    for (int i = 0; i < 5; ++i) sign_in("ann@example.com", "wrong password!", kAttacker);
    EXPECT_EQ(sign_in("ann@example.com", kPassword, kAttacker).status, 429);
    EXPECT_EQ(sign_in("ann@example.com", kPassword, kOwnerHome).status, 200)
        << "the owner, from their own address, is not locked out";
}

TEST_F(ServerAccounts, ResetAnswersTheSameWhenTheRelayFails) {
    account("ann@example.com");
    mail->down = true;
    const server::ApiReply known =
        post("/v1/accounts/password-reset", {{"email", "ann@example.com"}});
    const server::ApiReply unknown =
        post("/v1/accounts/password-reset", {{"email", "nobody@example.com"}});
    EXPECT_EQ(known.status, unknown.status) << known.body;
    EXPECT_EQ(known.body, unknown.body);
}

TEST(ServerConfig, TheThrottleAndTheMailCapAreConfigurable) {
    const TempDir dir;
    const std::string path = (dir.path() / "server.json").string();
    std::ofstream(path) << R"({"tls_cert": "c.pem", "tls_key": "k.pem", "database": "s.db",
        "max_failed_sign_ins": 7, "max_failed_sign_ins_per_client": 40,
        "max_mails_per_recipient_per_hour": 3})";
    const server::Config c = server::load_config(path);
    EXPECT_EQ(c.max_failed_sign_ins, 7);
    EXPECT_EQ(c.max_failed_sign_ins_per_client, 40);
    EXPECT_EQ(c.max_mails_per_recipient_per_hour, 3);
}

TEST(PickupMail, DisplayNameAndSubjectAreEncodedNeverRaw) {
    const TempDir dir;
    server::PickupMailSender sender(dir.path().string(), "LeanDesk <noreply@leandesk.example>");
    Mail m;
    m.to = "newhire@example.com";
    m.to_name = "Mallory <mallory@evil.example>, IT-Support";
    m.subject = "Réinitialiser";
    m.text = "body\n";
    sender.send(m);
    std::string text;
    for (const auto& f : fs::directory_iterator(dir.path())) {
        std::ifstream in(f.path(), std::ios::binary);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    EXPECT_NE(
        text.find(
            "\r\nTo: \"Mallory <mallory@evil.example>, IT-Support\" <newhire@example.com>\r\n"),
        std::string::npos)
        << text;
    EXPECT_EQ(text.find("To: Mallory"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nSubject: =?UTF-8?B?"), std::string::npos) << text;
}

TEST(PickupMail, FilesAreOwnerOnlyWhateverTheUmask) {
    // A pickup file holds an activation or reset code: no other local user may read it.
    const TempDir dir;
    server::PickupMailSender sender(dir.path().string(), "LeanDesk <noreply@leandesk.example>");
    Mail m;
    m.to = "newhire@example.com";
    m.subject = "Activate";
    m.text = "    123456\n";
    const mode_t old_mask = ::umask(022);
    sender.send(m);
    ::umask(old_mask);
    int files = 0;
    for (const auto& f : fs::directory_iterator(dir.path())) {
        ++files;
        EXPECT_EQ(f.path().extension(), ".eml");
        const auto perms = fs::status(f.path()).permissions();
        EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none)
            << f.path();
    }
    EXPECT_EQ(files, 1) << "one .eml file, no .tmp left behind";
}

}  // namespace leandesk::testing
