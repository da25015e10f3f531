#include "server/http_server.hpp"

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/http_layer.hpp"

namespace leandesk::server {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

namespace {

/// The worker threads and their bounded queue of requests.
class WorkerPool {
  public:
    WorkerPool(int threads, std::size_t capacity) : capacity_(capacity) {
        try {
            for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
        } catch (...) {
            shutdown();  // the threads made so far are joined, not left to terminate()
            throw;
        }
    }
    ~WorkerPool() { shutdown(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// False when the queue is full (or the pool stopped): the caller answers 503.
    bool try_submit(std::function<void()> job) {
        std::lock_guard lock(mutex_);
        if (stopped_ || queue_.size() >= capacity_) return false;
        queue_.push_back(std::move(job));
        wake_.notify_one();
        return true;
    }

    /// Waits for the jobs running now; the ones still queued are dropped.
    void shutdown() {
        std::deque<std::function<void()>> dropped;
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
            dropped.swap(queue_);
        }
        wake_.notify_all();
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
        dropped.clear();  // outside the lock: dropping a job may close its connection
    }

  private:
    void loop() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
                if (stopped_) return;
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            job();
        }
    }

    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopped_ = false;
    std::vector<std::thread> threads_;
};

std::string address_text(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return "unknown";
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    return address.to_string();
}

class Connection;

}  // namespace

struct HttpServer::Impl {
    Impl(const Config& c, Log& l, Handler h)
        : config(c),
          log(l),
          handler(std::move(h)),
          limits(HttpLimits::from(c)),
          io(c.io_threads),
          acceptor(net::make_strand(io)),
          accept_retry(acceptor.get_executor()),
          stop_timer(acceptor.get_executor()) {}

    void accept();
    void on_accept(const boost::system::error_code& ec, tcp::socket socket);
    void begin_stop();
    void check_stop(std::chrono::steady_clock::time_point deadline);
    /// Counts a new connection from `address`, or says why it is refused (nullptr: admitted).
    const char* admit(const std::string& address);
    void release(const std::string& address, const Connection* connection);
    void close_all_idle();

    const Config& config;
    Log& log;
    Handler handler;
    HttpLimits limits;

    std::mutex connections_mutex;
    std::unordered_map<std::string, int> per_address;
    int total = 0;
    std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections;

    std::atomic<bool> stopping{false};
    std::atomic<int> in_flight{0};  // requests handed to a worker whose answer is not yet sent

    ssl::context tls{ssl::context::tls_server};
    net::io_context io;
    tcp::acceptor acceptor;
    net::steady_timer accept_retry;
    net::steady_timer stop_timer;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
    std::unique_ptr<WorkerPool> pool;
};

namespace {

/// One client connection: TLS handshake, then requests one after the other (keep-alive), each
/// read with its deadlines, run on a worker, answered; all on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(HttpServer::Impl& server, tcp::socket socket, std::string address)
        : server_(server),
          stream_(beast::tcp_stream(std::move(socket)), server.tls),
          buffer_(server.limits.max_header_bytes + 65536),
          address_(std::move(address)) {}

    ~Connection() { server_.release(address_, this); }

    void start() {
        {
            std::lock_guard lock(server_.connections_mutex);
            server_.connections.emplace(this, weak_from_this());
        }
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->handshake(); });
    }

    /// Server stop: a connection with no request in flight closes now.
    void stop() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->state_ != State::working && self->state_ != State::writing &&
                self->state_ != State::closing)
                self->close();
        });
    }

  private:
    enum class State { handshake, idle, header, body, working, writing, closing, closed };

    beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

    void timed_out(const char* phase) {
        server_.log.write(LogLevel::info, "connection_timeout",
                          Json{{"address", address_}, {"phase", phase}});
        close();
    }

    void handshake() {
        state_ = State::handshake;
        tcp().expires_after(milliseconds(server_.config.handshake_timeout_ms));
        stream_.async_handshake(ssl::stream_base::server,
                                [self = shared_from_this()](const boost::system::error_code& ec) {
                                    self->on_handshake(ec);
                                });
    }

    void on_handshake(const boost::system::error_code& ec) {
        if (ec == beast::error::timeout) return timed_out("handshake");
        if (ec) {
            server_.log.write(LogLevel::info, "tls_handshake_failed",
                              Json{{"address", address_}, {"reason", ec.message()}});
            return close();
        }
        wait_request();
    }

    /// Keep-alive: waits (idle deadline) for the first bytes of the next request.
    void wait_request() {
        if (server_.stopping) return close();
        if (buffer_.size() > 0) return read_header();  // pipelined: already here
        state_ = State::idle;
        buffer_.shrink_to_fit();  // an idle connection keeps no large buffer
        tcp().expires_after(milliseconds(server_.config.idle_timeout_ms));
        stream_.async_read_some(
            buffer_.prepare(512),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                self->on_first_bytes(ec, n);
            });
    }

    void on_first_bytes(const boost::system::error_code& ec, std::size_t n) {
        if (ec == beast::error::timeout) return timed_out("idle");
        if (ec) return close();
        buffer_.commit(n);
        read_header();
    }

    void read_header() {
        state_ = State::header;
        parser_.emplace();
        apply_limits(*parser_, server_.limits);
        tcp().expires_after(milliseconds(server_.config.header_timeout_ms));
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](const boost::system::error_code& ec,
                                                            std::size_t) { self->on_header(ec); });
    }

    void on_header(const boost::system::error_code& ec) {
        if (ec == beast::error::timeout) return timed_out("header");
        if (const int status = refusal_status(ec); status != 0) return refuse(status, ec.message());
        if (ec) return close();
        if (const int status = check_header(parser_->get(), server_.limits); status != 0)
            return refuse(status, "header field count or length");
        if (parser_->is_done()) return dispatch();
        const auto expect = parser_->get()[http::field::expect];
        if (beast::iequals(expect, "100-continue")) {
            auto go_on = std::make_shared<http::response<http::empty_body>>(
                http::status::continue_, parser_->get().version());
            state_ = State::body;
            tcp().expires_after(milliseconds(server_.config.write_timeout_ms));
            http::async_write(stream_, *go_on,
                              [self = shared_from_this(), go_on](const boost::system::error_code& e,
                                                                 std::size_t) {
                                  if (e) return self->close();
                                  self->read_body();
                              });
            return;
        }
        read_body();
    }

    void read_body() {
        state_ = State::body;
        tcp().expires_after(milliseconds(server_.config.body_timeout_ms));
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](const boost::system::error_code& ec,
                                                     std::size_t) { self->on_body(ec); });
    }

    void on_body(const boost::system::error_code& ec) {
        if (ec == beast::error::timeout) return timed_out("body");
        if (const int status = refusal_status(ec); status != 0) return refuse(status, ec.message());
        if (ec) return close();
        dispatch();
    }

    /// Hands the request to a worker; its answer comes back on this connection's strand.
    void dispatch() {
        state_ = State::working;
        tcp().expires_never();
        const bool keep_alive = parser_->keep_alive();
        const unsigned version = parser_->get().version();
        auto request = std::make_shared<OwnedRequest>(to_owned(parser_->release(), address_));
        parser_.reset();
        ++server_.in_flight;
        const bool queued = server_.pool->try_submit(
            [self = shared_from_this(), request, keep_alive, version]() mutable {
                ApiReply reply;
                try {
                    reply = self->server_.handler(request->view());
                } catch (...) {
                    reply = refusal_reply(500);
                    reply.status = 500;
                }
                const bool head = request->head;
                request.reset();  // the body goes now, not after the answer
                net::post(self->stream_.get_executor(),
                          [self, reply = std::move(reply), keep_alive, version, head]() mutable {
                              self->answer(reply, version, keep_alive, head, true);
                          });
            });
        if (!queued) {
            --server_.in_flight;
            server_.log.write(LogLevel::warning, "request_refused",
                              Json{{"address", address_},
                                   {"status", 503},
                                   {"reason", "the request queue is full"}});
            answer(refusal_reply(503), version, keep_alive, request->head, false);
        }
    }

    void answer(const ApiReply& reply, unsigned version, bool keep_alive, bool head, bool counted) {
        if (server_.stopping) keep_alive = false;
        response_ = std::make_shared<Response>(to_response(reply, version, keep_alive, head));
        state_ = State::writing;
        tcp().expires_after(milliseconds(server_.config.write_timeout_ms));
        http::async_write(stream_, *response_,
                          [self = shared_from_this(), keep_alive, counted](
                              const boost::system::error_code& ec, std::size_t) {
                              if (counted) --self->server_.in_flight;
                              self->response_.reset();
                              if (ec == beast::error::timeout) return self->timed_out("write");
                              if (ec) return self->close();
                              if (!keep_alive) return self->linger_close();
                              self->wait_request();
                          });
    }

    /// A request refused before routing: logged, answered, and the connection closed.
    void refuse(int status, const std::string& reason) {
        server_.log.write(LogLevel::warning, "request_refused",
                          Json{{"address", address_}, {"status", status}, {"reason", reason}});
        const unsigned version =
            parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
        parser_.reset();
        buffer_.clear();
        answer(refusal_reply(status), version, false, false, false);
    }

    /// Closes after the last answer without losing it: no more sending, then whatever the client
    /// still sends is read and dropped for a moment (closing with unread data would reset the
    /// connection, and the client might never see the answer).
    void linger_close() {
        state_ = State::closing;
        boost::system::error_code ignored;
        tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
        tcp().expires_after(milliseconds(server_.stopping ? 200 : 2000));
        drain_ = std::make_unique<std::array<char, 4096>>();
        drain();
    }

    void drain() {
        tcp().async_read_some(
            net::buffer(*drain_),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (ec) return self->close();
                self->drain();
            });
    }

    void close() {
        state_ = State::closed;
        tcp().close();
    }

    HttpServer::Impl& server_;
    ssl::stream<beast::tcp_stream> stream_;
    beast::flat_buffer buffer_;
    std::optional<RequestParser> parser_;
    std::shared_ptr<Response> response_;
    std::unique_ptr<std::array<char, 4096>> drain_;
    std::string address_;
    State state_ = State::handshake;
};

}  // namespace

const char* HttpServer::Impl::admit(const std::string& address) {
    std::lock_guard lock(connections_mutex);
    if (total >= config.max_connections) return "max_connections";
    int& n = per_address[address];
    if (n >= config.max_connections_per_address) {
        if (n == 0) per_address.erase(address);
        return "max_connections_per_address";
    }
    ++n;
    ++total;
    return nullptr;
}

void HttpServer::Impl::release(const std::string& address, const Connection* connection) {
    std::lock_guard lock(connections_mutex);
    connections.erase(connection);
    --total;
    if (auto it = per_address.find(address); it != per_address.end() && --it->second <= 0)
        per_address.erase(it);
}

void HttpServer::Impl::accept() {
    acceptor.async_accept(net::make_strand(io),
                          [self = this](const boost::system::error_code& ec, tcp::socket socket) {
                              self->on_accept(ec, std::move(socket));
                          });
}

void HttpServer::Impl::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
    if (stopping || !acceptor.is_open()) return;
    if (ec) {
        // Out of descriptors (or memory): wait a little rather than spin on the error.
        log.write(LogLevel::error, "accept_failed", Json{{"reason", ec.message()}});
        accept_retry.expires_after(milliseconds(100));
        accept_retry.async_wait([self = this](const boost::system::error_code& e) {
            if (!e && !self->stopping) self->accept();
        });
        return;
    }
    std::string address = address_text(socket);
    if (const char* refused = admit(address)) {
        log.write(LogLevel::warning, "connection_refused",
                  Json{{"address", address}, {"reason", refused}});
        boost::system::error_code ignored;
        socket.close(ignored);
    } else {
        // An answer goes out as soon as it is written: Asio's TLS stream writes a response's
        // header and body as two records, and Nagle would hold the second for the client's
        // delayed ACK (40 ms a request).
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Connection>(*this, std::move(socket), std::move(address))->start();
    }
    accept();
}

void HttpServer::Impl::close_all_idle() {
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(connections_mutex);
        for (auto& [key, weak] : connections) {
            if (auto c = weak.lock()) open.push_back(std::move(c));
        }
    }
    for (auto& c : open) c->stop();
}

void HttpServer::Impl::begin_stop() {
    stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
    close_all_idle();
    check_stop(std::chrono::steady_clock::now() + milliseconds(config.shutdown_timeout_ms));
}

void HttpServer::Impl::check_stop(std::chrono::steady_clock::time_point deadline) {
    if (in_flight == 0) {
        close_all_idle();  // those that finished an answer since
        work.reset();      // run() returns once the last connection is closed
        return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
        log.write(LogLevel::warning, "stop_timeout",
                  Json{{"requests_in_flight", in_flight.load()}});
        io.stop();
        return;
    }
    stop_timer.expires_after(milliseconds(20));
    stop_timer.async_wait(
        [self = this, deadline](const boost::system::error_code&) { self->check_stop(deadline); });
}

HttpServer::HttpServer(const Config& config, Log& log, Handler handler)
    : impl_(std::make_unique<Impl>(config, log, std::move(handler))) {}

HttpServer::~HttpServer() {
    if (impl_->pool) impl_->pool->shutdown();
}

bool HttpServer::open() {
    Impl& s = *impl_;
    try {
        s.tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                          ssl::context::single_dh_use);
        SSL_CTX* ctx = s.tls.native_handle();
        // TLS 1.2 at least, whatever the system's OpenSSL policy allows.
        if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
            throw std::runtime_error("cannot set the minimum TLS version");
        // Idle connections give their TLS record buffers back.
        SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
        s.tls.use_certificate_chain_file(s.config.tls_cert);
        s.tls.use_private_key_file(s.config.tls_key, ssl::context::pem);
        if (SSL_CTX_check_private_key(ctx) != 1)
            throw std::runtime_error("the key does not match the certificate");
    } catch (const std::exception& e) {
        s.log.write(LogLevel::error, "tls_setup_failed",
                    Json{{"cert", s.config.tls_cert}, {"reason", e.what()}});
        return false;
    }
    try {
        const tcp::endpoint endpoint(net::ip::make_address(s.config.listen_address),
                                     static_cast<unsigned short>(s.config.port));
        s.acceptor.open(endpoint.protocol());
        s.acceptor.set_option(net::socket_base::reuse_address(true));
        s.acceptor.bind(endpoint);
        s.acceptor.listen(net::socket_base::max_listen_connections);
    } catch (const std::exception& e) {
        s.log.write(LogLevel::error, "bind_failed",
                    Json{{"address", s.config.listen_address},
                         {"port", s.config.port},
                         {"reason", e.what()}});
        return false;
    }
    return true;
}

void HttpServer::run() {
    Impl& s = *impl_;
    s.pool = std::make_unique<WorkerPool>(s.config.threads,
                                          static_cast<std::size_t>(s.config.max_queued_requests));
    s.work.emplace(s.io.get_executor());
    net::post(s.acceptor.get_executor(), [self = impl_.get()] { self->accept(); });
    std::vector<std::thread> threads;
    for (int i = 1; i < s.config.io_threads; ++i) threads.emplace_back([&s] { s.io.run(); });
    s.io.run();
    for (auto& t : threads) t.join();
    s.pool->shutdown();
}

void HttpServer::stop() {
    net::post(impl_->acceptor.get_executor(), [self = impl_.get()] {
        if (!self->stopping) self->begin_stop();
    });
}

}  // namespace leandesk::server
