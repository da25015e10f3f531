package com.leandesk

import org.json.JSONObject
import java.io.ByteArrayInputStream
import java.io.Closeable
import java.io.File
import java.io.IOException
import java.net.InetAddress
import java.net.ServerSocket
import java.net.URL
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.util.concurrent.TimeUnit
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory

/**
 * A real `leandesk-server` process on loopback over TLS, for the sync tests; the same set-up as
 * tests/sync/sync_e2e_test.cpp. The binary comes from the environment variable LEANDESK_SERVER
 * (scripts/test.sh exports it). A CA, a server certificate it signs (for localhost and 127.0.0.1)
 * and an unrelated CA are made with the `openssl` command in a scratch directory. The port is a free
 * one the system picks; readiness is an HTTPS answer from `/v1/health`. Accounts are made through
 * the HTTP API and activated with the code of the mail the server writes to its pickup directory.
 * [close] stops the process (SIGTERM, then SIGKILL) and removes the directory.
 */
class SyncServer private constructor(val dir: File) : Closeable {
    /** The CA that signed the server's certificate (PEM), for [Database.openReplica]. */
    val caFile = File(dir, "ca.pem")
    /** A CA that signed nothing the server holds. */
    val unknownCaFile = File(dir, "other.pem")
    private val mailDir = File(dir, "mail")
    private val log = File(dir, "server.log")
    private var process: Process? = null
    private val killer = Thread { process?.destroyForcibly() }
    var port = 0
        private set

    val url: String
        get() = "https://localhost:$port"

    private val tls: SSLContext by lazy {
        val cert = CertificateFactory.getInstance("X.509").generateCertificate(ByteArrayInputStream(caFile.readBytes()))
        val store = KeyStore.getInstance(KeyStore.getDefaultType())
        store.load(null, null)
        store.setCertificateEntry("leandesk-test-ca", cert)
        val trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
        trust.init(store)
        SSLContext.getInstance("TLS").apply { init(null, trust.trustManagers, null) }
    }

    private fun makeCertificates() {
        File(dir, "ext.cnf").writeText("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        val days = listOf("-days", "2")
        run(listOf("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem") +
            days + listOf("-subj", "/CN=LeanDesk Test CA"))
        run(listOf("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.pem") +
            days + listOf("-subj", "/CN=Unknown CA"))
        run(listOf("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=localhost"))
        run(listOf("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-extfile", "ext.cnf") + days)
    }

    private fun run(command: List<String>) {
        val out = File(dir, "openssl.log")
        val p = ProcessBuilder(command).directory(dir).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out)).start()
        check(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
            "${command.joinToString(" ")} failed:\n${out.readText()}"
        }
    }

    private fun freePort(): Int =
        ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")).use { it.localPort }

    private fun writeConfig(sessionLifetimeMs: Long) {
        val config = JSONObject()
            .put("listen_address", "127.0.0.1")
            .put("port", port)
            .put("tls_cert", File(dir, "server.pem").path)
            .put("tls_key", File(dir, "server.key").path)
            .put("database", File(dir, "server.db").path)
            .put("mail_pickup_dir", mailDir.path)
            .put("password_opslimit", 1)
            .put("password_memlimit", 8192)
            .put("session_lifetime_ms", sessionLifetimeMs)
        File(dir, "config.json").writeText(config.toString())
    }

    /** Starts the server on a free port; another port is tried when the chosen one was taken meanwhile. */
    private fun start(binary: String) {
        Runtime.getRuntime().addShutdownHook(killer)
        for (attempt in 1..5) {
            port = freePort()
            writeConfig(3_600_000)
            val p = ProcessBuilder(binary, "--config", File(dir, "config.json").path)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start()
            process = p
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
            while (System.nanoTime() < deadline) {
                if (!p.isAlive) break
                if (healthy()) return
                Thread.sleep(50)
            }
            p.destroyForcibly()
            p.waitFor(10, TimeUnit.SECONDS)
            process = null
            if (!log.readText().contains("bind_failed")) break // not a port race: give up
        }
        throw AssertionError("leandesk-server did not start; its log ($log):\n${log.readText()}")
    }

    private fun healthy(): Boolean = try {
        val c = connection("/v1/health")
        c.connectTimeout = 1000
        c.readTimeout = 2000
        val ok = c.responseCode == 200
        c.disconnect()
        ok
    } catch (e: IOException) {
        false
    }

    private fun connection(path: String): HttpsURLConnection {
        val c = URL(url + path).openConnection() as HttpsURLConnection
        c.sslSocketFactory = tls.socketFactory
        return c
    }

    /** POSTs a JSON body to the server's HTTP API; returns the status code and the body. */
    fun post(path: String, body: JSONObject): Pair<Int, String> {
        val c = connection(path)
        c.requestMethod = "POST"
        c.doOutput = true
        c.setRequestProperty("Content-Type", "application/json")
        c.outputStream.use { it.write(body.toString().toByteArray(Charsets.UTF_8)) }
        val code = c.responseCode
        val stream = if (code < 400) c.inputStream else c.errorStream
        val text = stream?.use { String(it.readBytes(), Charsets.UTF_8) } ?: ""
        c.disconnect()
        return code to text
    }

    /** Signs up on the server and activates the account with the mailed code. */
    fun account(email: String, first: String, last: String, password: String = PASSWORD) {
        val (status, reply) = post(
            "/v1/accounts",
            JSONObject().put("email", email).put("first_name", first).put("last_name", last).put("password", password)
        )
        check(status in 200..299) { "sign-up of $email failed: $status $reply" }
        val code = activationCode(email)
        val (activated, answer) = post("/v1/accounts/activate", JSONObject().put("code", code))
        check(activated in 200..299) { "activation of $email failed: $activated $answer" }
    }

    /** The code of the newest mail to [email] in the pickup directory: its line that starts with 4 spaces. */
    private fun activationCode(email: String): String {
        val mails = (mailDir.listFiles { f -> f.name.endsWith(".eml") } ?: emptyArray())
            .map { it.readText() }.filter { it.contains(email) }
        val text = mails.lastOrNull() ?: throw AssertionError("no mail to $email in $mailDir")
        val line = text.lines().firstOrNull { it.startsWith("    ") } ?: throw AssertionError("no code in the mail to $email")
        return line.trim()
    }

    override fun close() {
        val p = process
        process = null
        if (p != null) {
            p.destroy() // SIGTERM: the server stops cleanly
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly()
                p.waitFor(10, TimeUnit.SECONDS)
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer)
        } catch (ignored: IllegalStateException) {
            // The JVM is shutting down: the hook runs anyway.
        }
        dir.deleteRecursively()
    }

    companion object {
        /**
         * Starts a server from the binary named by LEANDESK_SERVER; fails with a clear message when
         * the variable is missing or names no executable.
         */
        fun start(): SyncServer {
            val binary = System.getenv("LEANDESK_SERVER")
            if (binary.isNullOrEmpty()) {
                throw AssertionError(
                    "LEANDESK_SERVER is not set: the sync tests need the leandesk-server binary " +
                        "(scripts/test.sh sets it; e.g. LEANDESK_SERVER=build/src/server/leandesk-server)"
                )
            }
            if (!File(binary).canExecute()) throw AssertionError("LEANDESK_SERVER=$binary is not an executable file")
            val dir = tempDir("sync-server")
            File(dir, "mail").mkdirs()
            val server = SyncServer(dir)
            try {
                server.makeCertificates()
                server.start(binary)
            } catch (t: Throwable) {
                server.close()
                throw t
            }
            return server
        }
    }
}
