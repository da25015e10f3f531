// The operator's powers (R12). Only a session from ``Database/operatorSignIn(secret:)`` may use
// them; any other session is refused.

internal import CLeanDesk
import Foundation

extension Session {
    /// Any user's full record.
    public func user(_ userID: String) throws(LeanDeskError) -> User {
        try cJSON { ld_operator_get_user(&$0, handle, userID) }
    }

    /// Sets a user's status level.
    @discardableResult
    public func setStatus(_ status: UserStatus, ofUser userID: String) throws(LeanDeskError) -> User {
        try cJSON { ld_operator_set_user_status(&$0, handle, userID, status.rawValue) }
    }

    /// Deactivates a user (every session of theirs ends at once) or reactivates them.
    @discardableResult
    public func setDeactivated(_ deactivated: Bool, user userID: String) throws(LeanDeskError) -> User {
        try cJSON { ld_operator_set_user_deactivated(&$0, handle, userID, deactivated ? 1 : 0) }
    }

    /// Changes a user's login e-mail. Throws ``LeanDeskErrorCode/conflict`` for an address in use.
    @discardableResult
    public func changeLoginEmail(ofUser userID: String, to email: String) throws(LeanDeskError) -> User {
        try cJSON { ld_operator_change_login_email(&$0, handle, userID, email) }
    }

    /// Mails the user a reset code and ends their sessions.
    public func resetPassword(ofUser userID: String) throws(LeanDeskError) {
        try check(ld_operator_reset_password(handle, userID))
    }

    /// Publishes a new privacy-policy version; users see the notice at their next sign-in.
    @discardableResult
    public func publishPolicy(summary: String) throws(LeanDeskError) -> PolicyVersion {
        try cJSON { ld_operator_publish_policy(&$0, handle, summary) }
    }

    /// Users active in the last three months.
    public func activeUsers() throws(LeanDeskError) -> [User] {
        try cJSON { ld_operator_active_users(&$0, handle) }
    }

    /// Activated, active users who consented to the newsletter.
    public func newsletterRecipients() throws(LeanDeskError) -> [User] {
        try cJSON { ld_operator_newsletter_recipients(&$0, handle) }
    }

    /// The anonymous usage figures.
    public func usageReport() throws(LeanDeskError) -> [UsageCount] {
        try cJSON { ld_operator_usage_report(&$0, handle) }
    }
}
