// The group spreadsheet, backup and restore, and the project report with its e-mail (export.h;
// docs/export.md, docs/backup-format.md). R7, R10, R13, R15 guard them.
//
// The calls that take a progress closure throw untyped errors: a ``LeanDeskError``, or whatever
// the closure threw (which cancelled the work). Every other call throws `LeanDeskError` only.

internal import CLeanDesk
import Foundation

/// A project report (R15), as ``Session/projectReport(_:)`` renders it.
public struct ProjectReport: Codable, Hashable, Sendable {
    /// A printable, self-contained HTML page (inline style, an SVG chart per indicator).
    public var html: String
    /// The same content as plain text.
    public var text: String

    public init(html: String, text: String) {
        self.html = html
        self.text = text
    }
}

/// The file-system path of a file URL; anything else is refused before reaching the library.
func filePath(_ url: URL, _ what: String) throws(LeanDeskError) -> String {
    guard url.isFileURL else {
        throw LeanDeskError(code: .invalidArgument, message: "\(what) must be a file URL, not \(url)")
    }
    return url.path
}

extension Session {
    /// Writes the group's spreadsheet (.xlsx) to `file`: sheets Group, Members, Steps, Projects,
    /// Participants, Actions, Comments, Indicators and Indicator weeks (docs/export.md).
    ///
    /// Only the group manager may export (R10; a non-member is refused by R13). The file is
    /// written under a temporary name beside `file` and renamed into place when complete: a
    /// failure or a cancel leaves nothing, and an existing file is replaced only on success.
    /// `progress` counts rows.
    ///
    /// Throws ``LeanDeskError`` — ``LeanDeskErrorCode/permissionDenied``,
    /// ``LeanDeskErrorCode/notFound``, ``LeanDeskErrorCode/invalidArgument`` (e.g. `file` is a
    /// folder), ``LeanDeskErrorCode/io``, ``LeanDeskErrorCode/cancelled`` — or the error
    /// `progress` threw.
    public func exportGroupXLSX(groupID: String, to file: URL,
                                progress: LeanDeskProgress? = nil) throws {
        let path = try filePath(file, "the spreadsheet")
        try runWithProgress(progress) { fn, userdata in
            ld_group_export_xlsx(handle, groupID, path, fn, userdata)
        }
    }

    /// Writes a full backup of the group, photos included, into the new folder `folder`
    /// (`group.json` and `photos/`, docs/backup-format.md). The folder must not exist; it appears
    /// only when complete. Only the group manager may back up a group (R7, R10). `progress`
    /// counts records and files.
    ///
    /// Throws ``LeanDeskError`` — ``LeanDeskErrorCode/permissionDenied``,
    /// ``LeanDeskErrorCode/notFound``, ``LeanDeskErrorCode/conflict`` (`folder` exists),
    /// ``LeanDeskErrorCode/io``, ``LeanDeskErrorCode/cancelled`` — or the error `progress` threw.
    public func backupGroup(groupID: String, to folder: URL,
                            progress: LeanDeskProgress? = nil) throws {
        let path = try filePath(folder, "the backup folder")
        try runWithProgress(progress) { fn, userdata in
            ld_group_backup(handle, groupID, path, fn, userdata)
        }
    }

    /// Restores the backup in `folder` as a new group: fresh ids, the caller as its manager,
    /// people matched by e-mail (R16). Everything is checked before anything is written and the
    /// group is written in one transaction, so a damaged or hostile backup, a failure or a cancel
    /// changes nothing. `progress` counts records and files. Returns the new group.
    ///
    /// Throws ``LeanDeskError`` — ``LeanDeskErrorCode/corrupt`` (the message says what is wrong),
    /// ``LeanDeskErrorCode/notFound`` (no folder), ``LeanDeskErrorCode/permissionDenied`` (R1),
    /// ``LeanDeskErrorCode/conflict`` (this database is a sync replica: restore on the server),
    /// ``LeanDeskErrorCode/cancelled``, ``LeanDeskErrorCode/io`` — or the error `progress` threw.
    @discardableResult
    public func restoreGroup(from folder: URL, progress: LeanDeskProgress? = nil) throws -> Group {
        let path = try filePath(folder, "the backup folder")
        var out: CStringOut = nil
        defer { ld_string_free(out) }
        try runWithProgress(progress) { fn, userdata in
            ld_group_restore(&out, handle, path, fn, userdata)
        }
        guard let out else {
            throw LeanDeskError(code: .internalError, message: "ld_group_restore returned no group")
        }
        return try decodeResult(Group.self, from: String(cString: out))
    }

    /// Renders the project report (R15) as a printable HTML page and as plain text: header,
    /// summary by step, overdue actions, actions by step, indicators, participants. Any
    /// participant (R8) or the group manager (R7) may render it.
    ///
    /// Throws ``LeanDeskErrorCode/notFound`` (no such project, or not visible to the caller),
    /// ``LeanDeskErrorCode/permissionDenied``, ``LeanDeskErrorCode/invalidArgument``.
    public func projectReport(_ projectID: String) throws(LeanDeskError) -> ProjectReport {
        var html: CStringOut = nil
        var text: CStringOut = nil
        defer {
            ld_string_free(html)
            ld_string_free(text)
        }
        try check(ld_project_report(&html, &text, handle, projectID))
        guard let html, let text else {
            throw LeanDeskError(code: .internalError, message: "ld_project_report returned no report")
        }
        return ProjectReport(html: String(cString: html), text: String(cString: text))
    }

    /// E-mails the project report (HTML with a plain-text alternative) to each of `recipientIDs`,
    /// who must all be participants of the project, activated or not (R15). Only a participant
    /// may send it; the check runs before any mail goes. The mail goes through
    /// ``Database/setMailSender(_:)`` when one is set, else through the database's SMTP
    /// configuration, on the calling thread.
    ///
    /// Throws ``LeanDeskErrorCode/permissionDenied`` (R15), ``LeanDeskErrorCode/invalidArgument``
    /// (empty list), ``LeanDeskErrorCode/notFound``, ``LeanDeskErrorCode/io`` (no mail sender),
    /// ``LeanDeskErrorCode/network`` (the SMTP server could not be reached or refused the mail;
    /// the message says how many recipients already had it), ``LeanDeskErrorCode/authenticationFailed``
    /// (the SMTP server refused the credentials).
    public func sendProjectReport(_ projectID: String, to recipientIDs: [String]) throws(LeanDeskError) {
        let json = try encodeArgument(recipientIDs)
        try check(ld_project_report_send(handle, projectID, json))
    }
}
