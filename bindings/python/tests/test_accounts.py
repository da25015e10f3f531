"""Accounts: sign-up, activation by the mailed code, sign-in/out, passwords, profile, operator."""

from __future__ import annotations

import pytest

import leandesk

from conftest import PASSWORD, World, mail_code


def test_versions_match() -> None:
    assert leandesk.library_version() == "0.1.0"
    assert leandesk.library_version_number() == leandesk.HEADER_VERSION_NUMBER == 1000


def test_sign_up_activate_sign_in_and_sign_out(world: World) -> None:
    user = world.db.sign_up("Ann", "Archer", "Ann@Example.com", PASSWORD)
    assert user.email == "ann@example.com"  # stored lower-case
    assert not user.activated and user.activated_at is None
    assert user.display_name == "ann@example.com"  # R16: the e-mail until activated
    assert user.status is leandesk.UserStatus.NONE

    mail = world.last_mail_to("ann@example.com")
    activated = world.db.activate(mail_code(mail))
    assert activated.activated and activated.display_name == "Ann Archer"
    with pytest.raises(leandesk.AuthFailed):  # a code works once
        world.db.activate(mail_code(mail))

    with world.db.sign_in("ann@example.com", PASSWORD) as ann:
        info = ann.info()
        assert info.user_id == user.id and not info.is_operator
        token = ann.token
        assert ann.me().id == user.id
        resumed = world.db.resume(token)
        assert resumed.me().id == user.id
        ann.sign_out()
        with pytest.raises(leandesk.SessionExpired) as ended:
            resumed.me()
        assert ended.value.code == -7
    with pytest.raises(leandesk.SessionExpired):
        world.db.resume(token)
    with pytest.raises(leandesk.NotSignedIn):
        world.db.resume("not a token")


def test_wrong_password_unknown_user_and_duplicate(world: World) -> None:
    world.user("Ann", "Archer")
    with pytest.raises(leandesk.AuthFailed) as wrong:
        world.db.sign_in("ann@example.com", "wrong password!!")
    with pytest.raises(leandesk.AuthFailed) as unknown:
        world.db.sign_in("nobody@example.com", PASSWORD)
    assert wrong.value.code == unknown.value.code == -16
    assert wrong.value.message == unknown.value.message  # reveals nothing
    # A sign-up for a taken address is no Conflict: it answers like any other (the answer tells
    # nothing), changes nothing, and the owner gets a mail saying someone tried, without a code.
    again = world.db.sign_up("Ann", "Again", "ann@example.com", PASSWORD)
    assert not again.activated
    assert "tried" in world.last_mail_to("ann@example.com").subject


def test_password_rules_and_r17(world: World) -> None:
    with pytest.raises(leandesk.InvalidArgument):
        world.db.sign_up("Ann", "Archer", "ann@example.com", "short")
    with pytest.raises(leandesk.InvalidArgument) as postal:
        world.db.sign_up_json('{"first_name":"A","last_name":"B","email":"a@example.com",'
                              '"password":"correct horse battery","postal_address":"1 Road"}')
    assert "R17" in postal.value.message


def test_sign_up_without_mail_sender_fails_and_changes_nothing(world: World) -> None:
    world.db.set_mail_sender(None)
    with pytest.raises(leandesk.IOFailure):
        world.db.sign_up("Ann", "Archer", "ann@example.com", PASSWORD)
    world.db.set_mail_sender(world._send)
    world.db.sign_up("Ann", "Archer", "ann@example.com", PASSWORD)  # the address is still free


def test_failing_mail_sender_fails_the_operation(world: World, caplog: pytest.LogCaptureFixture) -> None:
    def broken(mail: leandesk.Mail) -> None:
        raise RuntimeError("smtp down")

    world.db.set_mail_sender(broken)
    with pytest.raises(leandesk.IOFailure):
        world.db.sign_up("Ann", "Archer", "ann@example.com", PASSWORD)
    assert "smtp down" in caplog.text


def test_password_reset_and_change(world: World) -> None:
    ann = world.user("Ann", "Archer")
    world.db.request_password_reset("ann@example.com")
    world.db.request_password_reset("nobody@example.com")  # ignored, reveals nothing
    code = mail_code(world.last_mail_to("ann@example.com"))
    world.db.reset_password(code, "a brand new password")
    with pytest.raises(leandesk.SessionExpired):  # the reset ended every session
        ann.me()
    s = world.db.sign_in("ann@example.com", "a brand new password")
    with pytest.raises(leandesk.AuthFailed):
        s.change_password("not the current one", "another new password")
    s.change_password("a brand new password", "another new password")
    world.db.sign_in("ann@example.com", "another new password").close()


def test_profile_email_change_avatar_and_deletion(world: World) -> None:
    ann = world.user("Ann", "Archer")
    me = ann.update_profile(first_name="Anna", newsletter_opt_in=False)
    assert (me.first_name, me.last_name, me.newsletter_opt_in) == ("Anna", "Archer", False)
    ann.request_email_change("anna@example.com")
    assert world.db.activate(mail_code(world.last_mail_to("anna@example.com"))).email == \
        "anna@example.com"
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(64)
    with_avatar = ann.set_avatar(png)
    assert with_avatar.avatar is not None
    assert ann.read_blob(with_avatar.avatar) == png
    assert ann.set_avatar(None).avatar is None
    with pytest.raises(leandesk.AuthFailed):
        ann.delete_account("wrong password!!")
    ann.delete_account(PASSWORD)
    with pytest.raises(leandesk.AuthFailed):
        world.db.sign_in("anna@example.com", PASSWORD)


def test_status_is_the_operators_r11_r12(world: World) -> None:
    ann = world.user("Ann", "Archer")
    with pytest.raises(leandesk.PermissionDenied):
        ann.update_profile_json('{"status":"gold"}')
    with pytest.raises(leandesk.PermissionDenied):
        ann.set_user_status(ann.me().id, "gold")


def test_operator_powers_and_policy(world: World) -> None:
    ann = world.user("Ann", "Archer")
    ann_id = ann.me().id
    world.db.set_operator_secret(None, "a long operator secret")
    with pytest.raises(leandesk.AuthFailed):
        world.db.operator_sign_in("not the secret at all")
    with world.db.operator_sign_in("a long operator secret") as op:
        assert op.info().is_operator and op.info().user_id is None
        assert op.get_user(ann_id).email == "ann@example.com"
        assert op.set_user_status(ann_id, leandesk.UserStatus.GOLD).status == "gold"
        assert [u.email for u in op.active_users()] == ["ann@example.com"]
        assert [u.email for u in op.newsletter_recipients()] == ["ann@example.com"]
        assert op.change_login_email(ann_id, "ann2@example.com").email == "ann2@example.com"

        assert op.set_user_deactivated(ann_id, True).deactivated
        with pytest.raises(leandesk.SessionExpired):  # R12: deactivation ends every session
            ann.me()
        with pytest.raises(leandesk.PermissionDenied) as refused:
            world.db.sign_in("ann2@example.com", PASSWORD)
        assert refused.value.rule == "R12"
        op.set_user_deactivated(ann_id, False)

        policy = op.publish_policy("We now keep less.")
        assert policy.version >= 1 and policy.summary == "We now keep less."
        op.reset_user_password(ann_id)
        assert "ann2@example.com" in [m.to for m in world.mails]

    # Resetting ended the sessions; the reset code sets a new password.
    world.db.reset_password(mail_code(world.last_mail_to("ann2@example.com")), "after the reset!")
    s = world.db.sign_in("ann2@example.com", "after the reset!")
    assert s.info().policy_notice_required
    assert s.acknowledge_policy(policy.version).accepted_policy_version == policy.version
    assert not s.info().policy_notice_required


def test_usage_figures(world: World) -> None:
    assert world.db.usage_enabled
    world.db.record_usage("app_start", platform="python")
    world.db.record_usage("app_start", platform="python")
    world.db.usage_enabled = False
    world.db.record_usage("app_start", platform="python")  # not counted
    assert not world.db.usage_enabled
    world.db.set_operator_secret("", "a long operator secret")
    with world.db.operator_sign_in("a long operator secret") as op:
        (row,) = op.usage_report()
        assert (row.event, row.platform, row.count) == ("app_start", "python", 2)


def test_session_expires_with_the_injected_clock() -> None:
    w = World(options={"password_opslimit": 1, "password_memlimit": 8192,
                       "session_lifetime_ms": 600_000, "session_idle_timeout_ms": 120_000})
    now = [1_800_000_000_000]
    w.db.set_clock(lambda: now[0])
    with w.db:
        ann = w.user("Ann", "Archer")
        now[0] += 60_000
        ann.me()  # active: the idle timer restarts
        now[0] += 121_000
        with pytest.raises(leandesk.SessionExpired):  # idle too long
            ann.me()
        bob = w.user("Bob", "Baker")
        for _ in range(5):  # active every 100 s, but the lifetime is 10 minutes
            now[0] += 100_000
            bob.me()
        now[0] += 101_000
        with pytest.raises(leandesk.SessionExpired):
            bob.me()


def test_activation_code_expires_with_the_injected_clock() -> None:
    w = World(options={"password_opslimit": 1, "password_memlimit": 8192,
                       "activation_token_lifetime_ms": 3_600_000})
    now = [1_800_000_000_000]
    w.db.set_clock(lambda: now[0])
    with w.db:
        w.db.sign_up("Ann", "Archer", "ann@example.com", PASSWORD)
        now[0] += 3_600_001
        with pytest.raises(leandesk.AuthFailed):
            w.db.activate(mail_code(w.last_mail_to("ann@example.com")))
        w.db.resend_activation("ann@example.com")
        assert w.db.activate(mail_code(w.last_mail_to("ann@example.com"))).activated


def test_rate_limited_after_failures() -> None:
    w = World(options={"password_opslimit": 1, "password_memlimit": 8192,
                       "max_failed_sign_ins": 3})
    with w.db:
        w.user("Ann", "Archer")
        for _ in range(3):
            with pytest.raises(leandesk.AuthFailed):
                w.db.sign_in("ann@example.com", "wrong password!!")
        with pytest.raises(leandesk.RateLimited) as limited:
            w.db.sign_in("ann@example.com", PASSWORD)
        assert limited.value.code == -12
