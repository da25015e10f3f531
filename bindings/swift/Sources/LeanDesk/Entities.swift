// The entities the C API returns, as Codable value types. Their JSON shapes are the JSON Schemas in
// docs/schema/ (docs/schema.md describes each field); the keys stay snake_case on the wire and map
// to Swift names through CodingKeys, so any JSONDecoder/JSONEncoder round-trips them.
//
// Conventions: ids are lower-case UUID strings; times are Int64 milliseconds since the Unix epoch,
// UTC (`Date(leanDeskMillis:)` converts); dates are "YYYY-MM-DD" strings and weeks ISO weeks
// "YYYY-Www". A field the schema allows to be null is an Optional.

import Foundation

/// A user's status level; only the operator changes it (R12).
public enum UserStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case none, bronze, silver, gold
}

/// The kind of a workflow step: entering a `done` step marks an action done.
public enum StepKind: String, Codable, Hashable, Sendable, CaseIterable {
    case open, active, done
}

/// Whether a project is running.
public enum ProjectStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case active, closed
}

/// The type of a photo or avatar, read from its bytes.
public enum ImageType: String, Codable, Hashable, Sendable, CaseIterable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case webp = "image/webp"
    case heic = "image/heic"
}

/// A person's full record, as the person sees it (R11) and the operator sees any account (R12).
public struct User: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    /// Login and contact address, stored lower-case.
    public var email: String
    public var firstName: String
    public var lastName: String
    /// The address until activation, then "First Last" (R16).
    public var displayName: String
    /// Content hash of the avatar image (read it with ``Session/blob(_:)``).
    public var avatar: String?
    public var status: UserStatus
    /// When the address was verified; nil for a not-yet-activated user (R16).
    public var activatedAt: Int64?
    public var deactivated: Bool
    public var newsletterOptIn: Bool
    public var showOpenActionsOnDashboard: Bool
    /// The privacy-policy version the user last accepted; 0 for none.
    public var acceptedPolicyVersion: Int64
    public var lastActiveAt: Int64?
    public var createdAt: Int64

    /// Whether the e-mail address has been verified.
    public var isActivated: Bool { activatedAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, email, avatar, status, deactivated
        case firstName = "first_name"
        case lastName = "last_name"
        case displayName = "display_name"
        case activatedAt = "activated_at"
        case newsletterOptIn = "newsletter_opt_in"
        case showOpenActionsOnDashboard = "show_open_actions_on_dashboard"
        case acceptedPolicyVersion = "accepted_policy_version"
        case lastActiveAt = "last_active_at"
        case createdAt = "created_at"
    }
}

/// A group of people who run projects together, with exactly one manager (R2).
public struct Group: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var managerID: String
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name
        case managerID = "manager_id"
        case createdAt = "created_at"
    }
}

/// A person's membership of a group (the shape of a member row for sync).
public struct Member: Codable, Hashable, Sendable {
    public var groupID: String
    public var userID: String
    public var addedBy: String?
    public var addedAt: Int64

    enum CodingKeys: String, CodingKey {
        case groupID = "group_id"
        case userID = "user_id"
        case addedBy = "added_by"
        case addedAt = "added_at"
    }
}

/// A person as another user sees them (the schema's PersonView). ``email`` is nil where the viewer
/// may not see the address (R13): it is shown only to the person, co-participants of a common
/// project (R8), the manager of a common group and report recipients (R15).
public struct Person: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var displayName: String
    public var firstName: String
    public var lastName: String
    public var email: String?
    public var avatar: String?
    public var status: UserStatus
    public var activated: Bool

    enum CodingKeys: String, CodingKey {
        case id, email, avatar, status, activated
        case displayName = "display_name"
        case firstName = "first_name"
        case lastName = "last_name"
    }
}

/// A step of a group's workflow.
public struct Step: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var groupID: String
    public var name: String
    /// 0-based place in the workflow.
    public var position: Int
    public var kind: StepKind

    enum CodingKeys: String, CodingKey {
        case id, name, position, kind
        case groupID = "group_id"
    }
}

/// Something a group shares: a link, a note, or both.
public struct Resource: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var groupID: String
    public var name: String
    public var url: String?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, name, url, note
        case groupID = "group_id"
    }
}

/// A project of a group.
public struct Project: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var groupID: String
    public var name: String
    public var description: String
    public var futureState: String
    public var ownerID: String
    /// "YYYY-MM-DD", or nil when not set.
    public var startDate: String?
    /// "YYYY-MM-DD", or nil when not set.
    public var targetDate: String?
    public var status: ProjectStatus
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, description, status
        case groupID = "group_id"
        case futureState = "future_state"
        case ownerID = "owner_id"
        case startDate = "start_date"
        case targetDate = "target_date"
        case createdAt = "created_at"
    }
}

/// A person's participation in a project.
public struct Participant: Codable, Hashable, Sendable {
    public var projectID: String
    public var userID: String
    public var addedBy: String?
    public var addedAt: Int64

    enum CodingKeys: String, CodingKey {
        case projectID = "project_id"
        case userID = "user_id"
        case addedBy = "added_by"
        case addedAt = "added_at"
    }
}

/// Who does what by when.
public struct Action: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var projectID: String
    public var title: String
    public var description: String
    public var stepID: String
    /// A participant, activated or not (R16); nil when nobody owns it.
    public var ownerID: String?
    public var context: String
    /// "YYYY-MM-DD", or nil when not set.
    public var dueDate: String?
    /// 0 none, 1 low, 2 medium, 3 high.
    public var priority: Int
    /// Percent, 0–100.
    public var progress: Int
    public var indicatorID: String?
    /// Signed effect on the indicator once done.
    public var impact: Double?
    /// Order inside its step (ascending).
    public var position: Double
    public var createdBy: String?
    public var createdAt: Int64
    public var updatedAt: Int64
    /// When it entered a done step; nil while not done.
    public var doneAt: Int64?
    /// Derived on every read: due before today (UTC) and not done.
    public var overdue: Bool

    /// Whether the action is in a done step.
    public var isDone: Bool { doneAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, title, description, context, priority, progress, impact, position, overdue
        case projectID = "project_id"
        case stepID = "step_id"
        case ownerID = "owner_id"
        case dueDate = "due_date"
        case indicatorID = "indicator_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case doneAt = "done_at"
    }
}

/// A comment on an action.
public struct Comment: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var actionID: String
    public var authorID: String?
    public var body: String
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, body
        case actionID = "action_id"
        case authorID = "author_id"
        case createdAt = "created_at"
    }
}

/// A photo of an action; its bytes are read with ``Session/blob(_:)``.
public struct Photo: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var actionID: String
    /// Content hash (SHA-256, hex) naming the image.
    public var blob: String
    public var mime: ImageType
    public var size: Int
    public var caption: String
    public var takenAt: Int64?
    public var addedBy: String?
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, blob, mime, size, caption
        case actionID = "action_id"
        case takenAt = "taken_at"
        case addedBy = "added_by"
        case createdAt = "created_at"
    }
}

/// An action with its photos and comments, oldest first.
public struct ActionDetail: Codable, Hashable, Sendable {
    public var action: Action
    public var photos: [Photo]
    public var comments: [Comment]
}

/// A SMART indicator of a project.
public struct Indicator: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var projectID: String
    public var name: String
    public var unit: String
    public var baseline: Double
    public var target: Double
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, unit, baseline, target
        case projectID = "project_id"
        case createdAt = "created_at"
    }
}

/// The measured value of an indicator in one ISO week.
public struct IndicatorValue: Codable, Hashable, Sendable {
    public var indicatorID: String
    /// "YYYY-Www".
    public var week: String
    public var actual: Double

    enum CodingKeys: String, CodingKey {
        case week, actual
        case indicatorID = "indicator_id"
    }
}

/// One week of an indicator's curve.
public struct IndicatorPoint: Codable, Hashable, Sendable {
    /// "YYYY-Www".
    public var week: String
    /// Baseline plus the impacts of the indicator's actions due by the end of that week.
    public var expected: Double
    /// The value measured that week, if any.
    public var actual: Double?
}

/// A step with the project's actions in it, by position.
public struct StepActions: Codable, Hashable, Sendable {
    public var step: Step
    public var actions: [Action]
}

/// A project's review: every step with its actions, the participants and the indicators.
public struct ProjectReview: Codable, Hashable, Sendable {
    public var project: Project
    public var steps: [StepActions]
    public var participants: [Person]
    public var indicators: [Indicator]
}

/// The kind of record a change names.
public enum ChangeEntity: String, Codable, Hashable, Sendable, CaseIterable {
    case user, group, member, step, resource, project, participant, action, comment, indicator
    case indicatorValue = "indicator_value"
    case photo
}

/// What happened to a record.
public enum ChangeOperation: String, Codable, Hashable, Sendable, CaseIterable {
    case insert, update, delete
}

/// One record of the change log, as sync reads it and observers receive it. It names fields,
/// never values.
public struct Change: Codable, Hashable, Sendable {
    /// Position in the log; strictly increasing.
    public var seq: Int64
    public var entity: ChangeEntity
    /// A UUID, "group_id/user_id" for a member, "project_id/user_id" for a participant,
    /// "indicator_id/YYYY-Www" for an indicator value.
    public var entityID: String
    public var op: ChangeOperation
    /// Names of the fields written (empty for deletions, members and participants).
    public var fields: [String]
    public var at: Int64
    /// The user who acted; nil for the operator.
    public var actor: String?
    public var groupID: String?
    public var projectID: String?

    enum CodingKeys: String, CodingKey {
        case seq, entity, op, fields, at, actor
        case entityID = "entity_id"
        case groupID = "group_id"
        case projectID = "project_id"
    }
}

/// What a session handle stands for.
public struct SessionInfo: Codable, Hashable, Sendable {
    /// The signed-in user; nil for the operator.
    public var userID: String?
    public var expiresAt: Int64
    /// True when a privacy-policy version the user has not acknowledged was published: show the
    /// notice, then call ``Session/acknowledgePolicy(version:)``.
    public var policyNoticeRequired: Bool
    public var policyVersion: Int64
    public var isOperator: Bool

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case expiresAt = "expires_at"
        case policyNoticeRequired = "policy_notice_required"
        case policyVersion = "policy_version"
        case isOperator = "is_operator"
    }
}

/// A published privacy-policy version.
public struct PolicyVersion: Codable, Hashable, Sendable {
    public var version: Int64
    public var summary: String
    public var publishedAt: Int64

    enum CodingKeys: String, CodingKey {
        case version, summary
        case publishedAt = "published_at"
    }
}

/// One row of the anonymous usage figures.
public struct UsageCount: Codable, Hashable, Sendable {
    public var event: String
    public var platform: String
    public var osVersion: String
    public var appVersion: String
    public var deviceClass: String
    public var count: Int64

    enum CodingKeys: String, CodingKey {
        case event, platform, count
        case osVersion = "os_version"
        case appVersion = "app_version"
        case deviceClass = "device_class"
    }
}

/// A mail the engine asks the app to deliver (activation, password reset, e-mail change).
public struct Mail: Codable, Hashable, Sendable {
    public var to: String
    /// The recipient's display name; may be empty.
    public var toName: String
    public var subject: String
    public var text: String
    public var html: String

    enum CodingKeys: String, CodingKey {
        case to, subject, text, html
        case toName = "to_name"
    }
}

/// How the store is set up (diagnostics).
public struct StorageInfo: Codable, Hashable, Sendable {
    public var schemaVersion: Int
    public var journalMode: String?
    public var foreignKeys: Bool
    public var secureDelete: Bool
    public var busyTimeoutMs: Int64
    public var preparedStatements: Int
    public var pageCount: Int64
    public var pageSize: Int64

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case journalMode = "journal_mode"
        case foreignKeys = "foreign_keys"
        case secureDelete = "secure_delete"
        case busyTimeoutMs = "busy_timeout_ms"
        case preparedStatements = "prepared_statements"
        case pageCount = "page_count"
        case pageSize = "page_size"
    }
}
