package com.leandesk

import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.json.JSONObject
import org.junit.Test

class AccountsTest {
    @Test
    fun signUpMailsACodeThatActivatesTheAccount(): Unit = World().use { w ->
        val user = w.db.signUp("Ann", "Archer", "ann@example.com", PASSWORD)
        assertEquals("ann@example.com", user.email)
        assertNull(user.activatedAt)
        assertFalse(user.activated)
        assertEquals("ann@example.com", user.displayName) // R16: the address until activation

        val mail = w.mailbox.lastTo("ann@example.com")
        assertTrue(mail.subject, mail.subject.contains("Activate"))
        assertTrue(mail.json.startsWith("{"))
        val activated = w.db.activate(w.mailbox.codeFor("ann@example.com"))
        assertEquals(user.id, activated.id)
        assertNotNull(activated.activatedAt)
        assertEquals("Ann Archer", activated.displayName)

        w.db.signIn("ann@example.com", PASSWORD).use { s ->
            val me = s.me()
            assertEquals(user.id, me.id)
            assertEquals(UserStatus.NONE, me.status)
            val info = s.info()
            assertEquals(user.id, info.userId)
            assertFalse(info.isOperator)
            assertTrue(info.expiresAt > System.currentTimeMillis() - 60_000)
        }
    }

    @Test
    fun aCodeWorksOnceAndWrongCredentialsAreAuthFailed(): Unit = World().use { w ->
        w.db.signUp("Bob", "Baker", "bob@example.com", PASSWORD)
        val code = w.mailbox.codeFor("bob@example.com")
        w.db.activate(code)
        val used = expectThrows<LeanDeskException.AuthFailed> { w.db.activate(code) }
        assertEquals(-16, used.code)

        val wrongPassword = expectThrows<LeanDeskException.AuthFailed> { w.db.signIn("bob@example.com", "not the password") }
        val unknownEmail = expectThrows<LeanDeskException.AuthFailed> { w.db.signIn("nobody@example.com", PASSWORD) }
        assertEquals("the same answer for both", wrongPassword.message, unknownEmail.message)

        // A sign-up for a taken address is no Conflict: it answers like any other (the answer tells
        // nothing), and the owner gets a mail saying someone tried, without a code.
        w.db.signUp("Bob", "Baker", "bob@example.com", PASSWORD)
        assertTrue(w.mailbox.lastTo("bob@example.com").subject.contains("tried"))
        expectThrows<LeanDeskException.InvalidArgument> { w.db.signUp("Bob", "Baker", "bob2@example.com", "short") }
    }

    @Test
    fun tokensResumeSessionsUntilSignOut(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val token = ann.token
        assertTrue(token.isNotEmpty())
        w.db.resume(token).use { again -> assertEquals(ann.me().id, again.me().id) }

        val other = w.db.signIn("ann@example.com", PASSWORD)
        assertNotEquals(token, other.token)

        ann.signOut()
        expectThrows<LeanDeskException.SessionExpired> { ann.me() }
        expectThrows<LeanDeskException.SessionExpired> { w.db.resume(token) }
        expectThrows<LeanDeskException.NotSignedIn> { w.db.resume("not a token") }
        assertEquals("another session is unaffected", "ann@example.com", other.me().email)
    }

    @Test
    fun passwordResetAndChange(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        w.db.requestPasswordReset("nobody@example.com") // ignored, reveals nothing
        w.db.requestPasswordReset("ann@example.com")
        w.db.resetPassword(w.mailbox.codeFor("ann@example.com"), "a brand new password")
        expectThrows<LeanDeskException.SessionExpired> { ann.me() }
        expectThrows<LeanDeskException.AuthFailed> { w.db.signIn("ann@example.com", PASSWORD) }

        val s = w.db.signIn("ann@example.com", "a brand new password")
        expectThrows<LeanDeskException.AuthFailed> { s.changePassword("wrong current", "another new password") }
        s.changePassword("a brand new password", "another new password")
        w.db.signIn("ann@example.com", "another new password").close()
    }

    @Test
    fun emailChangeIsConfirmedByCode(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        ann.requestEmailChange("ann@archer.example")
        val confirmed = w.db.activate(w.mailbox.codeFor("ann@archer.example"))
        assertEquals("ann@archer.example", confirmed.email)
        assertEquals("ann@archer.example", ann.me().email)
    }

    @Test
    fun profileAvatarAndAccountDeletion(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val updated = ann.updateMe {
            firstName = "Annie"
            newsletterOptIn = false
        }
        assertEquals("Annie", updated.firstName)
        assertFalse(updated.newsletterOptIn)
        assertEquals("Archer", updated.lastName)

        val png = byteArrayOf(0x89.toByte(), 'P'.toByte(), 'N'.toByte(), 'G'.toByte(), 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 1, 2, 3)
        val withAvatar = ann.setAvatar(png)
        val hash = withAvatar.avatar!!
        assertEquals(64, hash.length)
        assertArrayEquals(png, ann.readBlob(hash))
        assertNull(ann.setAvatar(null).avatar)

        expectThrows<LeanDeskException.AuthFailed> { ann.deleteAccount("wrong") }
        ann.deleteAccount(PASSWORD)
        expectThrows<LeanDeskException.AuthFailed> { w.db.signIn("ann@example.com", PASSWORD) }
    }

    @Test
    fun textIsRealUtf8BothWays(): Unit = World(FAST.copy(productName = "Équipe 🚀 Desk")).use { w ->
        // Outside the BMP (JNI's modified UTF-8 would mangle these) and accented letters.
        val s = w.user("Zoë", "Ünal 🚀", "zoe@example.com")
        assertEquals("Zoë Ünal 🚀", s.me().displayName)
        val g = s.createGroup("Équipe 🌍 Lean")
        assertEquals("Équipe 🌍 Lean", s.group(g.id).name)
        // Into the mail sender callback: the product name. The activation mail shows no name typed
        // at sign-up, unverified (docs/accounts.md).
        val mail = w.mailbox.lastTo("zoe@example.com")
        assertTrue(mail.text, mail.text.contains("Équipe 🚀 Desk"))
        assertFalse(mail.text, mail.text.contains("Zoë") || mail.subject.contains("Zoë"))
    }

    @Test
    fun mailSenderFailuresFailTheOperation(): Unit = World().use { w ->
        w.db.setMailSender(null)
        val none = expectThrows<LeanDeskException.Io> { w.db.signUp("Ann", "Archer", "ann@example.com", PASSWORD) }
        assertEquals(-9, none.code)

        val boom = IllegalStateException("smtp down")
        w.db.setMailSender { throw boom }
        val failed = expectThrows<LeanDeskException.Io> { w.db.signUp("Ann", "Archer", "ann@example.com", PASSWORD) }
        assertSame(boom, failed.cause)

        // Nothing was created: a working sender now signs the same address up.
        w.db.setMailSender { w.mailbox.mails.add(it) }
        w.db.signUp("Ann", "Archer", "ann@example.com", PASSWORD)
        assertEquals(1, w.mailbox.mails.size)
    }

    @Test
    fun aMailSenderMustNotCallLeanDesk(): Unit = World().use { w ->
        w.db.setMailSender { w.db.storageInfo() }
        val e = expectThrows<LeanDeskException.Io> { w.db.signUp("Ann", "Archer", "ann@example.com", PASSWORD) }
        assertTrue(e.cause is IllegalStateException)
    }

    @Test
    fun resendingActivationReplacesTheCode(): Unit = World().use { w ->
        w.db.signUp("Ann", "Archer", "ann@example.com", PASSWORD)
        val first = w.mailbox.codeFor("ann@example.com")
        w.db.resendActivation("ann@example.com")
        w.db.resendActivation("nobody@example.com") // ignored, reveals nothing
        assertEquals(2, w.mailbox.mails.size)
        val second = w.mailbox.codeFor("ann@example.com")
        assertNotEquals(first, second)
        expectThrows<LeanDeskException.AuthFailed> { w.db.activate(first) }
        assertTrue(w.db.activate(second).activated)
    }

    @Test
    fun executeRunsCommandsByName(): Unit = World().use { w ->
        val ann = w.user("Ann", "Archer", "ann@example.com")
        val created = Group.fromJson(ann.execute("create_group", """{"input":{"name":"By name"}}"""))
        assertEquals("By name", created.name)
        assertEquals(listOf(created), ann.groups())
        assertEquals("null", ann.execute("delete_group", JSONObject().put("group_id", created.id).toString()))
        assertEquals(0, ann.groups().size)
        expectThrows<LeanDeskException.InvalidArgument> { ann.execute("no_such_command") }
    }
}
