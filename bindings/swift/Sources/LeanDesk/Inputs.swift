// The inputs of the create commands and the update patches, as Encodable value types. Their JSON
// shapes are docs/schema/input/*.schema.json and the "Update patches" table of docs/schema.md.
//
// In a create input, a property left nil is not sent (the engine's default applies). In a patch,
// a property left nil leaves the field unchanged; a nullable field takes a ``Nullable`` so that
// `.clear` sends JSON null and clears it.

import Foundation

/// Options of ``Database/init(path:options:)``; nil leaves the library's default.
public struct DatabaseOptions: Encodable, Hashable, Sendable {
    /// Photo and avatar size cap (default 10 MiB).
    public var maxBlobBytes: Int64?
    public var sessionLifetimeMs: Int64?
    public var sessionIdleTimeoutMs: Int64?
    public var activationTokenLifetimeMs: Int64?
    public var resetTokenLifetimeMs: Int64?
    public var maxFailedSignIns: Int64?
    public var failedSignInWindowMs: Int64?
    public var activeUserWindowMs: Int64?
    /// The product name used in mails.
    public var productName: String?
    /// Prefix of the links in mails.
    public var linkBase: String?
    /// Argon2id cost (never below the library's minimum). Low values are for tests only.
    public var passwordOpslimit: Int64?
    /// Argon2id memory in bytes (never below the library's minimum). Low values are for tests only.
    public var passwordMemlimit: Int64?

    public init(maxBlobBytes: Int64? = nil, sessionLifetimeMs: Int64? = nil,
                sessionIdleTimeoutMs: Int64? = nil, activationTokenLifetimeMs: Int64? = nil,
                resetTokenLifetimeMs: Int64? = nil, maxFailedSignIns: Int64? = nil,
                failedSignInWindowMs: Int64? = nil, activeUserWindowMs: Int64? = nil,
                productName: String? = nil, linkBase: String? = nil,
                passwordOpslimit: Int64? = nil, passwordMemlimit: Int64? = nil) {
        self.maxBlobBytes = maxBlobBytes
        self.sessionLifetimeMs = sessionLifetimeMs
        self.sessionIdleTimeoutMs = sessionIdleTimeoutMs
        self.activationTokenLifetimeMs = activationTokenLifetimeMs
        self.resetTokenLifetimeMs = resetTokenLifetimeMs
        self.maxFailedSignIns = maxFailedSignIns
        self.failedSignInWindowMs = failedSignInWindowMs
        self.activeUserWindowMs = activeUserWindowMs
        self.productName = productName
        self.linkBase = linkBase
        self.passwordOpslimit = passwordOpslimit
        self.passwordMemlimit = passwordMemlimit
    }

    /// The cheapest password hashing the library allows: fast tests, never production.
    public static let fastPasswordHashingForTests = DatabaseOptions(passwordOpslimit: 1,
                                                                    passwordMemlimit: 8192)

    enum CodingKeys: String, CodingKey {
        case maxBlobBytes = "max_blob_bytes"
        case sessionLifetimeMs = "session_lifetime_ms"
        case sessionIdleTimeoutMs = "session_idle_timeout_ms"
        case activationTokenLifetimeMs = "activation_token_lifetime_ms"
        case resetTokenLifetimeMs = "reset_token_lifetime_ms"
        case maxFailedSignIns = "max_failed_sign_ins"
        case failedSignInWindowMs = "failed_sign_in_window_ms"
        case activeUserWindowMs = "active_user_window_ms"
        case productName = "product_name"
        case linkBase = "link_base"
        case passwordOpslimit = "password_opslimit"
        case passwordMemlimit = "password_memlimit"
    }
}

/// A new account (``Database/signUp(_:)``).
public struct SignUp: Encodable, Hashable, Sendable {
    public var firstName: String
    public var lastName: String
    public var email: String
    /// 10 to 1024 bytes, not equal to the e-mail address.
    public var password: String

    public init(firstName: String, lastName: String, email: String, password: String) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case email, password
        case firstName = "first_name"
        case lastName = "last_name"
    }
}

/// Edits of the own profile (R11). The e-mail changes through
/// ``Session/requestEmailChange(to:)``; the status only by the operator.
public struct ProfilePatch: Encodable, Hashable, Sendable {
    public var firstName: String?
    public var lastName: String?
    public var newsletterOptIn: Bool?
    public var showOpenActionsOnDashboard: Bool?

    public init(firstName: String? = nil, lastName: String? = nil, newsletterOptIn: Bool? = nil,
                showOpenActionsOnDashboard: Bool? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.newsletterOptIn = newsletterOptIn
        self.showOpenActionsOnDashboard = showOpenActionsOnDashboard
    }

    enum CodingKeys: String, CodingKey {
        case firstName = "first_name"
        case lastName = "last_name"
        case newsletterOptIn = "newsletter_opt_in"
        case showOpenActionsOnDashboard = "show_open_actions_on_dashboard"
    }
}

/// A new group (R1).
public struct NewGroup: Encodable, Hashable, Sendable {
    public var id: String?
    public var name: String

    public init(name: String, id: String? = nil) {
        self.name = name
        self.id = id
    }
}

/// A new workflow step (R2); `kind` defaults to `active`.
public struct NewStep: Encodable, Hashable, Sendable {
    public var id: String?
    public var name: String
    public var kind: StepKind?

    public init(name: String, kind: StepKind? = nil, id: String? = nil) {
        self.name = name
        self.kind = kind
        self.id = id
    }
}

/// Edits of a step (R2).
public struct StepPatch: Encodable, Hashable, Sendable {
    public var name: String?
    public var kind: StepKind?

    public init(name: String? = nil, kind: StepKind? = nil) {
        self.name = name
        self.kind = kind
    }
}

/// A new shared resource (R2).
public struct NewResource: Encodable, Hashable, Sendable {
    public var id: String?
    public var name: String
    public var url: String?
    public var note: String?

    public init(name: String, url: String? = nil, note: String? = nil, id: String? = nil) {
        self.name = name
        self.url = url
        self.note = note
        self.id = id
    }
}

/// Edits of a resource (R2).
public struct ResourcePatch: Encodable, Hashable, Sendable {
    public var name: String?
    public var url: Nullable<String>?
    public var note: Nullable<String>?

    public init(name: String? = nil, url: Nullable<String>? = nil, note: Nullable<String>? = nil) {
        self.name = name
        self.url = url
        self.note = note
    }
}

/// A new project (R5).
public struct NewProject: Encodable, Hashable, Sendable {
    public var id: String?
    public var groupID: String
    public var name: String
    public var description: String?
    public var futureState: String?
    /// "YYYY-MM-DD".
    public var startDate: String?
    /// "YYYY-MM-DD", not before the start date.
    public var targetDate: String?

    public init(groupID: String, name: String, description: String? = nil,
                futureState: String? = nil, startDate: String? = nil, targetDate: String? = nil,
                id: String? = nil) {
        self.groupID = groupID
        self.name = name
        self.description = description
        self.futureState = futureState
        self.startDate = startDate
        self.targetDate = targetDate
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case groupID = "group_id"
        case futureState = "future_state"
        case startDate = "start_date"
        case targetDate = "target_date"
    }
}

/// Edits of a project.
public struct ProjectPatch: Encodable, Hashable, Sendable {
    public var name: String?
    public var description: String?
    public var futureState: String?
    public var startDate: Nullable<String>?
    public var targetDate: Nullable<String>?
    public var status: ProjectStatus?

    public init(name: String? = nil, description: String? = nil, futureState: String? = nil,
                startDate: Nullable<String>? = nil, targetDate: Nullable<String>? = nil,
                status: ProjectStatus? = nil) {
        self.name = name
        self.description = description
        self.futureState = futureState
        self.startDate = startDate
        self.targetDate = targetDate
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case name, description, status
        case futureState = "future_state"
        case startDate = "start_date"
        case targetDate = "target_date"
    }
}

/// A new action (R9); without a step it goes to the group's open step.
public struct NewAction: Encodable, Hashable, Sendable {
    public var id: String?
    public var projectID: String
    public var title: String
    public var description: String?
    public var stepID: String?
    public var ownerID: String?
    public var context: String?
    /// "YYYY-MM-DD".
    public var dueDate: String?
    /// 0–3.
    public var priority: Int?
    /// 0–100.
    public var progress: Int?
    public var indicatorID: String?
    public var impact: Double?

    public init(projectID: String, title: String, description: String? = nil,
                stepID: String? = nil, ownerID: String? = nil, context: String? = nil,
                dueDate: String? = nil, priority: Int? = nil, progress: Int? = nil,
                indicatorID: String? = nil, impact: Double? = nil, id: String? = nil) {
        self.projectID = projectID
        self.title = title
        self.description = description
        self.stepID = stepID
        self.ownerID = ownerID
        self.context = context
        self.dueDate = dueDate
        self.priority = priority
        self.progress = progress
        self.indicatorID = indicatorID
        self.impact = impact
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, context, priority, progress, impact
        case projectID = "project_id"
        case stepID = "step_id"
        case ownerID = "owner_id"
        case dueDate = "due_date"
        case indicatorID = "indicator_id"
    }
}

/// Edits of an action (R9).
public struct ActionPatch: Encodable, Hashable, Sendable {
    public var title: String?
    public var description: String?
    public var stepID: String?
    public var ownerID: Nullable<String>?
    public var context: String?
    public var dueDate: Nullable<String>?
    public var priority: Int?
    public var progress: Int?
    public var indicatorID: Nullable<String>?
    public var impact: Nullable<Double>?

    public init(title: String? = nil, description: String? = nil, stepID: String? = nil,
                ownerID: Nullable<String>? = nil, context: String? = nil,
                dueDate: Nullable<String>? = nil, priority: Int? = nil, progress: Int? = nil,
                indicatorID: Nullable<String>? = nil, impact: Nullable<Double>? = nil) {
        self.title = title
        self.description = description
        self.stepID = stepID
        self.ownerID = ownerID
        self.context = context
        self.dueDate = dueDate
        self.priority = priority
        self.progress = progress
        self.indicatorID = indicatorID
        self.impact = impact
    }

    enum CodingKeys: String, CodingKey {
        case title, description, context, priority, progress, impact
        case stepID = "step_id"
        case ownerID = "owner_id"
        case dueDate = "due_date"
        case indicatorID = "indicator_id"
    }
}

/// A new indicator of a project (R9).
public struct NewIndicator: Encodable, Hashable, Sendable {
    public var id: String?
    public var projectID: String
    public var name: String
    public var unit: String?
    public var baseline: Double?
    public var target: Double?

    public init(projectID: String, name: String, unit: String? = nil, baseline: Double? = nil,
                target: Double? = nil, id: String? = nil) {
        self.projectID = projectID
        self.name = name
        self.unit = unit
        self.baseline = baseline
        self.target = target
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case id, name, unit, baseline, target
        case projectID = "project_id"
    }
}

/// Edits of an indicator (R9).
public struct IndicatorPatch: Encodable, Hashable, Sendable {
    public var name: String?
    public var unit: String?
    public var baseline: Double?
    public var target: Double?

    public init(name: String? = nil, unit: String? = nil, baseline: Double? = nil,
                target: Double? = nil) {
        self.name = name
        self.unit = unit
        self.baseline = baseline
        self.target = target
    }
}

/// Options of a new photo.
public struct PhotoOptions: Encodable, Hashable, Sendable {
    public var id: String?
    public var caption: String?
    /// When it was taken, ms since the epoch.
    public var takenAt: Int64?

    public init(caption: String? = nil, takenAt: Int64? = nil, id: String? = nil) {
        self.caption = caption
        self.takenAt = takenAt
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case id, caption
        case takenAt = "taken_at"
    }
}

/// One anonymous usage event (nothing that identifies the user).
public struct UsageEvent: Encodable, Hashable, Sendable {
    public var event: String
    public var platform: String?
    public var osVersion: String?
    public var appVersion: String?
    public var deviceClass: String?

    public init(event: String, platform: String? = nil, osVersion: String? = nil,
                appVersion: String? = nil, deviceClass: String? = nil) {
        self.event = event
        self.platform = platform
        self.osVersion = osVersion
        self.appVersion = appVersion
        self.deviceClass = deviceClass
    }

    enum CodingKeys: String, CodingKey {
        case event, platform
        case osVersion = "os_version"
        case appVersion = "app_version"
        case deviceClass = "device_class"
    }
}
