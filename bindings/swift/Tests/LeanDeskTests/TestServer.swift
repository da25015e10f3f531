// A real `leandesk-server` for the sync tests: started with Foundation's Process on loopback over
// TLS, with a CA and a server certificate made in a temporary folder by the `openssl` command, as
// tests/sync/sync_e2e_test.cpp does. The binary comes from LEANDESK_SERVER (scripts/test.sh sets
// it); without it the tests fail with a message that says so.

import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct HarnessError: Error, CustomStringConvertible {
    let description: String
}

/// Runs a program to its end; returns its exit status and standard output.
@discardableResult
func run(_ program: String, _ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    if let folder { process.currentDirectoryURL = folder }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, data)
}

/// A port on the loopback interface that was free a moment ago (the kernel's choice).
func freeLoopbackPort() throws -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw HarnessError(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    guard bound else { throw HarnessError(description: "cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

final class TestServer {
    static let password = "correct horse battery"

    let folder: URL
    private(set) var port = 0
    private let binary: String
    private var process: Process?

    /// The CA that signed the server's certificate, and one that did not.
    var caFile: URL { folder.appendingPathComponent("ca.pem") }
    var unknownCAFile: URL { folder.appendingPathComponent("other.pem") }
    var url: URL { URL(string: "https://localhost:\(port)")! }
    var mailFolder: URL { folder.appendingPathComponent("mail") }

    /// Makes the certificates and the configuration, and starts the server.
    init() throws {
        guard let binary = ProcessInfo.processInfo.environment["LEANDESK_SERVER"], !binary.isEmpty else {
            throw HarnessError(description:
                "LEANDESK_SERVER is not set: point it at the leandesk-server binary (scripts/test.sh sets it to <build>/src/server/leandesk-server)")
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw HarnessError(description: "LEANDESK_SERVER=\(binary) is not an executable file")
        }
        self.binary = binary
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("leandesk-swift-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mailFolder, withIntermediateDirectories: true)
        try makeCertificates()
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    private func makeCertificates() throws {
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", "/CN=LeanDesk Test CA"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.pem",
             "-days", "2", "-subj", "/CN=Unknown CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"],
        ]
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
            .write(to: folder.appendingPathComponent("ext.cnf"), atomically: true, encoding: .utf8)
        for step in steps {
            let result = try run("openssl", step, in: folder)
            guard result.status == 0 else {
                throw HarnessError(description: "openssl \(step.joined(separator: " ")) failed (\(result.status))")
            }
        }
    }

    private func writeConfig() throws {
        let config: [String: Any] = [
            "listen_address": "127.0.0.1",
            "port": port,
            "tls_cert": folder.appendingPathComponent("server.pem").path,
            "tls_key": folder.appendingPathComponent("server.key").path,
            "database": folder.appendingPathComponent("server.db").path,
            "mail_pickup_dir": mailFolder.path,
            "password_opslimit": 1,
            "password_memlimit": 8192,
            "session_lifetime_ms": 3_600_000,
            "requests_per_minute": 100_000,
        ]
        try JSONSerialization.data(withJSONObject: config)
            .write(to: folder.appendingPathComponent("config.json"))
    }

    /// Starts the server (again, on the same port and database, after ``stop()``) and waits until
    /// it answers `/v1/health`. A first start takes a free port; should another program take it
    /// in between, the server exits and the next port is tried.
    func start() throws {
        precondition(process == nil, "the server is running")
        let firstStart = port == 0
        for _ in 0..<5 {
            if firstStart {
                port = try freeLoopbackPort()
                try writeConfig()
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--config", folder.appendingPathComponent("config.json").path]
            let log = folder.appendingPathComponent("server.log")
            if !FileManager.default.fileExists(atPath: log.path) {
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            }
            let logHandle = try FileHandle(forWritingTo: log)
            logHandle.seekToEndOfFile()
            process.standardError = logHandle
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            try? logHandle.close()  // the child has its own copy
            self.process = process
            for _ in 0..<200 {  // up to about 10 s on a loaded machine
                if !process.isRunning { break }
                if try run("curl", ["-s", "-o", "/dev/null", "--cacert", caFile.path,
                                    url.appendingPathComponent("v1/health").absoluteString]).status == 0 {
                    return
                }
                usleep(50_000)
            }
            stop()
            if !firstStart { break }
        }
        let log = (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
        throw HarnessError(description: "leandesk-server did not start; its log:\n\(log.suffix(2000))")
    }

    /// Stops the server with SIGTERM (SIGKILL if it has not exited after 10 s) and waits for it.
    func stop() {
        guard let process else { return }
        self.process = nil
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The server's public-key pin in curl's syntax, "sha256//<base64 of the key's SHA-256>".
    func publicKeyPin() throws -> String {
        let result = try run("sh", ["-c", "openssl x509 -in server.pem -pubkey -noout | openssl pkey -pubin -outform der"
                                          + " | openssl dgst -sha256 -binary | base64"], in: folder)
        let base64 = String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, base64.count == 44 else {
            throw HarnessError(description: "cannot compute the server's key pin")
        }
        return "sha256//" + base64
    }

    /// POSTs JSON to the server's HTTP API with curl; returns the HTTP status.
    @discardableResult
    func post(_ path: String, _ body: [String: String]) throws -> Int {
        let data = try JSONSerialization.data(withJSONObject: body)
        let result = try run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", caFile.path,
                                      "-H", "Content-Type: application/json", "-X", "POST",
                                      "--data-binary", String(decoding: data, as: UTF8.self),
                                      url.absoluteString + path])
        return Int(String(decoding: result.output, as: UTF8.self)) ?? 0
    }

    /// Signs up and activates an account through the HTTP API, with the code from the activation
    /// mail the server wrote to its pickup folder (the text line indented by four spaces).
    func account(_ email: String, first: String, last: String) throws {
        let signUp = try post("/v1/accounts", ["email": email, "first_name": first, "last_name": last,
                                               "password": Self.password])
        guard (200..<300).contains(signUp) else { throw HarnessError(description: "sign-up of \(email): HTTP \(signUp)") }
        var code: String?
        for name in try FileManager.default.contentsOfDirectory(atPath: mailFolder.path).sorted()
        where name.hasSuffix(".eml") {
            let text = try String(contentsOf: mailFolder.appendingPathComponent(name), encoding: .utf8)
            guard text.contains("To: \(email)") || text.contains("<\(email)>") else { continue }
            let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            code = body.components(separatedBy: .newlines).first { $0.hasPrefix("    ") }?
                .trimmingCharacters(in: .whitespaces)
        }
        guard let code else { throw HarnessError(description: "no activation mail to \(email)") }
        let activated = try post("/v1/accounts/activate", ["code": code])
        guard (200..<300).contains(activated) else { throw HarnessError(description: "activation of \(email): HTTP \(activated)") }
    }
}
