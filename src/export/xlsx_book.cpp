#include "export/xlsx_book.hpp"

#include <charconv>
#include <ctime>

#include "common/error.hpp"

namespace leandesk::exports {
namespace {

[[noreturn]] void fail(lxw_error err, const char* what) {
    throw Error(Errc::io, std::string("spreadsheet: ") + what + ": " + lxw_strerror(err));
}

int parse_int(std::string_view s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

}  // namespace

double excel_serial(Millis ms) {
    // 25569 is 1970-01-01 in Excel's 1900 date system (valid after 1900-03-01, which any
    // timestamp of this program is).
    return 25569.0 + static_cast<double>(ms) / 86400000.0;
}

XlsxSheet::XlsxSheet(XlsxBook& book, lxw_worksheet* sheet, std::size_t columns)
    : book_(&book), sheet_(sheet), columns_(static_cast<std::uint16_t>(columns)) {}

void XlsxSheet::check(lxw_error err) {
    if (err != LXW_NO_ERROR) fail(err, "cannot write a cell");
}

void XlsxSheet::row() {
    ++row_;
    col_ = 0;
}

void XlsxSheet::text(const char* value) {
    if (*value != '\0') check(worksheet_write_string(sheet_, row_, col_, value, nullptr));
    ++col_;
}

void XlsxSheet::number(double value) {
    check(worksheet_write_number(sheet_, row_, col_, value, nullptr));
    ++col_;
}

void XlsxSheet::optional_number(const std::optional<double>& value) {
    if (value) check(worksheet_write_number(sheet_, row_, col_, *value, nullptr));
    ++col_;
}

void XlsxSheet::boolean(bool value) {
    check(worksheet_write_boolean(sheet_, row_, col_, value ? 1 : 0, nullptr));
    ++col_;
}

void XlsxSheet::date(const std::optional<std::string_view>& iso) {
    if (iso && iso->size() == 10) {
        // The engine stores validated "YYYY-MM-DD"; libxlsxwriter handles Excel's 1900 quirks.
        lxw_datetime dt{parse_int(iso->substr(0, 4)),
                        parse_int(iso->substr(5, 2)),
                        parse_int(iso->substr(8, 2)),
                        0,
                        0,
                        0.0};
        check(worksheet_write_datetime(sheet_, row_, col_, &dt, book_->date_));
    }
    ++col_;
}

void XlsxSheet::time(const std::optional<Millis>& ms) {
    if (ms) check(worksheet_write_number(sheet_, row_, col_, excel_serial(*ms), book_->time_));
    ++col_;
}

void XlsxSheet::blank() {
    ++col_;
}

void XlsxSheet::finish() {
    check(worksheet_autofilter(sheet_, 0, 0, row_, static_cast<lxw_col_t>(columns_ - 1)));
}

XlsxBook::XlsxBook(const std::string& path) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.use_zip64 = LXW_TRUE;  // large groups may pass the 4 GiB zip limits of one part
    book_ = workbook_new_opt(path.c_str(), &options);
    if (book_ == nullptr) throw Error(Errc::io, "spreadsheet: cannot start a workbook");
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    date_ = workbook_add_format(book_);
    format_set_num_format(date_, "yyyy-mm-dd");
    time_ = workbook_add_format(book_);
    format_set_num_format(time_, "yyyy-mm-dd hh:mm:ss");
}

XlsxBook::~XlsxBook() {
    // Not closed (an error or a cancellation): free everything, write nothing. The
    // constant-memory temporary files are closed and so deleted.
    if (book_ != nullptr) lxw_workbook_free(book_);
}

XlsxSheet XlsxBook::add_sheet(const char* name, const std::vector<Column>& columns) {
    lxw_worksheet* ws = workbook_add_worksheet(book_, name);
    if (ws == nullptr)
        throw Error(Errc::internal, std::string("spreadsheet: cannot add sheet ") + name);
    XlsxSheet sheet(*this, ws, columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        sheet.check(worksheet_set_column(ws, col, col, columns[c].width, nullptr));
        sheet.check(worksheet_write_string(ws, 0, col, columns[c].header, header_));
    }
    worksheet_freeze_panes(ws, 1, 0);
    return sheet;
}

void XlsxBook::set_properties(const std::string& title, Millis created) {
    title_ = title;
    lxw_doc_properties props{};
    props.title = const_cast<char*>(title_.c_str());  // copied by libxlsxwriter
    props.created = static_cast<time_t>(created / 1000);
    workbook_set_properties(book_, &props);
}

void XlsxBook::close() {
    lxw_workbook* book = book_;
    book_ = nullptr;  // workbook_close frees it, whatever the outcome
    const lxw_error err = workbook_close(book);
    if (err != LXW_NO_ERROR) fail(err, "cannot write the file");
}

}  // namespace leandesk::exports
