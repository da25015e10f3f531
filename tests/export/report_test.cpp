// R15: the project report's content, escaping, and who may have it sent to whom.
#include "export/report.hpp"
#include "export/html.hpp"
#include "export/svg_chart.hpp"
#include "export_test_base.hpp"

namespace leandesk::testing {
namespace {

using exports::project_report;
using exports::send_project_report;

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

TEST_F(ExportTest, ReportHasEverySectionInHtmlAndText) {
    const auto r = project_report(*engine, f.member, f.project1.id);
    for (const char* section :
         {"Summary by step", "Overdue actions", "Actions by step", "Indicators", "Participants"}) {
        EXPECT_TRUE(contains(r.html, std::string("<h2>") + section + "</h2>")) << section;
        EXPECT_TRUE(contains(r.text, std::string(section) + "\n")) << section;
    }
    EXPECT_EQ(r.html.rfind("<!DOCTYPE html>", 0), 0U);
    EXPECT_TRUE(contains(r.html, "<svg")) << "an inline chart for the indicator with values";
    EXPECT_TRUE(contains(r.html, "class=\"expected\""));
    EXPECT_TRUE(contains(r.html, "class=\"actual\""));
    EXPECT_FALSE(contains(r.html, "src=\"http")) << "self-contained: no external resource";
    EXPECT_FALSE(contains(r.html, "<script"));
    // Overdue: a1 (due 2026-02-20, open) is; a3 (due earlier but done) is not.
    EXPECT_TRUE(contains(
        r.text,
        "  - Measure scrap on <line 3> (Ideas; owner: Bob Baker \"the builder\"; due 2026-02-20"));
    EXPECT_FALSE(
        contains(r.text.substr(r.text.find("Overdue actions"),
                               r.text.find("Actions by step") - r.text.find("Overdue actions")),
                 "Prüfanweisung"));
    // Participants by display name: the not-yet-activated one by e-mail (R16), the owner marked.
    EXPECT_TRUE(contains(r.text, "  - Ann Archer (owner)\n"));
    EXPECT_TRUE(contains(r.text, "  - dan@example.com\n"));
    EXPECT_TRUE(contains(r.text, "  - Zoë Ørsted-Ünal\n"));
    // Indicator weeks: expected from the impacts (8.5, then -1.5 from the week of 2026-02-20).
    EXPECT_TRUE(contains(r.text, "    2026-W06  expected 8.5  actual 8.25\n"));
    EXPECT_TRUE(contains(r.text, "    2026-W08  expected 7  actual 7\n"));
    EXPECT_TRUE(contains(r.subject, "Reduce scrap <quickly>"));
}

TEST_F(ExportTest, ReportEscapesEverything) {
    engine->update_project(f.manager, f.project1.id,
                           Json{{"name", "<script>alert('x')</script> & \"co\""}});
    const auto r = project_report(*engine, f.manager, f.project1.id);
    EXPECT_FALSE(contains(r.html, "<script>"));
    EXPECT_TRUE(
        contains(r.html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
    EXPECT_TRUE(contains(r.html, "Measure scrap on &lt;line 3&gt;"));
    EXPECT_TRUE(contains(r.html, "Bob Baker &quot;the builder&quot;"));
    EXPECT_FALSE(contains(r.html, "<line 3>"));
    EXPECT_EQ(exports::html_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    EXPECT_TRUE(contains(exports::indicator_svg("<x>", {}, 0), "<title>&lt;x&gt;</title>"));
}

TEST_F(ExportTest, R7_ManagerMayReadTheReportButR13OutsiderMayNot) {
    EXPECT_NO_THROW(project_report(*engine, f.manager, f.project2.id));  // not a participant: R7
    expect_error(Errc::permission_denied,
                 [&] { project_report(*engine, f.outsider, f.project1.id); });
}

TEST_F(ExportTest, R15_ParticipantSendsToParticipantsActivatedOrNot) {
    const auto sent_to =
        send_project_report(*engine, f.unicode, f.project1.id,
                            {f.manager.user_id, f.pending.user_id, f.unicode.user_id});
    ASSERT_EQ(sent_to.size(), 3U);
    const auto mails = mail->sent();
    ASSERT_EQ(mails.size(), 3U);
    EXPECT_EQ(mails[0].to, "ann@example.com");
    EXPECT_EQ(mails[0].to_name, "Ann Archer");
    EXPECT_EQ(mails[1].to, "dan@example.com");
    EXPECT_EQ(mails[1].to_name, "") << "R16: no name before activation";
    EXPECT_TRUE(contains(mails[0].html, "<h2>Overdue actions</h2>"));
    EXPECT_TRUE(contains(mails[0].text, "Overdue actions\n"));
    EXPECT_TRUE(contains(mails[0].subject, "project report"));
}

TEST_F(ExportTest, R15_NonParticipantsMayNotSendOrReceive) {
    // The manager is not a participant of project 2: they read it (R7) but may not send it.
    std::string msg = expect_unchanged(Errc::permission_denied, [&] {
        send_project_report(*engine, f.manager, f.project2.id, {f.member.user_id});
    });
    EXPECT_EQ(msg.rfind("R15:", 0), 0U) << msg;
    // A recipient who is not a participant of the project.
    msg = expect_unchanged(Errc::permission_denied, [&] {
        send_project_report(*engine, f.member, f.project2.id,
                            {f.member.user_id, f.unicode.user_id});
    });
    EXPECT_EQ(msg.rfind("R15:", 0), 0U) << msg;
    expect_error(Errc::permission_denied, [&] {
        send_project_report(*engine, f.outsider, f.project1.id, {f.member.user_id});
    });
    expect_error(Errc::invalid_argument,
                 [&] { send_project_report(*engine, f.member, f.project1.id, {}); });
    EXPECT_TRUE(mail->sent().empty()) << "nothing was sent";
}

TEST_F(ExportTest, FailingSenderSaysHowManyWentOut) {
    // A sender that fails counts what went out before it failed.
    struct Failing : MailSender {
        int calls = 0;
        void send(const Mail&) override {
            if (++calls == 2) throw Error(Errc::network, "smtp: down");
        }
    } failing;
    const std::string msg = expect_error(Errc::network, [&] {
        send_project_report(*engine, f.member, f.project1.id,
                            {f.manager.user_id, f.unicode.user_id}, &failing);
    });
    EXPECT_TRUE(contains(msg, "1 of 2")) << msg;
}

TEST(FormatNumber, TrimsZeros) {
    EXPECT_EQ(exports::format_number(8.5), "8.5");
    EXPECT_EQ(exports::format_number(7), "7");
    EXPECT_EQ(exports::format_number(-0.001), "0");
    EXPECT_EQ(exports::format_number(-1.25), "-1.25");
}

}  // namespace
}  // namespace leandesk::testing
